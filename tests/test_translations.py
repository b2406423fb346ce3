"""Translation parity: every page in every language says what the English page says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lstm_docs import translations
from lstm_docs.translations import check_tree, compare, source_hash, stale, stamp

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

ENGLISH = """\
---
description: A page.
---
# Units { #units }

This layer has 72{= model.count_params() } parameters: $4 \\times 3 \\times 6 = 72$.

## Shapes { #shapes }

--8<-- "units/shapes.md"

```python
x = 1  # a comment
```
"""

FRENCH = (
    ENGLISH.replace("This layer has", "Cette couche a")
    .replace("parameters", "paramètres")
    .replace("# a comment", "# un commentaire")
    .replace("## Shapes { #shapes }", "## Formes { #shapes }")
)


def test_a_faithful_translation_has_no_problem() -> None:
    assert compare(ENGLISH, FRENCH, Path("docs/fr/units.md")) == []


def test_a_missing_section_is_named() -> None:
    partial = FRENCH.split("## Formes")[0]
    problems = compare(ENGLISH, partial, Path("docs/fr/units.md"))
    assert [str(p) for p in problems] == [
        "docs/fr/units.md:1: section #shapes of the English page is missing"
    ]


def test_a_changed_number_in_math_is_named_with_its_section() -> None:
    changed = FRENCH.replace("= 72$", "= 73$")
    (problem,) = compare(ENGLISH, changed, Path("docs/fr/units.md"))
    assert str(problem).startswith("docs/fr/units.md:4: section #units: numbers in math differ")
    assert "'73' here, '72' in English" in str(problem)


def test_a_dropped_tie_is_named() -> None:
    changed = FRENCH.replace("72{= model.count_params() }", "72")
    problems = [str(p) for p in compare(ENGLISH, changed, Path("docs/fr/units.md"))]
    assert any("section #units: tied expressions differ" in p for p in problems), problems


def test_a_changed_tied_number_is_named() -> None:
    changed = FRENCH.replace("72{=", "73{=")
    (problem,) = compare(ENGLISH, changed, Path("docs/fr/units.md"))
    assert "section #units: tied expressions differ" in str(problem)
    assert "'73 = model.count_params()' here" in str(problem)


def test_numbers_grouped_the_local_way_are_the_same_number() -> None:
    english = "# T { #t }\n\n4,457,472{= n } and 4,457,472{= n }\n"
    french = "# T { #t }\n\n4\u202f457\u202f472{= n } et 4.457.472{= n }\n"
    assert compare(english, french, Path("docs/fr/t.md")) == []


def test_a_version_is_a_name_in_every_language_but_a_count_after_it_is_not() -> None:
    english = "# T { #t }\n\nSince Keras 2.3 the default changed; a CuDNN layer has 2,400 more.\n"
    spanish = "# T { #t }\n\nDesde Keras 2.3 el valor cambió; una capa CuDNN tiene 2.400 más.\n"
    assert compare(english, spanish, Path("docs/es/t.md")) == []
    wrong = spanish.replace("2.400", "2.500")
    (problem,) = compare(english, wrong, Path("docs/es/t.md"))
    assert "'2500' here, '2400' in English" in str(problem)


def test_a_tie_right_after_chinese_text_is_read() -> None:
    english = "# T { #t }\n\nSame: 63{= n }.\n"
    chinese = "# T { #t }\n\n一致：63{= n }。\n"
    assert compare(english, chinese, Path("docs/zh/t.md")) == []
    assert "'64 = n' here" in str(compare(english, chinese.replace("63", "64"), Path("x"))[0])


def test_a_formula_tie_is_compared() -> None:
    english = '# T { #t }\n\n$4u(d + u + 1)${= formula("keras", "lstm") }\n'
    assert compare(english, english, Path("x")) == []
    problems = compare(english, "# T { #t }\n\n$4u(d + u + 1)$\n", Path("docs/fr/t.md"))
    assert any("section #t: tied expressions differ" in str(p) for p in problems)


def test_a_missing_inline_anchor_is_named() -> None:
    english = "# T { #t }\n\n| **bias**{ #bias } | b |\n"
    french = "# T { #t }\n\n| **biais** | b |\n"
    (problem,) = compare(english, french, Path("docs/fr/glossary.md"))
    assert "section #t: anchors differ from English: missing item: 'bias'" in str(problem)


def test_a_changed_number_in_a_prose_equation_is_named() -> None:
    english = "# T { #t }\n\n4 × 256 × (4096 + 256 + 1) = 4,457,472 parameters.\n"
    french = "# T { #t }\n\n4 × 256 × (4\u202f096 + 256 + 1) = 4\u202f457\u202f472 paramètres.\n"
    assert compare(english, french, Path("docs/fr/t.md")) == []
    wrong = french.replace("4\u202f457\u202f472", "4\u202f457\u202f473")
    (problem,) = compare(english, wrong, Path("docs/fr/t.md"))
    assert "section #t: numbers in the text differ from English" in str(problem)
    assert "'4457473' here, '4457472' in English" in str(problem)


def test_numbers_may_move_within_a_section() -> None:
    english = "# T { #t }\n\nWith 4096 features and 256 units.\n"
    chinese = "# T { #t }\n\n256 个单元，4,096 个特征。\n"
    assert compare(english, chinese, Path("docs/zh/t.md")) == []


def test_white_space_alone_does_not_make_a_translation_stale() -> None:
    stamped = f"---\nsource_hash: {source_hash(ENGLISH)}\n---\n{FRENCH}"
    assert not stale(ENGLISH.replace("parameters: $4", "parameters:\n$4") + "\n\n", stamped)
    assert stale(ENGLISH.replace("This layer", "That layer"), stamped)


def test_changed_code_is_named_but_translated_comments_are_not() -> None:
    changed = FRENCH.replace("x = 1", "x = 2")
    (problem,) = compare(ENGLISH, changed, Path("docs/fr/units.md"))
    assert "section #shapes: snippets and code differ" in str(problem)


def test_a_heading_without_its_id_is_reported() -> None:
    changed = FRENCH.replace("## Formes { #shapes }", "## Formes")
    messages = [str(p) for p in compare(ENGLISH, changed, Path("docs/fr/units.md"))]
    assert "docs/fr/units.md:1: section #shapes of the English page is missing" in messages


def test_stamp_records_the_english_hash_and_is_idempotent(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "fr").mkdir()
    (tmp_path / "en" / "units.md").write_text(ENGLISH, encoding="utf-8")
    page = tmp_path / "fr" / "units.md"
    page.write_text(FRENCH, encoding="utf-8")
    assert stale(ENGLISH, FRENCH)
    assert stamp(page, tmp_path) is True
    assert stamp(page, tmp_path) is False
    text = page.read_text(encoding="utf-8")
    assert f"source_hash: {source_hash(ENGLISH)}" in text
    assert not stale(ENGLISH, text)
    assert compare(ENGLISH, text, page) == []
    assert stale(ENGLISH + "\nMore.\n", text)


def test_every_page_is_translated_and_in_step_with_english() -> None:
    problems = check_tree(DOCS)
    assert not problems, "\n".join(map(str, problems))


def test_no_translation_is_stale() -> None:
    problems = translations.stale_translations(DOCS)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("lang", translations.TRANSLATIONS)
def test_removing_a_section_from_a_real_translation_fails(tmp_path: Path, lang: str) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / lang / "parameters.md"
    text = page.read_text(encoding="utf-8")
    marker = "{ #per-gate }"
    assert marker in text, f"{page} has no section #per-gate"
    start = text.rindex("\n#", 0, text.index(marker))
    end = text.find("\n#", text.index(marker))
    page.write_text(text[:start] + (text[end:] if end != -1 else "\n"), encoding="utf-8")
    messages = [str(p) for p in check_tree(docs, (lang,))]
    assert f"{page}:1: section #per-gate of the English page is missing" in messages


@pytest.mark.parametrize("lang", translations.TRANSLATIONS)
def test_a_missing_real_translation_fails(tmp_path: Path, lang: str) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / lang / "units.md").unlink()
    messages = [str(p) for p in check_tree(docs, (lang,))]
    assert f"{docs / lang / 'units.md'}:1: missing translation of en/units.md" in messages
