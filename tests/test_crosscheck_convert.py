"""Cross-check ``lstm_docs.convert`` with BOTH real frameworks at once.

Keras -> torch: a real Keras layer's weights go through our converter into a real
``torch.nn`` module (``load_state_dict(strict=True)``: names and shapes must be exact), and
both real frameworks must then compute the same outputs.  Torch -> Keras likewise, into a
real Keras layer's ``set_weights``.  Our own layers play no part: this proves the layout
mapping (gate order i,f,c,o vs i,f,g,o and z,r,h vs r,z,n; transposes; one Keras bias vs
torch's ``bias_ih`` + ``bias_hh``; GRU's ``(2, 3u)`` bias) on the real things.

Biases are non-zero and torch's two biases differ (asserted / randomised), otherwise a
converter that drops one bias, or swaps the GRU's input and recurrent biases, would pass.
Both frameworks run in float64, so outputs agree to ~1e-15; the tolerance 1e-6 is the
site-wide promise.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_docs import kinds

pytestmark = [
    pytest.mark.crosscheck,
    # noise from inside real keras/torch (numpy 2 copy keyword), not from lstm_docs
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

ATOL = 1e-6
INPUT_DIM, UNITS, BATCH, TIME = 3, 4, 2, 6
KERAS_CLASSES = {k.names["keras"]: k.classes["keras"] for k in kinds.of("pytorch") if not k.cell_of}
TORCH_CLASSES = {k.names["keras"]: k.classes["pytorch"] for k in kinds.of("pytorch") if not k.cell_of}  # by Keras name


def convert():
    from lstm_docs import convert as module

    return module


def keras_layer(keras, kind, use_bias=True, bidirectional=False, **kwargs):
    """A built real Keras layer returning the whole sequence (concat of both directions)."""
    layer = getattr(keras.layers, KERAS_CLASSES[kind])(UNITS, use_bias=use_bias, return_sequences=True, **kwargs)
    if bidirectional:
        layer = keras.layers.Bidirectional(layer, merge_mode="concat")
    layer.build((None, TIME, INPUT_DIM))
    return layer


def torch_module(torch, kind, bias=True, bidirectional=False):
    cls = getattr(torch.nn, TORCH_CLASSES[kind])
    return cls(INPUT_DIM, UNITS, bias=bias, batch_first=True, bidirectional=bidirectional).double()


def keras_forward(layer, x) -> np.ndarray:
    return layer(x).detach().cpu().numpy()  # torch backend: a torch tensor


def torch_forward(torch, module, x) -> np.ndarray:
    with torch.no_grad():
        output, _ = module(torch.from_numpy(x))
    return output.numpy()


CASES = [
    ("lstm", {}),
    ("lstm", {"use_bias": False}),
    ("gru", {}),  # Keras reset_after=True (default) is torch's GRU
    ("gru", {"use_bias": False}),
    ("simple_rnn", {}),
    ("lstm", {"bidirectional": True}),
    ("gru", {"bidirectional": True}),
    ("simple_rnn", {"bidirectional": True, "use_bias": False}),
]
IDS = [f"{kind}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'defaults'}" for kind, o in CASES]


@pytest.mark.parametrize("kind, options", CASES, ids=IDS)
def test_keras_to_torch_same_outputs(float64_keras, real_torch, kind, options):
    keras, torch = float64_keras, real_torch
    source = keras_layer(keras, kind, **options)
    rng = np.random.default_rng(1)
    for weight in source.weights:
        if weight.name == "bias":  # Keras initialises biases to 0 (1 for the forget gate)
            weight.assign(rng.uniform(-0.5, 0.5, tuple(weight.shape)))
    x = rng.standard_normal((BATCH, TIME, INPUT_DIM))

    state = convert().keras_to_torch(kind, source.get_weights(), **options)
    target = torch_module(torch, kind, bias=options.get("use_bias", True), bidirectional=options.get("bidirectional", False))
    target.load_state_dict({k: torch.as_tensor(np.asarray(v, dtype=np.float64)) for k, v in state.items()}, strict=True)

    np.testing.assert_allclose(torch_forward(torch, target, x), keras_forward(source, x), rtol=0, atol=ATOL)


@pytest.mark.parametrize("kind, options", CASES, ids=IDS)
def test_torch_to_keras_same_outputs(float64_keras, real_torch, kind, options):
    keras, torch = float64_keras, real_torch
    torch.manual_seed(5)
    bias = options.get("use_bias", True)
    source = torch_module(torch, kind, bias=bias, bidirectional=options.get("bidirectional", False))
    state = {k: v.detach().numpy().copy() for k, v in source.state_dict().items()}
    if bias:
        assert not np.allclose(state["bias_ih_l0"], state["bias_hh_l0"]), "biases must differ"
    x = np.random.default_rng(2).standard_normal((BATCH, TIME, INPUT_DIM))

    target = keras_layer(keras, kind, **options)
    target.set_weights(convert().torch_to_keras(kind, state, **options))

    np.testing.assert_allclose(keras_forward(target, x), torch_forward(torch, source, x), rtol=0, atol=ATOL)


def test_gru_reset_after_false_has_no_torch_layout(float64_keras):
    """torch's GRU applies the reset gate after the recurrent matmul (reset_after=True only)."""
    source = keras_layer(float64_keras, "gru", reset_after=False)
    with pytest.raises(ValueError, match="reset_after"):
        convert().keras_to_torch("gru", source.get_weights(), reset_after=False)
