"""Keras <-> PyTorch layouts through lstm_docs' own layers (the real-framework version is
tests/test_crosscheck_convert.py): converted weights give the same outputs, round trips are
exact, and layouts without an equivalent are refused with the reason."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_docs import convert, keras
from lstm_docs import kinds
from lstm_docs.pytorch import nn

KERAS = {k.names["keras"]: getattr(keras.layers, k.classes["keras"]) for k in kinds.of("pytorch") if not k.cell_of}
TORCH = {k.names["keras"]: getattr(nn, k.classes["pytorch"]) for k in kinds.of("pytorch") if not k.cell_of}  # by Keras name
CASES = [(k, b, bi) for k in KERAS for b in (True, False) for bi in (False, True)]


def _keras_layer(kind, use_bias, bidirectional):
    layer = KERAS[kind](4, use_bias=use_bias, return_sequences=True)
    if bidirectional:
        layer = keras.layers.Bidirectional(layer)
    layer.build((None, 6, 3))
    rng = np.random.default_rng(0)
    layer.set_weights([rng.uniform(-0.8, 0.8, w.shape) for w in layer.get_weights()])  # non-zero biases
    return layer


@pytest.mark.parametrize("kind,use_bias,bidirectional", CASES)
def test_keras_to_torch_same_outputs(kind, use_bias, bidirectional):
    source = _keras_layer(kind, use_bias, bidirectional)
    state = convert.keras_to_torch(kind, source.get_weights(), use_bias=use_bias, bidirectional=bidirectional)
    target = TORCH[kind](3, 4, bias=use_bias, batch_first=True, bidirectional=bidirectional).double()
    target.load_state_dict(state)
    x = np.random.default_rng(1).standard_normal((2, 6, 3))
    out, _ = target(x)
    np.testing.assert_allclose(np.asarray(out), source(x), rtol=0, atol=1e-6)


@pytest.mark.parametrize("kind,use_bias,bidirectional", CASES)
def test_torch_to_keras_same_outputs_and_roundtrip(kind, use_bias, bidirectional):
    source = TORCH[kind](3, 4, bias=use_bias, batch_first=True, bidirectional=bidirectional).double()
    rng = np.random.default_rng(2)
    state = {k: rng.uniform(-0.8, 0.8, v.shape) for k, v in source.state_dict().items()}  # bias_ih != bias_hh
    source.load_state_dict(state)
    target = _keras_layer(kind, use_bias, bidirectional)
    weights = convert.torch_to_keras(kind, state, use_bias=use_bias, bidirectional=bidirectional)
    target.set_weights(weights)
    x = rng.standard_normal((2, 6, 3))
    out, _ = source(x)
    np.testing.assert_allclose(target(x), np.asarray(out), rtol=0, atol=1e-6)
    back = convert.torch_to_keras(kind, convert.keras_to_torch(kind, weights, use_bias=use_bias,
                                                               bidirectional=bidirectional),
                                  use_bias=use_bias, bidirectional=bidirectional)
    assert all(np.allclose(a, b, atol=1e-15) for a, b in zip(back, weights))


def test_gru_gate_blocks_move():
    kernel = np.concatenate([np.full((1, 2), v) for v in (1.0, 2.0, 3.0)], axis=1)  # z=1, r=2, h=3
    state = convert.keras_to_torch("gru", [kernel, np.zeros((2, 6))], use_bias=False)
    assert state["weight_ih_l0"][:, 0].tolist() == [2.0, 2.0, 1.0, 1.0, 3.0, 3.0]  # r, z, n


@pytest.mark.parametrize("call,match", [
    (lambda: convert.keras_to_torch("gru", [], reset_after=False), "reset_after=False has no PyTorch equivalent"),
    (lambda: convert.keras_to_torch("lstm", [np.zeros((3, 16))]), "expected 3 Keras arrays for lstm"),
    (lambda: convert.torch_to_keras("lstm", {"weight_ih_l0": 0, "weight_hh_l0": 0, "weight_hr_l0": 0}),
     r"expected state-dict keys .* proj_size modules have no single Keras layer"),
    (lambda: convert.keras_to_torch("conv", []), "kind must be one of"),
])
def test_refusals(call, match):
    with pytest.raises(ValueError, match=match):
        call()
