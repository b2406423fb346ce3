"""mkdocs hook: run every page's live examples and check every number (see CONTRIBUTING.md).

The work is done by pure functions in ``lstm_docs.live``; this module only wires them in:

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

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from lstm_docs.live import cache as cache_mod
from lstm_docs.live import worker
from lstm_docs.live.commands import page_language
from lstm_docs.live.engine import check_and_render, render_unchecked
from lstm_docs.figures import FigureFenceError, render_figure_fences
from lstm_docs.live.page import load_page
from lstm_docs.live.source import EngineError

log = get_plugin_logger("live_examples")

REQUIRED_EXTENSIONS = {
    "pymdownx.superfences": "code and output blocks (and fences inside content tabs)",
    "pymdownx.highlight": "the output block's title",
    "admonition": "error boxes under `mkdocs serve`",
}
DISABLE_ENV = "LSTM_DOCS_NO_LIVE"  # benchmark baseline: "1" = same pages, no run, no checks
ALLOW_ENV = "LSTM_DOCS_ALLOW_PROBLEMS"  # drafts: "1" = build even with problems (said loudly)


@dataclass
class PageContext:
    """What a transform knows about the page: repo-relative ``path``, ``lang``, ``serve``."""

    path: str
    lang: str
    serve: bool
    root: Path
    line_offset: int = 0  # lines of front matter mkdocs stripped before the Markdown
    dest: str = ""  # the built file (removed if the build aborts on this page's problems)
    head: str = ""  # the source's lines before the Markdown (front matter), ``line_offset`` of them
    url: str | None = None  # the page's URL in the site (its search entries go if it fails)


class _State:
    serve = False
    root = Path(".")
    docs_dir = "docs"
    cache: cache_mod.Cache | None = None
    stats: dict[str, list[float]] = {}  # lang -> [pages, from cache, problems, seconds]
    depth = 0  # builds under way (i18n nests one per further language)
    found: list[str] = []  # every problem of the outermost build, "file:line: message"
    outputs: set[str] = set()  # built files of pages with problems
    urls: set[str] = set()  # their URLs (search index entries)


state = _State()


def _env_on(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")


def _record(ctx: "PageContext", dest: str, problem: str) -> None:
    state.stats.setdefault(ctx.lang, [0, 0, 0, 0.0])[2] += 1
    headline = problem.split("\n", 1)[0]
    if headline not in state.found:  # a page built in several languages (fallback) once
        state.found.append(headline)
    if dest:
        state.outputs.add(dest)
    if ctx.url is not None:
        state.urls.add(ctx.url)
    log.warning(problem)


def live_examples(markdown: str, ctx: PageContext) -> str:
    """Run and check the page's snippets, ties and equations; return the rendered Markdown."""
    padded = (ctx.head or "\n" * ctx.line_offset) + markdown  # front matter: checked, then cut
    if state.cache is None:
        state.cache = cache_mod.Cache(ctx.root)
    start = time.perf_counter()
    hits = state.cache.hits
    rendered, problems = check_and_render(
        padded, ctx.path, ctx.lang, root=ctx.root, cache=state.cache, serve=ctx.serve
    )
    figures = state.stats.setdefault(ctx.lang, [0, 0, 0, 0.0])
    figures[0] += 1
    figures[1] += state.cache.hits > hits
    for problem in problems:
        _record(ctx, ctx.dest, problem)
    if ctx.line_offset:
        rendered = rendered.split("\n", ctx.line_offset)[-1]
    figures[3] += time.perf_counter() - start
    return rendered


def figures(markdown: str, ctx: PageContext) -> str:
    """Replace each ``figure`` fence with its SVG, after the number checks (SVG is no prose)."""
    try:
        return render_figure_fences(markdown, ctx.lang)
    except ValueError as error:  # a bad figure fence: name its source line, keep serving
        where = f"{ctx.path}: {error}"
        if isinstance(error, FigureFenceError):
            try:
                where = error.located(load_page(ctx.path, ctx.lang, ctx.root, strict=False))
            except (OSError, EngineError):
                pass
        _record(ctx, ctx.dest, where)
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
    if state.depth == 0:
        state.cache = cache_mod.Cache(state.root)
    return config


def on_pre_build(config: Any) -> None:
    if state.depth == 0:  # a new outermost build: nothing from the last one counts
        state.found, state.outputs, state.urls, state.stats = [], set(), set(), {}
        worker.forget_timeouts()
    state.depth += 1


def unchecked(markdown: str, ctx: PageContext) -> str:
    """``live_examples`` with every check off (``LSTM_DOCS_NO_LIVE=1``, benchmark baseline)."""
    return render_unchecked(markdown, ctx.path, ctx.lang, root=ctx.root)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    path = f"{state.docs_dir}/{page.file.src_uri}"
    dest = getattr(page.file, "abs_dest_path", "") or ""
    head = _head(page, markdown)
    ctx = PageContext(path, page_language(path), state.serve, state.root, head.count("\n"), dest, head,
                      getattr(page, "url", None))
    disabled = _env_on(DISABLE_ENV)
    for transform in TRANSFORMS:
        if disabled and transform is live_examples:
            transform = unchecked
        markdown = transform(markdown, ctx)
    return markdown


def _head(page: Any, markdown: str) -> str:
    """The source file's text before ``markdown`` (its front matter), so errors name real
    lines and the front matter's title and description are checked like prose."""
    try:
        raw = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError):
        return ""
    body = markdown.rstrip("\n")
    if not body or raw.rstrip("\n").endswith(body) is False:
        return ""
    return raw[: raw.rstrip("\n").rfind(body)]


@event_priority(-110)  # after mkdocs-static-i18n's (-100), which builds the other languages
def on_post_build(config: Any) -> None:
    """At the end of the outermost build: log each language's figures, abort on problems."""
    state.depth = max(state.depth - 1, 0)
    if state.depth:
        return
    for lang, (pages, cached, problems, seconds) in state.stats.items():
        log.info(f"live examples ({lang}): {pages:g} pages ({cached:g} from cache), "
                 f"{problems:g} problems, {seconds:.2f} s")
    if state.cache is not None and state.cache.stale:
        log.info(f"live examples: {state.cache.stale} cache entries made in another environment: "
                 "not used (recomputed)")
    if state.serve or not state.found:
        return
    found, outputs, urls = state.found, state.outputs, state.urls
    state.found, state.outputs, state.urls = [], set(), set()
    listing = "\n".join(f"  {line}" for line in found)
    if _env_on(ALLOW_ENV):  # straight to stderr: -q must not hide it
        print(f"WARNING -  {ALLOW_ENV} is set: the site was built with {len(found)} problem(s) "
              f"on its pages. Do not publish it.\n{listing}", file=sys.stderr)
        return
    for dest in outputs:  # a wrong number never stays in the output...
        try:
            os.remove(dest)
        except OSError:
            pass
    _drop_search_entries(Path(config.site_dir), urls)  # ...nor in the search index
    raise PluginError(
        f"live examples: {len(found)} problem(s); build aborted, and the {len(outputs)} page(s) "
        f"with problems removed from the output:\n{listing}\n"
        "Fix them (stored outputs: `python -m lstm_docs docs update`). "
        f"Drafts only: {ALLOW_ENV}=1 builds anyway."
    )


def _drop_search_entries(site_dir: Path, urls: set[str]) -> None:
    """Remove the search entries of the pages at ``urls`` from every search index."""
    for index in site_dir.rglob("search_index.json"):
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            docs = data["docs"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        kept = [d for d in docs if str(d.get("location", "")).split("#", 1)[0] not in urls]
        if len(kept) != len(docs):
            data["docs"] = kept
            index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def on_build_error(error: Exception) -> None:
    """A build that failed (ours or another's error) ends here: the next one starts afresh."""
    state.depth = 0
