"""Translated UI strings, one definition each.

Each consumer (engine, figures, site, calculator) owns one JSON file beside this module:
``{"key": {"en": "...", "fr": "...", "es": "...", "zh": "..."}}``. Pages, pictures, the
calculator and the tests all read the strings from here.  :data:`LANGUAGES` is the language
registry's codes (``lstm_docs.languages``), a language registered by a test included.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from lstm_docs import languages

#: The codes of the registered languages, default first: a live view of ``lstm_docs.languages``.
LANGUAGES: Sequence[str] = languages.CodesView(languages.codes)
_DIR = Path(__file__).parent


@cache
def table(consumer: str) -> dict[str, dict[str, str]]:
    """All strings of one consumer, e.g. ``table("engine")``."""
    path = _DIR / f"{consumer}.json"
    if not path.exists():
        raise ValueError(f"no string table {consumer!r}: create {path} with one entry per key")
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def get(consumer: str, key: str, lang: str) -> str:
    """The string ``key`` of ``consumer`` in ``lang``; a missing key or language is an error."""
    entry = table(consumer).get(key)
    if entry is None:
        raise ValueError(f"no string {key!r} in lstm_docs/strings/{consumer}.json: add it")
    if lang not in entry:
        raise ValueError(
            f"string {key!r} in lstm_docs/strings/{consumer}.json has no {lang!r} text: add it"
        )
    return entry[lang]
