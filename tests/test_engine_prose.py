"""Numbers in prose and math: equations, ties and untied numbers, in every language's format."""

import pytest

from lstm_docs.live.engine import render, run_page
from lstm_docs.numbers import NARROW_NBSP as NNBSP
from lstm_docs.numbers import NBSP


def problems(text, lang="en", path=None):
    path = path or f"docs/{lang}/units.md"
    return [str(p) for p in run_page(text, path, lang).problems]


TRUE = [
    ("en", "4 × 3 × (2 + 3 + 1) = 72"),
    ("en", "4·(4097·256 + 256²) = 4,457,472"),
    ("en", "[(256 + 4096 + 1) × 256] × 4 = 4,457,472"),
    ("en", "4 * 256 * (4096 + 256 + 1) = 4457472"),
    ("en", "4 x 3 x 6 = 72"),
    ("en", "256^2 = 65,536 and 2³ = 8"),
    ("zh", "参数数量为 4 × 3 × (2 + 3 + 1) = 72。"),
    ("zh", "4·(4097·256 + 256²) = 4,457,472 个参数"),
    ("fr", f"4·(4097·256 + 256²) = 4{NNBSP}457{NNBSP}472"),
    ("fr", f"4·(4097·256 + 256²) = 4{NBSP}457{NBSP}472"),
    ("fr", "4·(4097·256 + 256²) = 4 457 472"),
    ("fr", "1 / 2 = 0,5"),
    ("es", "4·(4097·256 + 256²) = 4.457.472"),
    ("es", f"4·(4097·256 + 256²) = 4{NNBSP}457{NNBSP}472"),
    ("en", r"$4 \times 256 \times (4096 + 256 + 1) = 4{,}457{,}472$"),
    ("fr", r"$4 \cdot \left(4097 \cdot 256 + 256^{2}\right) = 4\,457\,472$"),
    ("en", "$$\n4 \\cdot ((4096 \\cdot 16) + 4096^2) \\cdot 256\n= 17{,}246{,}978{,}048\n$$"),
    ("en", r"$4 \times 18 = 72 \neq 84 = 4 \times 21$"),
    ("en", "84 − 72 = 12 = 4 × 3"),
    ("en", "Embedding: 1000 × 32 = 32,000 (one vector per token id)."),
    ("zh", "Embedding：1000 × 32 = 32,000（每个词元 id 一个向量）；"),
    ("en", r"$\frac{144}{2} = 72$ and 1/3 ≈ 0.33"),
]


@pytest.mark.parametrize("lang, line", TRUE, ids=[f"{lang}:{line}" for lang, line in TRUE])
def test_true_equations_pass(lang, line):
    assert problems(f"# Title\n\n{line}\n", lang) == []


FALSE = [
    ("en", "4 × 3 × (2 + 3 + 1) = 73", "false equation 4 × 3 × (2 + 3 + 1) = 73: the left side is 72"),
    ("en", "4·(4097·256 + 256²) = 4,457,471", "the left side is 4457472, the right side 4457471"),
    ("fr", f"4·(4097·256 + 256²) = 4{NNBSP}457{NNBSP}473", "the right side 4457473"),
    ("fr", f"4·(4097·256 + 256²) = 4{NBSP}457{NBSP}473", "the right side 4457473"),
    ("es", "4·(4097·256 + 256²) = 4.457.473", "the right side 4457473"),
    ("zh", "4 × 3 × (2 + 3 + 1) = 84 个参数", "the left side is 72, the right side 84"),
    ("en", "$$\n4 \\times 3 \\times (2 + 3 + 1) = 72 = 4 \\times 3 \\times 7\n$$", "the left side is 72, the right side 84"),
    ("en", r"$4 \cdot 256^{2} = 262{,}145$", "the right side 262145"),
    ("en", r"$72 \neq 4 \times 18$", "false inequation"),
    ("en", "1/3 ≈ 0.34", "false approximation"),
]


@pytest.mark.parametrize("lang, line, message", FALSE, ids=[f"{lang}:{line}" for lang, line, _ in FALSE])
def test_false_equations_fail_naming_the_line(lang, line, message):
    found = problems(f"# Title\n\n{line}\n", lang)
    wrong = [f for f in found if message in f]
    assert len(wrong) == 1, found
    assert wrong[0].startswith((f"docs/{lang}/units.md:3: ", f"docs/{lang}/units.md:4: "))


BOUND = """# T

```python live
u, d = 3, 2
```

With $u = 3${= u } and $d = 2${= d }: {line}
"""


def test_identities_and_statements_about_bound_variables_hold():
    assert problems("# T\n\n$4n + 12 = 4(n + 3)$ and $4\\,[(d + u)\\,u + u] = 4u(d + u + 1)$, 12 = 4 × 3\n") == []
    line = "$N = 4u(d + u + 1) = 4 \\times 3 \\times (2 + 3 + 1) = 72$, $u \\times u = 3 \\times 3$."
    assert problems(BOUND.replace("{line}", line)) == []


def test_a_formula_over_unbound_variables_must_be_tied():
    found = problems("# T\n\n$N = 4u(d + u + 1) = 4 \\times 3 \\times (2 + 3 + 1) = 72$\n")
    assert len(found) == 1 and "is not tied: tie it" in found[0], found
    found = problems("# T\n\nThe count is $4u(d + u + 2)$.\n")
    assert len(found) == 1 and 'formula $4u(d + u + 2)$ is not tied: write $4u(d + u + 2)${= formula("keras", "lstm") }' in found[0]


def test_a_false_identity_or_statement_about_bindings_fails():
    found = problems("# T\n\n$4[(d + u)u + u] = 4u(d + u + 2)$\n")
    assert len(found) == 1 and "false equation $4[(d + u)u + u] = 4u(d + u + 2)$ (not an identity)" in found[0]
    found = problems(BOUND.replace("{line}", "$4u(d + u + 1) = 4 \\times 3 \\times (2 + 3 + 1) = 84$ and $u = 4$."))
    assert len(found) == 2, found
    assert "false equation" in found[0] and "with d = 2, u = 3" in found[0]
    assert "false equation $u = 4$ with u = 3" in found[1]


TIES = """# Ties

```python live
units, params, shape, name = 3, 4457472, (None, 3), "lstm"
```

The layer has {written}{{= {expr} }} here.
"""


@pytest.mark.parametrize(
    "lang, written, expr",
    [
        ("en", "4,457,472", "params"),
        ("zh", "4,457,472", "params"),
        ("fr", f"4{NNBSP}457{NNBSP}472", "params"),
        ("fr", f"4{NBSP}457{NBSP}472", "params"),
        ("es", "4.457.472", "params"),
        ("en", "(None, 3)", "shape"),
        ("en", "`lstm`", "name"),
        ("en", "3", "units"),
    ],
    ids=lambda v: v.replace(NNBSP, "<202F>").replace(NBSP, "<00A0>") if isinstance(v, str) else v,
)
def test_ties_hold(lang, written, expr):
    assert problems(TIES.format(written=written, expr=expr), lang) == []


@pytest.mark.parametrize(
    "lang, written, expr, message",
    [
        ("en", "4,457,473", "params", "page says 4,457,473, but params is 4457472"),
        ("fr", f"4{NNBSP}457{NNBSP}473", "params", "but params is 4457472"),
        ("en", "(None, 4)", "shape", "page says (None, 4), but shape is (None, 3)"),
        ("en", "`gru`", "name", "page says `gru`, but name is lstm"),
        ("en", "72", "missing", "tie {= missing }: NameError: name 'missing' is not defined"),
    ],
    ids=["en:count", "fr:count", "en:shape", "en:string", "en:name-error"],
)
def test_wrong_ties_fail_naming_the_line(lang, written, expr, message):
    found = problems(TIES.format(written=written, expr=expr), lang)
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/{lang}/units.md:7: ")
    assert message in found[0]


def test_tie_in_chinese_prose_and_rendering_drops_the_expression():
    text = "```python live\nn = 72\n```\n\n该层有72{= n }个参数，$72{= n } = 4 \\times 18$。\n"
    run = run_page(text, "docs/zh/units.md", "zh")
    assert [str(p) for p in run.problems] == []
    out = render(run)
    assert "该层有72个参数，$72 = 4 \\times 18$。" in out
    assert "python live" not in out and "{=" not in out


def test_tie_separated_from_its_number_is_an_error():
    found = problems("```python live\nn = 72\n```\n\nIt has 72 {= n } parameters.\n")
    assert any("must directly follow the number" in p for p in found)


UNTIED = """# Units { #units-256 }

```python live
layer_units = 64
spec = "LSTM(128)"
```

A layer of 64 units has 99 of something.
See [the 2014{-} paper](https://example.org/1997/lstm.pdf) and <span data-n="4096">x</span>.
`LSTM(128)` in code, and 2014{-} is a year, 3.15{-} a version.
1. first item
10. tenth item
"""


def test_untied_numbers_are_reported_and_escapes_work():
    found = problems(UNTIED)
    assert [f.split(": ")[1] for f in found] == ["number 64 is not tied to the code", "number 99 is not tied to the code"], found
    assert found[1].startswith("docs/en/units.md:8: number 99 is not tied")
    assert "99{= expression }" in found[1] and "99{-}" in found[1]
    rendered = render(run_page(UNTIED, "docs/en/units.md", "en"))
    assert "2014 is a year, 3.15 a version" in rendered


@pytest.mark.parametrize("lang, number", [("en", "1,234"), ("fr", f"1{NNBSP}234"), ("es", "1.234"), ("zh", "1,234")])
def test_untied_numbers_in_each_language(lang, number):
    found = problems(f"# T\n\nThere are {number} weights.\n", lang)
    assert len(found) == 1 and f"number {number} is not tied" in found[0]


def test_a_number_is_not_accepted_because_an_equation_elsewhere_gives_it():
    found = problems("# T\n\n4 × 18 = 72, so the GRU above has 72 parameters.\n")
    assert len(found) == 1 and "number 72 is not tied" in found[0], found


def test_an_untied_binding_is_reported_with_what_to_write():
    found = problems("# T\n\n$4 \\cdot (4097 \\cdot 256) = 4{,}195{,}328$ with $d = 4097$.\n")
    assert len(found) == 1 and found[0].startswith("docs/en/units.md:3: $d = 4097$ names a value nothing checks")
    assert "$d = 4097${= layer.units }" in found[0]


VISIBLE_MARKUP = [
    ("a footnote definition", "See the note.[^1]\n\n[^1]: The layer has 73 parameters."),
    ("a link title", 'See [the count](parameters.md "73 parameters").'),
    ("an image title", '![a cell](cell.png "a cell with 73 weights")'),
    ("an image alt text", "![an LSTM with 73 parameters](cell.png)"),
    ("an HTML alt text", '<img src="cell.png" alt="an LSTM with 73 parameters">'),
    ("an HTML title", '<abbr title="73 parameters">N</abbr>'),
    ("an aria-label", '<span aria-label="73 parameters">N</span>'),
    ("an attribute list title", "The count.\n{ title='73 parameters' }"),
    ("a reference title", '[count]: parameters.md "73 parameters"'),
    ("a link title with parentheses", '[x](https://example.org "73 parameters (see)")'),
    ("an input value", '<input value="73">'),
    ("an unquoted attribute", "<span title=73>N</span>"),
    ("an upper-case attribute", '<span TITLE="73">N</span>'),
    ("a code block title", '``` { .text title="73 units" }\nabc\n```'),
]


@pytest.mark.parametrize("where, text", VISIBLE_MARKUP, ids=[w for w, _ in VISIBLE_MARKUP])
def test_what_a_reader_sees_inside_markup_is_checked_like_prose(where, text):
    found = problems(f"# T\n\n{text}\n")
    assert len(found) == 1 and "number 73 is not tied" in found[0], (where, found)
    if "=73" in text:  # an unquoted value ends at a space: no room for an equation
        return
    assert problems(f"# T\n\n{text.replace('73', '4 × 18 = 72')}\n") == []
    wrong = problems(f"# T\n\n{text.replace('73', '4 × 18 = 73')}\n")
    assert len(wrong) == 1 and "false equation 4 × 18 = 73" in wrong[0], (where, wrong)


def test_the_front_matter_title_and_description_are_prose():
    page = "---\ntitle: {t}\ndescription: An LSTM layer.\nsource_hash: 1234abcd\n---\n# T\n"
    (found,) = problems(page.format(t="73 units"))
    assert found.startswith("docs/en/units.md:2: number 73 is not tied")
    assert problems(page.format(t="4 × 18 = 72 parameters")) == []


def test_digits_the_checks_cannot_read_are_refused():
    (found,) = problems("# T\n\n中文有４７个单元。\n", "zh", "docs/zh/units.md")
    assert found.startswith("docs/zh/units.md:3: full-width digits ４７: write ASCII digits")
    found = problems("# T\n\nIt has 7{-}9 units.\n")
    assert any("{-} must end a number" in f for f in found), found


def test_markup_that_is_not_shown_stays_free():
    text = ('<span data-n="4096" class="c12">x</span> [a](https://example.org/99/x.pdf) '
            '![b](img/77.png) { #q-12 .c99 }\n\n[ref]: https://example.org/55\n')
    assert problems(f"# T\n\n{text}") == []


def test_numbers_inside_fences_and_front_matter_are_not_prose():
    text = "---\nsource_hash: 2026abcd\nversion: 2026\n---\n# T\n\n```text\n1234\n```\n\n````markdown\n```python live\nraise SystemExit\n```\n````\n"
    assert problems(text) == []


SHAPE_PAGE = """# Shapes

```python live
print((None, 3))
```

```output
(None, 3)
```

The output has shape {shape}.
"""


def test_a_printed_shape_must_still_be_tied():
    """`(None, 3)` is printed, but the same shape may mean something else on the page."""
    (message,) = problems(SHAPE_PAGE.format(shape="`(None, 3)`"))
    assert message.startswith("docs/en/units.md:11: `(None, 3)` states a shape or number: tie it")


@pytest.mark.parametrize("lang", ["en", "fr", "es", "zh"])
def test_an_untied_shape_or_number_in_a_code_span_is_reported(lang):
    (message,) = problems(SHAPE_PAGE.format(shape="`(None, 4)`"), lang)
    assert message.startswith(f"docs/{lang}/units.md:11: `(None, 4)` states a shape or number")
    (message,) = problems(SHAPE_PAGE.format(shape="`16` time steps"), lang)
    assert message.startswith(f"docs/{lang}/units.md:11: `16` states a shape or number")


CALL_PAGE = """# Calls

```python
layer = LSTM(10)
```

Here {span} makes ten units.
"""


def test_a_sized_code_span_must_match_the_code():
    assert problems(CALL_PAGE.format(span="`LSTM(10)`")) == []
    (message,) = problems(CALL_PAGE.format(span="`LSTM(11)`"))
    assert message == ('docs/en/units.md:7: `LSTM(11)` occurs in no snippet or output of this section: correct it, '
                       'tie it (`LSTM(11)`{= "...%d..." % value }), or write it as tied math')


def test_a_tied_shape_passes_and_a_wrongly_tied_one_fails():
    assert problems(SHAPE_PAGE.format(shape="`(None, 4)`{= (None, 4) }")) == []
    assert problems(SHAPE_PAGE.format(shape="`(None, 4)`{= (None, 3) }")) != []


def test_a_symbolic_shape_with_a_number_is_tied_too():
    assert problems(SHAPE_PAGE.format(shape="`(batch, units)`")) == []
    assert len(problems(SHAPE_PAGE.format(shape="`(batch, 4 * units)`"))) == 1
    tied = """`(batch, 4 * units)`{= "(batch, %d * units)" % gate_count("keras", "lstm") }"""
    assert problems(SHAPE_PAGE.format(shape=tied)) == []


def test_a_formula_tied_to_its_definition_passes_and_renders_as_math():
    page = '# F\n\nKeras counts $4u(d + u + 1)${= formula("keras", "lstm") }.\n'
    run = run_page(page, "docs/en/units.md", "en")
    assert [str(p) for p in run.problems] == []
    assert "Keras counts $4u(d + u + 1)$." in render(run, serve=False)


@pytest.mark.parametrize("lang", ["en", "fr", "es", "zh"])
def test_a_formula_that_differs_from_lstm_docs_is_reported(lang):
    page = '# F\n\n$4u(d + u + 2)${= formula("keras", "lstm") }\n'
    assert problems(page, lang) == [
        f'docs/{lang}/units.md:3: page says $4u(d + u + 2)$, but formula("keras", "lstm") is '
        "4u(d + u + 1)"
    ]
