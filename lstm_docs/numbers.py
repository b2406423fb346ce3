"""Each language's number conventions: how a page writes ``4457472`` and how to read it back.

Used by the engine (prose checks, ties), the translation checks and the calculator.  The data
is each language's ``Convention`` in the language registry (``lstm_docs.languages``); today:

=====  ==============  ==================================  =========
lang   written         grouping accepted                   decimal
=====  ==============  ==================================  =========
en     ``4,457,472``   ``,``                               ``.``
fr     ``4 457 472``   U+202F (canonical), U+00A0, space   ``,``
es     ``4 457 472``   U+202F (canonical), U+00A0, space,  ``,``
                       ``.``
zh     ``4,457,472``   ``,``                               ``.``
=====  ==============  ==================================  =========

``CONVENTIONS[lang]`` is that data; ``format_int`` writes the canonical form,
``parse_number`` reads any accepted form, ``number_pattern`` gives the regular expression
that finds written numbers in text (``any_number_pattern``: in any language's format).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache

from lstm_docs import languages
from lstm_docs.languages import NARROW_NBSP as NARROW_NBSP
from lstm_docs.languages import NBSP as NBSP
from lstm_docs.languages import Convention as Convention

#: ``lang -> Convention`` of every registered language (a live view of the registry).
CONVENTIONS: Mapping[str, Convention] = languages.ByLanguage(lambda language: language.number)


def convention(lang: str) -> Convention:
    """The convention of ``lang``; an unknown language is a clear error."""
    return languages.get(lang).number


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


def number_pattern(lang: str) -> str:
    """Regex source matching one written number of ``lang`` (no sign, no word boundaries).

    Grouped integers need groups of exactly three digits (``4 457 472``); a decimal part
    follows the language's decimal mark.  Longest match first, so ``4,457,472`` is one number.
    """
    return _pattern(convention(lang))


@cache
def _pattern(conv: Convention) -> str:
    seps = "".join(re.escape(s) for s in conv.groups if s != conv.decimal)
    dec = re.escape(conv.decimal)
    grouped = rf"\d{{1,3}}(?:[{seps}]\d{{3}})+(?!\d)"
    return rf"(?:{grouped}|\d+)(?:{dec}\d+)?"


def any_number_pattern() -> str:
    """Regex source matching a number written in any registered language (no sign, no word
    boundaries): three-digit groups joined by any language's separator, a decimal part after
    any language's decimal mark.  ``4,457,472``, ``4 457 472`` and ``0,5`` all match."""
    seps = sorted({s for c in CONVENTIONS.values() for s in c.groups})
    decs = sorted({c.decimal for c in CONVENTIONS.values()})
    sep = "[" + "".join(re.escape(s) for s in seps) + "]"
    dec = "[" + "".join(re.escape(s) for s in decs) + "]"
    return rf"\d{{1,3}}(?:{sep}\d{{3}})+(?:{dec}\d+)?|\d+(?:{dec}\d+)?"


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
