"""Each language's number conventions: written form, accepted forms, clear errors."""

from decimal import Decimal

import pytest

from lstm_docs.numbers import (
    CONVENTIONS,
    NARROW_NBSP,
    NBSP,
    any_number_pattern,
    conventions_data,
    format_int,
    format_number,
    parse_number,
)

WRITTEN = {
    "en": "4,457,472",
    "fr": f"4{NARROW_NBSP}457{NARROW_NBSP}472",
    "es": f"4{NARROW_NBSP}457{NARROW_NBSP}472",
    "zh": "4,457,472",
}


@pytest.mark.parametrize("lang", list(CONVENTIONS))
def test_format_int_writes_the_canonical_form(lang):
    assert format_int(4457472, lang) == WRITTEN[lang]


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "4,457,472"),
        ("en", "4457472"),
        ("zh", "4,457,472"),
        ("fr", f"4{NARROW_NBSP}457{NARROW_NBSP}472"),
        ("fr", f"4{NBSP}457{NBSP}472"),
        ("fr", "4 457 472"),
        ("es", f"4{NARROW_NBSP}457{NARROW_NBSP}472"),
        ("es", "4.457.472"),
        ("es", "4 457 472"),
    ],
    ids=lambda v: v.replace(NARROW_NBSP, "<202F>").replace(NBSP, "<00A0>"),
)
def test_parse_number_reads_every_accepted_form(lang, text):
    assert parse_number(text, lang) == 4457472


@pytest.mark.parametrize("lang", list(CONVENTIONS))
def test_round_trip(lang):
    for n in (0, 7, 72, 999, 1000, 12345, 4457472, -640, 17246978048):
        assert parse_number(format_int(n, lang), lang) == n


@pytest.mark.parametrize(
    "lang, text, value",
    [("en", "0.5", Decimal("0.5")), ("fr", "0,5", Decimal("0.5")), ("es", "12 024,25", Decimal("12024.25"))],
)
def test_decimals_use_the_language_mark(lang, text, value):
    assert parse_number(text, lang) == value
    assert format_number(value, lang, 2).replace(NARROW_NBSP, " ") in (text, text + "0")


def test_spanish_leaves_four_digit_numbers_ungrouped():
    assert format_int(4096, "es") == "4096"
    assert format_int(4096, "fr") == f"4{NARROW_NBSP}096"


@pytest.mark.parametrize(
    "lang, text", [("en", "4 457 472"), ("fr", "4,457,472"), ("en", "4,45,472"), ("zh", "abc")]
)
def test_parse_number_rejects_other_languages_forms(lang, text):
    with pytest.raises(ValueError, match=f"not a number written in '{lang}'"):
        parse_number(text, lang)


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown language 'de': use one of en, fr, es, zh"):
        format_int(1, "de")


def test_conventions_are_exposed_as_json_data():
    import json

    data = json.loads(json.dumps(conventions_data()))
    assert data["fr"] == {"group": NARROW_NBSP, "groups": [NARROW_NBSP, NBSP, " "], "decimal": ",", "min_grouped": 1000}
    assert set(data) == set(CONVENTIONS)


def test_any_number_pattern_reads_every_languages_written_numbers():
    import re

    pattern = re.compile(rf"(?:{any_number_pattern()})\Z")
    for lang in CONVENTIONS:
        for value in (4457472, 1000, 72):
            assert pattern.match(format_int(value, lang)), (lang, value)
        assert pattern.match(format_number(0.5, lang, decimals=1)), lang
    assert pattern.match("4.457.472") and pattern.match(f"4{NBSP}457{NBSP}472")
