"""The build-time pictures: every kind in every language, accessible, to scale, strict input.

Each rendered picture is also written to ``test-output/figures/<kind>.<lang>.svg`` so it can
be looked at.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lstm_docs import formulas
from lstm_docs.figures import KINDS, render, render_figure_fences
from lstm_docs.strings import LANGUAGES, table

SVG = "{http://www.w3.org/2000/svg}"
OUT = Path(__file__).resolve().parents[1] / "test-output" / "figures"

# One set of parameters per kind, as a page would write them.
PARAMS: dict[str, dict[str, object]] = {
    "cell": {},
    "unrolled": {"steps": 4},
    "units": {"units": 3},
    "weights": {"units": 3, "input_dim": 2},
    "states": {"layers": 2, "steps": 4},
    "trace": {"units": 3, "inputs": [1.0, 2.0, 3.0, 4.0]},
}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def visible_text(root: ET.Element) -> str:
    """The text drawn in the picture (not the title/desc/style)."""
    return " ".join(
        "".join(el.itertext()) for el in root.iter(f"{SVG}text")
    )


def test_every_kind_has_parameters_here() -> None:
    assert set(PARAMS) == set(KINDS)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(PARAMS))
def test_renders_accessible_scalable_svg(kind: str, lang: str) -> None:
    svg = render(kind, lang, **PARAMS[kind])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{kind}.{lang}.svg").write_text(svg, encoding="utf-8")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("lang") == lang
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox", ""))
    assert "width:100%" in root.get("style", "")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # legible in light and dark palettes: no hard-coded black or white text
    assert "fill:currentColor" in svg
    assert not re.search(r'fill="(#000|#fff|black|white)', svg)
    assert "@font-face" not in svg and "<image" not in svg
    assert len(svg) < 40_000, f"{kind} picture is {len(svg)} characters: keep SVGs small"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_and_alt_text_come_from_the_strings_file(lang: str) -> None:
    strings = table("figures")
    cell = parse(render("cell", lang))
    assert cell.find(f"{SVG}title").text == strings["cell.title"][lang]
    assert cell.find(f"{SVG}desc").text == strings["cell.desc"][lang]
    drawn = visible_text(cell)
    for key in ("forget_gate", "input_gate", "candidate", "output_gate", "cell_state"):
        for line in strings[key][lang].split("\n"):
            assert line in drawn, f"{key} ({lang}) not drawn in the cell picture"
    unrolled = parse(render("unrolled", lang, steps=4))
    assert strings["same_weights"][lang] in visible_text(unrolled)


def test_every_string_has_every_language() -> None:
    for key, entry in table("figures").items():
        assert set(entry) == set(LANGUAGES), f"figures.json: {key!r} lacks {set(LANGUAGES) - set(entry)}"
        assert all(text.strip() for text in entry.values()), f"figures.json: {key!r} has an empty text"


def _rects(root: ET.Element, array: str) -> ET.Element:
    group = root.find(f".//{SVG}g[@data-array='{array}']")
    assert group is not None, f"no drawing of {array}"
    return group


def _outline(group: ET.Element) -> tuple[float, float]:
    """Width and height of an array's outline (its last rect)."""
    box = group.findall(f"{SVG}rect")[-1]
    return float(box.get("width")), float(box.get("height"))


@pytest.mark.parametrize(("units", "input_dim"), [(3, 2), (10, 5), (1, 1), (256, 4096)])
def test_keras_weights_drawn_to_scale(units: int, input_dim: int) -> None:
    root = parse(render("weights", "en", units=units, input_dim=input_dim))
    shapes = {w.name: w.evaluate_shape({"d": input_dim, "u": units})
              for w in formulas.weights("keras", "lstm")}
    kw, kh = _outline(_rects(root, "kernel"))
    rw, rh = _outline(_rects(root, "recurrent_kernel"))
    assert shapes["kernel"] == (input_dim, 4 * units)
    # width = 4u columns for both; height proportional to d and u
    assert kw == pytest.approx(rw)
    assert kh / rh == pytest.approx(input_dim / units, rel=1e-3)
    assert kw / kh == pytest.approx(shapes["kernel"][1] / shapes["kernel"][0], rel=1e-3)
    # each array is split into four equal gate blocks
    parts = _rects(root, "kernel").findall(f"{SVG}rect")[:4]
    assert [float(p.get("width")) for p in parts] == pytest.approx([kw / 4] * 4, rel=1e-3)


def test_pytorch_weights_drawn_to_scale() -> None:
    root = parse(render("weights", "en", units=3, input_dim=2, framework="pytorch"))
    iw, ih = _outline(_rects(root, "weight_ih_l0"))
    hw, hh = _outline(_rects(root, "weight_hh_l0"))
    bw, bh = _outline(_rects(root, "bias_hh_l0"))
    assert ih == hh == bh
    assert iw / hw == pytest.approx(2 / 3, rel=1e-3)
    assert iw / ih == pytest.approx(2 / 12, rel=1e-3)
    assert bw / hw == pytest.approx(1 / 3, rel=1e-3)


@pytest.mark.parametrize("framework", ["keras", "pytorch"])
def test_weights_picture_states_the_count(framework: str) -> None:
    count = formulas.count(framework, "lstm", input_dim=4096, units=256)
    root = parse(render("weights", "en", units=256, input_dim=4096, framework=framework))
    assert f"{count:,}" in visible_text(root)
    assert f"{count:,}" in root.find(f"{SVG}title").text


def test_numbers_follow_the_language() -> None:
    root = parse(render("weights", "fr", units=256, input_dim=4096))
    assert "4\u202f457\u202f472" in root.find(f"{SVG}title").text


def test_units_picture_joins_every_pair() -> None:
    root = parse(render("units", "en", units=3))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 9  # u x u: every unit of h_{t-1} reaches every unit of h_t
    assert sum(1 for el in lines if el.get("class") == "hl") == 3


def test_large_counts_are_elided_not_exploded() -> None:
    svg = render("unrolled", "en", steps=400)
    assert svg.count(">LSTM<") == 5 and "…" in svg
    assert len(render("units", "en", units=512)) < 40_000


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("circle", {}, "unknown figure kind 'circle': use one of cell, unrolled, units, weights"),
        ("units", {}, "figure 'units' needs parameter 'units'"),
        ("cell", {"units": 3}, "figure 'cell' has no parameter 'units': it takes no parameters"),
        ("units", {"units": 0}, "units must be between 1 and"),
        ("units", {"units": "3"}, "units must be an integer, got '3'"),
        ("units", {"units": True}, "units must be an integer, got True"),
        ("weights", {"units": 3, "input_dim": 2, "framework": "jax"}, "framework must be keras or pytorch"),
        ("unrolled", {"step": 4}, "figure 'unrolled' has no parameter 'step': it takes steps"),
    ],
)
def test_bad_kind_or_parameter_is_named(kind: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        render(kind, "en", **params)


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"):
        render("cell", "de")


def test_fences_replaced_keeping_indentation() -> None:
    page = (
        "# Title\n\n"
        "```figure\nkind: cell\n```\n\n"
        "=== \"Keras\"\n\n"
        "    ```figure\n    kind: weights\n    units: 3\n    input_dim: 2\n    ```\n\n"
        "text after\n"
    )
    out = render_figure_fences(page, "es")
    lines = out.split("\n")
    assert lines[0] == "# Title"
    figures = [line for line in lines if "<svg" in line]
    assert len(figures) == 2
    assert figures[0].startswith('<figure class="lstm-figure" style="width:100%"><svg')
    assert figures[1].startswith('    <figure class="lstm-figure" style="width:100%"><svg')
    assert out.endswith("text after\n")
    assert "```" not in out
    for line in figures:
        ET.fromstring(line.strip())
    # distinct ids when a page shows several pictures
    ids = re.findall(r'<title id="([^"]+)"', out)
    assert len(set(ids)) == 2


def test_other_code_blocks_untouched() -> None:
    page = "```python\nkind: cell\n```\n\n````markdown\n```figure\nkind: cell\n```\n````\n"
    assert render_figure_fences(page, "en") == page  # a figure fence shown as code stays code


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "text\n```figure\nkind: units\nunits: zero\n```\n",
            "figure fence at line 2: figure 'units': units must be an integer, got 'zero'",
        ),
        ("```figure\nunits: 3\n```\n", "figure fence at line 1: missing 'kind:"),
        ("```figure\nkind: cell\n", "figure fence at line 1 is never closed"),
        ("```figure\nkind cell\n```\n", "figure fence at line 1: line 2 'kind cell' is not 'key: value'"),
        ("\n\n```figure\nkind: wheel\n```\n", "figure fence at line 3: unknown figure kind 'wheel'"),
    ],
)
def test_bad_fence_names_line_and_problem(page: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        render_figure_fences(page, "en")


def test_pictures_survive_python_markdown_at_top_level_and_in_tabs() -> None:
    """The SVG reaches the HTML unchanged, whether the fence is top-level or in a tab."""
    import markdown

    page = (
        "Text.\n\n```figure\nkind: units\nunits: 3\n```\n\n"
        '=== "Keras"\n\n    ```figure\n    kind: weights\n    units: 3\n    input_dim: 2\n    ```\n\n'
        '!!! note "N"\n    ```figure\n    kind: cell\n    ```\n'
    )
    md = markdown.Markdown(
        extensions=["admonition", "attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.tabbed"],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )
    html = md.convert(render_figure_fences(page, "en"))
    expected = [
        render("units", "en", figure_id="fig-1-units", units=3),
        render("weights", "en", figure_id="fig-2-weights", units=3, input_dim=2),
        render("cell", "en", figure_id="fig-3-cell"),
    ]
    for svg in expected:
        assert svg in html


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_states_picture_puts_each_h_n_row_where_torch_takes_it(layers: int) -> None:
    """Row 2l of h_n is layer l forward, at the last step; row 2l + 1 is layer l backward, at
    the first step: torch's layout, which the outputs page's snippets print on real torch
    (tests/test_dual_run.py)."""
    root = parse(render("states", "en", layers=layers, steps=4))
    ns = "{http://www.w3.org/2000/svg}"
    labels = {t.text: float(t.get("x")) for t in root.iter(ns + "text") if (t.text or "").startswith("h_n[")}
    assert sorted(labels) == [f"h_n[{k}]" for k in range(2 * layers)]
    first, last = min(labels.values()), max(labels.values())
    for k, x in labels.items():
        row = int(k[4:-1])
        assert x == (last if row % 2 == 0 else first), k


def test_the_trace_draws_the_page_inputs_zero_states_and_one_returned_h() -> None:
    root = parse(render("trace", "en", units=3, inputs=[1.0, 2.0, 3.0, 4.0]))
    text = visible_text(root)
    assert "h₀ = (0, 0, 0)" in text and "c₀ = (0, 0, 0)" in text
    assert [f"x{s} = {v}" in text for s, v in zip("₁₂₃₄", "1234")] == [True] * 4
    assert text.count("returned") == 2  # "returned" at h_4, "not returned unless" below
    assert "3 numbers each" in text
    fr = visible_text(parse(render("trace", "fr", units=3, inputs=[0.5, 1.0])))
    assert "x₁ = 0,5" in fr


def test_the_trace_refuses_inputs_that_are_not_numbers() -> None:
    with pytest.raises(ValueError, match="inputs must be a list of numbers"):
        render("trace", "en", units=3, inputs="1, 2")


def test_the_cell_picture_carries_its_sizes() -> None:
    text = visible_text(parse(render("cell", "en")))
    assert "d + u values" in text and "dense layer with u outputs" in text


def test_a_trace_fence_takes_the_list_the_engine_writes() -> None:
    html = render_figure_fences("```figure\nkind: trace\nunits: 3\ninputs: [1.0, 2.0, 3.0, 4.0]\n```\n", "en")
    assert "x₄ = 4" in html
