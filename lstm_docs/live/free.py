"""Numbers that are not values, by explicit rule, and the numbers of snippet comments.

Every number a reader sees must be tied or be a side of an equation, except these (each rule
is one entry below, with its reason):

* **versions** right after a product name: ``Keras 3``, ``PyTorch 2.13``, ``TensorFlow 1``,
  when the version is one of ``VERSIONS`` (anything else, ``Keras 4`` or the count in
  "PyTorch 84", is a number like any other: it must be tied);
* **quotations of a printed output**: ``"expected ndim=3, found ndim=2"`` (straight or curly
  quotes, guillemets, corner brackets) when the quoted text occurs, as written, in a stored
  output block of the page (which the engine compares with what the code prints);
* **rank words**: ``3-D``, ``2-D`` (the number of axes as a word, 1 to 5);
* list numbering, footnote numbers, digits inside words or names (``h1``, ``TF1``,
  ``weight_ih_l0``), math subscripts (``h_{t-1}``) and ``2014{-}`` are handled by the prose
  reader itself.

``comment_findings`` applies the same idea to ``# comments`` of the snippets a reader sees:
a number there must be a literal of the line the comment annotates (its own line, or for a
comment alone on its line, the next line of code): ``Input((4, 2))  # 4 time steps, 2 features``.
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from collections.abc import Callable

from lstm_docs.live.page import Fence

#: product -> versions a page may name: the majors whose differences the site explains and the
#: exact versions it runs (``tests/frameworks.py``).  Nothing else: ``Keras 1`` or ``Keras 4``
#: is a number like any other and must be tied, so a version moved by one is caught unless it
#: lands on the other version the site discusses (``Keras 2`` <-> ``Keras 3``).
VERSIONS: dict[str, frozenset[str]] = {
    "Keras": frozenset({"2", "2.3", "2.4", "3", "3.15"}),  # 2.3: the new gate default; 2.4: tf.keras
    "TensorFlow": frozenset({"1", "2"}),
    "PyTorch": frozenset({"2", "2.13"}),
    "torch": frozenset({"2.13", "2.13.0"}),
    "Python": frozenset({"3.11"}),
}
_VERSION = re.compile(r"(?<![\w.])(?P<product>" + "|".join(VERSIONS) + r")(?:[ \u00a0]|&nbsp;)(?P<v>\d+(?:\.\d+)*)(?![\d])")


def version_pattern() -> re.Pattern[str]:
    """``Keras 2.3``: a product name and one of its ``VERSIONS`` (group ``v``) -- the names
    the translations comparison leaves out, as the checks do."""
    known = "|".join(sorted({v for vs in VERSIONS.values() for v in vs}, key=len, reverse=True))
    return re.compile(r"(?<![\w.])(?:" + "|".join(VERSIONS) + r")(?:[ \u00a0]|&nbsp;)(?P<v>(?:" + known + r"))(?![\d.]\d)")


_QUOTE = re.compile(r"\"([^\"\n]*\d[^\"\n]*)\"|“([^”\n]*\d[^”\n]*)”|«\s*([^»\n]*\d[^»\n]*?)\s*»|「([^」\n]*\d[^」\n]*)」")
_RANK = re.compile(r"(?<![\w.])[1-5]-D(?![\w])")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def blank_free_numbers(view: str, lang: str, printed: str, report_at: Callable[[int, str], None]) -> str:
    """``view`` with every free number blanked (``report_at(offset, message)``: for rules that report).

    ``printed``: the page's stored output blocks, joined (what a quotation may quote)."""
    out = list(view)

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    for m in _VERSION.finditer(view):  # an unknown version stays a number: "PyTorch 84" is a count
        if m["v"] in VERSIONS[m["product"]]:
            blank(*m.span("v"))
    flat = " ".join(printed.split())
    for m in _QUOTE.finditer(view):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        quoted = " ".join(re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", "", m.group(group)).split())  # *emphasis* aside
        if quoted and quoted in flat:
            blank(*m.span(group))
    for m in _RANK.finditer(view):
        blank(m.start(), m.start() + 1)
    return "".join(out)


def comment_findings(fences: list[Fence]) -> list[tuple[int, str]]:
    """``(line index, message)`` for each number in a visible live snippet's comment that is
    not a literal of the statement the comment annotates."""
    found: list[tuple[int, str]] = []
    for fence in fences:
        if not fence.is_live or "hide" in fence.words[2:]:
            continue
        for row, comment, literals in _comments("\n".join(fence.body) + "\n"):
            text = _VERSION.sub("", comment)
            for m in _NUMBER.finditer(text):
                if m.group() not in literals:
                    found.append((fence.start + 1 + row, (
                        f"comment number {m.group()} in `{comment.strip()}` is no literal of the code it "
                        "annotates: print the value instead (the output is checked), or drop the number")))
    return found


@functools.lru_cache(maxsize=4096)
def _comments(code: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """``(0-based row, comment text, number literals of the line it annotates)``: the code on
    the comment's own line, or for a comment alone on its line, the next line with code.
    Kept per code text: the four languages show the same snippets."""
    if "#" not in code:
        return ()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return ()
    literals: dict[int, set[str]] = {}
    has_code: set[int] = set()
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        has_code.add(tok.start[0])
        if tok.type == tokenize.NUMBER:
            literals.setdefault(tok.start[0], set()).add(tok.string.replace("_", ""))
    result = []
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        row = tok.start[0]
        target = row if row in has_code else next((r for r in sorted(has_code) if r > row), None)
        result.append((row - 1, tok.string.lstrip("#"), frozenset(literals.get(target, ()) if target else ())))
    return tuple(result)
