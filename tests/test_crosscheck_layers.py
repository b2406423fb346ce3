"""Cross-check the layers around a recurrent layer against real Keras 3 (``KERAS_BACKEND=torch``).

``TimeDistributed`` and ``Dense`` on a 3-D input (docs/en/layers.md): each model is written
ONCE as a function of a keras-like module ``K`` and built with the real ``keras`` and with
``lstm_docs.keras``.  Checked: counts, weight paths/names/shapes, output shapes, the forward
pass with the real weights (biases made non-zero first) to 1e-6, and ``summary()`` text byte
for byte (auto-names included, each framework in its own fresh process).
"""

from __future__ import annotations

import numpy as np
import pytest

import test_crosscheck_keras
from test_crosscheck_keras import assert_same_outputs, ours, randomise_biases, weight_table

pytestmark = [
    pytest.mark.crosscheck,
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]


def dense_3d(K):
    """The page's model: Dense(1) after an LSTM that returns every step."""
    return K.Sequential([K.Input((4, 2)), K.layers.LSTM(3, return_sequences=True), K.layers.Dense(1)])


def time_distributed(K):
    """The same model with TimeDistributed(Dense(1)): the same weights and count."""
    return K.Sequential([K.Input((4, 2)), K.layers.LSTM(3, return_sequences=True),
                         K.layers.TimeDistributed(K.layers.Dense(1))])


def time_distributed_wide(K):
    """TimeDistributed(Dense) with an activation, a wider output, more steps."""
    return K.Sequential([K.Input((6, 3)), K.layers.GRU(4, return_sequences=True),
                         K.layers.TimeDistributed(K.layers.Dense(5, activation="tanh")),
                         K.layers.Dense(2)])


def time_distributed_lstm(K):
    """TimeDistributed(LSTM) on (batch, outer steps, inner steps, features)."""
    return K.Sequential([K.Input((2, 5, 3)), K.layers.TimeDistributed(K.layers.LSTM(3)),
                         K.layers.LSTM(2)])


def bidirectional_dense(K):
    """After Bidirectional the next layer reads 2u features."""
    return K.Sequential([K.Input((4, 2)), K.layers.Bidirectional(K.layers.LSTM(3)), K.layers.Dense(1)])


def functional_time_distributed(K):
    inputs = K.Input((4, 2))
    seq = K.layers.LSTM(3, return_sequences=True)(inputs)
    return K.Model(inputs=inputs, outputs=K.layers.TimeDistributed(K.layers.Dense(2))(seq))


MODELS = [dense_3d, time_distributed, time_distributed_wide, time_distributed_lstm, bidirectional_dense,
          functional_time_distributed]
IDS = [f.__name__ for f in MODELS]


def _input(factory, rng):
    shape = factory(ours()).input_shape[1:]
    return rng.standard_normal((3, *shape))


@pytest.mark.parametrize("factory", MODELS, ids=IDS)
def test_counts_weights_and_shapes_match_real_keras(real_keras, factory):
    real, mine = factory(real_keras), factory(ours())
    assert mine.count_params() == real.count_params()
    assert [layer.count_params() for layer in mine.layers] == [layer.count_params() for layer in real.layers]
    assert weight_table(mine) == weight_table(real)
    assert [tuple(layer.output.shape) for layer in mine.layers] == [tuple(layer.output.shape)
                                                                     for layer in real.layers]
    assert tuple(mine.output_shape) == tuple(real.output_shape)


def test_time_distributed_has_the_wrapped_layers_weights(real_keras):
    for K in (real_keras, ours()):
        wrapper = time_distributed(K).layers[-1]
        assert wrapper.weights == wrapper.layer.weights
        assert [w.name for w in wrapper.weights] == ["kernel", "bias"]
        assert wrapper.count_params() == 1 * (3 + 1)  # units * (features + 1), not times the steps


@pytest.mark.parametrize("factory", MODELS, ids=IDS)
def test_forward_matches_real_keras(float64_keras, factory):
    x = _input(factory, np.random.default_rng(3))
    real = factory(float64_keras)
    for layer in real.layers:
        randomise_biases(layer, seed=11)
    expected = real.predict(x, verbose=0)
    mine = factory(ours())
    mine.set_weights(real.get_weights())
    assert_same_outputs(mine.predict(x, verbose=0), expected)


def test_dense_on_3d_equals_time_distributed_dense(float64_keras):
    """Same weights -> same outputs, on the real framework and on the mirror."""
    x = np.random.default_rng(4).standard_normal((5, 4, 2))
    for K in (float64_keras, ours()):
        plain, wrapped = dense_3d(K), time_distributed(K)
        if K is float64_keras:
            randomise_biases(plain.layers[-1], seed=2)
        wrapped.set_weights(plain.get_weights())
        np.testing.assert_allclose(np.asarray(wrapped.predict(x, verbose=0)), np.asarray(plain.predict(x, verbose=0)),
                                   rtol=0, atol=1e-6)


def test_trailing_axis_of_one_is_added_like_keras(real_keras):
    """Keras 3 feeds (n, t) to Input((t, 1)) (and drops a surplus last axis of 1)."""
    x = np.random.default_rng(6).standard_normal((5, 4))
    real = real_keras.Sequential([real_keras.Input((4, 1)), real_keras.layers.LSTM(2)])
    mine = ours().Sequential([ours().Input((4, 1)), ours().layers.LSTM(2)])
    mine.set_weights(real.get_weights())
    for data in (x, x[..., None], x[..., None, None]):
        assert_same_outputs(mine.predict(data, verbose=0), real.predict(data, verbose=0))


SUMMARY_MODELS = [dense_3d, time_distributed, time_distributed_lstm, bidirectional_dense]
MARKER = test_crosscheck_keras.MARKER  # read by the fresh-process summary script




@pytest.fixture(scope="module")
def summaries(real_keras, monkeypatch_module):
    """Each framework prints SUMMARY_MODELS in a fresh process (test_crosscheck_keras's runner)."""
    script = test_crosscheck_keras.SUMMARY_SCRIPT.replace("import test_crosscheck_keras as cases",
                                                          "import test_crosscheck_layers as cases")
    monkeypatch_module.setattr(test_crosscheck_keras, "SUMMARY_SCRIPT", script)
    return (test_crosscheck_keras.fresh_process_summaries("keras", KERAS_BACKEND="torch"),
            test_crosscheck_keras.fresh_process_summaries("lstm_docs.keras"))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("factory", SUMMARY_MODELS, ids=[f.__name__ for f in SUMMARY_MODELS])
def test_summary_matches_real_keras(summaries, factory):
    real, mine = summaries
    expected = real[factory.__name__]
    assert expected.startswith("Model: ") and "\x1b[" not in expected
    assert mine[factory.__name__] == expected
