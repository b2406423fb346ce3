"""The data lstm_docs.calculator emits for the site's calculator evaluates, in Python, to
``lstm_docs.formulas.count`` -- the same algorithm calculator.js runs with BigInt.

``evaluate``/``count_from_data`` below mirror docs/assets/calculator.js (pick the catalog
entry of the options; a PyTorch stack is ``first + (L - 1) * upper`` with ``D`` substituted);
the browser tests (tests/test_calculator.py) check the JS itself against the same numbers.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest

from lstm_docs import calculator, formulas, kinds, numbers, strings

BIG = 2**53 + 1  # first integer a float64 cannot hold
SIZES = [(1, 1), (2, 3), (4096, 256), (BIG, 7), (3, BIG), (10**18, 10**18)]


def evaluate(expr: Any, env: dict[str, int]) -> int:
    """A catalog EXPR evaluated the way calculator.js does (no use of lstm_docs' classes)."""
    if isinstance(expr, int):
        return expr
    if isinstance(expr, str):
        return env[expr]
    op, *args = expr
    values = [evaluate(a, env) for a in args]
    if op == "+":
        return sum(values)
    assert op == "*", expr
    out = 1
    for v in values:
        out *= v
    return out


def entry(data: dict, framework: str, kind: str, options: dict, layer: str | None = None) -> dict:
    found = [
        e for e in data["catalog"]["layers"]
        if e["framework"] == framework and e["kind"] == kind and e.get("layer") == layer
        and all(options.get(k) == v for k, v in e["options"].items())
    ]
    assert len(found) == 1, (framework, kind, options, layer)
    return found[0]


def count_from_data(data: dict, framework: str, kind: str, d: int, u: int, **o: Any) -> int:
    if framework == "keras":
        opts = {"use_bias": o.get("use_bias", True), "bidirectional": o.get("bidirectional", False)}
        if kind == "gru":
            opts["reset_after"] = o.get("reset_after", True)
        e = entry(data, "keras", kind, opts)
        return evaluate(e["total"], {"d": d, "u": u})
    p, layers = o.get("proj_size", 0), o.get("num_layers", 1)
    opts = {"bias": o.get("bias", True), "bidirectional": o.get("bidirectional", False)}
    if kind == "lstm":
        opts["proj"] = p > 0
    env = {"d": d, "u": u, "p": p}
    first = entry(data, "pytorch", kind, opts, "first")
    total = evaluate(first["total"], env)
    # Weights must add up to the factored total, per template.
    assert total == sum(_size(w, env) for w in first["weights"])
    if layers > 1:
        upper = entry(data, "pytorch", kind, opts, "upper")
        env_u = dict(env, D=evaluate(upper["D"], env))
        upper_total = evaluate(upper["total"], env_u)
        assert upper_total == sum(_size(w, env_u) for w in upper["weights"])
        total += (layers - 1) * upper_total
    return total


def _size(weight: dict, env: dict[str, int]) -> int:
    out = 1
    for dim in weight["shape"]:
        out *= evaluate(dim, env)
    return out


def configurations():
    """Every option combination of every layer kind, with PyTorch stacks and projections."""
    for kind in ("lstm", "gru", "simple_rnn"):
        for use_bias, bidi in itertools.product((True, False), repeat=2):
            for reset_after in ((True, False) if kind == "gru" else (None,)):
                opts = {"use_bias": use_bias, "bidirectional": bidi}
                if reset_after is not None:
                    opts["reset_after"] = reset_after
                yield "keras", kind, opts
    for kind in ("lstm", "gru", "rnn"):
        for bias, bidi, layers in itertools.product((True, False), (True, False), (1, 2, 5)):
            for proj in ((0, 1) if kind == "lstm" else (0,)):
                yield "pytorch", kind, {"bias": bias, "bidirectional": bidi, "num_layers": layers, "proj_size": proj}


@pytest.fixture(scope="module")
def data() -> dict:
    return calculator.calculator_data("en")


@pytest.mark.parametrize(("framework", "kind", "options"), list(configurations()),
                         ids=lambda x: x if isinstance(x, str) else ",".join(f"{k}={v}" for k, v in x.items()))
def test_emitted_formulas_equal_lstm_docs_count(data, framework, kind, options):
    for d, u in SIZES:
        opts = dict(options)
        if opts.get("proj_size"):
            if u < 2:
                continue
            opts["proj_size"] = u // 2  # any 0 < p < u
        expected = formulas.count(framework, kind, input_dim=d, units=u, **opts)
        assert count_from_data(data, framework, kind, d, u, **opts) == expected, (d, u, opts)


def test_counts_above_2_to_the_53_are_exact(data):
    got = count_from_data(data, "keras", "lstm", BIG, BIG)
    assert got == 4 * BIG * (BIG + BIG + 1)
    assert int(float(got)) != got  # float64 arithmetic would have rounded it


@pytest.mark.parametrize("lang", strings.LANGUAGES)
def test_data_of_each_language(lang):
    data = calculator.calculator_data(lang)
    assert data["lang"] == lang
    assert data["catalog"] == formulas.catalog()
    assert json.loads(json.dumps(data)) == data  # JSON-serialisable
    table = strings.table("calculator")
    assert data["strings"] == {key: texts[lang] for key, texts in table.items()}
    conv = numbers.CONVENTIONS[lang]
    assert data["number"] == {"group": conv.group, "groups": list(conv.groups), "decimal": conv.decimal,
                              "min_grouped": conv.min_grouped}
    assert int(data["limits"]["size_max"]) == calculator.SIZE_MAX > 2**53
    assert data["symbols"] == formulas.SYMBOLS
    assert data["kinds"] == calculator.calculator_data("en")["kinds"]  # no text of the page's language


def test_kinds_are_the_registry_in_its_order():
    data = calculator.calculator_data("en")
    assert [k["key"] for k in data["kinds"]] == [k.key for k in kinds.KINDS]
    for item, kind in zip(data["kinds"], kinds.KINDS):
        assert item["names"] == kind.names
        assert item["classes"] == kind.classes
        assert item["gates"] == {fw: list(g) for fw, g in kind.gates.items()}
        assert item["aliases"] == list(kind.aliases)
    classes = {fw: {k["names"][fw]: k["classes"][fw] for k in data["kinds"] if fw in k["names"]}
               for fw in kinds.FRAMEWORKS}
    assert classes["keras"] == formulas.KERAS_CLASS
    assert classes["pytorch"] == {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN",  # the names nn.* has
                                  "lstm_cell": "LSTMCell", "gru_cell": "GRUCell", "rnn_cell": "RNNCell"}


def test_every_catalog_entry_is_a_registry_kind_with_its_gates():
    data = calculator.calculator_data("en")
    by_name = {(fw, k["names"][fw]): k for k in data["kinds"] for fw in k["names"]}
    for e in data["catalog"]["layers"]:
        kind = by_name[(e["framework"], e["kind"])]
        assert e["gates"] == kind["gates"][e["framework"]], (e["framework"], e["kind"])
    assert set(by_name) == {(e["framework"], e["kind"]) for e in data["catalog"]["layers"]}


@pytest.mark.parametrize("lang", strings.LANGUAGES)
def test_every_gate_has_a_label_in_each_language(lang):
    data = calculator.calculator_data(lang)
    for kind in data["kinds"]:
        for fw, labels in kind["gate_strings"].items():
            assert list(labels) == kind["gates"][fw]
            for gate, key in labels.items():
                assert data["strings"].get(key), f"{kind['key']} {fw} gate {gate}: no string {key}"
    rnn = next(k for k in data["kinds"] if k["key"] == "simple_rnn")
    assert rnn["gate_strings"] == {"keras": {"h": "gate_rnn_h"}, "pytorch": {"h": "gate_rnn_h"}}


def test_every_string_has_all_languages_and_consistent_placeholders():
    for key, texts in strings.table("calculator").items():
        assert set(texts) == set(strings.LANGUAGES), key
        holes = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in texts.items()}
        assert len({frozenset(h) for h in holes.values()}) == 1, f"{key}: placeholders differ: {holes}"


def test_script_tag_cannot_be_closed_by_its_content():
    tag = calculator.script_tag({"x": "</script><img src=x onerror=alert(1)>&amp;"})
    body = tag[tag.index(">") + 1: tag.rindex("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"x": "</script><img src=x onerror=alert(1)>&amp;"}


def test_inject_puts_the_data_before_body_end_once():
    html = '<html lang="fr"><body><div class="lstm-calculator" data-compact></div></body></html>'
    out = calculator.inject(html, {"a": 1})
    assert out.count('id="lstm-calculator-data"') == 1
    assert out.endswith('{"a":1}</script></body></html>')


def test_page_with_data_only_where_a_calculator_is():
    plain = '<html lang="fr"><body><p>lstm-calculator</p></body></html>'
    assert calculator.page_with_data(plain, "fr/units.md", "fr/units/", "units", True) == plain
    page = '<html lang="fr"><body><div class="lstm-calculator" data-compact></div></body></html>'
    out = calculator.page_with_data(page, "fr/parameters.md", "fr/parameters/", "parameters", True)
    body = out[out.index('id="lstm-calculator-data">') + len('id="lstm-calculator-data">'): out.rindex("</script>")]
    assert json.loads(body) == calculator.calculator_data("fr", "../calculator/", "../legacy/")


def test_page_language():
    assert calculator.page_language('<html lang="zh" class="no-js">', "zh/calculator.md") == "zh"
    assert calculator.page_language("<html>", "es/calculator.md") == "es"
    assert calculator.page_language('<html lang="de">', "calculator.md") == "en"


@pytest.mark.parametrize(("url", "name", "directory_urls", "expected"), [
    ("parameters/", "parameters", True, "../calculator/"),
    ("fr/parameters/", "parameters", True, "../calculator/"),
    ("calculator/", "calculator", True, ""),
    ("", "index", True, "calculator/"),
    ("fr/", "index", True, "calculator/"),
    ("fr/parameters.html", "parameters", False, "calculator.html"),
])
def test_calculator_link(url, name, directory_urls, expected):
    assert calculator.calculator_link(url, name, directory_urls) == expected


@pytest.mark.parametrize(("url", "name", "directory_urls", "expected"), [
    ("calculator/", "calculator", True, "../legacy/"),
    ("fr/calculator/", "calculator", True, "../legacy/"),
    ("legacy/", "legacy", True, ""),
    ("zh/calculator.html", "calculator", False, "legacy.html"),
])
def test_link_to_the_old_answers_page(url, name, directory_urls, expected):
    assert calculator.calculator_link(url, name, directory_urls, calculator.LEGACY_PAGE) == expected


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        calculator.calculator_data("de")


# ---------------------------------------------------------------------------------------------
# A kind in one framework only: ConvLSTM2D (Keras), with its kernel-size fields

KERNELS = [(1, 1), (3, 3), (5, 2), (BIG, 3)]


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_conv_lstm2d_from_data_equals_formulas_count(data, use_bias, bidirectional):
    sizes = {z["var"] for z in data["sizes"]}
    assert sizes == {"kh", "kw"} and data["derived"] == {"k": ["*", "kh", "kw"]}
    e = entry(data, "keras", "conv_lstm2d", {"use_bias": use_bias, "bidirectional": bidirectional})
    for (d, u), (kh, kw) in itertools.product(SIZES, KERNELS):
        env = {"d": d, "u": u, "kh": kh, "kw": kw}
        env["k"] = evaluate(data["derived"]["k"], env)
        expected = formulas.count("keras", "conv_lstm2d", input_dim=d, units=u, kernel_size=(kh, kw),
                                  use_bias=use_bias, bidirectional=bidirectional)
        assert evaluate(e["total"], env) == expected == sum(_size(w, env) for w in e["weights"])


def test_a_kind_one_framework_lacks_has_no_names_there(data):
    conv = next(k for k in data["kinds"] if k["key"] == "conv_lstm2d")
    assert conv["names"] == {"keras": "conv_lstm2d"} and conv["classes"] == {"keras": "ConvLSTM2D"}
    assert not [e for e in data["catalog"]["layers"] if e["framework"] == "pytorch" and e["kind"] == "conv_lstm2d"]
    uses = {e["kind"] for e in data["catalog"]["layers"] if "kh" in json.dumps(e["weights"])}
    assert uses == {"conv_lstm2d"}  # the kernel fields show for it alone
    for key in ("var_kh", "var_kw", "var_kh_hint", "var_kw_hint", "var_k", "compare_none_kind"):
        assert key in data["strings"]


# ---------------------------------------------------------------------------------------------
# In old answers: the legacy layouts' data, read as calculator.js reads it

SAME_OPTION = {"use_bias": "bias", "bias": "use_bias"}


def legacy_from_data(data: dict, framework: str, kind: str, d: int, u: int, **o: Any) -> dict[str, int]:
    """layout -> count of each row of the JS's "In old answers" block (Model.legacy), computed
    from the data alone: options the reader changed are carried, the rest take the layout's
    defaults; a layout lacking a changed option has no row."""
    item = next(k for k in data["kinds"] if k["names"].get(framework) == kind)
    usual = {"use_bias": True, "bias": True, "bidirectional": False, "reset_after": True, "proj": False}
    own = {k: o.get(k, usual[k]) for k in ("use_bias", "bidirectional", "reset_after") if framework == "keras"
           and (k != "reset_after" or kind == "gru")}
    if framework == "pytorch":
        own = {"bias": o.get("bias", True), "bidirectional": o.get("bidirectional", False)}
    out = {}
    for layout in data["legacy"]["layouts"]:
        name = layout["kinds"].get(item["key"])
        entries = [e for e in data["catalog"]["legacy"] if e["layout"] == layout["layout"] and e["kind"] == name]
        if not entries:
            continue
        takes = entries[0]["options"]
        if any(v != usual[k] and k not in takes and SAME_OPTION.get(k) not in takes for k, v in own.items()):
            continue
        wanted = {}
        for option in takes:
            source = option if option in own else SAME_OPTION.get(option) if SAME_OPTION.get(option) in own else None
            wanted[option] = own[source] if source and own[source] != usual[source] else layout["defaults"][option]
        (e,) = [e for e in entries if e["options"] == wanted]
        out[layout["layout"]] = evaluate(e["total"], {"d": d, "u": u})
        assert out[layout["layout"]] == sum(_size(w, {"d": d, "u": u}) for w in e["weights"])
    return out


def test_legacy_data_is_the_registry(data):
    layouts = data["legacy"]["layouts"]
    assert [x["layout"] for x in layouts] == list(kinds.legacy_keys())
    for item, entry in zip(layouts, kinds.LEGACY):
        assert item["kinds"] == {k.key: k.names[entry.key] for k in entry.kinds}
        for kind in item["kinds"].values():
            defaults = formulas.settings(entry.key, kind)
            for option, default in item["defaults"].items():
                if option in defaults:
                    assert defaults[option] == default, (entry.key, kind, option)
        catalog_options = {o for e in data["catalog"]["legacy"] if e["layout"] == entry.key for o in e["options"]}
        assert set(item["defaults"]) == catalog_options, entry.key
        assert set(item["notes"]) <= catalog_options
    assert layouts[-1]["defaults"]["reset_after"] is False  # Keras 2's GRU default
    assert data["legacy"]["frameworks"] == {fw: f"legacy_label_{fw}" for fw in kinds.FRAMEWORKS}
    assert data["legacy"]["url"] == ""
    assert calculator.calculator_data("en", "", "../legacy/")["legacy"]["url"] == "../legacy/"


@pytest.mark.parametrize("lang", strings.LANGUAGES)
def test_every_legacy_label_and_note_has_a_string(lang):
    data = calculator.calculator_data(lang)
    keys = [x["label"] for x in data["legacy"]["layouts"]] + list(data["legacy"]["frameworks"].values())
    keys += [n for x in data["legacy"]["layouts"] for n in x["notes"].values()]
    keys += ["legacy", "legacy_intro", "legacy_why"]
    for key in keys:
        assert data["strings"].get(key), f"no string {key} in {lang}"
    notes = {(x["layout"], o) for x in data["legacy"]["layouts"] for o in x["notes"]}
    assert notes == {("tf1", "bidirectional"), ("onnx", "bidirectional")}  # how each holds two directions
    assert data["legacy"] == calculator.calculator_data("en")["legacy"]  # no text of the page's language


LEGACY_CONFIGS = [("keras", k, {"use_bias": b, "bidirectional": bi, **({"reset_after": r} if k == "gru" else {})})
                  for k in ("lstm", "gru") for b in (True, False) for bi in (False, True)
                  for r in ((True, False) if k == "gru" else (None,))]
LEGACY_CONFIGS += [("pytorch", k, {"bias": b, "bidirectional": bi}) for k in ("lstm", "gru")
                   for b in (True, False) for bi in (False, True)]


@pytest.mark.parametrize(("framework", "kind", "options"), LEGACY_CONFIGS,
                         ids=lambda x: x if isinstance(x, str) else ",".join(f"{k}={v}" for k, v in x.items()))
def test_legacy_rows_from_data_equal_formulas_count(data, framework, kind, options):
    defaults = formulas.settings(framework, kind)
    changed = {k: v for k, v in options.items() if v != defaults[k]}
    for d, u in SIZES:
        got = legacy_from_data(data, framework, kind, d, u, **options)
        for layout, value in got.items():
            own = kinds.own(layout, kinds.resolve(framework, kind).names["keras"])
            takes = {o.name for o in kinds.options(layout, own.names[layout]) if o.catalog}
            values = {(k if k in takes else SAME_OPTION[k]): v for k, v in changed.items()}
            assert value == formulas.count(layout, own.names[layout], input_dim=d, units=u, **values), (layout, d, u)
    assert got, "every LSTM and GRU has some old layout"


def test_legacy_examples_of_the_issue(data):
    gru = legacy_from_data(data, "keras", "gru", 13, 20)
    assert gru == {"cudnn": formulas.count("cudnn", "gru", input_dim=13, units=20),
                   "onnx": formulas.count("onnx", "gru", input_dim=13, units=20),
                   "keras2": formulas.count("keras2", "gru", input_dim=13, units=20)}
    assert gru["keras2"] == formulas.count("keras", "gru", input_dim=13, units=20, reset_after=False)
    lstm = legacy_from_data(data, "keras", "lstm", 300, 300, bidirectional=True)
    assert lstm == {layout: formulas.count(layout, "lstm", input_dim=300, units=300, bidirectional=True)
                    for layout in ("cudnn", "tf1", "onnx", "keras2")}
    assert legacy_from_data(data, "keras", "gru", 13, 20, reset_after=False) == {"keras2": gru["keras2"]}
