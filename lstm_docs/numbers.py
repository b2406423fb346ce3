"""Each language's number conventions: how a page writes ``4457472`` and how to read it back.

One source of truth for the engine (prose checks, ties) and the calculator:

=====  ==============  ==================================  =========
lang   written         grouping accepted                   decimal
=====  ==============  ==================================  =========
en     ``4,457,472``   ``,``                               ``.``
fr     ``4 457 472``   U+202F (canonical), U+00A0, space   ``,``
es     ``4 457 472``   U+202F (canonical), U+00A0, space,  ``,``
                       ``.``
zh     ``4,457,472``   ``,``                               ``.``
=====  ==============  ==================================  =========

``CONVENTIONS[lang]`` holds the data; ``format_int`` writes the canonical form,
``parse_number`` reads any accepted form, ``number_pattern`` gives the regular expression
that finds written numbers in text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Convention:
    """How one language writes numbers.

    ``group``: canonical thousands separator; ``groups``: every separator accepted when
    reading; ``decimal``: the decimal mark; ``min_grouped``: smallest integer written with
    separators (``1000`` → ``1,000`` in en; Spanish style leaves four-digit numbers alone).
    """

    group: str
    groups: tuple[str, ...]
    decimal: str
    min_grouped: int = 1000


CONVENTIONS: dict[str, Convention] = {
    "en": Convention(group=",", groups=(",",), decimal="."),
    "fr": Convention(group=NARROW_NBSP, groups=(NARROW_NBSP, NBSP, " "), decimal=","),
    "es": Convention(
        group=NARROW_NBSP, groups=(NARROW_NBSP, NBSP, " ", "."), decimal=",", min_grouped=10000
    ),
    "zh": Convention(group=",", groups=(",",), decimal="."),
}


def convention(lang: str) -> Convention:
    """The convention of ``lang``; an unknown language is a clear error."""
    try:
        return CONVENTIONS[lang]
    except KeyError:
        known = ", ".join(CONVENTIONS)
        raise ValueError(f"unknown language {lang!r}: use one of {known}") from None


def format_int(n: int, lang: str) -> str:
    """``n`` written the canonical way in ``lang``: ``format_int(4457472, "fr") == "4\u202f457\u202f472"``."""
    conv = convention(lang)
    if isinstance(n, bool) or not isinstance(n, int):
        if hasattr(n, "item") and isinstance(n.item(), int):  # numpy integer
            n = n.item()
        else:
            raise ValueError(f"format_int needs an int, got {type(n).__name__} {n!r}")
    sign = "-" if n < 0 else ""
    digits = str(abs(n))
    if abs(n) < conv.min_grouped:
        return sign + digits
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return sign + conv.group.join(reversed(groups))


def format_number(x: int | float | Decimal, lang: str, decimals: int | None = None) -> str:
    """An int via ``format_int``; a float/Decimal with ``decimals`` places and ``lang``'s mark."""
    if isinstance(x, int) and decimals is None:
        return format_int(x, lang)
    text = f"{x:.{decimals}f}" if decimals is not None else str(x)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return sign + format_int(int(whole), lang) + (convention(lang).decimal + frac if frac else "")


@cache
def number_pattern(lang: str) -> str:
    """Regex source matching one written number of ``lang`` (no sign, no word boundaries).

    Grouped integers need groups of exactly three digits (``4 457 472``); a decimal part
    follows the language's decimal mark.  Longest match first, so ``4,457,472`` is one number.
    """
    conv = convention(lang)
    seps = "".join(re.escape(s) for s in conv.groups if s != conv.decimal)
    dec = re.escape(conv.decimal)
    grouped = rf"\d{{1,3}}(?:[{seps}]\d{{3}})+(?!\d)"
    return rf"(?:{grouped}|\d+)(?:{dec}\d+)?"


def parse_number(text: str, lang: str) -> int | Decimal:
    """Read a number written in ``lang``: ``"4 457 472"`` (fr) → ``4457472``; ``"0,5"`` → ``Decimal("0.5")``.

    Integers come back as ``int``, numbers with a decimal part as exact ``Decimal``.
    Raises ``ValueError`` naming the text and the language when it is not one number.
    """
    conv = convention(lang)
    raw = text.strip()
    sign = ""
    if raw[:1] in ("-", "\u2212"):
        sign, raw = "-", raw[1:].lstrip()
    if not re.fullmatch(number_pattern(lang), raw):
        example = format_int(4457472, lang).replace(NARROW_NBSP, " ")
        raise ValueError(
            f"{text!r} is not a number written in {lang!r}: write it like {example!r}"
        )
    whole, _, frac = raw.partition(conv.decimal) if conv.decimal in raw else (raw, "", "")
    for sep in conv.groups:
        if sep != conv.decimal:
            whole = whole.replace(sep, "")
    if frac:
        return Decimal(f"{sign}{whole}.{frac}")
    return int(sign + whole)


def conventions_data() -> dict[str, dict[str, object]]:
    """``CONVENTIONS`` as plain JSON-ready data, for the calculator's JavaScript."""
    return {
        lang: {
            "group": c.group,
            "groups": list(c.groups),
            "decimal": c.decimal,
            "min_grouped": c.min_grouped,
        }
        for lang, c in CONVENTIONS.items()
    }
