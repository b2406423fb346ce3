"""Numbers in prose and math: equations, ties and untied numbers.

* Equations (``4 × 3 × (2 + 3 + 1) = 72``, ``$4 \\cdot 256^{2}$``) are evaluated exactly in
  the page language's number format; a false one is a problem.
* A tie ``72{= model.count_params() }`` states a value computed in the page namespace at
  that point; the engine compares (``check_ties``) and the renderer drops the ``{= ... }``.
* A binding ``$u = 3${= layer.units }`` is a tie that also names the value: later ties may
  refer to it (``3{= u }``) and later math is evaluated with it (``$4u(d + u + 1)$``).
* Math with variables (``$4 \\times 3 = 12$`` aside) is checked by ``symbolic``: an identity
  must hold for every value, a statement about bound variables must hold for their values,
  and a formula tied to a value must evaluate to it (``MathCheck``, done by the engine, which
  knows the bindings).
* Every other number a reader sees, whatever its number of digits, must be tied, be a side of
  a true equation, or be free by one of the rules of ``free`` (list numbers, versions after a
  product name, quotations of a printed output, ``2014{-}``: years; the renderer drops ``{-}``).
  A number is never accepted because the same digits occur somewhere else on the page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from lstm_docs.diagnostics import Problem
from lstm_docs.live import free, symbolic
from lstm_docs.live.arith import NotAnExpression, Token, evaluate, tokenize
from lstm_docs.live.fences import Fence, hidden_findings, snippets
from lstm_docs.live.page import MATH
from lstm_docs.live.source import Source
from lstm_docs.numbers import convention, number_pattern

ESCAPE = "{-}"


def tie_pattern(number: str) -> re.Pattern[str]:
    """``written{= expr }``, where written is a code span, math, a string, a tuple, a list or a
    number matching ``number`` (a language's pattern from ``lstm_docs.numbers``)."""
    return re.compile(
        rf"(?P<written>`[^`\n]+`|\$\$(?:[^$]|\$(?!\$))+?\$\$|\$[^$\n]+\$|\"[^\"\n]*\"|\([^()\n]*\)|\[[^\[\]\n]*\]|-?(?:{number}))"
        r"\{=(?P<expr>[^{}\n]*)\}"
    )


@dataclass
class Tie:
    """``written{= expr }``: ``line`` index in the source, ``cut`` = (start, end) offsets to drop."""

    written: str
    expr: str
    line: int
    cut: tuple[int, int]
    pos: int = 0  # offset of the written value in the page's text
    bind: str | None = None  # ``$u = 3${= ... }``: the name later ties and math may use



@dataclass
class MathCheck:
    """An untied math segment with variables and numbers, checked by the engine with the
    bindings made before it (``pos``): ``chain`` is what ``symbolic.parse`` read (None: not
    arithmetic the engine reads), ``written`` the segment as the page writes it."""

    written: str
    chain: symbolic.Chain | None
    line: int
    pos: int


@dataclass
class Prose:
    """Everything the engine needs from the prose of one page."""

    ties: list[Tie] = field(default_factory=list)
    cuts: list[tuple[int, int]] = field(default_factory=list)  # offsets to drop when rendering
    problems: list[Problem] = field(default_factory=list)
    math: list[MathCheck] = field(default_factory=list)


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
    printed = "\n".join(line for fence in fences if fence.is_output for line in fence.body)
    view = free.blank_free_numbers(view, page.lang, printed, page.report_at)
    _numbers(page, _segments(page, view, covered), covered)
    for line, message in free.comment_findings(fences) + hidden_findings(snippets(source, fences)):
        page.report(line, message)
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

    def report_at(self, pos: int, message: str) -> None:
        """A problem on the line holding offset ``pos``."""
        self.report(self.line_of(pos), message)


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


def _ties_and_escapes(page: _Analysis, view: str) -> tuple[str, list[tuple[int, int]], set[int]]:
    """Record the ties and ``{-}`` escapes, and report misplaced ones.

    Returns the view with ties and escapes blanked, the spans of the written values they
    check (their numbers need nothing else), and the offsets where a tied written value
    starts (a tied shape is checked).
    """
    result = page.result
    covered: list[tuple[int, int]] = []
    tied_at: set[int] = set()
    spans = []
    for m in tie_pattern(page.num).finditer(view):
        tied_at.add(m.start("written"))
        line = page.line_of(m.start())
        written = m["written"]
        binding = _BINDING.fullmatch(written.replace("$$", "$"))
        result.ties.append(Tie(written, m["expr"].strip(), line, (m.end("written"), m.end()),
                               m.start("written"), binding["name"].replace("{", "").replace("}", "") if binding else None))
        result.cuts.append((m.end("written"), m.end()))
        spans.append((m.end("written"), m.end()))
        covered.append(m.span("written"))
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
        covered.append(m.span("n"))
        result.cuts.append((m.end("n"), m.end()))
        spans.append((m.end("n"), m.end()))
    return _masked(view, spans), covered, tied_at


#: ``$u = 3$``, ``$k_h = 3$``, ``$d = 2u$``: a tied binding names its value for the rest of the page.
_BINDING = re.compile(r"\$\s*(?P<name>[A-Za-z](?:_[A-Za-z0-9]+|_\{[A-Za-z0-9]+\})?)\s*=(?!=)[^$]*\$")


def _code_spans(page: _Analysis, view: str, fences: list[Fence], tied_at: set[int]) -> str:
    """Report code spans with a digit that no code, output or tie of their section checks;
    blank every span."""
    spans = []
    visible = [f for f in fences if not (f.is_live and "hide" in f.words[2:])]
    headings = [(page.line_of(m.start()), len(m.group(1))) for m in re.finditer(r"^(#{1,6})[ \t]", view, re.M)]
    for m in re.finditer(r"(`+)(.+?)\1", view):
        spans.append(m.span())
        if m.start() in tied_at or not _DIGIT.search(m.group(2)):
            continue
        ranges = _sections_of(page.line_of(m.start()), headings, len(page.source.lines))
        printed = "\n".join(line for fence in visible if any(a <= fence.start < b for a, b in ranges)
                            for line in fence.body)
        finding = _code_span_finding(m.group(0), m.group(2).strip(), printed)
        if finding:
            page.report(page.line_of(m.start()), finding)
    return _masked(view, spans)


def _sections_of(line: int, headings: list[tuple[int, int]], end: int) -> list[tuple[int, int]]:
    """Line ranges whose code a span on ``line`` may name: its own section (from its heading,
    or a heading's own, to the next heading) and the part of each enclosing section above
    its first subsection (an h2's snippet serves the h3s below it)."""
    starts = [h for h, _ in headings]
    k = bisect.bisect_right(starts, line)
    own_start = starts[k - 1] if k else 0
    ranges = [(own_start, starts[k] if k < len(starts) else end)]
    level = headings[k - 1][1] if k else 0
    for j in range(k - 2, -1, -1):  # enclosing sections: a heading of a higher level above
        start, lvl = headings[j]
        if lvl < level:
            ranges.append((start, starts[j + 1]))
            level = lvl
    return ranges


def _segments(page: _Analysis, view: str, covered: list[tuple[int, int]]) -> list[tuple[int, str, bool]]:
    """``(start offset, text, is_math)`` of each numeric math segment (``$$...$$`` then
    ``$...$``, as text ``tokenize`` reads) and each prose line left, keeping those with a digit.

    Math with variables and numbers becomes a ``MathCheck`` for the engine instead (it needs
    the bindings); tied math is checked by its tie.
    """
    segments: list[tuple[int, str, bool]] = []
    spans = []
    for m in MATH.finditer(view):
        body = m["display"] if m["display"] is not None else m["inline"]
        spans.append(m.span())
        for sub in re.finditer(r"_\{([^{}]*\d[^{}]*)\}", body):
            if not _NEIGHBOUR.fullmatch(sub.group(1)):
                page.report(page.line_of(m.start()), f"subscript _{{{sub.group(1)}}} in ${' '.join(body.split())}$: "
                            "a subscript names a neighbouring step (t-1, t+1) or a position (h_0); "
                            "state a size as a tied number instead")
        if not _DIGIT.search(_without_indices(body)):
            continue
        if any(a <= m.start() and m.end() <= b for a, b in covered):
            continue  # a tied formula or value: its tie checks it
        chain = symbolic.parse(body, page.lang)
        if chain is None and _index_range(body):
            continue  # t = 1, \dots, T: a range of positions
        if chain is None or chain.variables or None in chain.sides:
            if chain is not None and not chain.relations and chain.variables <= symbolic.INDEX_LETTERS:
                continue  # t + 1, 2l + 1: positions, not sizes (k = 3 × 3 = 9 is checked)
            page.result.math.append(MathCheck(" ".join(body.split()), chain, page.line_of(m.start()), m.start()))
            continue
        segments.append((m.start(), _latex_to_text(body, page.lang), True))
    pos = 0
    for line_text in _masked(view, spans).split("\n"):
        line_text = _SIZE_X.sub("×", line_text)  # 3x3, 40x40: sizes, each number checked
        if _DIGIT.search(line_text):
            segments.append((pos, line_text, False))
        pos += len(line_text) + 1
    return segments


def _index_range(body: str) -> bool:
    """``t = 1, \\dots, T``: an enumeration over index letters only."""
    if not re.search(r"\\[lc]?dots", body):
        return False
    letters = set(re.findall(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", " ", _without_indices(body))))
    return letters <= symbolic.INDEX_LETTERS


def _without_indices(body: str) -> str:
    """Math without its subscripts (``h_{t-1}``, ``W_1``: names, not numbers)."""
    return re.sub(r"_\{[^{}]*\}|_\w", "", body)


def _numbers(page: _Analysis, segments: list[tuple[int, str, bool]], covered: list[tuple[int, int]]) -> None:
    """Check every equation of ``segments``, then report each number that no equation, tie
    or escape accounts for, whatever its number of digits."""
    for start, seg_text, is_math in segments:
        tokens = tokenize(seg_text, page.lang, braces=is_math)

        def line_at(tok: Token, start: int = start, seg_text: str = seg_text) -> int:
            if not seg_text.count("\n"):
                return page.line_of(start)
            return page.line_of(start) + seg_text.count("\n", 0, tok.pos)

        used = _check_equations(tokens, seg_text, line_at, page)
        for tok in tokens:
            if tok.kind != "num" or id(tok) in used:
                continue
            where = start + tok.pos
            if is_math and any(a <= start < b for a, b in covered):
                continue
            if not is_math and any(a <= where < b for a, b in covered):
                continue
            written = tok.text.strip()
            page.report(line_at(tok), f"number {written} is not tied to the code: write {written}{{= expression }} "
                        f"(or {written}{{= u }} after a binding $u = {written}${{= ... }}), make it a side of an "
                        f"equation, or mark a year as {written}{ESCAPE}")


_NOT_NL = re.compile(r"[^\n]")
# a concrete shape in a code span, e.g. `(None, 3)` or `(4, 2)`: it must be printed or tied
_SHAPE = re.compile(r"\((?:\s*(?:None|\d+)\s*,)+\s*(?:None|\d+)?\s*\)|\(\s*\d+\s*,?\s*\)")


def _code_span_finding(span: str, inner: str, printed: str) -> str | None:
    """Why a code span with a digit in prose is unchecked, or None when it is checked.

    A concrete shape (`` `(None, 3)` ``) or a bare number (`` `16` ``) says a value: it must be
    tied, since the same shape or number often stands elsewhere on the page with another
    meaning. Any other span with a digit (`` `LSTM(10)` ``, `` `h_n[-2]` ``) must occur, as a
    whole, in the code or printed output the reader sees in the same section (``printed``);
    digits inside names (`` `weight_ih_l0` ``) are no numbers.
    """
    if _SHAPE.fullmatch(inner) or re.fullmatch(r"-?\d+(?:\.\d+)?", inner):
        return (
            f"{span} states a shape or number: tie it to the code, e.g. "
            f"{span}{{= model.output_shape }}"
        )
    if not re.search(r"(?<![\w.])\d", inner):
        return None  # digits only inside names: `weight_ih_l0`, `bias_hh_l1`
    pattern = r"(?<![\w.])" + r"\s*".join(map(re.escape, inner.split())) + r"(?![\w])"
    if re.search(pattern, printed):
        return None
    return (f"{span} occurs in no snippet or output of this section: correct it, tie it "
            f"({span}{{= \"...%d...\" % value }}), or write it as tied math")

_DIGIT = re.compile(r"\d")
#: A subscript with arithmetic names the step before or after an index: h_{t-1}, c_{t+1}.
_NEIGHBOUR = re.compile(r"\s*[tTlijk]\s*[-+−]\s*1\s*")
_SIZE_X = re.compile(r"(?<=\d)x(?=\d)|(?<=\d )x(?=\d)|(?<=\d)x(?= \d)")
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
    tokens: list[Token], text: str, line_at: Any, page: _Analysis
) -> set[int]:
    """Check every relation in ``tokens``; return ids of the number tokens a true or false
    equation used (an inequation pins nothing: its numbers must stand on their own)."""
    sides: list[list[Token]] = [[]]
    relations: list[Token] = []
    for tok in tokens:
        if tok.kind == "rel":
            relations.append(tok)
            sides.append([])
        else:
            sides[-1].append(tok)
    used: set[int] = set()
    exact: Fraction | None = None  # in a ≈ b ≈ c, both roundings are of a
    for k, rel in enumerate(relations):
        left = _edge(sides[k], tail=True)
        right = _edge(sides[k + 1], tail=False)
        if left is None or right is None:
            exact = None
            continue
        (lv, ltoks), (rv, rtoks) = left, right
        if rel.text == "≈":
            exact = lv = lv if exact is None else exact
        else:
            exact = None
        numbers = [t for t in ltoks + rtoks if t.kind == "num"]
        if rel.text != "≠":
            used.update(id(t) for t in numbers)
        written = _span(text, ltoks, rtoks)
        if rel.text == "=" and lv != rv:
            page.report(line_at(rel), f"false equation {written}: the left side is {_show(lv)}, the right side {_show(rv)}")
        elif rel.text == "≠" and lv == rv:
            page.report(line_at(rel), f"false inequation {written}: both sides are {_show(lv)}")
        elif rel.text == "≈":
            written_nums = [t for t in rtoks if t.kind == "num"]
            step = min((Fraction(t.scale) / 10 ** t.decimals for t in written_nums), default=Fraction(1))
            if _rounded(lv, step) != _rounded(rv, step):
                page.report(line_at(rel), f"false approximation {written}: the left side is {_show(lv)}")
    return used


def _rounded(value: Fraction, step: Fraction) -> Fraction:
    """``value`` rounded half up to a multiple of ``step`` (``4457472`` to 0.1 million: 4.5e6)."""
    return (value / step + Fraction(1, 2)).__floor__() * step


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
