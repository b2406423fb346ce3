"""mkdocs hook: the site shell's build-time work.

* Math: pymdownx.arithmatex (generic mode) leaves ``<span class="arithmatex">\\(...\\)</span>``
  and ``<div class="arithmatex">\\[...\\]</div>``; each is converted to MathML here with
  ``latex2mathml``, so no math script or font is ever fetched from another host.
* Shell strings in the page's language (``lstm_docs/strings/site.json``): site name and
  description, palette toggle titles, the 404 page, the permalinks' tooltip, the footer's
  credit and previous/next labels, the redirect stubs (``site_t`` in templates); material's
  own strings reworded in ``lstm_docs/strings/theme.json`` (``theme_t``, read first by
  ``overrides/partials/language.html``).
* Typography (``lstm_docs/typography.py``): inline math is kept on one line with the
  punctuation touching it; French no-break spaces that the table of contents drops are put
  back in titles (and ``plain`` replaces jinja's ``striptags``, which drops them too).
* Link previews: a page without a ``description`` in its front matter gets its first
  paragraph (plain text, shortened) as description, used by ``<meta name="description">``
  and the OpenGraph/Twitter tags in ``overrides/main.html``.
* Redirects (mkdocs-redirects) and the 404 page, made to work in every language.
* hreflang: material's JS fetches ``sitemap.xml`` beside every ``<link rel="alternate">`` URL
  (made for language roots; ours name the same page in each language). Every page directory
  gets a valid, empty ``sitemap.xml`` so a page view makes no failing request; the real
  sitemap, with every page and its alternates, stays at the site root. When the site's real
  address is known (``SITE_URL``, set by the Pages workflow), the alternate links are made
  absolute, as search engines expect.

The transforms are plain ``str -> str`` functions; the hook functions only call them.
"""

from __future__ import annotations

import html
import logging
import os
import re
from urllib.parse import urljoin
from pathlib import Path
from typing import Any

from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger

from lstm_docs import strings, typography

log = get_plugin_logger("site")

CONSUMER = "site"
THEME = "theme"  # material's own strings, reworded: lstm_docs/strings/theme.json
DESCRIPTION_MAX_CHARS = 200

# arithmatex generic output; the TeX inside is HTML-escaped (&lt; &amp;).
_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
_BLOCK_MATH = re.compile(
    r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>'
    r'|<div class="arithmatex">(?P<env>\\begin\{(?P<name>[a-z*]+)\}.*?\\end\{(?P=name)\})</div>',
    re.DOTALL,
)
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+|&)<")
# latex2mathml lays out `split` (not `aligned`) as a table; they mean the same here.
_ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")
_FIRST_PARAGRAPH = re.compile(r"<p>(?P<body>.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class MathError(ValueError):
    """A formula latex2mathml cannot convert; the message names the TeX."""


def tex_to_mathml(tex: str, *, display: str) -> str:
    """One TeX formula (HTML-escaped, as arithmatex writes it) -> a ``<math>`` element.

    ``display`` is ``"inline"`` or ``"block"``.
    """
    source = html.unescape(tex).strip()
    try:
        mathml = latex_to_mathml(_ALIGNED.sub(r"\\\1{split}", source), display=display)
    except Exception as exc:  # latex2mathml raises many types; report them the same way
        raise MathError(
            f"cannot convert formula {source!r} to MathML ({type(exc).__name__} {exc}); "
            "fix the TeX or use a construct latex2mathml supports"
        ) from exc
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:  # latex2mathml prints what it does not know as text: raw TeX on the page
        raise MathError(
            f"cannot convert formula {source!r} to MathML: {unknown.group(1)} is not supported "
            "by latex2mathml here; use supported commands (& only inside \\begin{aligned})"
        )
    return mathml


def math_to_mathml(page_html: str) -> str:
    """Replace every arithmatex span/div of a rendered page by MathML.

    Block math is wrapped in ``<div class="lstm-math">`` (centred, scrolls horizontally on a
    narrow screen, see ``docs/assets/site.css``).
    """

    def block(match: re.Match[str]) -> str:
        tex = match.group("tex") if match.group("tex") is not None else match.group("env")
        return f'<div class="lstm-math">{tex_to_mathml(tex, display="block")}</div>'

    def inline(match: re.Match[str]) -> str:
        return tex_to_mathml(match.group("tex"), display="inline")

    return _INLINE_MATH.sub(inline, _BLOCK_MATH.sub(block, page_html))


# Inline math and the punctuation written right after it (or the opening bracket right before
# it): the browser may break a line between a <math> box and a following "。" or "." (a
# formula is an atomic box to line breaking), leaving the punctuation alone at the start of
# the next line. One no-wrap span keeps them together.
_CLOSING = re.escape(typography.NO_LINE_START + ".,;:!?)]»")
_OPENING = re.escape("（「『([«")
_MATH_WITH_PUNCTUATION = re.compile(
    rf'(?P<open>[{_OPENING}]+)?(?P<math><math\b[^>]*display="inline"[^>]*>.*?</math>)(?P<close>[{_CLOSING}]+)?',
    re.DOTALL,
)


def keep_math_with_punctuation(page_html: str) -> str:
    """Wrap inline MathML with the punctuation that touches it in ``<span class="lstm-nowrap">``
    (``docs/assets/site.css``), so no line starts with the punctuation after a formula."""

    def wrap(match: re.Match[str]) -> str:
        if not match["open"] and not match["close"]:
            return match[0]
        return f'<span class="lstm-nowrap">{match[0]}</span>'

    return _MATH_WITH_PUNCTUATION.sub(wrap, page_html)


_REDIRECT_URL = re.compile(r'<link rel="canonical" href="(?P<url>[^"]*)">')


def redirect_page(url: str, lang: str) -> str:
    """A redirect stub (what mkdocs-redirects writes) in ``lang``: ``<html lang>``, title, text."""
    target = html.escape(url, quote=True)
    link = f'<a href="{target}">{html.escape(site_text("redirect_link", lang))}</a>'
    text = html.escape(site_text("redirect_text", lang)).replace("{link}", link)
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n<head>\n    <meta charset="utf-8">\n'
        f"    <title>{html.escape(site_text('redirect_title', lang))}</title>\n"
        f'    <link rel="canonical" href="{target}">\n'
        f'    <script>var anchor=window.location.hash.substr(1);location.href="{target}"+(anchor?"#"+anchor:"")</script>\n'
        f'    <meta http-equiv="refresh" content="0; url={target}">\n'
        f"</head>\n<body>\n<p>{text}</p>\n</body>\n</html>\n"
    )


def first_paragraph_text(page_html: str, max_chars: int = DESCRIPTION_MAX_CHARS) -> str:
    """Plain text of the first non-empty ``<p>`` of a rendered page, cut at a word boundary.

    Returns ``""`` when the page has no paragraph.
    """
    for match in _FIRST_PARAGRAPH.finditer(page_html):
        text = " ".join(html.unescape(_TAG.sub("", match.group("body"))).split())
        if not text:
            continue
        if len(text) <= max_chars:
            return text
        cut = text[: max_chars - 1]
        if " " in cut:
            cut = cut[: cut.rindex(" ")]
        return cut.rstrip(" ,;:") + "…"
    return ""


def page_language(config: Any) -> str:
    """The language being built: mkdocs-static-i18n sets ``theme.language`` per language."""
    lang = config.theme["language"]
    if lang not in strings.LANGUAGES:
        raise ValueError(
            f"theme.language is {lang!r}, not one of {strings.LANGUAGES}: "
            "set theme.language per language in mkdocs.yml's i18n plugin"
        )
    return lang


def site_text(key: str, lang: str) -> str:
    """A shell string from ``lstm_docs/strings/site.json``."""
    return strings.get(CONSUMER, key, lang)


# ---------------------------------------------------------------------------------------------
# mkdocs hook functions


def _check_prerequisites(config: Any) -> None:
    extensions = config["markdown_extensions"]
    if "pymdownx.arithmatex" not in extensions:
        log.warning("hooks/site.py needs 'pymdownx.arithmatex' in markdown_extensions of mkdocs.yml")
        return
    options = config["mdx_configs"].get("pymdownx.arithmatex", {})
    if not options.get("generic"):
        log.warning(
            "hooks/site.py converts math to MathML only in arithmatex generic mode: "
            "set 'pymdownx.arithmatex: {generic: true}' in mkdocs.yml"
        )


@event_priority(-200)  # after mkdocs-static-i18n (-100) has switched the config's language
def on_config(config: Any) -> Any:
    try:  # material's search segments Chinese with jieba, which chats on every build
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass
    _check_prerequisites(config)
    lang = page_language(config)
    config["site_name"] = site_text("site_name", lang)
    config["site_description"] = site_text("site_description", lang)
    for palette in config.theme.get("palette", []) or []:
        toggle = palette.get("toggle")
        if toggle is None:
            continue
        key = "palette_to_light" if palette.get("scheme") == "slate" else "palette_to_dark"
        toggle["name"] = site_text(key, lang)
    # the heading permalinks' tooltip (python-markdown's toc extension)
    toc = config["mdx_configs"].setdefault("toc", {})
    if toc.get("permalink"):
        toc["permalink_title"] = site_text("permalink_title", lang)
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    def site_t(key: str, lang: str | None = None) -> str:
        return site_text(key, lang or page_language(config))

    def theme_t(key: str) -> str:
        """material's string ``key`` in this site's wording, or "" (material's own then)."""
        if key not in strings.table(THEME):
            return ""
        return strings.get(THEME, key, page_language(config))

    env.globals["site_t"] = site_t
    env.globals["theme_t"] = theme_t
    env.filters["plain"] = plain_text
    return env


_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def plain_text(value: Any) -> str:
    """Jinja's ``striptags``, keeping no-break spaces (``striptags`` turns them into spaces):
    tags removed, runs of ASCII white space made one space; HTML-escaped for the template."""
    text = html.unescape(_TAG.sub("", str(value)))
    return html.escape(_ASCII_SPACES.sub(" ", text).strip(), quote=True)


def _retypeset_titles(page: Any, lang: str) -> None:
    # python-markdown's toc (and so the page title, the navigation and the table of contents)
    # turns every run of white space into one space: French loses its no-break spaces there.
    if getattr(page, "_title_from_render", None):
        page._title_from_render = typography.restore_spaces(page._title_from_render, lang)
    stack = list(page.toc or [])
    while stack:
        item = stack.pop()
        item.title = typography.restore_spaces(item.title, lang)
        stack.extend(item.children)


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    try:
        html_text = math_to_mathml(html_text)
    except MathError as exc:
        log.warning(f"docs/{page.file.src_uri}: {exc}")
    html_text = keep_math_with_punctuation(html_text)
    _retypeset_titles(page, page_language(config))
    if not page.meta.get("description"):
        description = first_paragraph_text(html_text)
        if description:
            page.meta["description"] = description
    return html_text


# ---------------------------------------------------------------------------------------------
# Redirects in every language
#
# mkdocs-redirects knows nothing of languages: with the folder structure, the map in mkdocs.yml
# (``params.md: parameters.md``, language-agnostic) would point at no file. Once
# mkdocs-static-i18n has chosen this build's files, the map is re-keyed for the language being
# built: ``fr/params.md -> fr/parameters.md`` (en, the default, stays at the root).

def localized_redirects(redirect_map: dict[str, str], lang: str, default: str) -> dict[str, str]:
    """Language-agnostic ``{old.md: new.md}`` -> ``{old path in the site: source file}``."""
    prefix = "" if lang == default else f"{lang}/"
    return {f"{prefix}{old}": f"{lang}/{new}" for old, new in redirect_map.items()}


@event_priority(-150)  # after mkdocs-static-i18n (-100) has rewritten the files of this language
def on_files(files: Any, config: Any) -> Any:
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return files
    # The plugin's on_files (priority 0) has just set plugin.redirects from mkdocs.yml.
    lang = page_language(config)
    plugin.redirects = localized_redirects(
        plugin.config["redirect_maps"], lang, default=strings.LANGUAGES[0]
    )
    plugin.doc_pages = {f.src_uri: f for f in files.documentation_pages()}
    return files


# ---------------------------------------------------------------------------------------------
# A 404 page in every language
#
# mkdocs renders the theme's 404.html at the root of site_dir in every language build, so the
# last language built would win. Each build's 404 is moved to ``<lang>/404.html``; the default
# language's is put back at the root after each build (GitHub Pages serves the root one).

_NOT_FOUND = "404.html"
_state: dict[str, str] = {}


def _split_404(config: Any) -> None:
    root_page = Path(config["site_dir"]) / _NOT_FOUND
    if not root_page.exists():
        return
    lang = page_language(config)
    if lang == strings.LANGUAGES[0]:
        _state["default_404"] = root_page.read_text(encoding="utf-8")
    else:
        target = Path(config["site_dir"]) / lang / _NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(root_page.read_text(encoding="utf-8"), encoding="utf-8")


@event_priority(-200)  # after mkdocs-static-i18n's on_post_build has built the other languages
def _restore_404(config: Any) -> None:
    saved = _state.get("default_404")
    if saved is not None:
        (Path(config["site_dir"]) / _NOT_FOUND).write_text(saved, encoding="utf-8")




def language_homes(i18n_languages: Any) -> list[dict[str, str]]:
    """Material's ``extra.alternate`` pointing at each language's home page.

    Links are relative to the site root (``fr/``), so the ``url`` filter of a 404 page (whose
    base is the site's path, e.g. ``/lstm-docs/``) makes them right on a project site too.
    """
    homes = []
    for language in i18n_languages:
        if not language.build:
            continue
        link = language.link.strip("/")
        homes.append({"name": language.name, "lang": language.locale, "link": f"{link}/" if link else "."})
    return homes


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    # A static template (the 404 page) would otherwise keep the language switcher and hreflang
    # links of the last page built; on a 404 page they lead to each language's home.
    i18n = config.plugins.get("i18n")
    if template_name == _NOT_FOUND and i18n is not None:
        # set like mkdocs-static-i18n sets it (attribute), so templates see this value
        config.extra.alternate = language_homes(i18n.config.languages)
    return context


EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)
_ALTERNATE = re.compile(r'(<link rel="alternate" href=")(?P<href>[^"]*)(" hreflang=)')
_page_dirs: set[Path] = set()


def absolute_alternates(page_html: str, page_url: str) -> str:
    """``<link rel="alternate" href="../fr/units/" hreflang=...>`` -> an absolute ``href``."""
    return _ALTERNATE.sub(lambda m: m[1] + urljoin(page_url, m["href"]) + m[3], page_html)


def on_post_page(output: str, page: Any, config: Any) -> str:
    _page_dirs.add(Path(config.site_dir) / Path(page.file.dest_uri).parent)
    if os.environ.get("SITE_URL") and page.canonical_url:
        return absolute_alternates(output, page.canonical_url)
    return output


def _write_page_sitemaps(config: Any) -> None:
    for directory in sorted(_page_dirs):
        target = directory / "sitemap.xml"
        if directory.is_dir() and not target.exists():
            target.write_text(EMPTY_SITEMAP, encoding="utf-8")
    _page_dirs.clear()


@event_priority(-50)  # after mkdocs-redirects (0) wrote its stubs, in English
def _localize_redirects(config: Any) -> None:
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return
    lang = page_language(config)
    for old in plugin.redirects:  # "fr/params.md" (see on_files), written at fr/params/index.html
        stub = Path(config["site_dir"]) / old.removesuffix(".md") / "index.html"
        if not stub.exists():
            continue
        found = _REDIRECT_URL.search(stub.read_text(encoding="utf-8"))
        if found:
            stub.write_text(redirect_page(html.unescape(found["url"]), lang), encoding="utf-8")


on_post_build = CombinedEvent(_localize_redirects, _split_404, _restore_404, _write_page_sitemaps)
