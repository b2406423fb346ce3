"""The legacy layouts (Keras 2's CuDNN layers, TF1's LSTMCell, ONNX's LSTM/GRU, Keras 2's
defaults) through the layer-kind registry: counts, weight lists, LaTeX and facts derive from
their one definition in ``lstm_docs.kinds`` and leave the mirrored frameworks untouched.
The real-framework cross-checks of the conversions are tests/test_crosscheck_legacy.py."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from lstm_docs import cells, facts, kinds, legacy, legacy_forward
from lstm_docs import formulas as F
from lstm_docs import keras as mirror_keras
from lstm_docs.pytorch import nn as mirror_nn

LAYOUTS = kinds.legacy_keys()


def combos():
    """Every (layout, kind, options) the catalog enumerates, plus bidirectional where taken."""
    out = []
    for key in LAYOUTS:
        for kind in kinds.names(key):
            listed = [o for o in kinds.options(key, kind) if o.catalog is not None]
            for values in itertools.product(*(o.catalog[1] for o in listed)):
                out.append((key, kind, {o.name: v for o, v in zip(listed, values)}))
    return out


COMBOS = combos()


# ---------------------------------------------------------------- the registry


def test_the_legacy_layouts_leave_the_frameworks_alone():
    assert kinds.FRAMEWORKS == ("keras", "pytorch")
    assert LAYOUTS == ("cudnn", "tf1", "onnx", "keras2")
    assert not set(LAYOUTS) & {fw for k in kinds.KINDS for fw in k.names}
    assert {e["framework"] for e in F.catalog()["layers"]} == set(kinds.FRAMEWORKS)
    assert {e["layout"] for e in F.catalog()["legacy"]} == set(LAYOUTS)


def test_each_layout_names_its_classes_and_gates_in_storage_order():
    table = {(key, k.names[key]): (k.classes[key], k.gates[key], k.cells_gates(key))
             for key in LAYOUTS for k in kinds.of(key)}
    assert table == {
        ("cudnn", "lstm"): ("CuDNNLSTM", ("i", "f", "c", "o"), ("i", "f", "g", "o")),
        ("cudnn", "gru"): ("CuDNNGRU", ("z", "r", "h"), ("z", "r", "n")),
        ("tf1", "lstm"): ("LSTMCell", ("i", "j", "f", "o"), ("i", "g", "f", "o")),
        ("onnx", "lstm"): ("LSTM", ("i", "o", "f", "c"), ("i", "o", "f", "g")),
        ("onnx", "gru"): ("GRU", ("z", "r", "h"), ("z", "r", "n")),
        ("keras2", "lstm"): ("LSTM", ("i", "f", "c", "o"), ("i", "f", "g", "o")),
        ("keras2", "gru"): ("GRU", ("z", "r", "h"), ("z", "r", "n")),
    }
    for key in LAYOUTS:  # every gate maps to one cells gate of the same kind
        for k in kinds.of(key):
            assert sorted(k.cells_gates(key)) == sorted(kinds.get(k.key).cells_gates("pytorch"))


def test_a_kind_a_layout_lacks_is_refused_in_one_line():
    with pytest.raises(ValueError, match="^tf1 has no equivalent of keras GRU / pytorch GRU$"):
        kinds.resolve("tf1", "gru")
    with pytest.raises(ValueError, match="^legacy layout must be one of 'cudnn', 'tf1', 'onnx', 'keras2', got 'tf2'$"):
        kinds.legacy("tf2")
    with pytest.raises(ValueError, match="framework must be one of 'keras', 'pytorch', 'cudnn', 'tf1', 'onnx', "
                                         "'keras2', got 'caffe'"):
        F.count("caffe", "lstm", input_dim=1, units=1)


# ---------------------------------------------------------------- counts and weights


@pytest.mark.parametrize("layout, kind, options", COMBOS, ids=[f"{k}-{n}-{o}" for k, n, o in COMBOS])
def test_count_equals_the_elements_of_the_weight_list(layout, kind, options):
    specs = F.weights(layout, kind, **options)
    sizes = F.add(*(s.size for s in specs))
    formula = F.formula(layout, kind, **options)
    assert formula.total.polynomial() == sizes.polynomial()
    assert F.add(*formula.terms["gates"].values()).polynomial() == sizes.polynomial()
    d, u = 7, 5
    arrays = [np.zeros(s.evaluate_shape({"d": d, "u": u})) for s in specs]
    assert F.count(layout, kind, input_dim=d, units=u, **options) == sum(a.size for a in arrays)


@pytest.mark.parametrize("layout, kind, options, d, u, expected", [
    ("keras2", "gru", {}, 13, 20, 3 * 20 * (13 + 20 + 1)),  # 2040: reset_after=False
    ("keras2", "gru", {"reset_after": True}, 13, 20, 3 * 20 * (13 + 20 + 2)),
    ("cudnn", "lstm", {"bidirectional": True}, 300, 300, 2 * 4 * 300 * (300 + 300 + 2)),  # 1,444,800
    ("cudnn", "gru", {}, 13, 20, 3 * 20 * (13 + 20 + 2)),
    ("tf1", "lstm", {}, 10, 8, 4 * 8 * (10 + 8 + 1)),
    ("tf1", "lstm", {"bidirectional": True}, 10, 8, 2 * 4 * 8 * (10 + 8 + 1)),
    ("onnx", "lstm", {"bidirectional": True}, 10, 8, 2 * 4 * 8 * (10 + 8 + 2)),
    ("onnx", "gru", {"bias": False}, 10, 8, 3 * 8 * (10 + 8)),
    ("keras2", "lstm", {"use_bias": False}, 10, 8, 4 * 8 * (10 + 8)),
])
def test_known_counts(layout, kind, options, d, u, expected):
    assert F.count(layout, kind, input_dim=d, units=u, **options) == expected


def test_the_counts_a_reader_compares():
    assert (F.count("keras2", "gru", input_dim=13, units=20), F.count("keras", "gru", input_dim=13, units=20)) == (
        2040, 2100)
    cudnn = F.count("cudnn", "lstm", input_dim=300, units=300, bidirectional=True)
    keras = F.count("keras", "lstm", input_dim=300, units=300, bidirectional=True)
    assert (cudnn, keras, cudnn - keras) == (1_444_800, 1_442_400, 2 * 4 * 300)  # one more bias set per direction
    assert F.count("cudnn", "lstm", input_dim=300, units=300) == F.count("pytorch", "lstm", input_dim=300, units=300)


@pytest.mark.parametrize("layout, kind, options, latex", [
    ("cudnn", "lstm", {}, "4u(d + u + 2)"),
    ("cudnn", "gru", {"bidirectional": True}, "6u(d + u + 2)"),
    ("tf1", "lstm", {}, "4u(d + u + 1)"),
    ("onnx", "lstm", {}, "4h(d + h + 2)"),
    ("onnx", "gru", {"bidirectional": True}, "6h(d + h + 2)"),
    ("onnx", "gru", {"bias": False}, "3h(d + h)"),
    ("keras2", "gru", {}, "3u(d + u + 1)"),
    ("keras2", "lstm", {}, "4u(d + u + 1)"),
])
def test_latex(layout, kind, options, latex):
    assert F.formula(layout, kind, **options).latex() == latex


def test_weight_names_and_shapes_are_the_layouts():
    env = {"d": 3, "u": 5}

    def listed(layout, kind, **options):
        return [(w.name, w.evaluate_shape(env), w.role) for w in F.weights(layout, kind, **options)]

    assert listed("cudnn", "lstm") == [("kernel", (3, 20), "input"), ("recurrent_kernel", (5, 20), "recurrent"),
                                       ("bias", (40,), "bias")]
    assert [n for n, _, _ in listed("cudnn", "gru", bidirectional=True)] == [
        "forward_cu_dnngru/kernel", "forward_cu_dnngru/recurrent_kernel", "forward_cu_dnngru/bias",
        "backward_cu_dnngru/kernel", "backward_cu_dnngru/recurrent_kernel", "backward_cu_dnngru/bias"]
    assert listed("tf1", "lstm") == [("rnn/lstm_cell/kernel", (8, 20), "fused"), ("rnn/lstm_cell/bias", (20,), "bias")]
    assert [n for n, _, _ in listed("tf1", "lstm", bidirectional=True)] == [
        "bidirectional_rnn/fw/lstm_cell/kernel", "bidirectional_rnn/fw/lstm_cell/bias",
        "bidirectional_rnn/bw/lstm_cell/kernel", "bidirectional_rnn/bw/lstm_cell/bias"]
    # ONNX keeps the num_directions axis, 1 included, and holds both directions in one tensor
    assert listed("onnx", "lstm") == [("W", (1, 20, 3), "input"), ("R", (1, 20, 5), "recurrent"),
                                      ("B", (1, 40), "bias")]
    assert listed("onnx", "gru", bidirectional=True) == [
        ("W", (2, 15, 3), "input"), ("R", (2, 15, 5), "recurrent"), ("B", (2, 30), "bias")]
    assert listed("keras2", "gru") == [("kernel", (3, 15), "input"), ("recurrent_kernel", (5, 15), "recurrent"),
                                       ("bias", (15,), "bias")]
    assert [n for n, _, _ in listed("keras2", "lstm", bidirectional=True)][:1] == ["forward_lstm/kernel"]


def test_options_follow_each_layouts_table():
    with pytest.raises(ValueError, match="^cudnn lstm: unknown option 'use_bias'; known options: bidirectional$"):
        F.count("cudnn", "lstm", input_dim=1, units=1, use_bias=False)
    with pytest.raises(ValueError, match="^onnx lstm: linear_before_reset is a GRU option, got linear_before_reset=1$"):
        F.weights("onnx", "lstm", linear_before_reset=1)
    with pytest.raises(ValueError, match="^onnx gru: linear_before_reset must be 0 or 1, got 2$"):
        F.weights("onnx", "gru", linear_before_reset=2)
    with pytest.raises(ValueError, match="^tf1 lstm: forget_bias must be a number, got '1'; "
                                         "pass e.g. forget_bias=1.0$"):
        F.weights("tf1", "lstm", forget_bias="1")
    with pytest.raises(ValueError, match="^keras2 lstm: recurrent_activation must be one of 'hard_sigmoid', 'sigmoid', "
                                         "got 'relu'$"):
        F.weights("keras2", "lstm", recurrent_activation="relu")
    assert F.settings("tf1", "lstm") == {"bidirectional": False, "forget_bias": 1.0, "use_peepholes": False,
                                         "num_proj": None}
    assert F.settings("keras2", "gru")["reset_after"] is False


@pytest.mark.parametrize("call, message", [
    (lambda: F.weights("tf1", "lstm", use_peepholes=True),
     "tf1 lstm: use_peepholes=True adds the diagonal weights w_i_diag, w_f_diag, w_o_diag (u,), which Keras 3 and "
     "PyTorch LSTMs lack; convert a layer built without it"),
    (lambda: F.count("tf1", "lstm", input_dim=3, units=4, num_proj=2),
     "tf1 lstm: num_proj=2 adds projection/kernel (u, num_proj) and feeds the projection back as h, which Keras 3 "
     "lacks; convert a layer built without it"),
    (lambda: F.weights("onnx", "lstm", peepholes=True),
     "onnx lstm: peepholes=True adds the input P (num_directions, 3h), which Keras 3 and PyTorch LSTMs lack; "
     "convert a layer built without it"),
])
def test_refused_options_say_what_they_add_in_one_line(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message and "\n" not in message


# ---------------------------------------------------------------- the catalog


def test_the_legacy_catalog_is_a_section_of_its_own():
    cat = json.loads(json.dumps(F.catalog()))
    assert all("layout" not in e for e in cat["layers"])
    legacy = cat["legacy"]
    assert {(e["layout"], e["kind"], json.dumps(e["options"], sort_keys=True)) for e in legacy} == {
        (k, n, json.dumps(o, sort_keys=True)) for k, n, o in COMBOS}
    for e in legacy:
        env = {"d": 7, "u": 5}
        sizes = sum(math.prod(F.evaluate_json(a, env) for a in w["shape"]) for w in e["weights"])
        assert F.evaluate_json(e["total"], env) == sizes == F.count(
            e["layout"], e["kind"], input_dim=7, units=5, **{o.name: e["options"][o.catalog[0]]
                                                            for o in kinds.options(e["layout"], e["kind"])
                                                            if o.catalog is not None}), e
    first = next(e for e in legacy
                 if (e["layout"], e["kind"], e["options"]) == ("cudnn", "lstm", {"bidirectional": False}))
    assert (first["class"], first["latex"], first["gates"]) == ("CuDNNLSTM", "4u(d + u + 2)", ["i", "f", "c", "o"])


# ---------------------------------------------------------------- facts


def test_facts_a_page_ties_about_the_old_layouts():
    assert facts.default("keras2", "gru", "reset_after") == "reset_after=False"
    assert facts.default("keras", "gru", "reset_after") == "reset_after=True"
    assert facts.default("keras2", "lstm", "recurrent_activation") == 'recurrent_activation="hard_sigmoid"'
    assert facts.default("tf1", "lstm", "forget_bias") == "forget_bias=1.0"
    assert facts.default("onnx", "gru", "linear_before_reset") == "linear_before_reset=0"
    assert (facts.biases("cudnn", "lstm"), facts.biases("cudnn", "gru"), facts.biases("tf1", "lstm")) == (2, 2, 1)
    assert (facts.biases("onnx", "lstm", bidirectional=True), facts.biases("keras2", "gru")) == (2, 1)
    assert facts.gates("onnx", "lstm") == "i, o, f, c"
    assert facts.gates("tf1", "lstm") == "i, j, f, o"
    assert facts.gates("cudnn", "gru") == "z, r, h"
    assert facts.gate_count("onnx", "gru") == 3
    with pytest.raises(KeyError, match="onnx LSTM has no option 'linear_before_reset'; it has bias, bidirectional"):
        facts.default("onnx", "lstm", "linear_before_reset")


def test_biases_count_per_direction_and_layer_everywhere():
    assert facts.biases("keras", "lstm", bidirectional=True) == facts.biases("keras", "lstm") == 1
    assert facts.biases("pytorch", "gru", bidirectional=True, num_layers=3) == 2
    assert facts.biases("onnx", "gru", bias=False) == 0


# ---------------------------------------------------------------- Keras 2's hard_sigmoid


def test_keras2_hard_sigmoid_is_not_keras3s():
    z = np.array([-3.0, -2.5, 0.0, 1.0, 2.5, 3.0])
    np.testing.assert_allclose(cells.keras2_hard_sigmoid(z), np.clip(0.2 * z + 0.5, 0, 1), rtol=0, atol=0)
    assert cells.keras2_hard_sigmoid(np.array([1.0]))[0] == pytest.approx(0.7)
    assert cells.hard_sigmoid(np.array([1.0]))[0] == pytest.approx(4 / 6)  # Keras 3: relu6(x + 3) / 6
    assert cells.keras2_hard_sigmoid(np.array([0.0]))[0] == cells.hard_sigmoid(np.array([0.0]))[0] == 0.5
    assert cells.DEFINITIONS["keras2_hard_sigmoid"] == (
        r"\operatorname{hard\_sigmoid}(z) = \min(\max(0.2 z + 0.5, 0), 1)")
    assert facts.definition("keras2_hard_sigmoid") == cells.DEFINITIONS["keras2_hard_sigmoid"]
    assert facts.output_range("keras2_hard_sigmoid") == (0, 1)
    # Keras 3's name keeps meaning Keras 3's function, and no mirror accepts Keras 2's by name
    assert cells.ACTIVATIONS["hard_sigmoid"] is cells.hard_sigmoid and "keras2_hard_sigmoid" not in cells.ACTIVATIONS


# ---------------------------------------------------------------- conversions (through the mirrors)

D, U, BATCH, TIME = 3, 4, 2, 5


def random_weights(layout, kind, seed=0, **options):
    """Random arrays of the layout's weight list: every bias non-zero, input and recurrent ones differing."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(-0.7, 0.7, s.evaluate_shape({"d": D, "u": U})) for s in F.weights(layout, kind, **options)]


def random_states(kind, dirs, seed=1):
    rng = np.random.default_rng(seed)
    return [tuple(rng.uniform(-0.5, 0.5, (BATCH, U)) for _ in range(2 if kind == "lstm" else 1)) for _ in range(dirs)]


#: (layout, kind, options) converted to both frameworks, one and two directions
BOTH = [
    ("cudnn", "lstm", {}), ("cudnn", "gru", {}),
    ("tf1", "lstm", {}), ("tf1", "lstm", {"forget_bias": 0.25}),
    ("onnx", "lstm", {}), ("onnx", "gru", {"linear_before_reset": 1}), ("onnx", "lstm", {"bias": False}),
    ("keras2", "lstm", {"recurrent_activation": "sigmoid"}),
    ("keras2", "gru", {"reset_after": True, "recurrent_activation": "sigmoid"}),
]
#: converted to Keras 3 only: PyTorch refuses them (tested below)
KERAS_ONLY = [
    ("onnx", "gru", {}),  # linear_before_reset=0
    ("keras2", "gru", {}), ("keras2", "lstm", {}),  # reset_after=False, Keras 2's hard_sigmoid
    ("keras2", "gru", {"use_bias": False, "recurrent_activation": "sigmoid"}),
]
CASES = [(*c, bi, c in BOTH) for c in BOTH + KERAS_ONLY for bi in (False, True)]
IDS = [f"{layout}-{kind}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'defaults'}-{'bi' if bi else 'one'}"
       for layout, kind, o, bi, _ in CASES]


def gate_activation(options):
    """What the Keras 3 layer must compute the gates with: Keras 2's default is its own hard_sigmoid."""
    return cells.keras2_hard_sigmoid if options.get("recurrent_activation") == "hard_sigmoid" else "sigmoid"


def mirror_layer(kind, keras_opts, recurrent_activation):
    cls = {"lstm": mirror_keras.layers.LSTM, "gru": mirror_keras.layers.GRU}[kind]
    extra = {"reset_after": keras_opts["reset_after"]} if "reset_after" in keras_opts else {}
    layer = cls(U, use_bias=keras_opts["use_bias"], return_sequences=True, recurrent_activation=recurrent_activation,
                **extra)
    if keras_opts["bidirectional"]:
        layer = mirror_keras.layers.Bidirectional(layer)
    layer.build((None, TIME, D))
    return layer


@pytest.mark.parametrize("layout, kind, options, bidirectional, torch_too", CASES, ids=IDS)
def test_converted_weights_compute_the_reference_forward_pass(layout, kind, options, bidirectional, torch_too):
    options = {**options, "bidirectional": bidirectional}
    weights = random_weights(layout, kind, **options)
    x = np.random.default_rng(2).standard_normal((BATCH, TIME, D))
    states = random_states(kind, 2 if bidirectional else 1)
    reference, finals = legacy_forward.forward(layout, kind, weights, x, initial_state=states, **options)
    assert reference.shape == (BATCH, TIME, (2 if bidirectional else 1) * U)

    keras_opts = legacy.keras_options(layout, kind, **options)
    layer = mirror_layer(kind, keras_opts, gate_activation(F.settings(layout, kind, **options)))
    converted = legacy.to_keras(layout, kind, weights, **options)
    assert [a.shape for a in converted] == [tuple(w.shape) for w in layer.weights]
    layer.set_weights(converted)
    initial = [s for state in states for s in state]  # Keras: h, c of the forward layer, then the backward one
    np.testing.assert_allclose(np.asarray(layer(x, initial_state=initial)), reference, rtol=0, atol=1e-6)  # float32 out
    assert F.count("keras", kind, input_dim=D, units=U, **keras_opts) == sum(a.size for a in converted)

    if not torch_too:
        with pytest.raises(ValueError, match="has no PyTorch equivalent"):
            legacy.to_torch(layout, kind, weights, **options)
        return
    torch_opts = legacy.torch_options(layout, kind, **options)
    module = {"lstm": mirror_nn.LSTM, "gru": mirror_nn.GRU}[kind](D, U, batch_first=True, **torch_opts).double()
    module.load_state_dict(legacy.to_torch(layout, kind, weights, **options))
    h0 = np.stack([state[0] for state in states])  # (dirs, batch, h)
    out, last = module(x, (h0, np.stack([state[1] for state in states])) if kind == "lstm" else h0)
    np.testing.assert_allclose(np.asarray(out), reference, rtol=0, atol=1e-12)  # float64 throughout
    h_n = last[0] if kind == "lstm" else last
    np.testing.assert_allclose(np.asarray(h_n), np.stack([f[0] for f in finals]), rtol=0, atol=1e-12)


def test_cudnn_reading_is_what_keras2_did_loading_cudnn_weights():
    """Keras 2's _convert_rnn_weights, stated independently: each input-kernel gate block, read
    flat row by row, refilled column by column; each recurrent gate block transposed; the
    LSTM's two bias sets summed, the GRU's reshaped to (2, 3u)."""
    for kind, gates in (("lstm", 4), ("gru", 3)):
        kernel, recurrent, bias = random_weights("cudnn", kind)
        keras2 = [np.hstack([b.ravel().reshape(b.shape, order="F") for b in np.hsplit(kernel, gates)]),
                  np.hstack([b.T for b in np.hsplit(recurrent, gates)]),
                  bias[: gates * U] + bias[gates * U:] if kind == "lstm" else bias.reshape(2, -1)]
        ours = legacy.to_keras("cudnn", kind, [kernel, recurrent, bias])
        for a, b in zip(ours, keras2):
            np.testing.assert_array_equal(a, b)
    # the layout is not Keras's even when d == u: the input kernel's blocks are transposed then
    square = np.arange(4 * 4 * 4, dtype=float).reshape(4, 16)
    assert np.array_equal(legacy.to_keras("cudnn", "lstm", [square, square, np.zeros(32)])[0][:, :4], square[:, :4].T)


def test_cudnn_to_torch_is_cudnns_own_matrices():
    """PyTorch stores cuDNN's matrices: weight_ih's gate rows are the CuDNN block's memory as (u, d)."""
    kernel, recurrent, bias = random_weights("cudnn", "lstm")
    state = legacy.to_torch("cudnn", "lstm", [kernel, recurrent, bias])
    np.testing.assert_array_equal(state["weight_ih_l0"][:U], kernel[:, :U].reshape(U, D))  # i
    np.testing.assert_array_equal(state["weight_hh_l0"][U:2 * U], recurrent[:, U:2 * U])  # f, as stored
    np.testing.assert_array_equal(state["bias_ih_l0"], bias[:4 * U])  # bW: i, f, c(g), o as stored
    np.testing.assert_array_equal(state["bias_hh_l0"], bias[4 * U:])  # bR


def test_gate_blocks_move_to_each_frameworks_order():
    W = np.concatenate([np.full((1, U, D), v) for v in (1.0, 2.0, 3.0, 4.0)], axis=1)  # ONNX i=1, o=2, f=3, c=4
    state = legacy.to_torch("onnx", "lstm", [W, np.zeros((1, 4 * U, U))], bias=False)
    assert state["weight_ih_l0"][::U, 0].tolist() == [1.0, 3.0, 4.0, 2.0]  # PyTorch i, f, g, o
    kernel = np.concatenate([np.full((D + U, U), v) for v in (1.0, 2.0, 3.0, 4.0)], axis=1)  # TF1 i=1, j=2, f=3, o=4
    keras_kernel, _, keras_bias = legacy.to_keras("tf1", "lstm", [kernel, np.zeros(4 * U)])
    assert keras_kernel[0, ::U].tolist() == [1.0, 3.0, 2.0, 4.0]  # Keras i, f, c, o
    assert keras_bias[::U].tolist() == [0.0, 1.0, 0.0, 0.0]  # forget_bias=1.0 joins the forget gate's bias
    assert legacy.to_keras("tf1", "lstm", [kernel, np.zeros(4 * U)], forget_bias=0.0)[2].tolist() == [0.0] * 16


def test_the_target_layers_options():
    assert legacy.keras_options("cudnn", "gru") == {"use_bias": True, "bidirectional": False, "reset_after": True}
    assert legacy.keras_options("onnx", "gru") == {"use_bias": True, "bidirectional": False, "reset_after": False}
    assert legacy.keras_options("onnx", "lstm", bias=False, bidirectional=True) == {"use_bias": False,
                                                                                   "bidirectional": True}
    assert legacy.keras_options("keras2", "gru") == {"use_bias": True, "bidirectional": False, "reset_after": False}
    assert legacy.torch_options("tf1", "lstm", bidirectional=True) == {"bias": True, "bidirectional": True}
    assert set(legacy.READERS) == set(LAYOUTS)


def test_weights_by_name_or_in_order():
    kernel, bias = random_weights("tf1", "lstm", bidirectional=False)
    by_name = legacy.to_keras("tf1", "lstm", {"rnn/lstm_cell/kernel": kernel, "rnn/lstm_cell/bias": bias})
    assert all(np.array_equal(a, b) for a, b in zip(by_name, legacy.to_keras("tf1", "lstm", [kernel, bias])))


@pytest.mark.parametrize("call, message", [
    (lambda: legacy.to_keras("cudnn", "gru", random_weights("cudnn", "gru"), into={"reset_after": False}),
     "CuDNNGRU is not compatible with GRU(reset_after=False)"),
    (lambda: legacy.to_keras("onnx", "gru", random_weights("onnx", "gru"), into={"reset_after": True}),
     "legacy.to_keras: onnx gru weights load into Keras GRU(use_bias=True, bidirectional=False, reset_after=False), "
     "got reset_after=True"),
    (lambda: legacy.to_torch("onnx", "gru", random_weights("onnx", "gru")),
     "legacy.to_torch: onnx gru: a GRU with linear_before_reset=0 applies the reset gate before the recurrent product "
     "and PyTorch's GRU after it: it has no PyTorch equivalent; load it into Keras GRU(reset_after=False)"),
    (lambda: legacy.to_torch("keras2", "gru", random_weights("keras2", "gru"), recurrent_activation="sigmoid"),
     "legacy.to_torch: keras2 gru: a GRU with reset_after=False applies the reset gate before the recurrent product "
     "and PyTorch's GRU after it: it has no PyTorch equivalent; load it into Keras GRU(reset_after=False)"),
    (lambda: legacy.to_torch("keras2", "lstm", random_weights("keras2", "lstm")),
     "legacy.to_torch: keras2 lstm: PyTorch's gates are sigmoid only, so recurrent_activation=\"hard_sigmoid\" "
     "(Keras 2's default before 2.3.0) has no PyTorch equivalent; convert a layer built with "
     "recurrent_activation=\"sigmoid\""),
    (lambda: legacy.to_keras("cudnn", "lstm", random_weights("cudnn", "lstm")[:2]),
     "legacy.to_keras: cudnn lstm: expected 3 arrays (kernel, recurrent_kernel, bias), got 2"),
    (lambda: legacy.to_keras("cudnn", "lstm", [np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)]),
     "legacy.to_keras: cudnn lstm: bias must have shape (8u,) = (32,) for input_dim=3, units=4, got (16,)"),
    (lambda: legacy.to_keras("tf1", "lstm", [np.zeros((3, 16)), np.zeros(16)]),
     "legacy.to_keras: tf1 lstm: cannot read input_dim and units from the shapes rnn/lstm_cell/kernel (3, 16), "
     "rnn/lstm_cell/bias (16,); expected rnn/lstm_cell/kernel (d + u, 4u), rnn/lstm_cell/bias (4u,)"),
    (lambda: legacy.to_torch("onnx", "lstm", random_weights("onnx", "lstm"), bidirectional=True),
     "legacy.to_torch: onnx lstm: W must have shape (2, 4h, d) = (2, 16, 3) for input_dim=3, units=4, got (1, 16, 3)"),
    (lambda: legacy.to_torch("onnx", "lstm", [np.zeros((16, 3)), np.zeros((1, 16, 4)), np.zeros((1, 32))]),
     "legacy.to_torch: onnx lstm: W must have shape (1, 4h, d), got (16, 3)"),
    (lambda: legacy.to_keras("tf1", "lstm", {"kernel": 0, "bias": 0}),
     "legacy.to_keras: tf1 lstm: expected the arrays ['rnn/lstm_cell/kernel', 'rnn/lstm_cell/bias'], "
     "got ['kernel', 'bias']"),
    (lambda: legacy.to_keras("tf1", "lstm", random_weights("tf1", "lstm"), use_peepholes=True),
     "tf1 lstm: use_peepholes=True adds the diagonal weights w_i_diag, w_f_diag, w_o_diag (u,), which Keras 3 and "
     "PyTorch LSTMs lack; convert a layer built without it"),
    (lambda: legacy_forward.forward("cudnn", "gru", random_weights("cudnn", "gru"), np.zeros((2, 5, 4))),
     "legacy_forward.forward: cudnn gru: x must have shape (batch, time, 3), got (2, 5, 4)"),
    (lambda: legacy_forward.onnx_gru(np.zeros((5, 2, 3)), *random_weights("onnx", "gru"), direction="bidirectional"),
     "onnx: direction='bidirectional' with num_directions=1: use 'forward' or 'reverse' for W of shape [1, ...], "
     "'bidirectional' for [2, ...]"),
])
def test_conversion_refusals_are_one_line_and_say_what_to_do(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message and "\n" not in message


def test_onnx_reverse_direction_runs_backwards_and_keeps_time_order():
    W, R, B = random_weights("onnx", "gru", linear_before_reset=1)
    X = np.random.default_rng(3).standard_normal((TIME, BATCH, D))
    Y, Y_h = legacy_forward.onnx_gru(X, W, R, B, direction="reverse", linear_before_reset=1)
    Y_flipped, Y_h_flipped = legacy_forward.onnx_gru(X[::-1], W, R, B, linear_before_reset=1)
    np.testing.assert_allclose(Y, Y_flipped[::-1], rtol=0, atol=1e-15)
    np.testing.assert_allclose(Y_h, Y_h_flipped, rtol=0, atol=1e-15)
    assert Y.shape == (TIME, 1, BATCH, U) and Y_h.shape == (1, BATCH, U)
