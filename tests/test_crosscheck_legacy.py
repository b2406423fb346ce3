"""Cross-check the legacy layouts' conversions with REAL Keras 3 and REAL PyTorch.

For each legacy layout (Keras 2 CuDNNLSTM/CuDNNGRU, TF1 LSTMCell, ONNX LSTM/GRU, Keras 2's
LSTM/GRU defaults), one and two directions: random weights of the layout (every bias
non-zero, input and recurrent biases different), random initial states, then

* ``lstm_docs.legacy_forward.forward`` -- the layout's forward pass written from its own
  documented equations, reading its own arrays --
* a real ``keras.layers.LSTM``/``GRU`` (in ``Bidirectional`` for two directions) loaded with
  ``legacy.to_keras`` via ``set_weights``, and
* a real ``torch.nn.LSTM``/``GRU`` loaded with ``legacy.to_torch`` via
  ``load_state_dict(strict=True)``

must give the same outputs and final states.  Our mirrors play no part.  Both frameworks run
in float64 (Keras's float64 policy, ``module.double()``), as does the reference, so they agree
to ~1e-15; the tolerance 1e-6 is the site-wide promise.

With the ``onnx`` package (``frameworks.import_onnx``), ONNX itself is checked too: its
reference evaluator runs the ``LSTM``/``GRU`` op on the same arrays as
``legacy_forward.onnx_lstm``/``onnx_gru``, and PyTorch's own ONNX exporter's W, R, B of a real
``torch.nn.LSTM``/``GRU`` go back through ``legacy.to_torch("onnx", ...)`` to the module's own
state dict.  TensorFlow is not installable here: the CuDNN and TF1 layouts are checked against
what Keras 2's and TF1's sources say (see ``lstm_docs.kinds.CUDNN`` / ``TF1``), not run.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import frameworks
from lstm_docs import cells, formulas, kinds, legacy, legacy_forward

pytestmark = [
    pytest.mark.crosscheck,
    # noise from inside real keras/torch (numpy 2 copy keyword), not from lstm_docs
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

ATOL = 1e-6
D, U, BATCH, TIME = 3, 4, 2, 6

#: (layout, kind, options): the real Keras 3 layer and the real PyTorch module both compute it
BOTH = [
    ("cudnn", "lstm", {}), ("cudnn", "gru", {}),
    ("tf1", "lstm", {}), ("tf1", "lstm", {"forget_bias": 0.5}),
    ("onnx", "lstm", {}), ("onnx", "lstm", {"bias": False}), ("onnx", "gru", {"linear_before_reset": 1}),
    ("keras2", "lstm", {"recurrent_activation": "sigmoid"}),
    ("keras2", "gru", {"reset_after": True, "recurrent_activation": "sigmoid"}),
]
#: Keras 3 computes it, PyTorch cannot (legacy.torch_options refuses; tests/test_legacy.py)
KERAS_ONLY = [
    ("onnx", "gru", {}),  # linear_before_reset=0: Keras GRU(reset_after=False)
    ("keras2", "gru", {}),  # reset_after=False, Keras 2's hard_sigmoid
    ("keras2", "lstm", {}),  # Keras 2's hard_sigmoid
]
CASES = [(*case, bi) for case in BOTH + KERAS_ONLY for bi in (False, True)]
IDS = [f"{layout}-{kind}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'defaults'}-{'bi' if bi else 'one'}"
       for layout, kind, o, bi in CASES]


def layout_weights(layout, kind, seed, **options):
    """Random arrays of the layout's weight list (formulas.weights), biases included."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(-0.8, 0.8, spec.evaluate_shape({"d": D, "u": U}))
            for spec in formulas.weights(layout, kind, **options)]


def layout_states(kind, dirs, seed):
    rng = np.random.default_rng(seed)
    return [tuple(rng.uniform(-0.6, 0.6, (BATCH, U)) for _ in range(2 if kind == "lstm" else 1)) for _ in range(dirs)]


def real_keras_layer(keras, kind, keras_options, recurrent_activation):
    """A built real Keras 3 layer with the registry options ``keras_options``, whole sequence out."""
    cls = getattr(keras.layers, kinds.get(kind).classes["keras"])
    extra = {"reset_after": keras_options["reset_after"]} if "reset_after" in keras_options else {}
    layer = cls(U, use_bias=keras_options["use_bias"], return_sequences=True, return_state=True,
                recurrent_activation=recurrent_activation, **extra)
    if keras_options["bidirectional"]:
        layer = keras.layers.Bidirectional(layer, merge_mode="concat")
    layer.build((None, TIME, D))
    return layer


def _keras2_hard_sigmoid(x):
    """Keras 2's hard_sigmoid in Keras 3 ops: clip(0.2 x + 0.5, 0, 1)."""
    import keras

    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


def keras2_hard_sigmoid(keras):
    """Keras 2's hard_sigmoid for a real Keras 3 layer (Keras 3's "hard_sigmoid" is relu6(x + 3) / 6),
    registered so that ``Bidirectional`` can rebuild the backward layer from its config."""
    name = "lstm_docs_legacy>_keras2_hard_sigmoid"
    if keras.saving.get_registered_object(name) is None:
        keras.saving.register_keras_serializable(package="lstm_docs_legacy")(_keras2_hard_sigmoid)
    return _keras2_hard_sigmoid


def numpy(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


@pytest.mark.parametrize("layout, kind, options, bidirectional", CASES, ids=IDS)
def test_real_keras3_computes_the_layouts_forward_pass(float64_keras, layout, kind, options, bidirectional):
    keras = float64_keras
    options = {**options, "bidirectional": bidirectional}
    weights = layout_weights(layout, kind, seed=11, **options)
    states = layout_states(kind, 2 if bidirectional else 1, seed=12)
    x = np.random.default_rng(13).standard_normal((BATCH, TIME, D))
    reference, finals = legacy_forward.forward(layout, kind, weights, x, initial_state=states, **options)

    keras_options = legacy.keras_options(layout, kind, **options)
    gate = formulas.settings(layout, kind, **options).get("recurrent_activation", "sigmoid")
    layer = real_keras_layer(keras, kind, keras_options, keras2_hard_sigmoid(keras) if gate == "hard_sigmoid" else gate)
    converted = legacy.to_keras(layout, kind, weights, **options)
    layer.set_weights(converted)
    output, *last = layer(x, initial_state=[s for state in states for s in state])

    np.testing.assert_allclose(numpy(output), reference, rtol=0, atol=ATOL)
    # final states: Keras lists h (and c) of the forward layer, then of the backward one
    np.testing.assert_allclose(np.stack([numpy(t) for t in last]), np.stack([s for f in finals for s in f]),
                               rtol=0, atol=ATOL)
    assert layer.count_params() == sum(a.size for a in converted) == formulas.count(
        "keras", kind, input_dim=D, units=U, **keras_options)


@pytest.mark.parametrize("layout, kind, options, bidirectional", [c for c in CASES if c[:3] in BOTH],
                         ids=[i for c, i in zip(CASES, IDS) if c[:3] in BOTH])
def test_real_pytorch_computes_the_layouts_forward_pass(real_torch, layout, kind, options, bidirectional):
    torch = real_torch
    options = {**options, "bidirectional": bidirectional}
    weights = layout_weights(layout, kind, seed=21, **options)
    states = layout_states(kind, 2 if bidirectional else 1, seed=22)
    x = np.random.default_rng(23).standard_normal((BATCH, TIME, D))
    reference, finals = legacy_forward.forward(layout, kind, weights, x, initial_state=states, **options)

    cls = getattr(torch.nn, kinds.get(kind).classes["pytorch"])
    module = cls(D, U, batch_first=True, **legacy.torch_options(layout, kind, **options)).double()
    state = legacy.to_torch(layout, kind, weights, **options)
    module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
    h0 = torch.from_numpy(np.stack([s[0] for s in states]))  # (dirs, batch, h)
    with torch.no_grad():
        if kind == "lstm":
            output, (h_n, c_n) = module(torch.from_numpy(x), (h0, torch.from_numpy(np.stack([s[1] for s in states]))))
            np.testing.assert_allclose(c_n.numpy(), np.stack([f[1] for f in finals]), rtol=0, atol=ATOL)
        else:
            output, h_n = module(torch.from_numpy(x), h0)
    np.testing.assert_allclose(output.numpy(), reference, rtol=0, atol=ATOL)
    np.testing.assert_allclose(h_n.numpy(), np.stack([f[0] for f in finals]), rtol=0, atol=ATOL)
    assert sum(p.numel() for p in module.parameters()) == formulas.count(
        "pytorch", kind, input_dim=D, units=U, **legacy.torch_options(layout, kind, **options))


def test_cudnn_counts_one_more_bias_set_than_keras_lstm(real_keras):
    """Bidirectional(CuDNNLSTM(300)) on 300 features vs the real Bidirectional(LSTM(300))."""
    keras = real_keras
    model = keras.Sequential([keras.Input((5, 300)), keras.layers.Bidirectional(keras.layers.LSTM(300))])
    cudnn = formulas.count("cudnn", "lstm", input_dim=300, units=300, bidirectional=True)
    assert (cudnn, model.count_params()) == (1_444_800, 1_442_400)
    gru = keras.Sequential([keras.Input((5, 13)), keras.layers.GRU(20)])
    old = keras.Sequential([keras.Input((5, 13)), keras.layers.GRU(20, reset_after=False)])
    assert (gru.count_params(), old.count_params()) == (2100, formulas.count("keras2", "gru", input_dim=13, units=20))


def test_keras2_hard_sigmoid_differs_from_real_keras3s(real_keras):
    x = np.array([-3.0, -1.0, 0.0, 1.0, 2.0])
    keras3 = numpy(real_keras.activations.hard_sigmoid(real_keras.ops.convert_to_tensor(x)))
    np.testing.assert_allclose(keras3, cells.hard_sigmoid(x), rtol=0, atol=1e-7)  # Keras 3's, ours agree
    assert keras3[2] == cells.keras2_hard_sigmoid(x)[2] == 0.5  # they agree at 0
    assert (round(float(keras3[3]), 4), round(float(cells.keras2_hard_sigmoid(x)[3]), 4)) == (0.6667, 0.7)


# ---------------------------------------------------------------- ONNX itself

ONNX_CASES = [("lstm", {}, "forward"), ("lstm", {}, "bidirectional"),
              ("gru", {"linear_before_reset": 0}, "forward"), ("gru", {"linear_before_reset": 1}, "bidirectional"),
              ("gru", {"linear_before_reset": 0}, "reverse")]


@pytest.mark.parametrize("kind, attributes, direction", ONNX_CASES,
                         ids=[f"{k}-{d}-{a}" for k, a, d in ONNX_CASES])
def test_onnx_reference_evaluator_computes_our_onnx_forward_pass(kind, attributes, direction):
    """The real ONNX op (onnx.reference) and legacy_forward.onnx_lstm / onnx_gru on the same
    W, R, B and initial states: the layout read from Operators.md is ONNX's."""
    frameworks.import_onnx()
    from onnx import TensorProto, helper
    from onnx.reference import ReferenceEvaluator

    n = 2 if direction == "bidirectional" else 1
    W, R, B = layout_weights("onnx", kind, seed=31, bidirectional=n == 2)
    X = np.random.default_rng(32).standard_normal((TIME, BATCH, D))
    states = [np.random.default_rng(33 + j).uniform(-0.6, 0.6, (n, BATCH, U))
              for j in range(2 if kind == "lstm" else 1)]  # initial_h (and initial_c): [n, batch, h]
    names = ["X", "W", "R", "B", "", "initial_h", "initial_c"][: 7 if kind == "lstm" else 6]
    outputs = ["Y", "Y_h", "Y_c"][: 3 if kind == "lstm" else 2]
    node = helper.make_node(kinds.own("onnx", kind).classes["onnx"], names, outputs, hidden_size=U,
                            direction=direction, **attributes)
    feeds = dict(zip(["X", "W", "R", "B", "initial_h", "initial_c"], [X, W, R, B, *states]))
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info(k, TensorProto.DOUBLE, None) for k in feeds],
                              [helper.make_tensor_value_info(k, TensorProto.DOUBLE, None) for k in outputs])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    real = ReferenceEvaluator(model).run(None, feeds)
    ours_fn = legacy_forward.onnx_lstm if kind == "lstm" else legacy_forward.onnx_gru
    ours = ours_fn(X, W, R, B, *states, direction=direction, **attributes)
    for got, expected in zip(ours, real):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_pytorchs_onnx_exporter_round_trips_through_the_onnx_layout(real_torch, kind, bidirectional):
    """PyTorch's own exporter writes a real torch.nn.LSTM/GRU as ONNX W, R, B (gates reordered
    i,f,g,o -> i,o,f,c; r,z,n -> z,r,h); legacy.to_torch("onnx", ...) gives back the module's
    state dict exactly, and the exported GRU says linear_before_reset=1."""
    onnx = frameworks.import_onnx()
    from onnx import numpy_helper

    torch = real_torch
    torch.manual_seed(41)
    module = getattr(torch.nn, kinds.get(kind).classes["pytorch"])(D, U, batch_first=True, bidirectional=bidirectional)
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # the exporter's own deprecation and tracer warnings
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.zeros(BATCH, TIME, D),), buffer, dynamo=False, opset_version=14)
    model = onnx.load_from_string(buffer.getvalue())
    (node,) = [n for n in model.graph.node if n.op_type == kinds.own("onnx", kind).classes["onnx"]]
    initializers = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    W, R, B = (initializers[name] for name in node.input[1:4])
    attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    options = {"bidirectional": bidirectional}
    if kind == "gru":
        assert attributes["linear_before_reset"] == 1
        options["linear_before_reset"] = 1
    assert attributes.get("direction", b"forward") == (b"bidirectional" if bidirectional else b"forward")

    state = legacy.to_torch("onnx", kind, [W, R, B], **options)
    original = {k: v.detach().numpy() for k, v in module.state_dict().items()}
    assert list(state) == list(original)
    for name in original:
        np.testing.assert_array_equal(state[name], original[name].astype(np.float64), err_msg=name)
