"""One site build's live examples: the page transforms, what they found, and the report.

``hooks/live_examples.py`` wires this into mkdocs.  A ``BuildState`` lives for one outermost
build (mkdocs-static-i18n builds each further language inside the first build's
``on_post_build``: ``start``/``end`` count the nesting); each transform takes the page's
Markdown and its ``PageContext`` and returns Markdown, recording every problem in the state.
No mkdocs import here.
"""

from __future__ import annotations

import re

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lstm_docs.figures import FigureFenceError, render_figure_fences
from lstm_docs.live import cache as cache_mod
from lstm_docs.live import worker
from lstm_docs.live import ahead, engine
from lstm_docs.live.engine import check_and_render, render_unchecked
from lstm_docs.live.page import load_page
from lstm_docs.live.source import EngineError
from lstm_docs.languages import of_path

DISABLE_ENV = "LSTM_DOCS_NO_LIVE"  # benchmark baseline: "1" = same pages, no run, no checks
ALLOW_ENV = "LSTM_DOCS_ALLOW_PROBLEMS"  # drafts: "1" = build even with problems (said loudly)


def env_on(name: str) -> bool:
    """Whether the environment variable ``name`` is set to anything but "" or "0"."""
    return os.environ.get(name, "") not in ("", "0")


@dataclass
class LanguageStats:
    """One language's figures in a build."""

    pages: int = 0
    cached: int = 0  # pages answered from the cache
    ran: int = 0  # pages whose snippets and ties ran in a worker (none answered by the cache)
    problems: int = 0
    seconds: float = 0.0


@dataclass
class BuildState:
    """What the outermost build found so far; ``warn`` logs one problem (its full text)."""

    warn: Callable[[str], None]
    serve: bool = False
    root: Path = Path(".")
    docs_dir: str = "docs"
    cache: cache_mod.Cache | None = None
    stats: dict[str, LanguageStats] = field(default_factory=dict)
    depth: int = 0  # builds under way (i18n nests one per further language)
    found: list[str] = field(default_factory=list)  # every problem's headline, "file:line: message"
    outputs: set[str] = field(default_factory=set)  # built files of pages with problems
    urls: set[str] = field(default_factory=set)  # their URLs (search index entries)

    def start(self) -> None:
        """A build starts; a new outermost one forgets everything the last one found."""
        if self.depth == 0:
            self.found, self.outputs, self.urls, self.stats = [], set(), set(), {}
            worker.forget_timeouts()
            cancel_ahead()
        self.depth += 1

    def end(self) -> bool:
        """A build ends; True when it is the outermost one."""
        self.depth = max(self.depth - 1, 0)
        return self.depth == 0

    def language(self, lang: str) -> LanguageStats:
        return self.stats.setdefault(lang, LanguageStats())

    def record(self, ctx: PageContext, problem: str) -> None:
        """One problem (headline, then an optional detail) on the page ``ctx``: counted, kept
        once per headline (a page built in several languages), and warned."""
        self.language(ctx.lang).problems += 1
        headline = problem.split("\n", 1)[0]
        if headline not in self.found:
            self.found.append(headline)
        if ctx.dest:
            self.outputs.add(ctx.dest)
        if ctx.url is not None:
            self.urls.add(ctx.url)
        self.warn(problem)

    def summary(self) -> list[str]:
        """One line of figures per language, and one on stale cache entries if any."""
        lines = [
            f"live examples ({lang}): {s.pages:g} pages ({s.cached:g} from cache), "
            f"{s.ran:g} run, {s.problems:g} problems, {s.seconds:.2f} s"
            for lang, s in self.stats.items()
        ]
        if self.cache is not None and self.cache.sources_changed():
            lines.append("live examples: lstm_docs changed since the last build: every page ran again")
        if self.cache is not None and self.cache.stale:
            lines.append(f"live examples: {self.cache.stale} cache entries made in another environment: "
                         "not used (recomputed)")
        return lines

    def take_found(self) -> tuple[list[str], set[str], set[str]]:
        """The problems, the built files and URLs of their pages; the state forgets them."""
        found, outputs, urls = self.found, self.outputs, self.urls
        self.found, self.outputs, self.urls = [], set(), set()
        return found, outputs, urls


@dataclass
class PageContext:
    """What a transform knows about the page: repo-relative ``path``, ``lang``, ``serve``,
    and the ``build`` it is part of (where its problems are recorded)."""

    path: str
    lang: str
    serve: bool
    root: Path
    build: BuildState
    line_offset: int = 0  # lines of front matter mkdocs stripped before the Markdown
    dest: str = ""  # the built file (removed if the build aborts on this page's problems)
    head: str = ""  # the source's lines before the Markdown (front matter), ``line_offset`` of them
    url: str | None = None  # the page's URL in the site (its search entries go if it fails)


# ---------------------------------------------------------------------------------------------
# Transforms: (markdown, PageContext) -> markdown


def live_examples(markdown: str, ctx: PageContext) -> str:
    """Run and check the page's snippets, ties and equations; return the rendered Markdown."""
    state = ctx.build
    padded = (ctx.head or "\n" * ctx.line_offset) + markdown  # front matter: checked, then cut
    if state.cache is None:
        state.cache = cache_mod.Cache(ctx.root)
    start = time.perf_counter()
    hits, runs = state.cache.hits, worker.runs[0]
    answer = ahead.take(padded, ctx.path, ctx.lang, root=ctx.root, cache=state.cache, serve=ctx.serve)
    rendered, problems = answer if answer is not None else check_and_render(
        padded, ctx.path, ctx.lang, root=ctx.root, cache=state.cache, serve=ctx.serve
    )
    figures = state.language(ctx.lang)
    figures.pages += 1
    figures.cached += state.cache.hits > hits
    figures.ran += worker.runs[0] > runs
    for problem in problems:
        state.record(ctx, problem)
    if ctx.line_offset:
        rendered = rendered.split("\n", ctx.line_offset)[-1]
    figures.seconds += time.perf_counter() - start
    return rendered


AHEAD = 2  # pages answered ahead in copies of the build (2 cores: they share them with it)
SERVE_AHEAD = 1  # under serve: pages whose snippets start in a worker before their turn


def start_next_pages(current: Any, pages: list[Any], ctx: PageContext) -> None:
    """Start the pages after ``current`` (mkdocs files, in the order mkdocs renders them) now,
    so they are computed on the other core while this process renders ``current``: under
    ``build`` the ``AHEAD`` next pages are answered whole in copies of this process
    (``ahead.answer_ahead``); under ``serve`` the snippets of the ``SERVE_AHEAD`` next
    start in a worker (``engine.run_ahead``).  Nothing starts for a page the cache answers."""
    state = ctx.build
    if state.cache is None:
        return
    index = next((k for k, f in enumerate(pages) if f is current), None)
    if index is None:
        return
    docs = ctx.path[: len(ctx.path) - len(current.src_uri)]
    start = engine.run_ahead if ctx.serve else ahead.answer_ahead
    for later in pages[index + 1 : index + 1 + (SERVE_AHEAD if ctx.serve else AHEAD)]:
        try:
            text = Path(later.abs_src_path).read_text(encoding="utf-8-sig")
        except (OSError, TypeError):
            continue
        path = docs + later.src_uri
        start(text, path, of_path(path), root=ctx.root, cache=state.cache, serve=ctx.serve)


def cancel_ahead() -> None:
    """End whatever was started ahead and not collected (a build that ended or failed)."""
    engine.cancel_ahead()
    ahead.cancel()


def unchecked(markdown: str, ctx: PageContext) -> str:
    """``live_examples`` with every check off (``LSTM_DOCS_NO_LIVE=1``, benchmark baseline)."""
    return render_unchecked(markdown, ctx.path, ctx.lang, root=ctx.root)


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
        ctx.build.record(ctx, where)
        return markdown


def clean_meta(meta: dict) -> None:
    """Drop ties and escapes from the front matter a reader sees (``title``, ``description``:
    mkdocs read them before the Markdown reached the engine, which checked them)."""
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = re.sub(r"\{=[^{}\n]*\}|\{-\}", "", meta[key])


def front_matter(source: str, markdown: str) -> str:
    """The text of the source file ``source`` before ``markdown`` (its front matter), so
    errors name real lines and the front matter's title and description are checked like
    prose; "" when ``markdown`` is not the end of ``source``."""
    body = markdown.rstrip("\n")
    if not body or not source.rstrip("\n").endswith(body):
        return ""
    return source[: source.rstrip("\n").rfind(body)]


# ---------------------------------------------------------------------------------------------
# The end of a build with problems


def allowed_message(found: list[str]) -> str:
    """What a build with problems says when ``ALLOW_ENV`` lets it through."""
    return (f"WARNING -  {ALLOW_ENV} is set: the site was built with {len(found)} problem(s) "
            f"on its pages. Do not publish it.\n{_listing(found)}")


def abort_message(found: list[str], removed: int) -> str:
    """Why the build is aborted: every problem, and the fix."""
    return (
        f"live examples: {len(found)} problem(s); build aborted, and the {removed} page(s) "
        f"with problems removed from the output:\n{_listing(found)}\n"
        "Fix them (stored outputs: `python -m lstm_docs docs update`). "
        f"Drafts only: {ALLOW_ENV}=1 builds anyway."
    )


def _listing(found: list[str]) -> str:
    return "\n".join(f"  {line}" for line in found)


def remove_pages(site_dir: Path, outputs: set[str], urls: set[str]) -> None:
    """Remove the built files ``outputs`` and the search entries of the pages at ``urls``:
    a wrong number never stays in the output, nor in the search index."""
    for dest in outputs:
        try:
            os.remove(dest)
        except OSError:
            pass
    drop_search_entries(site_dir, urls)


def drop_search_entries(site_dir: Path, urls: set[str]) -> None:
    """Remove the search entries of the pages at ``urls`` from every search index."""
    for index in Path(site_dir).rglob("search_index.json"):
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            docs = data["docs"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        kept = [d for d in docs if str(d.get("location", "")).split("#", 1)[0] not in urls]
        if len(kept) != len(docs):
            data["docs"] = kept
            index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

