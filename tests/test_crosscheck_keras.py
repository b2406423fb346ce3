"""Cross-check ``lstm_docs.keras`` against real Keras 3 (``KERAS_BACKEND=torch``).

Every model below is written ONCE as a function of a keras-like module ``K`` and built twice:
``K = real keras`` and ``K = lstm_docs.keras`` -- the same code a reader pastes.

Checked: parameter counts (real == ours == ``formulas.count``), weight paths/names/shapes
and order, forward outputs with the real layer's weights, and ``summary()`` text (byte for
byte, auto-generated names included, and against ``tests/golden/keras3-summary-*.txt``).

Forward precision: the real layers run in float64 (``keras.config`` float64 policy, restored
afterwards), so the reference is exact to ~1e-15.  Our mirror may compute in float32 or
float64; an absolute tolerance of 1e-6 on these small, tanh-bounded outputs accepts float32
rounding (~1e-7) and still catches any real mistake (wrong gate order or bias placement
moves outputs by ~1e-2).  Keras initialises biases to zeros (forget gate to ones), which
would hide a misplaced bias, so every bias is overwritten with non-zero random values
before the weights are copied.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_docs import formulas, kinds

pytestmark = [
    pytest.mark.crosscheck,
    # noise from inside real keras/torch (numpy 2 copy keyword), not from lstm_docs
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

ATOL = 1e-6  # see module docstring
GOLDEN = Path(__file__).resolve().parent / "golden"  # copies of ../shared/keras3-summary-*.txt
SHARED = Path(__file__).resolve().parents[2] / "shared"
# sequence layers (cells: test_crosscheck_cells.py; ConvLSTM2D: test_crosscheck_conv_lstm.py)
CLASSES = {k.names["keras"]: k.classes["keras"] for k in kinds.of("keras")
           if not k.cell_of and k.weights["keras"].area is None}
UNWRAPPED = "unwrapped"  # a merge_mode value meaning: no Bidirectional wrapper


def ours():
    from lstm_docs import keras

    return keras


def recurrent(K, kind, units, **kwargs):
    return getattr(K.layers, CLASSES[kind])(units, **kwargs)


def one_layer_model(K, kind, input_dim, units, merge_mode=UNWRAPPED, time=5, **kwargs):
    """``Sequential([Input((time, input_dim)), <kind>(units)])``, optionally Bidirectional."""
    layer = recurrent(K, kind, units, **kwargs)
    if merge_mode != UNWRAPPED:
        layer = K.layers.Bidirectional(layer, merge_mode=merge_mode)
    return K.Sequential([K.Input((time, input_dim)), layer])


def layer_options(kind, merge_mode=UNWRAPPED, **kwargs) -> dict:
    """The ``formulas`` options of one layer built with ``kwargs``."""
    options = {"use_bias": kwargs.get("use_bias", True), "bidirectional": merge_mode != UNWRAPPED}
    if kind == "gru":
        options["reset_after"] = kwargs.get("reset_after", True)
    return options


def option_id(options: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items()) or "defaults"


def to_numpy(value) -> np.ndarray:
    """A real keras/torch tensor or one of our arrays as a plain float64 array."""
    if hasattr(value, "detach"):
        return value.detach().cpu().double().numpy()
    return np.asarray(value, dtype=np.float64)


def as_list(outputs) -> list:
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def normalise_path(path: str) -> str:
    """``sequential_3/lstm_2/lstm_cell/kernel`` -> ``sequential/lstm/lstm_cell/kernel``.

    Auto-generated names carry a per-process counter suffix (``_N``) that depends on what
    was built before; everything else in the path must match exactly.
    """
    return "/".join(re.sub(r"_\d+$", "", part) for part in path.split("/"))


# --------------------------------------------------------------------------------------
# Parameter counts: real == ours == formulas.count
# --------------------------------------------------------------------------------------

KIND_OPTIONS = [
    ("lstm", {}), ("lstm", {"use_bias": False}),
    ("gru", {}), ("gru", {"reset_after": False}), ("gru", {"use_bias": False}),
    ("gru", {"reset_after": False, "use_bias": False}),
    ("simple_rnn", {}), ("simple_rnn", {"use_bias": False}),
]
SMALL = [(1, 1), (2, 3), (7, 5), (64, 32)]
LARGE = [(4096, 256), (1, 512), (4096, 1)]  # units 512 costs an orthogonal init: keep few


def count_cases():
    for (kind, kwargs), (d, u), mode in itertools.product(KIND_OPTIONS, SMALL, (UNWRAPPED, "concat")):
        yield pytest.param(kind, d, u, mode, kwargs, id=f"{kind}-{d}x{u}-{mode}-{option_id(kwargs)}")
    for (kind, kwargs), mode in itertools.product(KIND_OPTIONS[:4], ("sum", "mul", "ave", None)):
        yield pytest.param(kind, 2, 3, mode, kwargs, id=f"{kind}-2x3-{mode}-{option_id(kwargs)}")
    for kind, (d, u) in itertools.product(CLASSES, LARGE):
        yield pytest.param(kind, d, u, UNWRAPPED, {}, id=f"{kind}-{d}x{u}")
    yield pytest.param("lstm", 4096, 512, UNWRAPPED, {}, id="lstm-4096x512")


@pytest.mark.parametrize("kind, input_dim, units, merge_mode, kwargs", list(count_cases()))
def test_count_matches_real_keras(real_keras, kind, input_dim, units, merge_mode, kwargs):
    real = one_layer_model(real_keras, kind, input_dim, units, merge_mode, **kwargs)
    mine = one_layer_model(ours(), kind, input_dim, units, merge_mode, **kwargs)
    expected = real.count_params()
    assert mine.count_params() == expected
    assert mine.layers[-1].count_params() == real.layers[-1].count_params()
    options = layer_options(kind, merge_mode, **kwargs)
    assert formulas.count("keras", kind, input_dim=input_dim, units=units, **options) == expected


def stacked(K):
    return K.Sequential([
        K.Input((6, 10)),
        K.layers.LSTM(32, return_sequences=True),
        K.layers.Bidirectional(K.layers.GRU(16, return_sequences=True, reset_after=False)),
        K.layers.Bidirectional(K.layers.LSTM(8, return_sequences=True), merge_mode="sum"),
        K.layers.SimpleRNN(4, return_sequences=True, use_bias=False),
        K.layers.GRU(5),
        K.layers.Dense(3),
    ])


def embedding_model(K):
    return K.Sequential([
        K.Input((10,)), K.layers.Embedding(1000, 64), K.layers.LSTM(128), K.layers.Dense(1),
    ])


def test_stacked_counts_per_layer(real_keras):
    real, mine = stacked(real_keras), stacked(ours())
    assert [layer.count_params() for layer in mine.layers] == [layer.count_params() for layer in real.layers]
    assert mine.count_params() == real.count_params()
    # formulas, layer by layer: each layer's input_dim is the previous layer's output width
    by_formula = [
        formulas.count("keras", "lstm", input_dim=10, units=32),
        formulas.count("keras", "gru", input_dim=32, units=16, reset_after=False, bidirectional=True),
        formulas.count("keras", "lstm", input_dim=32, units=8, bidirectional=True),
        formulas.count("keras", "simple_rnn", input_dim=8, units=4, use_bias=False),
        formulas.count("keras", "gru", input_dim=4, units=5),
        5 * 3 + 3,  # Dense: kernel (5, 3) + bias (3,)
    ]
    assert by_formula == [layer.count_params() for layer in real.layers]


def test_embedding_model_counts(real_keras):
    real, mine = embedding_model(real_keras), embedding_model(ours())
    assert [layer.count_params() for layer in mine.layers] == [layer.count_params() for layer in real.layers]
    assert real.layers[1].count_params() == formulas.count("keras", "lstm", input_dim=64, units=128)


# --------------------------------------------------------------------------------------
# Weight paths, names, shapes, order
# --------------------------------------------------------------------------------------

def weight_table(model) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(normalise_path(w.path), w.name, tuple(w.shape)) for w in model.weights]


@pytest.mark.parametrize("factory", [stacked, embedding_model], ids=["stacked", "embedding"])
def test_model_weights_paths_names_shapes(real_keras, factory):
    real, mine = factory(real_keras), factory(ours())
    assert weight_table(mine) == weight_table(real)
    assert [w.shape for w in mine.get_weights()] == [w.shape for w in real.get_weights()]


WEIGHT_CASES = [
    (kind, mode, kwargs)
    for (kind, kwargs) in KIND_OPTIONS
    for mode in (UNWRAPPED, "concat")
]


@pytest.mark.parametrize(
    "kind, merge_mode, kwargs", WEIGHT_CASES,
    ids=[f"{k}-{m}-{option_id(o)}" for k, m, o in WEIGHT_CASES],
)
def test_layer_weights_match_real_and_formulas(real_keras, kind, merge_mode, kwargs):
    real = one_layer_model(real_keras, kind, 3, 5, merge_mode, **kwargs).layers[-1]
    mine = one_layer_model(ours(), kind, 3, 5, merge_mode, **kwargs).layers[-1]
    assert weight_table(mine) == weight_table(real)
    # formulas.weights names a weight by its path below the layer (the bare name when unwrapped)
    specs = formulas.weights("keras", kind, **layer_options(kind, merge_mode, **kwargs))
    if merge_mode == UNWRAPPED:
        real_names = [w.name for w in real.weights]
    else:
        real_names = ["/".join(normalise_path(w.path).split("/")[-3:]) for w in real.weights]
    assert [(s.name, s.evaluate_shape({"d": 3, "u": 5, "p": 0})) for s in specs] == [
        (name, tuple(w.shape)) for name, w in zip(real_names, real.weights)
    ]


# --------------------------------------------------------------------------------------
# Forward pass with the real layer's weights
# --------------------------------------------------------------------------------------

def randomise_biases(layer, seed: int) -> None:
    """Overwrite every bias of a real layer with non-zero random values (see docstring)."""
    rng = np.random.default_rng(seed)
    for weight in layer.weights:
        if weight.name == "bias":
            weight.assign(rng.uniform(0.1, 0.6, tuple(weight.shape)) * rng.choice([-1, 1], tuple(weight.shape)))


def assert_same_outputs(out_ours, out_real) -> None:
    mine, real = as_list(out_ours), as_list(out_real)
    assert len(mine) == len(real), f"ours returned {len(mine)} arrays, keras {len(real)}"
    for i, (a, b) in enumerate(zip(mine, real)):
        assert tuple(np.shape(a)) == tuple(b.shape), f"output {i}: shape {np.shape(a)} != keras {tuple(b.shape)}"
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=0, atol=ATOL, err_msg=f"output {i}")


LAYER_FORWARD = [
    ("lstm", UNWRAPPED, {}),
    ("lstm", UNWRAPPED, {"return_sequences": True}),
    ("lstm", UNWRAPPED, {"return_state": True}),
    ("lstm", UNWRAPPED, {"return_sequences": True, "return_state": True}),
    ("lstm", UNWRAPPED, {"go_backwards": True}),
    ("lstm", UNWRAPPED, {"go_backwards": True, "return_sequences": True}),
    ("lstm", UNWRAPPED, {"use_bias": False, "return_sequences": True}),
    ("lstm", UNWRAPPED, {"unit_forget_bias": False}),
    ("gru", UNWRAPPED, {"return_sequences": True, "return_state": True}),
    ("gru", UNWRAPPED, {"reset_after": False, "return_sequences": True, "return_state": True}),
    ("gru", UNWRAPPED, {"go_backwards": True, "reset_after": False}),
    ("gru", UNWRAPPED, {"use_bias": False}),
    ("simple_rnn", UNWRAPPED, {"return_sequences": True, "return_state": True}),
    ("simple_rnn", UNWRAPPED, {"go_backwards": True}),
    ("lstm", "concat", {}),
    ("lstm", "concat", {"return_sequences": True}),
    ("lstm", "sum", {"return_sequences": True}),
    ("lstm", "mul", {}),
    ("lstm", "ave", {"return_sequences": True}),
    ("lstm", None, {"return_sequences": True}),
    ("lstm", "concat", {"return_state": True}),
    ("gru", "concat", {"return_sequences": True}),
    ("gru", "sum", {"reset_after": False}),
    ("simple_rnn", "concat", {"return_sequences": True}),
]


@pytest.mark.parametrize(
    "kind, merge_mode, kwargs", LAYER_FORWARD,
    ids=[f"{k}-{m}-{option_id(o)}" for k, m, o in LAYER_FORWARD],
)
def test_layer_forward_matches_real_keras(float64_keras, kind, merge_mode, kwargs):
    K = float64_keras

    def build(module):
        layer = recurrent(module, kind, 4, **kwargs)
        return layer if merge_mode == UNWRAPPED else module.layers.Bidirectional(layer, merge_mode=merge_mode)

    x = np.random.default_rng(5).standard_normal((2, 6, 3))
    real = build(K)
    real(x)  # build
    randomise_biases(real, seed=9)
    out_real = real(x)

    mine = build(ours())
    mine(x)  # build, then take the real weights
    mine.set_weights(real.get_weights())
    assert_same_outputs(mine(x), out_real)


def functional_state(K):
    inputs = K.Input((6, 3))
    outputs, h, c = K.layers.LSTM(4, return_sequences=True, return_state=True)(inputs)
    return K.Model(inputs=inputs, outputs=[outputs, h, c])


def stacked_small(K):
    return K.Sequential([
        K.Input((6, 3)),
        K.layers.LSTM(5, return_sequences=True),
        K.layers.Bidirectional(K.layers.GRU(4, return_sequences=True, reset_after=False)),
        K.layers.SimpleRNN(3, return_sequences=True, go_backwards=True),
        K.layers.GRU(4),
        K.layers.Dense(2),
    ])


def embedding_small(K):
    return K.Sequential([K.Input((6,)), K.layers.Embedding(50, 3), K.layers.LSTM(4), K.layers.Dense(2)])


@pytest.mark.parametrize(
    "factory, integer_input",
    [(stacked_small, False), (functional_state, False), (embedding_small, True)],
    ids=["stacked", "functional-return_state", "embedding"],
)
def test_model_forward_matches_real_keras(float64_keras, factory, integer_input):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 50, (2, 6)) if integer_input else rng.standard_normal((2, 6, 3))
    real = factory(float64_keras)
    for layer in real.layers:
        randomise_biases(layer, seed=4)
    expected = real.predict(x, verbose=0)

    mine = factory(ours())
    mine.set_weights(real.get_weights())
    assert_same_outputs(mine.predict(x, verbose=0), expected)
    assert_same_outputs(mine(x), expected)


# --------------------------------------------------------------------------------------
# summary(): the same text as real Keras, auto-generated names included
# --------------------------------------------------------------------------------------

def seq_input_lstm(K):
    return K.Sequential([K.Input((4, 2)), K.layers.LSTM(3)])


def functional_lstm(K):
    inputs = K.Input((4, 2))
    return K.Model(inputs=inputs, outputs=K.layers.LSTM(3)(inputs))


def bidirectional_model(K):
    return K.Sequential([K.Input((4, 2)), K.layers.Bidirectional(K.layers.LSTM(3))])


def large_stack(K):
    # 4,457,472 parameters: thousands separators and MB sizes in the footer
    return K.Sequential([
        K.Input((100, 4096)), K.layers.LSTM(256, return_sequences=True), K.layers.LSTM(64), K.layers.Dense(10),
    ])


def unbuilt(K):
    return K.Sequential([K.layers.LSTM(3), K.layers.Dense(1)])


def unbuilt_added(K):
    model = K.Sequential()
    model.add(K.layers.LSTM(3))
    return model


def keras2_spellings(K):
    # old answers' spellings that real Keras 3 still accepts (with a warning on stderr)
    return K.Sequential([K.layers.LSTM(3, input_shape=(4, 2)), K.layers.Dense(1, input_dim=3)])


SUMMARY_MODELS = [
    seq_input_lstm, functional_lstm, embedding_model, bidirectional_model, functional_state,
    large_stack, unbuilt, unbuilt_added, keras2_spellings,
]

# How names are made comparable: auto-names come from per-process counters (``lstm``,
# ``lstm_1``...; a long one can even wrap its table cell), so each framework prints ALL the
# models above, in this order, in its own fresh process.  Ours must then print exactly the
# same bytes, names included -- the issue asks for Keras's counters, not just its tables.
# The first two models are the ones the shared ``keras3-summary-*.txt`` files were printed
# from, so the same run is compared byte for byte with those files.
MARKER = "@@@ summary of "
SUMMARY_SCRIPT = """
import importlib, sys
sys.path.insert(0, {tests!r})
K = importlib.import_module({module!r})
import test_crosscheck_keras as cases
for factory in cases.SUMMARY_MODELS:
    print(cases.MARKER + factory.__name__, flush=True)
    factory(K).summary()
"""


def fresh_process_summaries(module: str, **extra_env: str) -> dict[str, str]:
    """``{model name: printed summary}`` from a fresh Python process with a fixed terminal.

    Keras sizes the table as ``min(88, shutil.get_terminal_size().columns - 4)`` and rich
    reads ``COLUMNS`` as the console width: ``COLUMNS=80`` on a pipe gives the 76-character
    table of the shared files whatever terminal runs pytest; no colour variables.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env.update(COLUMNS="80", LINES="24", NO_COLOR="1", PYTHONIOENCODING="utf-8", **extra_env)
    script = SUMMARY_SCRIPT.format(tests=str(Path(__file__).resolve().parent), module=module)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", env=env, timeout=300,
    )
    assert result.returncode == 0, f"{module}: summary script failed:\n{result.stderr[-3000:]}"
    chunks = result.stdout.split(MARKER)[1:]
    return dict(chunk.split("\n", 1) for chunk in chunks)


@pytest.fixture(scope="module")
def real_summaries(real_keras) -> dict[str, str]:
    return fresh_process_summaries("keras", KERAS_BACKEND="torch")


@pytest.fixture(scope="module")
def our_summaries() -> dict[str, str]:
    return fresh_process_summaries("lstm_docs.keras")


@pytest.mark.parametrize("factory", SUMMARY_MODELS, ids=[f.__name__ for f in SUMMARY_MODELS])
def test_summary_matches_real_keras(real_summaries, our_summaries, factory):
    expected = real_summaries[factory.__name__]
    assert expected.startswith("Model: ") and "\x1b[" not in expected  # plain text, no colours
    assert our_summaries[factory.__name__] == expected


GOLDEN_FILES = ["keras3-summary-sequential.txt", "keras3-summary-functional.txt"]


@pytest.fixture(scope="module")
def golden() -> str:
    return "".join((GOLDEN / name).read_text(encoding="utf-8") for name in GOLDEN_FILES)


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden_copies_equal_shared_files(name):
    shared = SHARED / name
    if not shared.exists():
        pytest.skip(f"{shared} not present: nothing to compare the copy in tests/golden/ with")
    assert (GOLDEN / name).read_bytes() == shared.read_bytes()


def first_two(summaries: dict[str, str]) -> str:
    return summaries[seq_input_lstm.__name__] + summaries[functional_lstm.__name__]


def test_real_keras_reproduces_shared_summaries(real_summaries, golden):
    """Sanity check of the capture method: real Keras 3 prints the shared files."""
    assert first_two(real_summaries) == golden


def test_summary_byte_identical_to_shared_files(our_summaries, golden):
    """Ours prints the shared files byte for byte (runs even where keras is absent)."""
    assert first_two(our_summaries) == golden
