"""The checking rules of issue #11, each with the message a writer sees (``file:line``, what
to write).  Pages run through the real engine (snippets in a worker, the lstm_docs mirror)."""

import re

import pytest

from lstm_docs import facts, figures, formulas, kinds
from lstm_docs.live.engine import render, run_page

LAYER = """# T

```python live
from keras import Input, Sequential
from keras.layers import LSTM

model = Sequential([Input((4, 2)), LSTM(3)])
layer = model.layers[0]
```

"""


def problems(text, lang="en", page="units"):
    return [str(p) for p in run_page(text, f"docs/{lang}/{page}.md", lang).problems]


# ---------------------------------------------------------------- every number, any digits


@pytest.mark.parametrize("where, line", [
    ("prose", "A layer with 3 units."),
    ("heading", "## Trace: LSTM on 4 steps"),
    ("table", "| units | 3 |\n| --- | --- |"),
    ("admonition", '!!! note "Short"\n    It has 3 units.'),
    ("tab title", '=== "3 units"\n\n    text'),
    ("image alt text", "![an LSTM with 3 units](cell.png)"),
])
def test_a_single_digit_anywhere_must_be_tied(where, line):
    found = problems(LAYER + line + "\n")
    assert len(found) == 1, found
    assert re.match(r"docs/en/units\.md:1[12]: number \d is not tied to the code: write \d\{= expression \}", found[0])


def test_the_description_in_front_matter_is_checked():
    found = problems("---\ndescription: LSTM(units) with 3 units.\n---\n" + LAYER)
    assert found == ["docs/en/units.md:2: number 3 is not tied to the code: write 3{= expression } (or 3{= u } after "
                     "a binding $u = 3${= ... }), make it a side of an equation, or mark a year as 3{-}"]


def test_a_number_in_the_code_is_no_tie_for_the_same_digits_in_prose():
    # 4 is the number of time steps in the code; the sentence says 4 units: wrong, and refused
    found = problems(LAYER + "The layer has 4 units.\n")
    assert len(found) == 1 and "number 4 is not tied" in found[0]


def test_free_numbers_by_rule():
    text = LAYER + (
        "1. Keras 3, PyTorch 2.13 and TensorFlow 2 are versions; `weight_ih_l0` is a name.\n"
        "2. A 3-D input, $h_{t-1}$ and $t + 1$ state no size; 1997{-} is a year.\n")
    assert problems(text) == []


def test_a_number_after_a_product_name_that_is_no_version_is_a_number():
    found = problems(LAYER + "Keras 4 is out, and PyTorch 84 parameters.\n")
    assert [f.split(": ")[1] for f in found] == ["number 4 is not tied to the code", "number 84 is not tied to the code"]
    # only the versions the site discusses are names: a Keras 2 moved to "Keras 1" is caught
    found = problems(LAYER + "Keras 1 had no such layer.\n")
    assert [f.split(": ")[1] for f in found] == ["number 1 is not tied to the code"]


def test_a_quotation_of_a_stored_output_is_free_and_any_other_quotation_is_not():
    page = ('# T\n\n```python live\nprint("expected ndim=3, found ndim=2")\n```\n\n```output\n'
            'expected ndim=3, found ndim=2\n```\n\n')
    assert problems(page + 'Keras says "expected ndim=3, found ndim=2".\n') == []
    assert problems(page + "Keras dit « expected ndim=3, found ndim=2 ».\n", "fr") == []
    found = problems(page + 'Keras says "expected ndim=4, found ndim=2".\n')
    assert len(found) == 2 and "number 4 is not tied" in found[0]


# ---------------------------------------------------------------- bindings


def test_a_binding_names_a_value_for_later_ties_and_math():
    text = LAYER + ("With $u = 3${= layer.units } and $d = 2${= model.input_shape[-1] }, each step gives 3{= u } "
                    "numbers; the count is $4u(d + u + 1)${= model.count_params() }, and $u \\times u = 3 \\times 3$.\n")
    assert problems(text) == []
    out = render(run_page(text, "docs/en/units.md", "en"))
    assert "With $u = 3$ and $d = 2$, each step gives 3 numbers" in out


def test_a_wrong_binding_or_reference_names_the_line_and_the_value():
    found = problems(LAYER + "With $u = 4${= layer.units }.\n\nEach step gives 4{= u } numbers.\n")
    assert found == ["docs/en/units.md:11: page says $u = 4$, but layer.units is 3",
                     "docs/en/units.md:13: page says 4, but u is 3"]


def test_math_after_a_binding_is_evaluated_with_it():
    found = problems(LAYER + "With $u = 3${= layer.units }, $u \\times u = 4 \\times 4$.\n")
    assert found == ["docs/en/units.md:11: false equation $u \\times u = 4 \\times 4$ with u = 3: correct it, or "
                     "tie it to the value it states"]


def test_an_untied_binding_says_what_to_write():
    found = problems(LAYER + "Take $u = 3$ units.\n")
    assert found == ["docs/en/units.md:11: $u = 3$ names a value nothing checks: bind it to the code, e.g. "
                     "$u = 3${= layer.units } (then later math and ties may use u)"]


def test_a_tied_shape_in_math_is_evaluated_with_the_bindings():
    ok = LAYER + ("$u = 3${= layer.units }, $d = 2${= model.input_shape[-1] }: the kernel is "
                  "$d \\times 4u${= layer.weights[0].shape } and the bias $(4u,)${= layer.weights[2].shape }.\n")
    assert problems(ok) == []
    found = problems(ok.replace("$d \\times 4u$", "$u \\times 4u$"))
    assert found == ["docs/en/units.md:11: page says $u \\times 4u$, but layer.weights[0].shape is (2, 12)"]


# ---------------------------------------------------------------- display math and formulas


def test_display_math_is_checked_like_inline_math():
    tied = "$$\nN = 4u(d + u + 1)\n$${= formula(\"keras\", \"lstm\") }\n"
    assert problems(LAYER + tied) == []
    found = problems(LAYER + tied.replace("+ 1)", "+ 2)"))
    assert found == ['docs/en/units.md:11: page says $$\nN = 4u(d + u + 2)\n$$, but formula("keras", "lstm") is '
                     "4u(d + u + 1)"] or (len(found) == 1 and "4u(d + u + 1)" in found[0]), found
    untied = problems(LAYER + "$$\nN = 4u(d + u + 2)\n$$\n")
    assert len(untied) == 1 and untied[0].startswith("docs/en/units.md:11: formula $N = 4u(d + u + 2)$ is not tied")


def test_an_identity_holds_for_every_value_and_a_false_one_fails():
    assert problems("# T\n\n$$\n4\\,[(d + u)\\,u + u] = 4u(d + u + 1)\n$$\n") == []
    found = problems("# T\n\n$$\n4\\,[(d + u)\\,u + u] = 4u(d + u + 2)\n$$\n")
    assert len(found) == 1 and "(not an identity)" in found[0]


def test_approximations_accept_the_usual_rounding_forms():
    assert problems("# T\n\n4,457,472 ≈ 4.5 million ≈ 4.46 M, and 4,457,472 ≈ 4457 k.\n") == []
    assert problems("# T\n\n4 457 472 ≈ 4,5 millions ≈ 4,46 M.\n", "fr") == []
    assert problems("# T\n\n4.457.472 ≈ 4,5 millones.\n", "es") == []
    assert problems("# T\n\n4,457,472 ≈ 446 万。\n", "zh") == []
    found = problems("# T\n\n4,457,472 ≈ 4.4 million.\n")
    assert found == ["docs/en/units.md:3: false approximation 4,457,472 ≈ 4.4 million: the left side is 4457472"]


# ---------------------------------------------------------------- facts as data


def test_facts_come_from_the_registry_and_the_mirror():
    assert facts.gates("keras", "lstm") == ", ".join(kinds.get("lstm").gates["keras"]) == "i, f, c, o"
    assert facts.gates("pytorch", "lstm") == "i, f, g, o"
    assert facts.default("keras", "gru", "reset_after") == "reset_after=True"
    assert facts.default("keras", "lstm", "recurrent_activation") == 'recurrent_activation="sigmoid"'
    assert (facts.biases("keras", "lstm"), facts.biases("pytorch", "lstm")) == (1, 2)
    assert (facts.biases("keras", "gru"), facts.biases("keras", "gru", reset_after=False)) == (2, 1)
    with pytest.raises(KeyError, match="Keras LSTM has no option 'reset_after'"):
        facts.default("keras", "lstm", "reset_after")


@pytest.mark.parametrize("written, expr", [
    ("`i, f, c, o`", 'gates("keras", "lstm")'),
    ("`reset_after=True`", 'default("keras", "gru", "reset_after")'),
    ('`recurrent_activation="sigmoid"`', 'default("keras", "lstm", "recurrent_activation")'),
    ("2", 'biases("pytorch", "lstm")'),
])
def test_a_tied_fact_passes_and_its_mutation_fails(written, expr):
    assert problems(f"# T\n\nThe fact: {written}{{= {expr} }}.\n") == []
    wrong = {"`i, f, c, o`": "`i, c, f, o`", "`reset_after=True`": "`reset_after=False`",
             '`recurrent_activation="sigmoid"`': '`recurrent_activation="hard_sigmoid"`', "2": "1"}[written]
    found = problems(f"# T\n\nThe fact: {wrong}{{= {expr} }}.\n")
    assert len(found) == 1 and found[0].startswith(f"docs/en/units.md:3: page says {wrong}, but {expr} is")


SWAP = LAYER + """```python live
import torch

torch_lstm = torch.nn.LSTM(2, 3)
```

"""


def test_each_framework_value_must_follow_its_framework_name():
    good = "Keras counts 72{= model.count_params() }, PyTorch 84{= sum(p.numel() for p in torch_lstm.parameters()) }.\n"
    assert problems(SWAP + good) == []
    swapped = good.replace("Keras", "XX").replace("PyTorch", "Keras").replace("XX", "PyTorch")
    found = problems(SWAP + swapped)
    assert found == [
        "docs/en/units.md:17: 72 is Keras's (model.count_params()), but the sentence names PyTorch before it: "
        "put each value after its framework's name",
        "docs/en/units.md:17: 84 is PyTorch's (sum(p.numel() for p in torch_lstm.parameters())), but the sentence "
        "names Keras before it: put each value after its framework's name",
    ]


# ---------------------------------------------------------------- visible code


def test_hidden_setup_may_import_and_seed_only():
    ok = "# T\n\n```python live hide\nimport numpy as np\nfrom keras.utils import clear_session\n\nclear_session()\nnp.random.seed(0)\n```\n"
    assert problems(ok) == []
    found = problems("# T\n\n```python live hide\nfrom keras import Input\nmodel_copy = Input((4, 2))\n```\n")
    assert found == ["docs/en/units.md:5: hidden setup `model_copy = Input((4, 2))` defines or runs more than "
                     "imports and seeds: move it into a visible snippet, so that the ties check code the reader sees"]


def test_a_code_span_must_occur_in_the_visible_code():
    assert problems(LAYER + "The page builds `LSTM(3)`.\n") == []
    found = problems(LAYER + "The page builds `LSTM(4)`.\n")
    assert found == ['docs/en/units.md:11: `LSTM(4)` occurs in no snippet or output of this section: correct it, '
                     'tie it (`LSTM(4)`{= "...%d..." % value }), or write it as tied math']
    other_section = LAYER.replace("```python live", "## Code\n\n```python live") + "## Prose\n\nThe page builds `LSTM(3)`.\n"
    assert len(problems(other_section)) == 1  # the code of another section does not count


def test_comment_numbers_must_be_literals_of_the_statement_they_annotate():
    page = "# T\n\n```python live\nfrom keras import Input\n\nx = Input((4, 2))  # 4 time steps, {n} features\n```\n"
    assert problems(page.replace("{n}", "2")) == []
    found = problems(page.replace("{n}", "3"))
    assert found == ["docs/en/units.md:6: comment number 3 in `4 time steps, 3 features` is no literal of the code it "
                     "annotates: print the value instead (the output is checked), or drop the number"]
    own_line = "# T\n\n```python live\nfrom keras import Input\n\n# 5 time steps\nx = Input((4, 2))\n```\n"
    assert len(problems(own_line)) == 1


# ---------------------------------------------------------------- figures


def test_a_figure_takes_its_sizes_from_the_page_and_refuses_typed_numbers():
    found = problems(LAYER + "```figure\nkind: units\nunits: 3\n```\n")
    assert found == ["docs/en/units.md:13: figure size units: 3 is typed, so nothing checks it: name what the page "
                     "shows, e.g. layer: model.layers[0] (units and input_dim) or steps: x.shape[1]"]
    run = run_page(LAYER + "```figure\nkind: weights\nlayer: layer\n```\n", "docs/en/units.md", "en")
    assert [str(p) for p in run.problems] == []
    assert "kind: weights\nframework: keras\nunits: 3\ninput_dim: 2\n" in render(run)


def test_a_figure_says_the_framework_of_the_layer_it_draws():
    found = problems(LAYER + "```figure\nkind: weights\nlayer: layer\nframework: pytorch\n```\n")
    assert found == ["docs/en/units.md:13: figure says framework: pytorch, but layer is a keras layer"]


@pytest.mark.parametrize("framework", ["keras", "pytorch"])
def test_the_weights_figure_agrees_with_the_formulas_gate_order_included(framework):
    svg = figures.render("weights", "en", units=3, input_dim=2, framework=framework)
    order = kinds.get("lstm").gates[framework]
    letters = re.findall(r">([a-z])<", svg)
    drawn = [g for g in dict.fromkeys(letters) if g in order]
    assert tuple(drawn) == order, (drawn, order)
    assert f"in the order {', '.join(order)}" in svg
    for name, shape in figures.weight_arrays(framework, 3, 2):
        assert f">{name}<" in svg and f">{shape}<" in svg, (name, shape)
    assert [(s.name, tuple(d.evaluate({"d": 2, "u": 3}) for d in s.shape)) for s in formulas.weights(framework, "lstm")] \
        == figures.weight_arrays(framework, 3, 2)
    assert f">{formulas.count(framework, 'lstm', input_dim=2, units=3)} parameters<" in svg


# ---------------------------------------------------------------- every language on its own


@pytest.mark.parametrize("lang", ["en", "fr", "es", "zh"])
def test_a_wrong_value_written_identically_in_every_language_still_fails(lang):
    found = problems(LAYER + "Ein: 4{= layer.units }.\n", lang)
    assert found == [f"docs/{lang}/units.md:11: page says 4, but layer.units is 3"]


def test_a_quotation_may_carry_emphasis_and_a_language_mark():
    page = ('# T\n\n```python live\nprint("Expected batch size: 2")\n```\n\n```output\nExpected batch size: 2\n```\n\n')
    assert problems(page + 'Keras refuse : « *Expected batch size: 2*{ lang="en" } ».\n', "fr") == []


def test_sizes_written_with_an_x_are_numbers():
    found = problems("# T\n\nA 3x3 kernel on 40 x 40 frames.\n")
    assert [f.split(": ")[1] for f in found] == ["number 3 is not tied to the code"] * 2 + \
        ["number 40 is not tied to the code"] * 2


def test_ties_in_the_front_matter_are_dropped_from_what_mkdocs_shows():
    from lstm_docs.live.build import clean_meta

    meta = {"title": "Units", "description": "LSTM(3) has 72{= model.count_params() } parameters; 2014{-}."}
    clean_meta(meta)
    assert meta == {"title": "Units", "description": "LSTM(3) has 72 parameters; 2014."}


def test_defaults_of_a_layer_that_needs_more_than_its_units():
    assert facts.default("keras", "conv_lstm2d", "padding") == 'padding="valid"'
    assert facts.gate_count("keras", "gru") == 3


def test_a_range_of_positions_and_tied_definitions_and_ranges():
    assert problems("# T\n\n$t = 1, \\dots, T$ are the steps.\n") == []
    text = ('# T\n\n$\\sigma(z) = 1 / (1 + e^{-z})${= definition("sigmoid") } lies in $(0, 1)${= output_range("sigmoid") }; '
            'tanh in $(-1, 1)${= output_range("tanh") }.\n')
    assert problems(text) == []
    assert len(problems(text.replace("(0, 1)", "(0, 2)"))) == 1
    import numpy as np

    from lstm_docs import cells
    z = np.linspace(-5, 5, 11)
    assert np.allclose(cells.sigmoid(z), 1 / (1 + np.exp(-z)))  # DEFINITIONS["sigmoid"], evaluated


def test_a_snippet_under_a_heading_serves_its_subsections():
    page = LAYER.replace("```python live", "## Code\n\n```python live") + "### Detail\n\nIt builds `LSTM(3)`.\n"
    assert problems(page) == []


def test_the_gate_block_definition_is_the_slicing_of_split_gates():
    import numpy as np

    from lstm_docs import cells
    from lstm_docs.live import symbolic

    block = symbolic.parse(cells.DEFINITIONS["gate_block"], "en").sides[0]
    gates = kinds.get("lstm").gates["keras"]
    u = 3
    matrix = np.arange(4 * u)[None, :]
    for k, gate in enumerate(gates):
        start, stop = block.shape({"k": k, "u": u})
        assert cells.split_gates(matrix, gates, axis=1)[gate].ravel().tolist() == list(range(int(start), int(stop)))
    assert problems('# T\n\nGate $k$ is $[k u, (k + 1) u)${= definition("gate_block") }.\n') == []
    assert len(problems('# T\n\nGate $k$ is $[k u, (k + 2) u)${= definition("gate_block") }.\n')) == 1


def test_a_subscript_names_a_neighbouring_step_only():
    assert problems("# T\n\n$h_{t-1}$, $c_{t+1}$ and $h_0$.\n") == []
    found = problems("# T\n\n$f_t = \\sigma(x_t W_f + h_{t-2} U_f)$\n")
    assert len(found) == 1 and "subscript _{t-2}" in found[0] and "names a neighbouring step" in found[0]
