"""Cross-check ``lstm_docs.keras.layers.ConvLSTM2D`` against real Keras 3 (torch backend).

Each model is written once as a function of a keras-like module ``K`` and built with the
real Keras and with the mirror.  Checked: counts (real == ours == ``formulas.count``), weight
names, paths and shapes, output shapes for ``"valid"`` / ``"same"`` with strides, the forward
pass with the real layer's weights, ``summary()`` text, and the one-line refusals.

Forward tolerance: real Keras runs here in float64 (the ``float64_keras`` fixture), so its
convolutions are exact to ~1e-15; ours compute in float64 and return float32, so the only
difference is the final float32 rounding of values bounded by 1 (tanh times sigmoid),
at most ~6e-8.  ``ATOL = 1e-6`` accepts that and still catches any real mistake (a wrong
gate order, padding side or stride moves outputs by ~1e-2).  Biases are overwritten with
non-zero random values so a misplaced bias cannot hide behind Keras's zeros.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_docs import formulas
from test_crosscheck_keras import MARKER, fresh_process_summaries, ours, to_numpy  # noqa: F401 (MARKER: summary script)

pytestmark = [
    pytest.mark.crosscheck,
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

ATOL = 1e-6  # see module docstring

CASES = [  # (filters, kernel_size, strides, padding, channels, rows, cols, use_bias)
    (4, (3, 3), 1, "valid", 1, 6, 7, True),
    (3, (3, 2), 1, "same", 2, 5, 6, True),
    (2, (2, 3), (2, 1), "same", 3, 7, 6, True),
    (3, 3, 2, "valid", 2, 8, 9, False),
    (2, (1, 1), 1, "same", 2, 4, 4, True),
]
IDS = [f"f{c[0]}-k{c[1]}-s{c[2]}-{c[3]}-c{c[4]}-bias{c[7]}" for c in CASES]


def model(K, filters, kernel_size, strides, padding, channels, rows, cols, use_bias, time=4, **kw):
    return K.Sequential([
        K.Input((time, rows, cols, channels)),
        K.layers.ConvLSTM2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, **kw),
    ])


def kernel_pair(kernel_size):
    return (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_count_names_shapes(real_keras, case):
    # auto-names (sequential_3/conv_lstm2d_2/...) count the layers made before: start both
    # frameworks afresh, as a reader's new interpreter does, so the paths compare exactly
    real_keras.utils.clear_session()
    real = model(real_keras, *case)
    ours().utils.clear_session()
    mine = model(ours(), *case)
    filters, kernel_size, _, _, channels, *_, use_bias = case
    expected = real.count_params()
    assert mine.count_params() == expected
    assert formulas.count("keras", "conv_lstm2d", input_dim=channels, units=filters,
                          kernel_size=kernel_pair(kernel_size), use_bias=use_bias) == expected
    table = [(w.name, w.path, tuple(w.shape)) for w in real.layers[0].weights]
    assert [(w.name, w.path, tuple(w.shape)) for w in mine.layers[0].weights] == table
    env = {"d": channels, "u": filters, "kh": kernel_pair(kernel_size)[0], "kw": kernel_pair(kernel_size)[1]}
    specs = formulas.weights("keras", "conv_lstm2d", use_bias=use_bias)
    assert [(s.name, s.evaluate_shape(env)) for s in specs] == [(n, s) for n, _, s in table]


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_shapes(real_keras, case, return_sequences):
    shapes = []
    for K in (real_keras, ours()):
        x = K.Input((5, *case[5:7], case[4]))
        layer = K.layers.ConvLSTM2D(case[0], case[1], strides=case[2], padding=case[3],
                                    return_sequences=return_sequences, return_state=True)
        shapes.append([tuple(t.shape) for t in layer(x)])
    assert shapes[1] == shapes[0]


def test_documented_example(real_keras):
    """The page's example: ConvLSTM2D(64, (3, 3)) on 1-channel 40x40 frames."""
    for K in (real_keras, ours()):
        m = K.Sequential([K.Input((None, 40, 40, 1)), K.layers.ConvLSTM2D(64, (3, 3))])
        assert m.count_params() == 150_016 == 4 * 64 * (3 * 3 * (1 + 64) + 1)
        assert tuple(m.output_shape) == (None, 38, 38, 64)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_matches_real_keras(float64_keras, case):
    rng = np.random.default_rng(7)
    real = model(float64_keras, *case, return_sequences=True)
    mine = model(ours(), *case, return_sequences=True)
    weights = [to_numpy(w) for w in real.get_weights()]
    if case[-1]:
        weights[-1] = rng.normal(size=weights[-1].shape)
    real.set_weights(weights)
    mine.set_weights(weights)
    x = rng.normal(size=(2, 4, *case[5:7], case[4]))
    expected = to_numpy(real(x))
    got = np.asarray(mine(x), dtype=np.float64)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=ATOL, rtol=0)
    assert np.abs(expected).max() > 1e-2  # a non-trivial output


def test_forward_states_and_go_backwards(float64_keras):
    rng = np.random.default_rng(3)
    outs = []
    for K in (float64_keras, ours()):
        inp = K.Input((3, 5, 5, 2))
        layer = K.layers.ConvLSTM2D(3, (3, 3), padding="same", return_state=True, go_backwards=True)
        m = K.Model(inp, layer(inp))
        outs.append(m)
    weights = [to_numpy(w) for w in outs[0].get_weights()]
    weights[-1] = rng.normal(size=weights[-1].shape)
    for m in outs:
        m.set_weights(weights)
    x = rng.normal(size=(2, 3, 5, 5, 2))
    expected, got = ([to_numpy(t) for t in m(x)] for m in outs)
    assert len(got) == len(expected) == 3
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)


def conv_summary_valid(K):
    return K.Sequential([K.Input((None, 40, 40, 1)), K.layers.ConvLSTM2D(64, (3, 3))])


def conv_summary_same(K):
    return K.Sequential([K.Input((10, 40, 40, 1)),
                         K.layers.ConvLSTM2D(8, (3, 3), padding="same", return_sequences=True)])


def test_summary_matches_real_keras(real_keras, monkeypatch):
    """Each framework prints both models in a fresh process (auto-names from fresh counters),
    through test_crosscheck_keras's runner pointed at this module's models."""
    import test_crosscheck_keras as cases

    script = cases.SUMMARY_SCRIPT.replace("import test_crosscheck_keras as cases",
                                          "import test_crosscheck_conv_lstm as cases")
    monkeypatch.setattr(cases, "SUMMARY_SCRIPT", script)
    real = fresh_process_summaries("keras", KERAS_BACKEND="torch")
    mine = fresh_process_summaries("lstm_docs.keras")
    assert set(real) == {"conv_summary_valid", "conv_summary_same"}
    assert mine == real


SUMMARY_MODELS = [conv_summary_valid, conv_summary_same]  # read by the summary script


@pytest.mark.parametrize("kwargs", [
    {"dilation_rate": 2}, {"data_format": "channels_first"}, {"padding": "causal"},
])
def test_not_mirrored_refused_in_one_line(kwargs):
    with pytest.raises(ValueError) as err:
        ours().layers.ConvLSTM2D(4, 3, **kwargs)
    assert "\n" not in str(err.value)


def test_ndim_error_matches_real_keras(real_keras):
    messages = []
    for K in (real_keras, ours()):
        with pytest.raises(ValueError) as err:
            K.Sequential([K.Input((5, 40, 1)), K.layers.ConvLSTM2D(4, 3)])
        messages.append(str(err.value))
    assert "expected ndim=5, found ndim=4" in messages[0]
    assert "expected ndim=5, found ndim=4" in messages[1]
