"""The language registry (``lstm_docs/languages.py``): mkdocs.yml agrees with it, and a new
language registered in one entry reaches number reading, ≈ checks, the path rule, the string
tables' language list and the translation list with no other edit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lstm_docs import languages, numbers, strings, translations, typography
from lstm_docs.languages import NARROW_NBSP, Convention, Language, Rules
from lstm_docs.live import arith
from lstm_docs.live.engine import run_page

ROOT = Path(__file__).resolve().parent.parent

#: A hypothetical fifth language with a decimal comma and a dot between thousands.
GERMAN = Language(
    code="de",
    name="Deutsch",
    number=Convention(group=".", groups=(".", NARROW_NBSP), decimal=","),
    typography=Rules(list_separator=", ", clause_separator=", ", group_separator=", "),
)


class _MkdocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: its ``!ENV [NAME, default]`` tags become their default."""


_MkdocsLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def _i18n_languages() -> list[dict]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkdocsLoader)
    (i18n,) = [p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p]
    return i18n["languages"]


def test_mkdocs_i18n_languages_are_the_registry():
    declared = [
        (entry["locale"], entry["name"], bool(entry.get("default", False)), entry["theme"]["language"])
        for entry in _i18n_languages()
    ]
    registry = [(lang.code, lang.name, lang.default, lang.code) for lang in languages.all_languages()]
    assert declared == registry, "mkdocs.yml's i18n languages differ from lstm_docs/languages.py: make them equal"


def test_mkdocs_theme_language_is_the_default():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkdocsLoader)
    assert config["theme"]["language"] == languages.default().code


@pytest.mark.parametrize("code", languages.codes())
def test_each_language_has_its_docs_folder(code):
    assert (ROOT / "docs" / code).is_dir(), f"docs/{code}/ is missing: create it (one page per English page)"


def test_exactly_one_default_language_first():
    assert [lang.code for lang in languages.all_languages() if lang.default] == [languages.codes()[0]]
    assert translations.SOURCE_LANGUAGE == languages.default().code


@pytest.mark.parametrize(
    "path, lang",
    [
        ("docs/fr/units.md", "fr"),
        ("docs/zh/guide/units.md", "zh"),
        ("fr/units.md", "fr"),  # mkdocs src_uri
        (ROOT / "docs" / "es" / "units.md", "es"),
        ("docs/en/units.md", "en"),
        ("units.md", "en"),
        ("docs/units.md", "en"),
        ("snippets/units/count.md", "en"),
        ("docs/de/units.md", "en"),  # no such language
        ("fr", "en"),  # a folder, not a page
    ],
)
def test_of_path(path, lang):
    assert languages.of_path(path) == lang


def test_derived_lists_follow_the_registry():
    assert tuple(strings.LANGUAGES) == languages.codes() == ("en", "fr", "es", "zh")
    assert tuple(translations.TRANSLATIONS) == languages.translations() == ("fr", "es", "zh")
    assert list(numbers.CONVENTIONS) == list(typography.RULES) == list(languages.codes())
    assert strings.LANGUAGES == ("en", "fr", "es", "zh") and strings.LANGUAGES[1:] == ("fr", "es", "zh")


def test_every_named_typography_check_exists():
    for lang in languages.all_languages():
        assert set(lang.typography.checks) <= set(typography.CHECKS), lang.code


def test_only_wide_glyph_languages_get_wide_figure_labels():
    assert [lang.code for lang in languages.all_languages() if lang.wide_glyphs] == ["zh"]


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown language 'de': use one of en, fr, es, zh$"):
        languages.get("de")


def test_a_fifth_language_is_picked_up_everywhere():
    with languages.registered(GERMAN):
        assert languages.of_path("docs/de/units.md") == "de"
        assert "de" in strings.LANGUAGES and strings.LANGUAGES[-1] == "de"
        assert "de" in translations.TRANSLATIONS
        assert numbers.CONVENTIONS["de"] is GERMAN.number
        assert typography.rules("de") is GERMAN.typography
        assert numbers.format_int(4457472, "de") == "4.457.472"
        assert numbers.format_number(0.25, "de", decimals=2) == "0,25"
        assert numbers.parse_number("4.457.472", "de") == 4457472
        assert numbers.parse_number("0,25", "de") == Decimal("0.25")
    assert "de" not in strings.LANGUAGES and "de" not in translations.TRANSLATIONS
    assert languages.of_path("docs/de/units.md") == "en"


def test_a_fifth_language_with_a_decimal_comma_counts_approximation_decimals():
    with languages.registered(GERMAN):
        nums = [(t.text, t.decimals) for t in arith.tokenize("0,25 und 4.457.472", "de") if t.kind == "num"]
        assert nums == [("0,25", 2), ("4.457.472", 0)]
        page = "docs/de/units.md"
        assert [str(p) for p in run_page("# T\n\n1/3 ≈ 0,33\n", page, "de").problems] == []
        assert [str(p) for p in run_page("# T\n\n4·(4097·256 + 256²) = 4.457.472\n", page, "de").problems] == []
        (problem,) = run_page("# T\n\n1/3 ≈ 0,34\n", page, "de").problems
        assert "false approximation 1/3 ≈ 0,34" in str(problem)


def test_registering_a_clashing_language_is_refused():
    with pytest.raises(ValueError, match="language 'fr' is already registered"):
        with languages.registered(Language("fr", "Français", GERMAN.number, GERMAN.typography)):
            pass
    with pytest.raises(ValueError, match="one default language"):
        with languages.registered(Language("de", "Deutsch", GERMAN.number, GERMAN.typography, default=True)):
            pass
    comma_group = Convention(group=",", groups=(",",), decimal=",")
    with pytest.raises(ValueError, match="decimal mark ',' is also a group separator"):
        with languages.registered(Language("de", "Deutsch", comma_group, GERMAN.typography)):
            pass
    assert languages.codes() == ("en", "fr", "es", "zh")
