"""Cross-check the cells against real Keras 3 and real torch 2.13 (registry kinds
``lstm_cell``, ``gru_cell``, ``simple_rnn_cell`` / ``rnn_cell``).

Keras: ``RNN(XCell(u))`` has the weights (names, paths ``rnn/lstm_cell/kernel``, shapes,
order), the count, the ``summary()`` row and, with the real layer's weights copied in, the
outputs of real Keras to 1e-6; a cell called alone on one step returns ``(h, [h, c])`` as
Keras does.  PyTorch: ``nn.LSTMCell`` / ``GRUCell`` / ``RNNCell`` parameter names (no
``_l0``), shapes, count (that of a one-layer ``nn.LSTM``), and a hand-written time loop
equal to real torch's to 1e-6, batched and unbatched.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from lstm_docs import formulas, kinds

pytestmark = [
    pytest.mark.crosscheck,
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

ATOL = 1e-6
CELLS = [k for k in kinds.KINDS if k.cell_of]
KERAS_CASES = [(k.names["keras"], o) for k in CELLS
               for o in ({}, {"use_bias": False}, *([{"reset_after": False}] if k.key == "gru_cell" else []))]
TORCH_CASES = [(k.names["pytorch"], o) for k in CELLS
               for o in ({}, {"bias": False}, *([{"nonlinearity": "relu"}] if k.key == "simple_rnn_cell" else []))]


def to_numpy(value) -> np.ndarray:
    if hasattr(value, "detach") and type(value).__module__.startswith("torch"):
        return value.detach().cpu().double().numpy()
    return np.asarray(value, dtype=np.float64)


def keras_class(kind: str) -> str:
    return kinds.own("keras", kind).classes["keras"]


def torch_class(kind: str) -> str:
    return kinds.own("pytorch", kind).classes["pytorch"]


def keras_model(keras, kind, d, u, **kwargs):
    """Sequential([Input((5, d)), RNN(cell(u, **kwargs), return_sequences=True, return_state=True)])"""
    cell = getattr(keras.layers, keras_class(kind))(u, **kwargs)
    layer = keras.layers.RNN(cell, return_sequences=True)
    return keras.Sequential([keras.Input((5, d)), layer]), layer


def summary_text(model) -> str:
    lines: list[str] = []
    model.summary(print_fn=lambda s, **kw: lines.append(s))
    text = "\n".join(lines).strip().splitlines()
    return "\n".join(line.rstrip() for line in text[1:])  # without 'Model: "sequential_3"'


# ---------------------------------------------------------------------------- Keras
@pytest.mark.parametrize("kind, kwargs", KERAS_CASES, ids=[f"{k}-{o}" for k, o in KERAS_CASES])
@pytest.mark.parametrize("d, u", [(1, 1), (3, 4), (7, 5)])
def test_keras_rnn_of_cell_weights_count_summary(real_keras, kind, kwargs, d, u):
    from lstm_docs import keras as ours

    real_model, real = keras_model(real_keras, kind, d, u, **kwargs)
    our_model, mine = keras_model(ours, kind, d, u, **kwargs)
    def path(w):  # sequential_3/rnn_2/lstm_cell_1/kernel -> rnn/lstm_cell/kernel
        return re.sub(r"_\d+(?=/)", "", w.path.split("/", 1)[1])

    assert [(w.name, path(w), tuple(w.shape)) for w in mine.weights] == [
        (w.name, path(w), tuple(w.shape)) for w in real.weights]
    assert path(real.weights[0]) == f"rnn/{kind}/kernel"
    env = {"d": d, "u": u}
    specs = formulas.weights("keras", kind, **kwargs)
    assert [(s.name, s.evaluate_shape(env)) for s in specs] == [(w.name, tuple(w.shape)) for w in real.weights]
    layer_kind = kinds.get(kinds.own("keras", kind).cell_of).names["keras"]
    expected = real.count_params()
    assert mine.count_params() == expected == formulas.count("keras", kind, input_dim=d, units=u, **kwargs)
    assert expected == formulas.count("keras", layer_kind, input_dim=d, units=u, **kwargs)  # == the layer's
    assert summary_text(our_model) == summary_text(real_model)


@pytest.mark.parametrize("kind, kwargs", KERAS_CASES, ids=[f"{k}-{o}" for k, o in KERAS_CASES])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_keras_rnn_of_cell_forward_equals_real(real_keras, kind, kwargs, go_backwards):
    from lstm_docs import keras as ours

    d, u = 3, 4
    outs = []
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (2, 5, d)).astype("float32")
    weights = None
    for keras in (real_keras, ours):
        cell = getattr(keras.layers, keras_class(kind))(u, **kwargs)
        layer = keras.layers.RNN(cell, return_sequences=True, return_state=True, go_backwards=go_backwards)
        layer.build((None, 5, d))
        if weights is None:  # non-zero biases, the real layer's values copied into ours
            weights = [rng.uniform(-0.8, 0.8, w.shape).astype("float32") for w in layer.get_weights()]
        layer.set_weights(weights)
        outs.append([to_numpy(t) for t in layer(x)])
    assert len(outs[0]) == len(outs[1]) == 1 + (2 if kind == "lstm_cell" else 1)
    for a, b in zip(*outs):
        assert a.shape == b.shape
        np.testing.assert_allclose(b, a, atol=ATOL)


@pytest.mark.parametrize("kind", [k.names["keras"] for k in CELLS])
@pytest.mark.parametrize("listed", [True, False])
def test_keras_cell_alone_one_step(real_keras, kind, listed):
    from lstm_docs import keras as ours

    u, rng = 4, np.random.default_rng(2)
    x = rng.uniform(-1, 1, (2, 3)).astype("float32")
    n = 2 if kind == "lstm_cell" else 1
    if not listed and n == 2:
        listed = True  # LSTMCell always takes and returns a list of [h, c]
    states = [rng.uniform(-1, 1, (2, u)).astype("float32") for _ in range(n)]
    results, weights = [], None
    for keras in (real_keras, ours):
        cell = getattr(keras.layers, keras_class(kind))(u)
        cell.build((2, 3))
        if weights is None:
            weights = [rng.uniform(-0.8, 0.8, w.shape).astype("float32") for w in cell.get_weights()]
        cell.set_weights(weights)
        assert cell.count_params() == formulas.count("keras", kind, input_dim=3, units=u)
        h, new = cell(x, list(states) if listed else states[0])
        assert isinstance(new, list) == listed
        results.append((to_numpy(h), [to_numpy(s) for s in (new if listed else [new])]))
        assert cell.state_size == ([u, u] if n == 2 else u) and cell.output_size == u
    (h_real, s_real), (h_ours, s_ours) = results
    np.testing.assert_allclose(h_ours, h_real, atol=ATOL)
    assert len(s_real) == len(s_ours) == n
    for a, b in zip(s_real, s_ours):
        np.testing.assert_allclose(b, a, atol=ATOL)
    np.testing.assert_allclose(s_ours[0], h_ours, atol=0)  # the first state is the output


def test_keras_rnn_lstm_cell_equals_lstm(real_keras):
    """RNN(LSTMCell(u)) and LSTM(u) with the same weights give the same outputs (real and ours)."""
    from lstm_docs import keras as ours

    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (2, 6, 3)).astype("float32")
    results = []
    for keras in (real_keras, ours):
        a = keras.layers.RNN(keras.layers.LSTMCell(4))
        b = keras.layers.LSTM(4)
        a.build((None, 6, 3)), b.build((None, 6, 3))
        if not results:  # the real layer's random weights, copied into ours
            weights = [np.asarray(w) for w in a.get_weights()]
        a.set_weights(weights), b.set_weights(weights)
        results.append((to_numpy(a(x)), to_numpy(b(x))))
        np.testing.assert_allclose(results[-1][0], results[-1][1], atol=ATOL)
        assert a.count_params() == b.count_params()
    np.testing.assert_allclose(results[1][0], results[0][0], atol=ATOL)


def test_keras_cell_refuses_layer_arguments(real_keras):
    from lstm_docs import keras as ours

    for keras in (real_keras, ours):
        with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to LSTMCell"):
            keras.layers.LSTMCell(4, return_sequences=True)


# ---------------------------------------------------------------------------- PyTorch
@pytest.mark.parametrize("kind, options", TORCH_CASES, ids=[f"{k}-{o}" for k, o in TORCH_CASES])
@pytest.mark.parametrize("d, h", [(1, 1), (3, 4), (300, 512)])
def test_torch_cell_names_shapes_count(real_torch, kind, options, d, h):
    from lstm_docs.pytorch import nn

    real = getattr(real_torch.nn, torch_class(kind))(d, h, device="meta", **options)
    mine = getattr(nn, torch_class(kind))(d, h, **options)
    got = [(n, tuple(p.shape)) for n, p in mine.named_parameters()]
    assert got == [(n, tuple(p.shape)) for n, p in real.named_parameters()]
    assert all("_l0" not in n for n, _ in got)
    count = sum(p.numel() for p in real.parameters())
    bias = {"bias": options["bias"]} if "bias" in options else {}
    assert mine.count_params() == count == formulas.count("pytorch", kind, input_dim=d, units=h, **bias)
    layer = getattr(real_torch.nn, kinds.get(kinds.own("pytorch", kind).cell_of).classes["pytorch"])
    assert count == sum(p.numel() for p in layer(d, h, device="meta", **options).parameters())
    assert repr(mine) == repr(real)


@pytest.mark.parametrize("kind, options", TORCH_CASES, ids=[f"{k}-{o}" for k, o in TORCH_CASES])
@pytest.mark.parametrize("batched", [True, False])
def test_torch_cell_loop_equals_real(real_torch, kind, options, batched):
    from lstm_docs import pytorch as ours_torch

    d, h, steps = 3, 4, 5
    rng = np.random.default_rng(4)
    x = rng.uniform(-1, 1, (steps, 2, d) if batched else (steps, d))
    real = getattr(real_torch.nn, torch_class(kind))(d, h, **options).double()
    mine = getattr(ours_torch.nn, torch_class(kind))(d, h, **options)
    mine.load_state_dict({n: to_numpy(p) for n, p in real.state_dict().items()})
    runs = []
    for torch, cell in ((real_torch, real), (ours_torch, mine)):
        state = None
        outs = []
        for t in range(steps):  # the time loop is the caller's
            xt = torch.tensor(x[t]) if torch is real_torch else x[t]
            state = cell(xt, state)
            outs.append(to_numpy(state[0] if isinstance(state, tuple) else state))
        runs.append((outs, [to_numpy(s) for s in (state if isinstance(state, tuple) else (state,))]))
    for a, b in zip(runs[0][0], runs[1][0]):
        assert a.shape == b.shape
        np.testing.assert_allclose(b, a, atol=ATOL)
    for a, b in zip(runs[0][1], runs[1][1]):
        np.testing.assert_allclose(b, a, atol=ATOL)


def test_torch_lstm_cell_loop_equals_lstm(real_torch):
    """nn.LSTMCell with nn.LSTM's weights (weight_ih_l0 -> weight_ih ...) run step by step
    gives nn.LSTM's output and (h_n, c_n)."""
    from lstm_docs import pytorch as ours_torch

    x = np.random.default_rng(5).uniform(-1, 1, (6, 2, 3))
    for torch in (real_torch, ours_torch):
        torch.manual_seed(0)
        lstm = torch.nn.LSTM(3, 4)
        cell = torch.nn.LSTMCell(3, 4)
        cell.load_state_dict({n.replace("_l0", ""): p for n, p in lstm.state_dict().items()})
        xt = torch.tensor(x, dtype=torch.float32)
        out, (h_n, c_n) = lstm(xt)
        h = c = torch.zeros(2, 4)
        steps = []
        for t in range(6):
            h, c = cell(xt[t], (h, c))
            steps.append(to_numpy(h))
        np.testing.assert_allclose(np.stack(steps), to_numpy(out), atol=ATOL)
        np.testing.assert_allclose(steps[-1], to_numpy(h_n)[0], atol=ATOL)
        np.testing.assert_allclose(to_numpy(c), to_numpy(c_n)[0], atol=ATOL)


@pytest.mark.parametrize("call, match", [
    (lambda nn, t: nn.LSTMCell(3, 4)(t.ones(2, 2, 3)), "LSTMCell: Expected input to be 1D or 2D, got 3D instead"),
    (lambda nn, t: nn.LSTMCell(3, 4)(t.ones(2, 5)), "input has inconsistent input_size: got 5 expected 3"),
    (lambda nn, t: nn.GRUCell(3, 4)(t.ones(2, 3), t.zeros(3, 4)), "Input batch size 2 doesn't match hidden0 batch size 3"),
    (lambda nn, t: nn.LSTMCell(3, 4, num_layers=2), "unexpected keyword argument 'num_layers'"),
])
def test_torch_cell_refusals_are_torchs(real_torch, call, match):
    from lstm_docs import pytorch as ours_torch

    for torch in (real_torch, ours_torch):
        with pytest.raises((ValueError, RuntimeError, TypeError), match=match):
            call(torch.nn, torch)
