"""Numbers in prose and math: equations, ties and untied numbers.

* Equations (``4 × 3 × (2 + 3 + 1) = 72``, ``$4 \\cdot 256^{2}$``) are evaluated exactly in
  the page language's number format; a false one is a problem.
* A tie ``72{= model.count_params() }`` states a value computed in the page namespace at
  that point; the engine compares (``check_ties``) and the renderer drops the ``{= ... }``.
* A number of two or more digits standing alone (not in code, URLs, HTML, attribute lists,
  not part of an equation or tie) must occur in the page's code, or it is "untied".  Escape:
  ``2014{-}`` (years, versions); the renderer drops ``{-}``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from lstm_docs.diagnostics import Problem
from lstm_docs.live.arith import NotAnExpression, Token, evaluate, tokenize
from lstm_docs.live.fences import Fence
from lstm_docs.live.source import Source
from lstm_docs.numbers import convention, number_pattern, parse_number

ESCAPE = "{-}"


def tie_pattern(number: str) -> re.Pattern[str]:
    """``written{= expr }``, where written is a code span, math, a string, a tuple, a list or a
    number matching ``number`` (a language's pattern from ``lstm_docs.numbers``)."""
    return re.compile(
        rf"(?P<written>`[^`\n]+`|\$[^$\n]+\$|\"[^\"\n]*\"|\([^()\n]*\)|\[[^\[\]\n]*\]|-?(?:{number}))"
        r"\{=(?P<expr>[^{}\n]*)\}"
    )


@dataclass
class Tie:
    """``written{= expr }``: ``line`` index in the source, ``cut`` = (start, end) offsets to drop."""

    written: str
    expr: str
    line: int
    cut: tuple[int, int]


@dataclass
class Prose:
    """Everything the engine needs from the prose of one page."""

    ties: list[Tie] = field(default_factory=list)
    cuts: list[tuple[int, int]] = field(default_factory=list)  # offsets to drop when rendering
    problems: list[Problem] = field(default_factory=list)
    code_numbers: set[Fraction] = field(default_factory=set)


def analyse(source: Source, fences: list[Fence]) -> Prose:
    """Find ties, check equations and untied numbers in ``source`` (code fences excluded).

    Named passes over one ``view`` of the text, each blanking what the next must not read
    (offsets and lines stay those of ``source.text``).
    """
    page = _Analysis(source)
    view = _masked(page.text, _fence_spans(page, fences) + _front_matter_spans(page)
                   + [m.span() for m in re.finditer(r"<!--.*?-->", page.text, re.S)])
    # ties and escapes, before code spans are masked (a tie may check a code span: `lstm`{= ...})
    view, covered, tied_at = _ties_and_escapes(page, view)
    view = _code_spans(page, view, fences, tied_at)
    view = _NOT_PROSE.sub(lambda m: _keep_visible(m.group()), view)
    page.result.code_numbers = _code_numbers("\n".join(
        line for fence in fences if not fence.is_output for line in fence.body))
    _numbers(page, _segments(page, view), covered)
    page.result.cuts.sort()
    return page.result


class _Analysis:
    """One page being analysed: its ``source``, ``text``, ``lang`` and number pattern, and the
    ``result`` the passes fill in."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.text = source.text
        self.starts = _line_starts(self.text)
        self.lang = source.lang
        self.num = number_pattern(self.lang)
        self.result = Prose()

    def line_of(self, pos: int) -> int:
        """Index in ``source.lines`` of the line holding offset ``pos``."""
        return bisect.bisect_right(self.starts, pos) - 1

    def report(self, line: int, message: str) -> None:
        """A problem on the line of index ``line``."""
        self.result.problems.append(Problem.at(self.source.origins[line], message))


def _fence_spans(page: _Analysis, fences: list[Fence]) -> list[tuple[int, int]]:
    """Every fence, except the title a fence shows above it (``title="..."``: prose)."""
    spans = []
    starts, lines = page.starts, page.source.lines
    for fence in fences:
        end = starts[fence.end] + len(lines[fence.end])
        title = _FENCE_TITLE.search(lines[fence.start])  # ``` { .text title="..." }: the reader sees it
        if title:
            spans.append((starts[fence.start], starts[fence.start] + title.start(1)))
            spans.append((starts[fence.start] + title.end(1), end))
        else:
            spans.append((starts[fence.start], end))
    return spans


def _front_matter_spans(page: _Analysis) -> list[tuple[int, int]]:
    """The YAML front matter, except the title and description (shown: ``<title>``, meta)."""
    starts, lines = page.starts, page.source.lines
    if not (lines and lines[0].strip() == "---"):
        return []
    for k in range(1, len(lines)):
        if lines[k].strip() == "---":
            spans = [(0, starts[1]), (starts[k], starts[k] + 3)]
            for j in range(1, k):
                shown = _SHOWN_META.match(lines[j])
                cut = shown.start(1) if shown else len(lines[j])
                spans.append((starts[j], starts[j] + cut))
            return spans
    return []


def _ties_and_escapes(page: _Analysis, view: str) -> tuple[str, set[tuple[int, Fraction]], set[int]]:
    """Record the ties and ``{-}`` escapes, and report misplaced ones.

    Returns the view with ties and escapes blanked, the ``(line, value)`` pairs they cover,
    and the offsets where a tied written value starts (a tied shape is checked).
    """
    result, lang = page.result, page.lang
    covered: set[tuple[int, Fraction]] = set()
    tied_at: set[int] = set()
    spans = []
    for m in tie_pattern(page.num).finditer(view):
        tied_at.add(m.start("written"))
        line = page.line_of(m.start())
        result.ties.append(Tie(m["written"], m["expr"].strip(), line, (m.end("written"), m.end())))
        result.cuts.append((m.end("written"), m.end()))
        spans.append((m.end("written"), m.end()))
        for value in _numbers_in(m["written"], lang):
            covered.add((line, value))
    view = _masked(view, spans)
    spans = []
    for m in re.finditer(r"\{=", view):
        page.report(page.line_of(m.start()), "a tie {= expr } must directly follow the number it checks "
                    "(no space), e.g. 72{= model.count_params() }")
        spans.append(m.span())
    for m in re.finditer(r"\{-\}(?=\d)", view):
        page.report(page.line_of(m.start()), "{-} must end a number (2014{-}), not stand inside one: remove it")
    for m in re.finditer(r"[\uff10-\uff19]+", view):
        page.report(page.line_of(m.start()), f"full-width digits {m.group()}: "
                    "write ASCII digits, so that the number can be checked")
    for m in re.finditer(rf"(?P<n>{page.num})\{{-\}}", view):
        line = page.line_of(m.start())
        covered.update((line, v) for v in _numbers_in(m["n"], lang))
        result.cuts.append((m.end("n"), m.end()))
        spans.append((m.end("n"), m.end()))
    return _masked(view, spans), covered, tied_at


def _code_spans(page: _Analysis, view: str, fences: list[Fence], tied_at: set[int]) -> str:
    """Report code spans with a digit that no code, output or tie checks; blank every span."""
    spans = []
    printed = "\n".join(line for fence in fences for line in fence.body)  # code and outputs
    for m in re.finditer(r"(`+)(.+?)\1", view):
        spans.append(m.span())
        if m.start() in tied_at or not _DIGIT.search(m.group(2)):
            continue
        finding = _code_span_finding(m.group(0), m.group(2).strip(), printed)
        if finding:
            page.report(page.line_of(m.start()), finding)
    return _masked(view, spans)


def _segments(page: _Analysis, view: str) -> list[tuple[int, str, bool]]:
    """``(start offset, text, is_math)`` of each math segment (``$$...$$`` then ``$...$``, as
    text ``tokenize`` reads) and each prose line left, keeping those with a digit."""
    segments: list[tuple[int, str, bool]] = []
    spans = []
    for m in _MATH.finditer(view):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        spans.append(m.span())
        if _DIGIT.search(body):
            segments.append((m.start(), _latex_to_text(body, page.lang), True))
    pos = 0
    for line_text in _masked(view, spans).split("\n"):
        if _DIGIT.search(line_text):
            segments.append((pos, line_text, False))
        pos += len(line_text) + 1
    return segments


def _numbers(page: _Analysis, segments: list[tuple[int, str, bool]], covered: set[tuple[int, Fraction]]) -> None:
    """Check every equation of ``segments``, then report each number of two or more digits
    that no equation, tie, escape or code number accounts for."""
    established = set(page.result.code_numbers) | {v for _, v in covered}
    checked = []
    for start, seg_text, is_math in segments:
        tokens = tokenize(seg_text, page.lang, braces=is_math)

        def line_at(tok: Token, start: int = start, seg_text: str = seg_text) -> int:
            if not seg_text.count("\n"):
                return page.line_of(start)
            return page.line_of(start) + seg_text.count("\n", 0, tok.pos)

        used = _check_equations(tokens, seg_text, line_at, page, established)
        checked.append((tokens, line_at, used))
    for tokens, line_at, used in checked:
        for tok in tokens:
            if tok.kind != "num" or id(tok) in used or tok.digits < 2:
                continue
            assert tok.value is not None
            line = line_at(tok)
            if (line, tok.value) in covered or tok.value in established:
                continue
            written = tok.text.strip()
            page.report(line, f"number {written} is not tied to the code: write {written}{{= expression }}, "
                        f"make it part of an equation, or mark a year/version as {written}{ESCAPE}")


_NOT_NL = re.compile(r"[^\n]")
# a concrete shape in a code span, e.g. `(None, 3)` or `(4, 2)`: it must be printed or tied
_SHAPE = re.compile(r"\((?:\s*(?:None|\d+)\s*,)+\s*(?:None|\d+)?\s*\)|\(\s*\d+\s*,?\s*\)")


def _code_span_finding(span: str, inner: str, printed: str) -> str | None:
    """Why a code span with a digit in prose is unchecked, or None when it is checked.

    A concrete shape (`` `(None, 3)` ``) or a bare number (`` `16` ``) says a value: it must be
    tied, since the same shape or number often stands elsewhere on the page with another
    meaning. Any other span with a digit (`` `LSTM(10)` ``, `` `weight_ih_l0` ``) must occur,
    as a whole, in the page's code or printed output.
    """
    if _SHAPE.fullmatch(inner) or re.fullmatch(r"-?\d{2,}(?:\.\d+)?", inner):
        return (
            f"{span} states a shape or number: tie it to the code, e.g. "
            f"{span}{{= model.output_shape }}"
        )
    if not (re.search(r"(?<![\w.])\d{2,}(?![\w])", inner) or re.search(r"\w\([^)]*\d", inner)):
        return None  # no size in it: `weight_ih_l0`, `(d, 4u)`, `[1], [2]`
    pattern = r"(?<![\w.])" + r"\s*".join(map(re.escape, inner.split())) + r"(?![\w])"
    if re.search(pattern, printed):
        return None
    return f"{span} occurs in no snippet or output of this page: correct it, or tie it"

_DIGIT = re.compile(r"\d")
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)", re.S)
_NOT_PROSE = re.compile(
    "|".join(
        (
            r"\]\((?:[^()\n]|\([^()\n]*\))*\)",  # link/image targets (a title may hold parentheses)
            r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$",  # reference definitions (not footnotes)
            r"<[^<>\n]+>",  # HTML tags, autolinks
            r"https?://\S+",
            r"\{[:#.][^{}\n]*\}|\{ [^{}\n]*\}",  # attribute lists, heading ids
            r"&#?\w+;",  # entities
            r"\[\^[^\]\n]*\]",  # footnote references
            r"^[ \t]*\d+[.)](?=\s)",  # ordered list markers
            r":[a-z0-9_+-]+:",  # emoji / icon shortcodes
            r"^[ \t]*;?--8<--.*$",
        )
    ),
    re.M,
)


def _blank(text: str) -> str:
    return _NOT_NL.sub(" ", text)


#: What a reader sees inside markup: visible attributes (tooltips, alt texts, labels) and the
#: quoted title of a link, image or reference definition.  Checked like prose.
_VISIBLE = re.compile(
    r"""(?i:\b(?:title|alt|aria-label|placeholder|label|value|data-toc-label))\s*=\s*"""
    r"""(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'=<>`{}]+))"""
    r"""|^\]\(\S*\s+(?:"([^"\n]*)"|'([^'\n]*)'|\(([^()\n]*)\))\s*\)$"""
    r"""|^[ ]{0,3}\[[^\]\n]+\]:\s*\S+\s+(?:"([^"\n]*)"|'([^'\n]*)'|\(([^()\n]*)\))\s*$"""
)
#: A fence's title attribute (shown above the block).
_FENCE_TITLE = re.compile(r'\btitle\s*=\s*"([^"\n]*)"')
#: Front matter keys whose values a reader sees (the page title, its description).
_SHOWN_META = re.compile(r"^(?:title|description)\s*:\s*(\S.*)$")


def _keep_visible(text: str) -> str:
    """``text`` (markup) blanked except the parts a reader sees (``_VISIBLE``)."""
    keep = []
    for m in _VISIBLE.finditer(text):
        keep += [m.span(g) for g in range(1, 10) if m.group(g) is not None]
    out = list(_blank(text))
    for a, b in keep:
        out[a:b] = text[a:b]
    return "".join(out)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span blanked (newlines kept, so offsets and lines stay valid)."""
    if not spans:
        return text
    parts = []
    pos = 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        a = max(a, pos)
        parts.append(text[pos:a])
        parts.append(_blank(text[a:b]))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _check_equations(
    tokens: list[Token], text: str, line_at: Any, page: _Analysis, established: set[Fraction]
) -> set[int]:
    """Check every relation in ``tokens``; return ids of the number tokens a true or false
    equation used (an inequation pins nothing: its numbers must stand on their own).
    The values of both sides of a true equation are added to ``established``."""
    sides: list[list[Token]] = [[]]
    relations: list[Token] = []
    for tok in tokens:
        if tok.kind == "rel":
            relations.append(tok)
            sides.append([])
        else:
            sides[-1].append(tok)
    used: set[int] = set()
    for k, rel in enumerate(relations):
        left = _edge(sides[k], tail=True)
        right = _edge(sides[k + 1], tail=False)
        if left is None or right is None:
            continue
        (lv, ltoks), (rv, rtoks) = left, right
        numbers = [t for t in ltoks + rtoks if t.kind == "num"]
        if rel.text != "≠":
            used.update(id(t) for t in numbers)
        holds = (rel.text == "=" and lv == rv) or (rel.text == "≈")
        if holds:  # the values of the sides, not their operands (4097 in 4097·256 is not a count)
            established.update((lv, rv))
        written = _span(text, ltoks, rtoks)
        if rel.text == "=" and lv != rv:
            page.report(line_at(rel), f"false equation {written}: the left side is {_show(lv)}, the right side {_show(rv)}")
        elif rel.text == "≠" and lv == rv:
            page.report(line_at(rel), f"false inequation {written}: both sides are {_show(lv)}")
        elif rel.text == "≈":
            decimals = max((t.decimals for t in rtoks if t.kind == "num"), default=0)
            if round(lv, decimals) != round(rv, decimals):
                page.report(line_at(rel), f"false approximation {written}: the left side is {_show(lv)}")
    return used


def _edge(side: list[Token], tail: bool) -> tuple[Fraction, list[Token]] | None:
    """The longest numeric suffix (``tail``) or prefix of ``side`` that is one expression.

    It must be bounded by prose (a word, punctuation or the segment's end), not by an
    operator: in ``4n + 12`` the ``12`` is not a side on its own.
    """
    toks = side
    numeric = {"num", "sup", "op", "lp", "rp", "ws"}
    if tail:
        k = len(toks)
        while k > 0 and toks[k - 1].kind in numeric:
            k -= 1
        candidates = [toks[j:] for j in range(k, len(toks))]
    else:
        k = 0
        while k < len(toks) and toks[k].kind in numeric:
            k += 1
        candidates = [toks[:j] for j in range(k, 0, -1)]
    for cand in candidates:
        sig = [t for t in cand if t.kind != "ws"]
        if not sig or not any(t.kind == "num" for t in sig):
            continue
        # the neighbour outside the candidate must not be an operator or bracket
        if tail:
            before = [t for t in toks[: len(toks) - len(cand)] if t.kind != "ws"]
            if before and before[-1].kind in ("op", "sup", "num", "lp", "rp"):
                if not (before[-1].kind == "rp" and before[-1].spaced):  # "(see above) 4 × 3"
                    continue
        else:
            after = [t for t in toks[len(cand) :] if t.kind != "ws"]
            if after and after[0].kind in ("op", "sup", "num", "lp", "rp"):
                if not (after[0].kind == "lp" and after[0].spaced):  # "32,000 (one per token)"
                    continue
        try:
            return evaluate(cand), cand
        except NotAnExpression:
            continue
    return None


def _span(text: str, ltoks: list[Token], rtoks: list[Token]) -> str:
    a = min(t.pos for t in ltoks if t.kind != "ws")
    last = max((t for t in rtoks if t.kind != "ws"), key=lambda t: t.pos)
    return " ".join(text[a : last.pos + len(last.text)].split())


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6g}"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _numbers_in(written: str, lang: str) -> list[Fraction]:
    out = []
    for m in re.finditer(number_pattern(lang), written):
        try:
            out.append(Fraction(parse_number(m.group(), lang)))
        except ValueError:
            continue
    return out


def _code_numbers(code: str) -> set[Fraction]:
    found: set[Fraction] = set()
    for m in re.finditer(r"(?<![\w.])\d[\d_]*(?:\.\d+)?", code):
        found.add(Fraction(m.group().replace("_", "")))
    return found


_LATEX = [
    (re.compile(r"\\(?:d|t)?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"((\1)/(\2))"),
    (re.compile(r"(\d)(?:\{,\}|\\[,:;! ])(?=\d{3}(?!\d))"), "\\1\0"),  # 4{,}457, 4\,457
    (re.compile(r"\{,\}"), ","),
    (re.compile(r"\\times"), "×"),
    (re.compile(r"\\cdot|\\cdotp|\\ast"), "·"),
    (re.compile(r"\\div"), "÷"),
    (re.compile(r"\\neq|\\ne(?![a-z])"), "≠"),
    (re.compile(r"\\approx"), "≈"),
    (re.compile(r"\\left|\\right|\\bigl|\\bigr|\\Bigl|\\Bigr|\\big|\\Big"), ""),
    (re.compile(r"\\(?:text|mathrm|operatorname|mathbf|mathit)\s*\{[^{}]*\}"), " w "),
    (re.compile(r"_\{[^{}]*\}|_\w"), " w "),  # subscripts are names, not numbers
    (re.compile(r"\\[,:;! ]|~"), " "),
    (re.compile(r"\\[A-Za-z]+"), " w "),
]


def _latex_to_text(body: str, lang: str) -> str:
    """LaTeX arithmetic → the prose operators ``tokenize`` reads (numbers keep their digits).

    ``{,}`` and ``\\,`` before three digits group digits (written as ``lang``'s separator).
    """
    for pattern, repl in _LATEX:
        body = pattern.sub(repl, body)
    return body.replace("\0", convention(lang).group)
