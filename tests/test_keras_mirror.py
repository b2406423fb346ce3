"""The Keras mirror on its own terms: counts come from the formulas and equal the weights it
allocates, names/paths and auto-name counters follow Keras 3 (checked by running the same
script under real Keras in a fresh process), Keras 2 spellings warn, bad input says what
was wrong."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

from lstm_docs import formulas
from lstm_docs import keras
from lstm_docs import kinds
from lstm_docs.keras import Input, Model, Sequential, layers

# what real Keras 3.15.1 printed (tests/golden/README.md)
KERAS3_SUMMARY = (Path(__file__).parent / "golden" / "keras3-summary-sequential.txt").read_text(
    encoding="utf-8"
)  # printed by real Keras 3.15.1 for Sequential([Input((4, 2)), LSTM(3)])



@pytest.fixture(autouse=True)
def fresh_names():
    keras.utils.clear_session()
    keras.utils.set_random_seed(0)
    yield
    keras.utils.clear_session()


KINDS = {k.names["keras"]: getattr(layers, k.classes["keras"]) for k in kinds.of("keras")
         if k.weights["keras"].area is None}  # the sequence layers (ConvLSTM2D: test_crosscheck_conv_lstm)


RESET_AFTER = {k.names["keras"] for k in kinds.takers("keras", "reset_after")}
OPTIONS = [(kind, {"use_bias": b, **({"reset_after": r} if kind in RESET_AFTER else {})})
           for kind in KINDS for b in (True, False) for r in ((True, False) if kind in RESET_AFTER else (True,))]


@pytest.mark.parametrize("kind,kwargs", OPTIONS)
@pytest.mark.parametrize("d,u", [(1, 1), (2, 3), (7, 5), (64, 32)])
def test_allocated_weights_equal_formula(kind, kwargs, d, u):
    layer = KINDS[kind](u, **kwargs)
    layer.build((None, 4, d))
    specs = formulas.weights("keras", kind, **kwargs)
    env = {"d": d, "u": u}
    assert [(w.name, w.shape) for w in layer.weights] == [(s.name, s.evaluate_shape(env)) for s in specs]
    assert layer.count_params() == formulas.count("keras", kind, input_dim=d, units=u, **kwargs)
    assert all(w.dtype == "float32" for w in layer.get_weights())


def test_bidirectional_weights_and_count():
    model = Sequential([Input((4, 2)), layers.Bidirectional(layers.LSTM(3))])
    names = [w.path for w in model.weights]
    assert names[0] == "sequential/bidirectional/forward_lstm/lstm_cell/kernel"
    assert names[-1] == "sequential/bidirectional/backward_lstm/lstm_cell/bias"
    assert model.count_params() == formulas.count("keras", "lstm", input_dim=2, units=3, bidirectional=True) == 144


def test_lstm_default_initialisers():
    layer = layers.LSTM(3)
    layer.build((None, 4, 2))
    kernel, recurrent, bias = layer.get_weights()
    assert np.allclose(bias, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])  # unit_forget_bias
    assert np.abs(kernel).max() <= np.sqrt(6 / (2 + 12)) + 1e-7  # glorot_uniform
    assert np.allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-6)  # orthogonal (rows)


def test_seeded_initialisers_are_reproducible():
    keras.utils.set_random_seed(7)
    a = layers.GRU(4)
    a.build((None, 3, 2))
    keras.utils.set_random_seed(7)
    b = layers.GRU(4)
    b.build((None, 3, 2))
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


def test_forward_shapes_and_states():
    x = np.random.default_rng(0).standard_normal((5, 4, 2))
    out, h, c = layers.LSTM(3, return_sequences=True, return_state=True)(x)
    assert out.shape == (5, 4, 3) and h.shape == c.shape == (5, 3)
    assert np.allclose(out[:, -1], h)
    out = layers.GRU(6)(x)
    assert out.shape == (5, 6) and out.dtype == np.float32
    model = Sequential([Input((4, 2)), layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True)), layers.Dense(1)])
    assert model.predict(x).shape == (5, 4, 1)
    inp = Input((4, 2))
    functional = Model(inputs=inp, outputs=layers.LSTM(3)(inp))
    assert functional(x).shape == (5, 3)


def test_functional_and_sequential_share_weights_semantics():
    x = np.random.default_rng(1).standard_normal((2, 4, 2))
    lstm = layers.LSTM(3)
    model = Sequential([Input((4, 2)), lstm])
    assert np.array_equal(model(x), lstm(x))


def test_set_weights_then_get_weights_roundtrip_and_errors():
    layer = layers.LSTM(3)
    layer.build((None, 4, 2))
    new = [np.full(w.shape, 0.5, dtype=np.float32) for w in layer.get_weights()]
    layer.set_weights(new)
    assert all(np.array_equal(a, b) for a, b in zip(layer.get_weights(), new))
    with pytest.raises(ValueError, match=r"weight shape \(2, 12\) is not compatible with provided weight shape \(3, 12\)"):
        layer.set_weights([np.zeros((3, 12)), new[1], new[2]])
    with pytest.raises(ValueError, match="expects 3 weights"):
        layer.set_weights(new[:2])


def test_keras2_spellings_keras3_accepts_warn_with_its_words():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = Sequential([layers.LSTM(3, input_shape=(4, 2))])
        emb = layers.Embedding(100, 8, input_length=10)
        dense = layers.Dense(2, input_dim=5)
    messages = [str(w.message) for w in caught]
    assert messages == [
        "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, "
        "prefer using an `Input(shape)` object as the first layer in the model instead.",
        "Argument `input_length` is deprecated. Just remove it.",
        "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, "
        "prefer using an `Input(shape)` object as the first layer in the model instead.",
    ]
    assert caught[0].filename == __file__  # the warning points at the reader's line, not at lstm_docs
    assert model.count_params() == 72 and emb.input_dim == 100 and dense._input_shape_arg == (5,)


def test_keras2_spellings_keras3_rejects_fail_as_in_keras3():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old_style = Sequential()
        with pytest.raises(ValueError, match=r"^Unrecognized keyword arguments passed to LSTM: \{'input_length': 16\}$"):
            old_style.add(layers.LSTM(256, input_dim=4096, input_length=16))
        no_length = Sequential()
        with pytest.raises(ValueError, match=r"^Input 0 with name 'None' of layer 'lstm_1' is incompatible with the "
                                             r"layer: expected ndim=3, found ndim=2\. Full shape received: \(None, 4096\)$"):
            no_length.add(layers.LSTM(256, input_dim=4096))
    assert len(caught) == 2  # Keras warns about input_dim before it refuses
    with pytest.raises(ValueError, match=r"^Unrecognized keyword arguments passed to GRU: \{'batch_input_shape': \(None, 4, 2\)\}$"):
        layers.GRU(3, batch_input_shape=(None, 4, 2))
    with pytest.raises(ValueError, match=r"^Unrecognized keyword arguments passed to LSTM: \{'input_length': 16\}$"):
        layers.LSTM(3, input_length=16)
    layers.LSTM(3, implementation=1)  # accepted (and ignored) by Keras 3
    with pytest.raises(ValueError, match=r"^Unrecognized keyword arguments passed to SimpleRNN: \{'implementation': 1\}$"):
        layers.SimpleRNN(3, implementation=1)


def test_unbuilt_layer_and_model_count_params_raise_like_keras():
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer 'lstm', but the layer isn't built"):
        layers.LSTM(3).count_params()


@pytest.mark.parametrize("units,match", [
    (0, r"^Received an invalid value for argument `units`, expected a positive integer, got 0\.$"),
    (-2, r"^Received an invalid value for argument `units`, expected a positive integer, got -2\.$"),
    (2.5, r"units must be a whole number >= 1, got 2.5 \(float\)"),
    (True, r"units must be a whole number >= 1, got True \(bool\)"),
])
def test_bad_units(units, match):
    with pytest.raises(ValueError, match=match):
        layers.LSTM(units)


def test_units_as_a_string_fails_as_in_keras():
    with pytest.raises(TypeError, match=r"^'<=' not supported between instances of 'str' and 'int'$"):
        layers.LSTM("3")


def test_huge_units_refuse_to_allocate_but_count_exactly():
    expected = 4 * 10**7 * (100 + 10**7 + 1)
    with pytest.raises(ValueError, match=rf"LSTM layer 'lstm': would allocate {expected:,} parameters .*formulas.count"):
        Sequential([Input((4, 100)), layers.LSTM(10**7)])
    assert formulas.count("keras", "lstm", input_dim=100, units=10**7) == expected


def test_wrong_rank_and_mismatched_features():
    layer = layers.LSTM(3)
    with pytest.raises(ValueError, match=r"^Input 0 with name 'None' of layer 'lstm' is incompatible with the layer: "
                                         r"expected ndim=3, found ndim=2\. Full shape received: \(4, 2\)$"):
        layer(np.zeros((4, 2)))
    layer(np.zeros((1, 4, 2)))
    with pytest.raises(ValueError, match=r"inputs has 5 features \(shape \(1, 4, 5\)\) but the layer expects 2"):
        layer(np.zeros((1, 4, 5)))
    model = Sequential([Input((4, 2)), layers.LSTM(3)])
    with pytest.raises(ValueError, match=r"expects shape \(None, 4, 2\), got \(1, 4, 5\)"):
        model.predict(np.zeros((1, 4, 5)))
    with pytest.raises(ValueError, match=r"^Input 0 with name 'None' of layer 'lstm_\d+' is incompatible with the "
                                         r"layer: expected ndim=3, found ndim=2\. Full shape received: \(None, 3\)$"):
        Sequential([Input((4, 2)), layers.LSTM(3), layers.LSTM(2)])


def test_unknown_keyword_is_reported():
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to LSTM: \{'reset_after': False\}"):
        layers.LSTM(3, reset_after=False)


def test_summary_refuses_what_it_does_not_mirror():
    inp = Input((4, 2))
    branched = Model(inp, [layers.LSTM(3)(inp), layers.GRU(2)(inp)])
    assert branched.count_params() == 72 + 3 * 2 * (2 + 2 + 2)
    with pytest.raises(ValueError, match="branched functional model .* not mirrored"):
        branched.summary()
    with pytest.raises(ValueError, match=r"summary\(show_trainable=...\) is not mirrored"):
        Sequential([Input((4, 2)), layers.LSTM(3)]).summary(show_trainable=True)


def test_summary_print_fn_receives_the_text():
    lines = []
    Sequential([Input((4, 2)), layers.LSTM(3)]).summary(print_fn=lines.append)
    assert lines == [KERAS3_SUMMARY.rstrip("\n")]


# ---------------------------------------------------------------- against real Keras
SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import Input, Model, Sequential, layers
    Sequential([Input((4, 2)), layers.LSTM(3)]).summary()
    inp = Input((4, 2))
    Model(inputs=inp, outputs=layers.LSTM(3)(inp)).summary()
    Sequential([layers.LSTM(3)]).summary()
    m = Sequential()
    m.add(Input((10,)))
    m.add(layers.Embedding(1000, 64))
    m.add(layers.Bidirectional(layers.LSTM(16, return_sequences=True), merge_mode="sum"))
    m.add(layers.GRU(4, reset_after=False))
    m.add(layers.Dense(1))
    m.summary()
    x, h, c = layers.LSTM(3, return_state=True, name="a_really_long_layer_name_that_wraps_here")(inp)
    Model(inp, [x, h, c]).summary()
    m = Sequential([layers.SimpleRNN(5), layers.Dense(2)])
    m(np.zeros((2, 4, 3), dtype="float32"))
    m.summary()
    m = Sequential([Input((None, 2), batch_size=5), layers.LSTM(300, return_sequences=True)])
    m.layers[0].trainable = False
    m.summary()
    print([w.path for w in m.weights], m.input_shape, m.output_shape)
""")


def _run(prelude: str) -> str:
    env = dict(os.environ, KERAS_BACKEND="torch", COLUMNS="80")
    done = subprocess.run([sys.executable, "-c", prelude + SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.crosscheck
def test_summaries_and_auto_names_identical_to_real_keras(real_keras):
    ours = _run("from lstm_docs.aliases import install_aliases; install_aliases()\n")
    real = _run("")
    assert ours == real


def test_a_model_built_for_4_steps_runs_on_9_like_keras():
    """Keras checks only the rank and the feature axis when a model is called."""
    from lstm_docs.keras import Input, Sequential
    from lstm_docs.keras.layers import LSTM

    layer = LSTM(3)
    model = Sequential([Input((4, 2)), layer])
    x = np.random.default_rng(0).normal(size=(1, 9, 2))
    assert np.allclose(model.predict(x, verbose=0), layer(x))
    with pytest.raises(ValueError, match=r"^Sequential model 'sequential\w*': input .* expects shape \(None, 4, 2\), got \(1, 9, 3\)$"):
        model(np.ones((1, 9, 3)))
