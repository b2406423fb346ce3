"""The formulas as data: exact counts, LaTeX, JSON catalog, and agreement between the factored
total (derived from the weight list) and the sum of the weights' sizes."""

import itertools
import json

import pytest

from lstm_docs import formulas as F
from lstm_docs import kinds


def takes(framework, kind, option):
    return option in {o.name for o in kinds.options(framework, kind)}


KERAS = [("keras", k, dict(use_bias=b, bidirectional=bi, **({"reset_after": r} if takes("keras", k, "reset_after") else {})))
         for k in kinds.names("keras")
         for b, bi, r in itertools.product((True, False), (True, False), (True, False))
         if (takes("keras", k, "reset_after") or r) and (takes("keras", k, "bidirectional") or not bi)]
TORCH = [("pytorch", k, dict(bias=b, bidirectional=bi, num_layers=n, **({"proj_size": ps} if takes("pytorch", k, "proj_size") else {})))
         for k in kinds.names("pytorch")
         for b, bi, n, ps in itertools.product((True, False), (True, False), (1, 3), (0, 2))
         if (takes("pytorch", k, "proj_size") or ps == 0) and (takes("pytorch", k, "num_layers") or (not bi and n == 1))]
ALL = KERAS + TORCH


@pytest.mark.parametrize("framework,kind,options", ALL, ids=[f"{f}-{k}-{o}" for f, k, o in ALL])
def test_factored_total_equals_sum_of_weight_sizes_symbolically(framework, kind, options):
    f = F.formula(framework, kind, **options)
    sizes = F.add(*(s.size for s in F.weights(framework, kind, **options)))
    area = {"k": F.mul(F.Var("kh"), F.Var("kw"))}  # ConvLSTM2D's count writes k = kh*kw

    def expanded(e):
        return e.substitute(area).polynomial()

    assert expanded(f.total) == sizes.polynomial()
    assert expanded(F.add(*f.terms["weights"].values())) == sizes.polynomial()
    assert expanded(F.add(*f.terms["gates"].values())) == sizes.polynomial()


@pytest.mark.parametrize("framework,kind,options,d,u,expected", [
    ("keras", "lstm", {}, 2, 3, 72),
    ("keras", "lstm", {"bidirectional": True}, 2, 3, 144),
    ("keras", "gru", {}, 2, 3, 3 * 3 * (2 + 3 + 2)),
    ("keras", "gru", {"reset_after": False}, 2, 3, 3 * 3 * (2 + 3 + 1)),
    ("keras", "simple_rnn", {"use_bias": False}, 5, 7, 7 * (5 + 7)),
    ("keras", "lstm", {}, 8, 16, 1600),
    ("keras", "gru", {}, 16, 4, 264),
    ("pytorch", "lstm", {}, 4096, 256, 4 * 256 * (4096 + 256 + 2)),
    ("pytorch", "lstm", {"num_layers": 2}, 10, 20, 4 * 20 * (10 + 20 + 2) + 4 * 20 * (20 + 20 + 2)),
    ("pytorch", "lstm", {"proj_size": 5, "bidirectional": True}, 10, 20, 2 * (4 * 20 * (10 + 5 + 2) + 5 * 20)),
    ("pytorch", "lstm", {"proj_size": 5, "bidirectional": True, "num_layers": 2}, 10, 20,
     2 * (4 * 20 * (10 + 5 + 2) + 5 * 20) + 2 * (4 * 20 * (10 + 5 + 2) + 5 * 20)),
    ("pytorch", "gru", {"bias": False}, 3, 4, 3 * 4 * (3 + 4)),
    ("pytorch", "rnn", {"bidirectional": True, "num_layers": 2}, 3, 4, 2 * 4 * (3 + 4 + 2) + 2 * 4 * (8 + 4 + 2)),
])
def test_count_known_values(framework, kind, options, d, u, expected):
    assert F.count(framework, kind, input_dim=d, units=u, **options) == expected


def test_count_is_exact_for_huge_sizes():
    big = 10**30
    assert F.count("keras", "lstm", input_dim=big, units=big) == 4 * big * (2 * big + 1)


@pytest.mark.parametrize("framework,kind,options,latex", [
    ("keras", "lstm", {}, "4u(d + u + 1)"),
    ("keras", "lstm", {"use_bias": False}, "4u(d + u)"),
    ("keras", "gru", {}, "3u(d + u + 2)"),
    ("keras", "gru", {"reset_after": False}, "3u(d + u + 1)"),
    ("keras", "simple_rnn", {}, "u(d + u + 1)"),
    ("keras", "lstm", {"bidirectional": True}, "8u(d + u + 1)"),
    ("pytorch", "lstm", {}, "4h(d + h + 2)"),
    ("pytorch", "gru", {}, "3h(d + h + 2)"),
    ("pytorch", "rnn", {"bias": False}, "h(d + h)"),
    ("pytorch", "lstm", {"proj_size": 1}, "4h(d + p + 2) + hp"),
    ("pytorch", "lstm", {"num_layers": 2}, "4h(d + h + 2) + 4h(2h + 2)"),
])
def test_latex(framework, kind, options, latex):
    assert F.formula(framework, kind, **options).latex() == latex


def test_weight_names_shapes_and_gate_order():
    env = {"d": 2, "u": 3, "p": 0}
    keras = F.weights("keras", "gru")
    assert [(w.name, w.evaluate_shape(env), w.role, w.gates) for w in keras] == [
        ("kernel", (2, 9), "input", ("z", "r", "h")),
        ("recurrent_kernel", (3, 9), "recurrent", ("z", "r", "h")),
        ("bias", (2, 9), "bias", ("z", "r", "h")),
    ]
    bi = [w.name for w in F.weights("keras", "lstm", bidirectional=True)]
    assert bi[0] == "forward_lstm/lstm_cell/kernel" and bi[-1] == "backward_lstm/lstm_cell/bias"
    torch = F.weights("pytorch", "lstm", proj_size=1, bidirectional=True)
    assert [w.name for w in torch] == [
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
        "weight_hr_l0_reverse",
    ]
    assert torch[0].gates == ("i", "f", "g", "o")
    assert torch[4].role == "projection" and torch[4].evaluate_shape({"d": 2, "u": 3, "p": 1}) == (1, 3)
    upper = F.weights("pytorch", "gru", num_layers=2, bidirectional=True)
    assert upper[8].name == "weight_ih_l1" and upper[8].evaluate_shape(env) == (9, 6)


def test_catalog_schema_and_evaluation():
    cat = json.loads(json.dumps(F.catalog()))
    assert cat["version"] == 1 and set(cat["variables"]) == {"d", "u", "p", "D", "kh", "kw", "k"}
    combos = {(e["framework"], e["kind"], json.dumps(e["options"], sort_keys=True), e.get("layer")) for e in cat["layers"]}
    # layers: Keras 4 + 8 + 4, PyTorch (8 + 4 + 4) first and upper; cells: Keras 2 + 4 + 2,
    # PyTorch 2 + 2 + 2; ConvLSTM2D (Keras only): 4
    assert len(combos) == len(cat["layers"]) == 4 + 8 + 4 + (8 + 4 + 4) * 2 + (2 + 4 + 2) + (2 + 2 + 2) + 4
    for e in cat["layers"]:
        env = {"d": 7, "u": 5, "p": 2, "kh": 3, "kw": 2, "k": 6}
        if e.get("layer") == "upper":
            env["D"] = F.evaluate_json(e["D"], env)
        total = F.evaluate_json(e["total"], env)
        sizes = 0
        for w in e["weights"]:
            prod = 1
            for dim in w["shape"]:
                prod *= F.evaluate_json(dim, env)
            sizes += prod
        assert total == sizes, e


def test_catalog_upper_layer_matches_stacked_count():
    cat = F.catalog()
    first, upper = [e for e in cat["layers"] if e["framework"] == "pytorch" and e["kind"] == "lstm"
                    and e["options"] == {"bias": True, "bidirectional": True, "proj": True}]
    env = {"d": 7, "u": 5, "p": 2}
    env_upper = dict(env, D=F.evaluate_json(upper["D"], env))
    stacked = F.evaluate_json(first["total"], env) + 2 * F.evaluate_json(upper["total"], env_upper)
    assert stacked == F.count("pytorch", "lstm", input_dim=7, units=5, proj_size=2, bidirectional=True, num_layers=3)


def test_json_roundtrip():
    expr = F.formula("pytorch", "lstm", proj_size=3, num_layers=2).total
    assert F.from_json(json.loads(json.dumps(expr.to_json()))).evaluate({"d": 4, "u": 9, "p": 3}) == expr.evaluate(
        {"d": 4, "u": 9, "p": 3})


@pytest.mark.parametrize("kwargs,match", [
    (dict(input_dim=2, units=0), r"units must be >= 1, got 0"),
    (dict(input_dim=2, units=-3), r"units must be >= 1, got -3"),
    (dict(input_dim=2, units=3.0), r"units must be a whole number >= 1, got 3.0 \(float\)"),
    (dict(input_dim=2, units=True), r"units must be a whole number >= 1, got True \(bool\)"),
    (dict(input_dim="2", units=3), r"input_dim must be a whole number >= 1, got '2' \(str\)"),
])
def test_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        F.count("keras", "lstm", **kwargs)


def test_bad_options():
    with pytest.raises(ValueError, match="kind must be one of 'lstm', 'gru', 'simple_rnn', 'lstm_cell', 'gru_cell', 'simple_rnn_cell', 'conv_lstm2d', got 'rnn'"):
        F.count("keras", "rnn", input_dim=1, units=1)
    with pytest.raises(ValueError, match="unknown option 'bias'"):
        F.count("keras", "lstm", input_dim=1, units=1, bias=False)
    with pytest.raises(ValueError, match="proj_size is only supported by LSTM"):
        F.count("pytorch", "gru", input_dim=1, units=1, proj_size=1)
    with pytest.raises(ValueError, match="proj_size must be smaller than hidden_size"):
        F.count("pytorch", "lstm", input_dim=1, units=3, proj_size=3)
    with pytest.raises(ValueError, match="keras lstm: reset_after is a GRU or GRUCell option, got reset_after=False"):
        F.count("keras", "lstm", input_dim=1, units=1, reset_after=False)
    with pytest.raises(ValueError, match="use_bias must be True or False, got 'no'"):
        F.count("keras", "lstm", input_dim=1, units=1, use_bias="no")
