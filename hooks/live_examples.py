"""mkdocs hook: run every page's live examples and check every number (see CONTRIBUTING.md).

The work is done in ``lstm_docs.live`` (the build's transforms, state and report:
``lstm_docs.live.build``); this module only wires them in:

* ``on_startup``: remember whether we are serving (problems become error boxes on the page)
  or building.
* ``on_config``: check the Markdown extensions the rendered output needs, with the fix.
* ``on_pre_build``: a new build (the outermost one: mkdocs-static-i18n builds each further
  language inside the first build's ``on_post_build``) forgets the last one's problems.
* ``on_page_markdown``: ``TRANSFORMS`` — a chain of ``(markdown, PageContext) -> markdown``
  functions.  Extension point: append another transform (e.g. figures) to ``TRANSFORMS``.
* ``on_post_build`` (after i18n's): log figures; when the outermost build ends with problems,
  **abort it** — every ``mkdocs build`` (``--strict`` or not, ``-q``, ``-v``,
  ``gh-deploy``) exits 1 listing ``file:line: message``, and the pages with problems are
  removed from the output.  mkdocs' own warning counter is not relied on (it drops warnings
  under ``-q``).  ``serve`` never aborts: it shows every problem on its page.
  ``LSTM_DOCS_ALLOW_PROBLEMS=1`` builds anyway, for drafts, and says so loudly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from lstm_docs.live import build
from lstm_docs.live import cache as cache_mod
from lstm_docs.live.build import PageContext, figures, live_examples
from lstm_docs.languages import of_path

log = get_plugin_logger("live_examples")

REQUIRED_EXTENSIONS = {
    "pymdownx.superfences": "code and output blocks (and fences inside content tabs)",
    "pymdownx.highlight": "the output block's title",
    "admonition": "error boxes under `mkdocs serve`",
}

state = build.BuildState(warn=log.warning)

TRANSFORMS: list[Callable[[str, PageContext], str]] = [live_examples, figures]


def on_startup(command: str, dirty: bool) -> None:
    state.serve = command == "serve"


def on_config(config: Any) -> Any:
    configured = set(config.markdown_extensions)
    for name, why in REQUIRED_EXTENSIONS.items():
        if name not in configured:
            raise PluginError(
                f"hooks/live_examples.py needs the {name!r} Markdown extension ({why}): "
                f"add '- {name}' under markdown_extensions in mkdocs.yml"
            )
    state.root = Path(config.config_file_path or ".").resolve().parent
    state.docs_dir = Path(config.docs_dir).resolve().relative_to(state.root).as_posix()
    if state.depth == 0:
        state.cache = cache_mod.Cache(state.root)
    return config


def on_pre_build(config: Any) -> None:
    state.start()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    path = f"{state.docs_dir}/{page.file.src_uri}"
    dest = getattr(page.file, "abs_dest_path", "") or ""
    try:
        head = build.front_matter(Path(page.file.abs_src_path).read_text(encoding="utf-8-sig"), markdown)
    except (OSError, TypeError):
        head = ""
    ctx = PageContext(path, of_path(path), state.serve, state.root, state, head.count("\n"), dest,
                      head, getattr(page, "url", None))
    disabled = build.env_on(build.DISABLE_ENV)
    if not disabled:
        build.start_next_pages(page.file, files.documentation_pages(), ctx)
    for transform in TRANSFORMS:
        if disabled and transform is live_examples:
            transform = build.unchecked
        markdown = transform(markdown, ctx)
    build.clean_meta(page.meta)
    return markdown


@event_priority(-110)  # after mkdocs-static-i18n's (-100), which builds the other languages
def on_post_build(config: Any) -> None:
    """At the end of the outermost build: log each language's figures, abort on problems."""
    if not state.end():
        return
    build.cancel_ahead()  # pages started ahead that mkdocs did not render
    for line in state.summary():
        log.info(line)
    if state.serve or not state.found:
        return
    found, outputs, urls = state.take_found()
    if build.env_on(build.ALLOW_ENV):  # straight to stderr: -q must not hide it
        print(build.allowed_message(found), file=sys.stderr)
        return
    build.remove_pages(Path(config.site_dir), outputs, urls)
    raise PluginError(build.abort_message(found, len(outputs)))


def on_build_error(error: Exception) -> None:
    """A build that failed (ours or another's error) ends here: the next one starts afresh."""
    state.depth = 0
    build.cancel_ahead()
