"""Each language's typography (``lstm_docs/typography.py``), on strings and on the built site.

The unit tests show each rule catching what it should and nothing else; the build test runs
the checker over every built page of every translation (text and attributes); the browser
test looks at the rendered lines of the Chinese pages: none may start with 。，、；：？！.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import DEFAULT_LANGUAGE, LANGUAGES, PAGES, ROOT, go, page_path
from lstm_docs import strings, typography

NBSP, NNBSP, CODE = typography.NBSP, typography.NARROW_NBSP, typography.CODE
TRANSLATIONS = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
LINE_STARTS = (Path(__file__).parent / "line_starts.js").read_text(encoding="utf-8")
# Phone, small tablet and desktop widths: where a line breaks depends on the width.
WIDTHS = (320, 360, 375, 390, 414, 768, 1280)


def rules_broken(text: str, lang: str) -> list[str]:
    return [problem.rule for problem in typography.check_text(text, lang)]


def test_rules_exist_for_every_language_of_the_registry():
    assert set(typography.RULES) == set(strings.LANGUAGES)
    with pytest.raises(ValueError, match="no typography rules for 'xx'"):
        typography.rules("xx")


@pytest.mark.parametrize(
    "text",
    [
        f"Poids{NBSP}: noms",
        f"Pourquoi{NNBSP}?",
        f"Attention{NNBSP}!",
        f"a{NNBSP}; b",
        f"«{NNBSP}démonstration{NNBSP}»",
        "ratio 1:2",
        f"x != y",
        f"{CODE}{NBSP}: input_dim",
    ],
)
def test_french_spacing_that_is_right(text):
    assert rules_broken(text, "fr") == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Poids : noms", "fr: no-break space before ':'"),
        ("Précédent: Poids", "fr: no-break space before ':'"),
        ("Pourquoi ?", "fr: no-break space before '?'"),
        ("a; b", "fr: no-break space before ';'"),
        ("« démonstration »", "fr: no-break space after «"),
        (f"«{NBSP}démonstration»", "fr: no-break space before »"),
        (f"{CODE}: input_dim", "fr: no-break space before ':'"),
    ],
)
def test_french_spacing_that_is_wrong(text, rule):
    assert rule in rules_broken(text, "fr")


def test_spanish_questions_and_exclamations_are_opened():
    assert rules_broken("¿Cuántos parámetros tiene? Muchos.", "es") == []
    assert rules_broken("Y con dos capas, ¿cuántos?", "es") == []
    assert rules_broken("¡Cuidado!", "es") == []
    assert rules_broken("x != y", "es") == []
    assert rules_broken("Cuántos parámetros tiene?", "es") == ["es: '?' without an opening '¿'"]
    assert rules_broken("Muchos. Cuidado!", "es") == ["es: '!' without an opening '¡'"]


def test_chinese_punctuation_is_full_width():
    assert rules_broken("参数量为 72，与时间步无关。", "zh") == []
    assert rules_broken("LSTM(3) 处理 [1], [2]", "zh") == []  # code-like text keeps ASCII
    assert rules_broken("上一页：参数量", "zh") == []
    assert "zh: half-width punctuation next to Chinese text" in rules_broken("上一页: 参数量", "zh")
    assert "zh: half-width punctuation next to Chinese text" in rules_broken("参数量为 72, 与时间步无关", "zh")
    assert "zh: half-width punctuation next to Chinese text" in rules_broken("单元数(units)", "zh")


def test_chinese_lines_do_not_start_with_closing_punctuation():
    assert rules_broken("第一行\n。第二行", "zh") == ["zh: a line starts with '。'"]


def test_chinese_keeps_a_space_between_latin_and_han():
    assert rules_broken("proj_size为空", "zh") == ["zh: no space between Latin text and Chinese"]
    assert rules_broken("proj_size 为空", "zh") == []
    assert typography.space_latin_han("proj_size为空：请输入 0 到 10", "zh") == "proj_size 为空：请输入 0 到 10"
    assert typography.space_latin_han("proj_size为空", "fr") == "proj_size为空"


def test_lists_are_joined_the_language_way():
    assert typography.join_list(["i", "f", "c", "o"], "en") == "i, f, c, o"
    assert typography.join_list(["i", "f", "c", "o"], "zh") == "i、f、c、o"
    assert typography.join_clauses(["d = 输入维度", "u = 单元数"], "zh") == "d = 输入维度，u = 单元数"
    assert typography.join_groups(["kernel，形状 (2, 12)", "bias，形状 (12,)"], "zh") == (
        "kernel，形状 (2, 12)；bias，形状 (12,)"
    )


def test_a_language_gets_the_checks_its_registry_entry_names():
    from lstm_docs.languages import Language, Rules, get, registered

    belgian = Language("wa", "Walon", get("fr").number, Rules(", ", ", ", ", ", checks=("french_spacing",)))
    with registered(belgian):
        assert rules_broken("Poids : noms", "wa") == ["fr: no-break space before ':'"]
        assert typography.restore_spaces("Poids : noms", "wa") == f"Poids{NBSP}: noms"
    assert rules_broken("Poids : noms", "en") == []
    with registered(Language("wa", "Walon", get("fr").number, Rules(", ", ", ", ", ", checks=("kerning",)))):
        with pytest.raises(ValueError, match="language 'wa' names the unknown typography check 'kerning'"):
            typography.check_text("a", "wa")


def test_french_no_break_spaces_are_put_back_in_titles():
    assert typography.restore_spaces("Poids : noms ? « a »", "fr") == f"Poids{NBSP}: noms{NNBSP}? «{NNBSP}a{NNBSP}»"
    assert typography.restore_spaces("Poids : noms", "en") == "Poids : noms"


def test_page_text_hides_code_and_keeps_attributes():
    page = (
        '<html><head><title>Poids : noms</title></head><body><p>Voir <code>units</code>\u00a0: '
        'la <math><mi>u</mi></math>.</p><a title="Lien permanent">¶</a>'
        '<p lang="en">Go home: now</p><script>var a = "b: c";</script></body></html>'
    )
    text, attributes = typography.page_text(page, "fr")
    assert text.strip() == f"Voir {CODE}\u00a0: la {CODE}.\n¶"
    assert attributes == ["Poids : noms", "Lien permanent"]
    assert [p.rule for p in typography.check_page(page, "fr")] == ["fr: no-break space before ':'"]


# ---------------------------------------------------------------------------------------------
# The built site


def _built_pages(site: Path, lang: str) -> list[Path]:
    return sorted((site / lang).rglob("*.html"))


@pytest.mark.build
@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_built_pages_follow_the_language_typography(site_dir, lang):
    pages = _built_pages(site_dir, lang)
    assert {page_path(lang, name) + "index.html" for name in PAGES} <= {
        str(p.relative_to(site_dir)) for p in pages
    }, "a page of the language was not built"
    problems = [
        f"{page.relative_to(site_dir)}: {problem}"
        for page in pages
        for problem in typography.check_page(page.read_text(encoding="utf-8"), lang)
    ]
    assert not problems, f"{len(problems)} typography problems in {lang}:\n" + "\n".join(problems)


@pytest.mark.browser
def test_no_chinese_line_starts_with_closing_punctuation(open_page):
    """Every Chinese page, loaded at the narrowest width and widened step by step: no rendered
    line of its article starts with closing punctuation (。，、；：？！)."""
    problems = []
    narrowest = {"width": WIDTHS[0], "height": 800}
    page = None
    for name in PAGES:
        path = page_path("zh", name)
        if page is None:
            page = open_page(path, viewport=narrowest)
        else:  # the same page, back to the narrowest width first: each page loads at it
            page.set_viewport_size(narrowest)
            go(page, path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for found in page.evaluate(LINE_STARTS, typography.NO_LINE_START):
                problems.append(f"/{path} at {width}px: a line starts with {found['mark']!r} "
                                f"(…{found['context']}…) in {found['block']!r}")
    assert not problems, "\n".join(problems)
