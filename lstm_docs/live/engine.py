"""The live-examples engine: run a page, check it, render it, update its stored outputs.

``run_page(text, path, lang)`` → ``PageRun`` (problems found, actual outputs);
``render(run, serve=False)`` → Markdown for mkdocs (code + output blocks, ties removed,
error boxes when serving).  All pure ``str -> str`` over Markdown; no mkdocs here.
"""

from __future__ import annotations

import difflib
import html
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from lstm_docs import strings
from lstm_docs.diagnostics import Problem
from lstm_docs.live import cache as cache_mod
from lstm_docs.live.fences import Fence, Snippet, snippets
from lstm_docs.live.page import front_matter, read_page
from lstm_docs.live.prose import Prose, Tie, analyse
from lstm_docs.live.source import EngineError, Origin, Source
from lstm_docs.live.worker import DEFAULT_TIMEOUT, OUTPUT_CAP, Step, StepResult, StepsRun, decode_value, run_steps
from lstm_docs.numbers import parse_number

ENGINE_PACKAGES = ("lstm_docs.live", "lstm_docs.numbers", "lstm_docs.strings")


@dataclass
class PageRun:
    """The result of running one page."""

    source: Source
    fences: list[Fence] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    prose: Prose | None = None
    outputs: list[str] = field(default_factory=list)  # actual stdout per snippet, normalised
    problems: list[Problem] = field(default_factory=list)
    cached: bool = False
    timed_out: bool = False  # a step hit its limit: not cached (a limit may be raised)
    imported: dict[str, str | None] = field(default_factory=dict)  # distributions the steps imported


def normalise(output: str) -> list[str]:
    """Output lines as stored: trailing spaces and trailing blank lines dropped."""
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_page(
    text: str,
    path: str,
    lang: str,
    *,
    root: str | Path = ".",
    read: Any = None,
    cache: cache_mod.Cache | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cap: int = OUTPUT_CAP,
) -> PageRun:
    """Expand, run and check the page ``path`` (repo-relative) written in ``lang``."""
    root = Path(root)
    reader = read or (lambda p: (root / p).read_text(encoding="utf-8"))
    try:
        page = read_page(text, path, lang, read=reader)
        source = page.source
        run = PageRun(source=source, fences=page.fences)
        run.snippets = snippets(source, run.fences)
        run.prose = analyse(source, run.fences)
    except EngineError as exc:
        run = PageRun(source=Source(path, lang, text.splitlines(), [], []))
        run.problems.append(Problem.at(exc.origin or Origin(path, 1), exc.message))
        return run

    steps, owners = _steps(run, timeout)
    done: StepsRun | None = None
    key = ""
    if cache is not None and steps:
        key = cache_mod.key(steps, cache.sources, cap)
        done = cache.get_steps(key)
        run.cached = done is not None
    if done is None and steps:
        ensure_preloaded()
        done = run_steps(steps, cap)
        if cache is not None and not any(r.timeout for r in done.results):
            cache.put_steps(key, done)
    results = done.results if done is not None else []
    run.imported = done.imported if done is not None else {}
    run.timed_out = any(r.timeout for r in results)

    run.outputs = ["" for _ in run.snippets]
    not_run: list[Snippet | Tie] = []
    for step, owner, result in zip(steps, owners, results):
        if result.error is not None and result.error.type == "NotRun":
            not_run.append(owner)
            continue
        if isinstance(owner, Snippet):
            run.outputs[owner.index] = "\n".join(normalise(result.stdout))
            _check_snippet(run, owner, result)
        else:
            _check_tie(run, owner, result)
    if not_run:  # one line for everything after the fault, not one problem each
        first = not_run[0]
        line = first.code.start if isinstance(first, Snippet) else first.line
        n = len(not_run)
        run.problems.append(
            Problem.at(source.origins[line], f"{n} later step{'s' if n != 1 else ''} on this page "
                    "not run (snippets and ties): fix the fault above first")
        )
    run.problems.extend(run.prose.problems)
    run.problems.sort(key=lambda p: (p.origin.page.line, p.origin.line))
    return run


def _steps(run: PageRun, timeout: float) -> tuple[list[Step], list[Snippet | Tie]]:
    assert run.prose is not None
    items: list[tuple[int, int, Snippet | Tie]] = [(s.code.start, 0, s) for s in run.snippets]
    items += [(t.line, 1, t) for t in run.prose.ties]
    items.sort(key=lambda item: (item[0], item[1]))
    steps: list[Step] = []
    owners: list[Snippet | Tie] = []
    for _, _, owner in items:
        if isinstance(owner, Snippet):
            steps.append(Step("code", owner.source, owner.timeout or timeout))
        else:
            steps.append(Step("expr", owner.expr, timeout))
        owners.append(owner)
    return steps, owners


def _check_snippet(run: PageRun, snippet: Snippet, result: StepResult) -> None:
    origins = run.source.origins
    code = snippet.code
    error = result.error
    if error is not None:
        line = error.line
        where = origins[code.start + line] if line and code.start + line < code.end else origins[code.start]
        detail_lines = []
        if line and 0 < line <= len(code.body):
            detail_lines.append(f"    {code.body[line - 1].strip()}")
        detail_lines += [f"    in {frame}" for frame in error.frames]
        message = error.message
        if result.remembered:
            message += " (it timed out on an earlier page of this build: not run again)"
        run.problems.append(Problem.at(where, message, "\n".join(detail_lines), snippet.index, "error"))
        return
    actual = normalise(result.stdout)
    if result.truncated:
        run.problems.append(
            Problem.at(
                origins[code.start],
                f"printed more than {OUTPUT_CAP} characters (output capped): print less",
                snippet=snippet.index,
                kind="error",
            )
        )
        return
    if snippet.output is None:
        if actual and not snippet.hide:
            run.problems.append(
                Problem.at(
                    origins[code.start],
                    "snippet prints but has no stored output block: run "
                    "`python -m lstm_docs docs update` to add it",
                    _diff([], actual),
                    snippet.index,
                    "output",
                )
            )
        return
    stored = normalise("\n".join(snippet.output.body))
    if stored == actual:
        return
    first = next(
        (k for k, (a, b) in enumerate(zip(stored, actual)) if a != b), min(len(stored), len(actual))
    )
    out = snippet.output
    where = origins[min(out.start + 1 + first, out.end)]
    if len(stored) == 1 and len(actual) == 1:
        message = f"printed {actual[0].strip()}, page says {stored[0].strip()}"
    else:
        message = "printed output differs from the stored output"
    message += " (fix the code, or run `python -m lstm_docs docs update`)"
    detail = _snippet_excerpt(snippet.code.body) + "\n" + _diff(stored, actual)
    run.problems.append(Problem.at(where, message, detail, snippet.index, "output"))


def _snippet_excerpt(body: list[str], limit: int = 8) -> str:
    """The snippet's code, indented, cut after ``limit`` lines, to show beside the diff."""
    shown = [f"    {line}" for line in body[:limit]]
    if len(body) > limit:
        shown.append(f"    … ({len(body) - limit} more lines)")
    return "\n".join(["snippet:", *shown])


def _diff(stored: list[str], actual: list[str]) -> str:
    return "\n".join(
        difflib.unified_diff(stored, actual, "page says", "printed", lineterm="", n=2)
    )


def _check_tie(run: PageRun, tie: Tie, result: StepResult) -> None:
    where = run.source.origins[tie.line]
    error = result.error
    if error is not None:
        run.problems.append(Problem.at(where, f"tie {{= {tie.expr} }}: {error.message}"))
        return
    assert result.value is not None  # an expression that ran has a value
    value = decode_value(result.value)
    ok, shown = _tie_holds(tie.written, value, run.source.lang)
    if not ok:
        if len(shown) > 200:
            shown = f"{shown[:200]}… ({len(shown) - 200:,} more characters)"
        run.problems.append(Problem.at(where, f"page says {tie.written}, but {tie.expr} is {shown}"))


def _tie_holds(written: str, value: Any, lang: str) -> tuple[bool, str]:
    shown = repr(value) if not isinstance(value, str) else value
    if written[:1] == "$":  # a formula: the same TeX as its definition, spaces aside
        return "".join(written[1:-1].split()) == "".join(str(value).split()), shown
    if written[:1] in "`\"":
        inner = written[1:-1]
        return inner in (str(value), repr(value)), shown
    if written[:1] in "([":
        if not isinstance(value, (tuple, list)):
            return False, shown
        return _elements(written, lang) == [_norm(v) for v in value], shown
    try:
        number = parse_number(written, lang)
    except ValueError:
        return False, shown
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(number) == str(value), shown
    if isinstance(number, int):
        return number == value, shown
    decimals = -number.as_tuple().exponent  # type: ignore[operator]
    return round(Fraction(value), decimals) == Fraction(number), shown


def _elements(written: str, lang: str) -> list[Any]:
    import re

    inner = written[1:-1].strip().rstrip(",")
    if not inner:
        return []
    out: list[Any] = []
    for part in re.split(r",\s+|,$|;\s*", inner):
        part = part.strip()
        if part == "None":
            out.append(None)
            continue
        try:
            out.append(_norm(parse_number(part, lang)))
        except ValueError:
            out.append(part.strip("'\""))
    return out


def _norm(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return Fraction(v)
    return v


def check_and_render(
    text: str,
    path: str,
    lang: str,
    *,
    root: str | Path = ".",
    cache: cache_mod.Cache | None = None,
    serve: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[str, list[str]]:
    """``(rendered Markdown, problems as "file:line: message" strings)`` for one page.

    The whole answer is cached under the hash of the expanded page (includes resolved), the
    ``lstm_docs`` sources and the engine's strings, so a warm build skips even the prose
    checks; anything that could change the answer changes the key.
    """
    root = Path(root)
    key = ""
    if cache is not None and cache.enabled:
        try:
            expanded = read_page(text, path, lang, read=lambda p: (root / p).read_text(encoding="utf-8"),
                                 strict=False)
        except EngineError:
            expanded = None
        if expanded is not None:
            key = cache_mod.page_key(expanded.source.text, path, lang, serve, timeout, cache.sources)
            hit = cache.get(key)
            if hit is not None:
                return hit["rendered"], hit["problems"]
    run = run_page(text, path, lang, root=root, cache=cache, timeout=timeout)
    rendered, problems = render(run, serve=serve), [p.format() for p in run.problems]
    if key and not run.timed_out:
        cache.put(key, {"rendered": rendered, "problems": problems}, run.imported)  # type: ignore[union-attr]
    return rendered, problems


def render_unchecked(text: str, path: str, lang: str, *, root: str | Path = ".") -> str:
    """The page as readers would see it with every check off: includes expanded, stored
    outputs shown as written, nothing run, no prose checks.  The benchmark's baseline
    ("hook disabled") — same content to render, none of the engine's work."""
    root = Path(root)
    page = read_page(text, path, lang, read=lambda p: (root / p).read_text(encoding="utf-8"))
    source, fences = page.source, page.fences
    found = snippets(source, fences)
    run = PageRun(source=source, fences=fences, snippets=found, prose=Prose())
    run.outputs = [
        "\n".join(normalise("\n".join(s.output.body))) if s.output is not None else ""
        for s in found
    ]
    return render(run)


# ---------------------------------------------------------------- preloading

_preloaded: str | None = None


def ensure_preloaded() -> None:
    """Import ``lstm_docs`` (and its mirrors) in this process so forked workers start fast.

    When the sources changed since the last preload (``mkdocs serve`` after an edit), the
    stale modules are dropped first, so a worker never runs old code.
    """
    global _preloaded
    current = cache_mod.sources_hash()
    if _preloaded == current:
        return
    if _preloaded is not None:
        for name in list(sys.modules):
            if name.startswith("lstm_docs.") and not name.startswith(ENGINE_PACKAGES):
                del sys.modules[name]
    import importlib

    import numpy  # noqa: F401

    from lstm_docs import aliases

    for name in aliases.MODULE_ALIASES.values():
        importlib.import_module(name)
    _preloaded = current


# ---------------------------------------------------------------- rendering


def render(run: PageRun, serve: bool = False) -> str:
    """Markdown for mkdocs: live fences become plain code + titled, non-copyable output blocks;
    ties and escapes are dropped; when ``serve`` is true, problems become error boxes."""
    source = run.source
    if run.prose is None:  # the page could not even be parsed
        return _error_box("", run.problems, source.lang) + source.text if serve else source.text
    lines = _apply_cuts(source.text, run.prose.cuts).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lang = source.lang
    by_snippet: dict[int, list[Problem]] = {}
    page_level: list[Problem] = []
    for problem in run.problems:
        if problem.snippet is None:
            page_level.append(problem)
        else:
            by_snippet.setdefault(problem.snippet, []).append(problem)
    for snippet in reversed(run.snippets):
        code, out = snippet.code, snippet.output
        ind = code.indent
        new: list[str] = []
        if not snippet.hide:
            new += [f"{ind}{code.run}python", *[ind + b if b else "" for b in code.body], ind + code.run]
            output = run.outputs[snippet.index] if snippet.index < len(run.outputs) else ""
            if output:
                title = strings.get("engine", "output_title", lang)
                new += ["", f'{ind}``` {{ .text .no-copy .live-output title="{title}" }}']
                new += [ind + line if line else "" for line in output.split("\n")]
                new += [f"{ind}```"]
        if serve and snippet.index in by_snippet:
            new += ["", *_error_box(ind, by_snippet[snippet.index], lang).rstrip("\n").split("\n")]
        end = out.end if out is not None else code.end
        lines[code.start : end + 1] = new
    if serve and page_level:  # after the front matter (the hook cuts it) and blank lines
        top = _front_matter_end(lines)
        top = next((k for k in range(top, len(lines)) if lines[k].strip()), len(lines))
        lines[top:top] = [_error_box("", page_level, lang).rstrip("\n"), ""]
    return "\n".join(lines) + "\n"


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a YAML front matter block (0 when there is none)."""
    found = front_matter(lines)
    return found.end if found is not None else 0


def _apply_cuts(text: str, cuts: list[tuple[int, int]]) -> str:
    parts = []
    pos = 0
    for a, b in sorted(cuts):
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _error_box(indent: str, problems: list[Problem], lang: str) -> str:
    """A raw-HTML admonition (Material's ``failure`` style): every problem's text shown
    literally, HTML-escaped once, never read as Markdown (no ``\\_``, no ``&lt;`` left)."""
    title = html.escape(strings.get("engine", "error_title", lang), quote=False)
    items = []
    for problem in problems:
        head = html.escape(f"{problem.where}: {problem.message}", quote=False)
        item = f'<p class="live-problem"><code>{head}</code></p>'
        if problem.detail:
            detail = "&#10;".join(html.escape(line, quote=False) for line in problem.detail.split("\n"))
            item += f'<pre class="live-problem-detail"><code>{detail}</code></pre>'
        items.append(item)
    box = (f'<div class="admonition failure live-problems"><p class="admonition-title">{title}</p>'
           f'{"".join(items)}</div>')
    return f"{indent}{box}\n"
