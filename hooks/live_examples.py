"""mkdocs hook: run every page's live examples and check every number (see CONTRIBUTING.md).

The work is done by pure functions in ``lstm_docs.docs``; this module only wires them in:

* ``on_startup``: remember whether we are serving (problems become error boxes on the page)
  or building (problems are WARNINGs, so ``mkdocs build --strict`` fails).
* ``on_config``: check the Markdown extensions the rendered output needs, with the fix.
* ``on_page_markdown``: ``TRANSFORMS`` — a chain of ``(markdown, PageContext) -> markdown``
  functions.  Extension point: append another transform (e.g. figures) to ``TRANSFORMS``.
* ``on_post_build``: log cache figures and reset per-build state (``serve`` reuses the process).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from lstm_docs.docs import cache as cache_mod
from lstm_docs.docs.cli import page_language
from lstm_docs.docs.engine import check_and_render, render_unchecked
from lstm_docs.figures import render_figure_fences

log = get_plugin_logger("live_examples")

REQUIRED_EXTENSIONS = {
    "pymdownx.superfences": "code and output blocks (and fences inside content tabs)",
    "pymdownx.highlight": "the output block's title",
    "admonition": "error boxes under `mkdocs serve`",
}
DISABLE_ENV = "LSTM_DOCS_NO_LIVE"  # benchmark baseline: "1" = same pages, no run, no checks


@dataclass
class PageContext:
    """What a transform knows about the page: repo-relative ``path``, ``lang``, ``serve``."""

    path: str
    lang: str
    serve: bool
    root: Path
    line_offset: int = 0  # lines of front matter mkdocs stripped before the Markdown


class _State:
    serve = False
    root = Path(".")
    docs_dir = "docs"
    cache: cache_mod.Cache | None = None
    pages = 0
    cached = 0
    problems = 0
    seconds = 0.0


state = _State()


def live_examples(markdown: str, ctx: PageContext) -> str:
    """Run and check the page's snippets, ties and equations; return the rendered Markdown."""
    padded = "\n" * ctx.line_offset + markdown
    if state.cache is None:
        state.cache = cache_mod.Cache(ctx.root)
    start = time.perf_counter()
    hits = state.cache.hits
    rendered, problems = check_and_render(
        padded, ctx.path, ctx.lang, root=ctx.root, cache=state.cache, serve=ctx.serve
    )
    state.pages += 1
    state.cached += state.cache.hits > hits
    for problem in problems:
        state.problems += 1
        log.warning(problem)
    if ctx.line_offset:
        rendered = rendered.split("\n", ctx.line_offset)[-1]
    state.seconds += time.perf_counter() - start
    return rendered


def figures(markdown: str, ctx: PageContext) -> str:
    """Replace each ``figure`` fence with its SVG, after the number checks (SVG is no prose)."""
    try:
        return render_figure_fences(markdown, ctx.lang)
    except ValueError as error:  # a bad figure fence: name the page, keep building/serving
        log.warning(f"{ctx.path}: {error}")
        return markdown


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
    state.cache = cache_mod.Cache(state.root)
    state.pages = state.cached = state.problems = 0
    return config


def unchecked(markdown: str, ctx: PageContext) -> str:
    """``live_examples`` with every check off (``LSTM_DOCS_NO_LIVE=1``, benchmark baseline)."""
    return render_unchecked(markdown, ctx.path, ctx.lang, root=ctx.root)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    path = f"{state.docs_dir}/{page.file.src_uri}"
    ctx = PageContext(path, page_language(path), state.serve, state.root, _offset(page, markdown))
    disabled = os.environ.get(DISABLE_ENV, "") not in ("", "0")
    for transform in TRANSFORMS:
        if disabled and transform is live_examples:
            transform = unchecked
        markdown = transform(markdown, ctx)
    return markdown


def _offset(page: Any, markdown: str) -> int:
    """Lines before ``markdown`` in the source file (front matter), so errors name real lines."""
    try:
        raw = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError):
        return 0
    body = markdown.rstrip("\n")
    if not body or raw.rstrip("\n").endswith(body) is False:
        return 0
    head = raw[: raw.rstrip("\n").rfind(body)]
    return head.count("\n")


def on_post_build(config: Any) -> None:
    """Log this build's figures and reset the counters (the cache object lives until the next
    ``on_config``: mkdocs-static-i18n builds the other languages after this event)."""
    if state.pages:
        log.info(
            f"live examples: {state.pages} pages ({state.cached} from cache), "
            f"{state.problems} problems, {state.seconds:.2f} s"
        )
    state.pages = state.cached = state.problems = 0
    state.seconds = 0.0
