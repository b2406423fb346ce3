"""The live-examples engine: run a page, check it, render it, update its stored outputs.

``run_page(text, path, lang)`` → ``PageRun`` (problems found, actual outputs);
``render(run, serve=False)`` → Markdown for mkdocs (code + output blocks, ties removed,
error boxes when serving).  All pure ``str -> str`` over Markdown; no mkdocs here.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import html
import re
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from lstm_docs import strings
from lstm_docs.diagnostics import Problem
from lstm_docs.live import cache as cache_mod
from lstm_docs.live.fences import Fence, Snippet, snippets
from lstm_docs.live.page import Page, front_matter, read_page
from lstm_docs.live import symbolic, worker
from lstm_docs.live.prose import MathCheck, Prose, Tie, analyse
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
    figures: list[FigureSpec] = field(default_factory=list)


@dataclass
class FigureSpec:
    """A ```` ```figure ```` fence whose sizes come from the page: ``exprs`` maps each
    parameter to the expression the page wrote (``layer: model.layers[0]``, ``steps:
    x.shape[1]``); ``values`` is what they evaluated to, ``None`` until they ran (or when
    one failed: the figure is then left out and the problem reported)."""

    fence: Fence
    kind: str
    exprs: dict[str, str]
    fixed: dict[str, str]  # framework: keras, given as a word
    lines: dict[str, int] = field(default_factory=dict)  # parameter -> its line index in the page
    values: dict[str, Any] = field(default_factory=dict)
    failed: bool = False
    readable: bool = True  # every body line is key: value (if not, the figure renderer reports it)

    @property
    def drawn(self) -> bool:
        """Every parameter evaluated (a figure whose steps failed or did not run is left out)."""
        return not self.failed and all(k in self.values or (k == "layer" and "units" in self.values)
                                       for k in self.exprs)

    @property
    def line(self) -> int:
        return self.fence.start


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
    parsed = _parsed.pop(parse_key(text, path, lang, root, timeout), None) if read is None else None
    if parsed is None:
        try:
            run = _parse(text, path, lang, reader)
        except EngineError as exc:
            run = PageRun(source=Source(path, lang, text.splitlines(), [], []))
            run.problems.append(Problem.at(exc.origin or Origin(path, 1), exc.message))
            return run
        steps, owners = _steps(run, timeout)
    else:
        run, steps, owners = parsed
    source = run.source
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
    tie_results: dict[int, StepResult] = {}
    for step, owner, result in zip(steps, owners, results):
        if result.error is not None and result.error.type == "NotRun":
            not_run.append(owner)
            continue
        if isinstance(owner, Snippet):
            run.outputs[owner.index] = "\n".join(normalise(result.stdout))
            _check_snippet(run, owner, result)
        elif isinstance(owner, tuple):
            _check_figure(run, owner, result)
        else:
            tie_results[id(owner)] = result
    _check_ties_and_math(run, tie_results)
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


def _parse(text: str, path: str, lang: str, reader: Any) -> PageRun:
    """The page read and analysed, nothing run yet (raises ``EngineError``)."""
    return _analysed(read_page(text, path, lang, read=reader))


def _analysed(page: Page) -> PageRun:
    """The page ``page`` (read strictly) analysed, nothing run yet (raises ``EngineError``)."""
    run = PageRun(source=page.source, fences=page.fences)
    run.snippets = snippets(page.source, run.fences)
    run.prose = analyse(page.source, run.fences)
    run.figures = _figures(run)
    return run


#: pages parsed by ``run_ahead`` and not yet run: ``parse_key`` -> parse
_parsed: dict[tuple[str, str, str, str, float], tuple[PageRun, list[Step], list[Any]]] = {}


def canonical(text: str) -> str:
    """The page ``text`` as the engine reads it for the site: its lines, without the blank
    lines that end it, each ended by a newline.  mkdocs-static-i18n rejoins a page's lines
    before the hook sees them (the final newline and a last blank line go), so the file as
    read ahead and the Markdown of the page's turn differ only there."""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def parse_key(text: str, path: str, lang: str, root: Path, timeout: float) -> tuple[str, str, str, str, float]:
    """What a parse of the page ``canonical(text)`` depends on."""
    return text, path, lang, str(root), timeout


def page_cache_key(text: str, path: str, lang: str, root: Path, cache: cache_mod.Cache, serve: bool,
                   timeout: float) -> str:
    """The cache key of the whole answer for the page ``canonical(text)`` (``cache_mod.page_key``
    of its expanded text: the parse ``run_ahead`` made, or a lenient read); "" when it does
    not read."""
    parsed = _parsed.get(parse_key(text, path, lang, root, timeout))
    expanded: Source | None = parsed[0].source if parsed is not None else None
    if expanded is None:
        try:
            expanded = read_page(text, path, lang, read=lambda p: (root / p).read_text(encoding="utf-8"),
                                 strict=False).source
        except EngineError:
            return ""
    return cache_mod.page_key(expanded.text, path, lang, serve, timeout, cache.sources)


def run_ahead(text: str, path: str, lang: str, *, root: str | Path = ".", cache: cache_mod.Cache | None = None,
              serve: bool = False, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Start the snippets and ties of the page ``path`` in a worker now (``worker.run_ahead``),
    so they run on the other core while this process renders the page before it.  Nothing
    starts when the cache answers the page or its steps.  Its ``check_and_render`` call later
    collects the results; what it returns is what it would have returned without this call."""
    root = Path(root)
    text = canonical(text)
    reader = lambda p: (root / p).read_text(encoding="utf-8")  # noqa: E731
    if cache is None or not cache.enabled:
        return False
    try:
        page = read_page(text, path, lang, read=reader)  # a page that does not read: its turn reports it
        if cache.read and cache.peek(cache_mod.page_key(page.source.text, path, lang, serve, timeout,
                                                        cache.sources)):
            return False
        run = _analysed(page)
    except (EngineError, OSError):
        return False
    steps, owners = _steps(run, timeout)
    _parsed[parse_key(text, path, lang, root, timeout)] = (run, steps, owners)  # its turn parses no more
    if not steps or (cache.read and cache.peek(cache_mod.key(steps, cache.sources, OUTPUT_CAP))):
        return False
    ensure_preloaded()
    return worker.run_ahead(steps, OUTPUT_CAP)


def cancel_ahead() -> None:
    """Forget what ``run_ahead`` parsed and end the workers it started that nobody collected."""
    _parsed.clear()
    worker.cancel_ahead()


def _steps(run: PageRun, timeout: float) -> tuple[list[Step], list[Snippet | Tie]]:
    assert run.prose is not None
    items: list[tuple[int, int, Snippet | Tie]] = [(s.code.start, 0, s) for s in run.snippets]
    items += [(t.line, 1, t) for t in run.prose.ties]
    items += [(f.line, 2, (f, key)) for f in run.figures for key in f.exprs]  # type: ignore[misc]
    items.sort(key=lambda item: (item[0], item[1]))
    steps: list[Step] = []
    owners: list[Snippet | Tie] = []
    for _, _, owner in items:
        if isinstance(owner, Snippet):
            steps.append(Step("code", owner.source, owner.timeout or timeout))
        elif isinstance(owner, tuple):
            figure, key = owner
            expr = figure.exprs[key]
            steps.append(Step("expr", f"figure_layer({expr})" if key == "layer" else expr, timeout))
        elif owner.bind:
            steps.append(Step("bind", f"{owner.bind}\n{owner.expr}", timeout))
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


#: Figure parameters that are words, not sizes.
_FIGURE_WORDS = ("kind", "framework")


def _figures(run: PageRun) -> list[FigureSpec]:
    """The page's figure fences; a size typed as a number is a problem (it would be checked
    by nothing): a figure takes its sizes from the page's objects."""
    found = []
    for fence in run.fences:
        if not fence.is_figure:
            continue
        params: dict[str, str] = {}
        for k, raw in enumerate(fence.body, start=1):
            key, sep, value = raw.partition(":")
            if sep and key.strip():
                params[key.strip()] = value.strip()
                if re.fullmatch(r"[+-]?\d+", value.strip()):
                    run.problems.append(Problem.at(run.source.origins[fence.start + k], (
                        f"figure size {key.strip()}: {value.strip()} is typed, so nothing checks it: name what the "
                        "page shows, e.g. layer: model.layers[0] (units and input_dim) or steps: x.shape[1]")))
        kind = params.get("kind", "")
        exprs = {k: v for k, v in params.items() if k not in _FIGURE_WORDS}
        fixed = {k: v for k, v in params.items() if k in _FIGURE_WORDS}
        lines = {raw.partition(":")[0].strip(): fence.start + k for k, raw in enumerate(fence.body, start=1)}
        readable = all(":" in raw or not raw.strip() for raw in fence.body) and fence.end < len(run.source.lines)
        found.append(FigureSpec(fence, kind, exprs, fixed, lines, readable=readable))
    return found


def _check_figure(run: PageRun, owner: tuple[FigureSpec, str], result: StepResult) -> None:
    """One figure parameter evaluated: ``layer`` gives units, input_dim and framework."""
    figure, key = owner
    where = run.source.origins[figure.lines.get(key, figure.fence.start)]
    if result.error is not None:
        run.problems.append(Problem.at(where, f"figure {key}: {figure.exprs[key]}: {result.error.message}"))
        figure.failed = True
        return
    assert result.value is not None
    value = decode_value(result.value)
    if key != "layer":
        figure.values[key] = value
        return
    kind, units, input_dim, framework = value
    if figure.kind == "weights" and kind != "lstm":
        run.problems.append(Problem.at(where, f"figure weights draws an LSTM's arrays; {figure.exprs[key]} is a {kind}"))
        figure.failed = True
        return
    figure.values["units"] = units
    if figure.kind == "weights":
        figure.values["input_dim"] = input_dim
        if figure.fixed.get("framework", framework) != framework:
            run.problems.append(Problem.at(where, (
                f"figure says framework: {figure.fixed['framework']}, but {figure.exprs[key]} is a {framework} layer")))
        figure.fixed["framework"] = framework


def _check_ties_and_math(run: PageRun, tie_results: dict[int, StepResult]) -> None:
    """Check the ties that ran and the untied math, in page order, with the bindings made
    before each (``$u = 3${= layer.units }`` binds ``u`` for everything after it)."""
    assert run.prose is not None
    env: dict[str, Fraction] = {}
    items: list[tuple[int, int, Tie | MathCheck]] = [(t.pos, 0, t) for t in run.prose.ties]
    items += [(m.pos, 1, m) for m in run.prose.math]
    for _, _, item in sorted(items, key=lambda i: (i[0], i[1])):
        if isinstance(item, MathCheck):
            message = math_finding(item, env, run.source.lang)
            if message:
                run.problems.append(Problem.at(run.source.origins[item.line], message))
        elif id(item) in tie_results:
            _check_tie(run, item, tie_results[id(item)], env)


def _check_tie(run: PageRun, tie: Tie, result: StepResult, env: dict[str, Fraction]) -> None:
    where = run.source.origins[tie.line]
    error = result.error
    if error is not None:
        run.problems.append(Problem.at(where, f"tie {{= {tie.expr} }}: {error.message}"))
        return
    assert result.value is not None  # an expression that ran has a value
    value = decode_value(result.value)
    ok, shown = _tie_holds(tie, value, run.source.lang, env)
    if not ok:
        if len(shown) > 200:
            shown = f"{shown[:200]}… ({len(shown) - 200:,} more characters)"
        run.problems.append(Problem.at(where, f"page says {tie.written}, but {tie.expr} is {shown}"))
    if tie.bind and isinstance(value, (int, float)) and not isinstance(value, bool):
        env[tie.bind] = Fraction(value)
    if ok and result.framework:
        named = _framework_named_before(run.source.text, tie.pos)
        if named and named != result.framework:
            run.problems.append(Problem.at(where, (
                f"{tie.written} is {_FRAMEWORK_NAMES[result.framework][0]}'s ({tie.expr}), but the sentence "
                f"names {_FRAMEWORK_NAMES[named][0]} before it: put each value after its framework's name")))


#: How prose names each framework (a value read from one framework must follow its name).
_FRAMEWORK_NAMES = {"keras": ("Keras", "tf.keras"), "pytorch": ("PyTorch", "torch.nn", "nn.")}
_FRAMEWORK_WORD = re.compile("|".join(
    rf"(?P<{fw}>" + "|".join(rf"(?<![\w.]){re.escape(n)}" for n in names) + ")"
    for fw, names in _FRAMEWORK_NAMES.items()))
_SENTENCE_END = re.compile(r"[.!?;:](?=\s)|[。；！？：]|\n\s*\n|\|")


@functools.lru_cache(maxsize=8)
def _sentence_ends(text: str) -> list[int]:
    """Where each sentence (or table cell) of ``text`` ends, in order (a page's ties look
    up the start of their sentence here instead of scanning the page from its top)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _framework_named_before(text: str, pos: int) -> str | None:
    """The framework named last before ``pos`` in its sentence, when that sentence (or
    table cell) names both frameworks; None otherwise."""
    ends = _sentence_ends(text)
    ended = bisect.bisect_right(ends, pos)  # sentences ended at or before pos
    start = ends[ended - 1] if ended else 0
    end_match = _SENTENCE_END.search(text, pos)
    end = end_match.start() if end_match else len(text)
    mentions = [(m.start(), m.lastgroup) for m in _FRAMEWORK_WORD.finditer(text, start, end)]
    if len({fw for _, fw in mentions}) < 2:
        return None
    before = [fw for at, fw in mentions if at < pos]
    return before[-1] if before else None


def _tie_holds(tie: Tie, value: Any, lang: str, env: dict[str, Fraction]) -> tuple[bool, str]:
    written = tie.written
    shown = repr(value) if not isinstance(value, str) else value
    if written[:1] == "$":
        return _math_tie_holds(tie, value, lang, env), shown
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
    return _number_matches(number, value), shown


def _number_matches(number: Any, value: Any) -> bool:
    """A written number against a value: exactly for an integer, to its decimals otherwise."""
    if isinstance(number, int):
        return number == value
    decimals = -number.as_tuple().exponent
    return round(Fraction(value), decimals) == Fraction(number)


def _math_tie_holds(tie: Tie, value: Any, lang: str, env: dict[str, Fraction]) -> bool:
    """``$...$`` tied: a formula (``value`` is TeX, from ``formula(...)``) is the same TeX,
    spaces aside, after an optional ``N =``; a binding ``$u = 3$`` states ``value``; any other
    math must hold with the bindings and its last side evaluate to ``value`` (a number, or a
    shape ``d \\times 4u`` / ``(d, 4u)`` against a tuple)."""
    body = tie.written.strip("$")  # $...$ or display $$...$$
    if isinstance(value, str):
        flat = re.sub(r"\\[,;:! ]|\s", "", value)  # spacing aside: \, and blanks
        whole = re.sub(r"\\[,;:! ]|\s", "", body)
        parts = whole.split("=")
        return whole == flat or (len(parts) == 2 and parts[1] == flat)
    chain = symbolic.parse(body, lang)
    if chain is None or any(side is None for side in chain.sides):
        return False
    for k, relation in enumerate(chain.relations):
        left, right = chain.sides[k], chain.sides[k + 1]
        assert left is not None and right is not None
        if k == 0 and (tie.bind or (left.tree[0] == "var" and left.tree[1] not in env)):
            continue  # u = 3 (a binding), d = 2u (a name for what the value is)
        if not _relation_holds(left, right, relation, env):
            return False
    last = chain.sides[-1]
    assert last is not None
    try:
        if isinstance(value, (tuple, list)):
            values = [v for v in value]
            shape = last.shape(env)
            return len(shape) == len(values) and all(
                v is not None and Fraction(v) == s for v, s in zip(values, shape))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        got = last.evaluate(env)
    except (symbolic.Unbound, TypeError, ValueError):
        return False
    return got == Fraction(value) if isinstance(value, int) else abs(got - Fraction(value)) < Fraction(1, 10**6)


def _relation_holds(left: symbolic.Expression, right: symbolic.Expression, relation: str,
                    env: dict[str, Fraction]) -> bool:
    if relation not in ("=", "≠"):
        return True  # <, ≤, ≈ between formulas: not checked here
    return symbolic.identity_holds(left, right, env, relation)


def math_finding(check: MathCheck, env: dict[str, Fraction], lang: str) -> str | None:
    """Why an untied math segment with numbers and variables is wrong or unchecked (None: it
    holds).  With the bindings ``env`` made before it:

    * every relation between two expressions must hold (for all values of the unbound
      variables: an identity such as ``4[(d + u)u + u] = 4u(d + u + 1)``);
    * ``k = 3 × 3 = 9`` defines an unbound name by a true equation: accepted;
    * ``u = 3`` with ``u`` unbound, or a formula standing alone (``4u(d + u + 1)``), states a
      value nothing checks: it must be tied.
    """
    chain, written = check.chain, check.written
    if chain is None or any(side is None for side in chain.sides):
        return (f"math ${written}$ holds numbers the engine cannot evaluate: tie it, e.g. "
                f"${written}${{= formula(\"keras\", \"lstm\") }} or to the value it states")
    if not chain.relations:
        return (f"formula ${written}$ is not tied: write ${written}${{= formula(\"keras\", \"lstm\") }} "
                "or tie it to the value it evaluates to with the page's bindings")
    defined = False
    for k, relation in enumerate(chain.relations):
        left, right = chain.sides[k], chain.sides[k + 1]
        assert left is not None and right is not None
        lone = [s for s in (left, right) if s.tree[0] == "var" and s.tree[1] not in env]
        if lone and relation not in ("=", "≠"):
            continue  # p > 0, t ≤ T: a condition on a symbol, no value
        if lone:
            other = right if lone[0] is left else left
            if other.variables - set(env):
                return (f"formula ${written}$ is not tied: tie it, e.g. ${written}${{= formula(\"keras\", \"lstm\") }}")
            defined = True  # k = 3 × 3: the number must be accounted for by another relation
            continue
        if relation not in ("=", "≠"):
            continue
        if not symbolic.identity_holds(left, right, env, relation):
            bound = ", ".join(f"{n} = {_show_fraction(env[n])}" for n in sorted(chain.variables & set(env)))
            return (f"false equation ${written}$" + (f" with {bound}" if bound else " (not an identity)")
                    + ": correct it, or tie it to the value it states")
        if not (left.variables | right.variables) - set(env):
            defined = False  # a relation between numbers: the numbers are accounted for
    if defined and len(chain.relations) == 1:
        name = next(s.tree[1] for s in chain.sides if s is not None and s.tree[0] == "var")
        return (f"${written}$ names a value nothing checks: bind it to the code, e.g. "
                f"${written}${{= layer.units }} (then later math and ties may use {name})")
    return None


def _show_fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.6g}"


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
    checks; anything that could change the answer changes the key.  The page is read as
    ``canonical(text)``: the file as read and the Markdown mkdocs hands over get one answer.
    """
    root = Path(root)
    text = canonical(text)
    key = ""
    if cache is not None and cache.enabled:
        key = page_cache_key(text, path, lang, root, cache, serve, timeout)
        if key:
            hit = cache.get(key)
            if hit is not None:
                return hit["rendered"], hit["problems"]
    run = run_page(text, path, lang, root=root, cache=cache, timeout=timeout)
    rendered, problems = render(run, serve=serve), [p.format() for p in run.problems]
    if key and not run.timed_out:
        cache.put(key, {"rendered": rendered, "problems": problems}, run.imported)  # type: ignore[union-attr]
    return rendered, problems


#: the sizes a figure is drawn at when nothing runs (``render_unchecked``, the benchmark's baseline)
STAND_INS: dict[str, Any] = {"layer": 3, "input_dim": 2, "layers": 2, "steps": 4, "inputs": [0.5, -1.0, 0.25, 1.0]}


def render_unchecked(text: str, path: str, lang: str, *, root: str | Path = ".") -> str:
    """The page as readers would see it with every check off: includes expanded, stored
    outputs shown as written, nothing run, no prose checks.  The benchmark's baseline
    ("hook disabled") — same content to render, none of the engine's work."""
    root = Path(root)
    page = read_page(text, path, lang, read=lambda p: (root / p).read_text(encoding="utf-8"))
    source, fences = page.source, page.fences
    found = snippets(source, fences)
    run = PageRun(source=source, fences=fences, snippets=found, prose=Prose())
    run.figures = _figures(run)
    for figure in run.figures:  # nothing runs: a figure is drawn at stand-in sizes, as costly
        figure.values = {("units" if k == "layer" else k): STAND_INS.get(k, 3) for k in figure.exprs}
        if "layer" in figure.exprs and figure.kind == "weights":
            figure.values["input_dim"] = STAND_INS["input_dim"]
    run.problems.clear()
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
    replacements: list[tuple[int, int, list[str]]] = []
    for figure in run.figures:
        fence, ind = figure.fence, figure.fence.indent
        if not figure.readable:
            continue  # left as written: the figure renderer names the bad line
        if not figure.drawn:
            replacements.append((fence.start, fence.end, []))  # it failed: reported, not drawn
            continue
        body = [f"kind: {figure.kind}"] + [f"{k}: {v}" for k, v in {**figure.fixed, **figure.values}.items()
                                          if k != "kind"]
        replacements.append((fence.start, fence.end, [ind + fence.run + "figure", *[ind + b for b in body],
                                                       ind + fence.run]))
    for snippet in run.snippets:
        replacements.append((snippet.code.start, -1, [str(snippet.index)]))
    for start, end, new in sorted(replacements, key=lambda r: -r[0]):
        if end >= 0:
            lines[start : end + 1] = new
            continue
        snippet = run.snippets[int(new[0])]
        code, out = snippet.code, snippet.output
        ind = code.indent
        block: list[str] = []
        if not snippet.hide:
            block += [f"{ind}{code.run}python", *[ind + b if b else "" for b in code.body], ind + code.run]
            output = run.outputs[snippet.index] if snippet.index < len(run.outputs) else ""
            if output:
                title = strings.get("engine", "output_title", lang)
                block += ["", f'{ind}``` {{ .text .no-copy .live-output title="{title}" }}']
                block += [ind + line if line else "" for line in output.split("\n")]
                block += [f"{ind}```"]
        if serve and snippet.index in by_snippet:
            block += ["", *_error_box(ind, by_snippet[snippet.index], lang).rstrip("\n").split("\n")]
        end = out.end if out is not None else code.end
        lines[code.start : end + 1] = block
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
