"""mkdocs hook: the site shell per language (MathML, shell strings, titles, descriptions,
redirects, 404 pages, hreflang). The logic is in ``lstm_docs.site_shell``; this only wires it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger

from lstm_docs import languages, serve_watch, site_shell

log = get_plugin_logger("site")
_not_found = site_shell.NotFoundPages()
_page_dirs: set[Path] = set()  # directories of this build's pages (each gets a sitemap.xml)


_command: list[str] = []


def on_startup(command: str, dirty: bool) -> None:
    _command[:] = [command]


@event_priority(100)  # before any plugin watches a path on mkdocs' own observer
def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Notice a save within 0.1 s instead of mkdocs' 0.5 s (``lstm_docs.serve_watch``)."""
    return serve_watch.poll_every(server, serve_watch.POLL_SECONDS,
                                  [config.docs_dir, config.config_file_path, *config.theme.dirs])


@event_priority(100)  # before mkdocs-static-i18n reads which languages to build
def _writer_mode(config: Any) -> Any:
    """The writer's mode: ``LSTM_DOCS_LANGUAGES=fr mkdocs serve`` builds English and French
    only, each page exactly as the full build does; ``mkdocs build`` always builds every language."""
    value = os.environ.get(languages.SERVE_LANGUAGES, "")
    if not value:
        return config
    if _command[:1] != ["serve"]:
        log.warning(f"{languages.SERVE_LANGUAGES}={value} is ignored by `mkdocs {_command[0] if _command else 'build'}`: "
                    "it selects the languages of `mkdocs serve` only; unset it to silence this")
        return config
    try:
        selected = languages.serve_selection(value)
    except ValueError as error:
        raise PluginError(str(error)) from None
    if _serve_only(config.plugins.get("i18n"), selected):
        log.info(f"writer's mode ({languages.SERVE_LANGUAGES}={value}): serving {', '.join(selected)} only; "
                 "`mkdocs build` builds every language")
    return config


def _serve_only(plugin: Any, selected: tuple[str, ...]) -> bool:
    """Let mkdocs-static-i18n skip the builds of the languages not ``selected``.  Its language
    list stays whole, so every page keeps the switcher and hreflang links of the full build;
    only the loop of ``on_post_build``, which builds each other language with ``build()``,
    passes over the others."""
    import mkdocs_static_i18n.plugin as i18n_module

    patched = i18n_module.build
    if getattr(patched, "selected", None) == selected:
        patched.plugin[0] = plugin  # a reload configures a new plugin instance
        return False
    build = getattr(patched, "full_build", patched)
    current = [plugin]

    def build_selected(config: Any, dirty: bool = False) -> None:
        if current[0] is None or current[0].current_language in selected:
            build(config, dirty=dirty)

    build_selected.full_build = build  # type: ignore[attr-defined]
    build_selected.selected = selected  # type: ignore[attr-defined]
    build_selected.plugin = current  # type: ignore[attr-defined]
    i18n_module.build = build_selected
    return True


@event_priority(-200)  # after mkdocs-static-i18n (-100) has switched the config's language
def _shell_config(config: Any) -> Any:
    try:  # material's search segments Chinese with jieba, which chats on every build
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass
    for warning in site_shell.prerequisite_warnings(config):
        log.warning(warning)
    site_shell.apply_shell_strings(config, site_shell.page_language(config))
    return config


on_config = CombinedEvent(_writer_mode, _shell_config)


def on_env(env: Any, config: Any, files: Any) -> Any:
    def site_t(key: str, lang: str | None = None) -> str:
        return site_shell.site_text(key, lang or site_shell.page_language(config))

    def theme_t(key: str) -> str:
        """material's string ``key`` in this site's wording, or "" (material's own then)."""
        return site_shell.theme_text(key, site_shell.page_language(config))

    env.globals["site_t"] = site_t
    env.globals["theme_t"] = theme_t
    env.filters["plain"] = site_shell.plain_text
    return env


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    try:
        html_text = site_shell.math_to_mathml(html_text)
    except site_shell.MathError as exc:
        log.warning(f"docs/{page.file.src_uri}: {exc}")
    return site_shell.finish_page(html_text, page, site_shell.page_language(config))


@event_priority(-150)  # after mkdocs-static-i18n (-100) has rewritten the files of this language
def on_files(files: Any, config: Any) -> Any:
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return files
    # The plugin's on_files (priority 0) has just set plugin.redirects from mkdocs.yml.
    plugin.redirects = site_shell.localized_redirects(
        plugin.config["redirect_maps"], site_shell.page_language(config), default=languages.default().code
    )
    plugin.doc_pages = {f.src_uri: f for f in files.documentation_pages()}
    return files


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    # A static template (the 404 page) would otherwise keep the language switcher and hreflang
    # links of the last page built; on a 404 page they lead to each language's home.
    i18n = config.plugins.get("i18n")
    if template_name == site_shell.NOT_FOUND and i18n is not None:
        # set like mkdocs-static-i18n sets it (attribute), so templates see this value
        config.extra.alternate = site_shell.language_homes(i18n.config.languages)
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    _page_dirs.add(Path(config.site_dir) / Path(page.file.dest_uri).parent)
    if os.environ.get("SITE_URL") and page.canonical_url:
        return site_shell.absolute_alternates(output, page.canonical_url)
    return output


@event_priority(-50)  # after mkdocs-redirects (0) wrote its stubs, in English
def _localize_redirects(config: Any) -> None:
    plugin = config.plugins.get("redirects")
    if plugin is not None:
        site_shell.localize_redirect_stubs(config["site_dir"], plugin.redirects, site_shell.page_language(config))


def _split_404(config: Any) -> None:
    _not_found.split(config["site_dir"], site_shell.page_language(config))


@event_priority(-200)  # after mkdocs-static-i18n's on_post_build has built the other languages
def _restore_404(config: Any) -> None:
    _not_found.restore(config["site_dir"])


def _write_page_sitemaps(config: Any) -> None:
    site_shell.write_empty_sitemaps(_page_dirs)
    _page_dirs.clear()


on_post_build = CombinedEvent(_localize_redirects, _split_404, _restore_404, _write_page_sitemaps)
