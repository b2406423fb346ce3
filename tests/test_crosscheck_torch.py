"""Cross-check ``lstm_docs.pytorch`` against real PyTorch.

Counts, parameter names/shapes/order, and forward outputs with the SAME weights: the real
module's random initialisation (torch draws every bias from U(-1/sqrt(h), 1/sqrt(h)), so
``bias_ih`` and ``bias_hh`` are non-zero and different -- asserted, because a test that
passes with equal or zero biases cannot tell ``b_ih + b_hh`` from ``b_ih`` or
``b_hh`` placed inside the GRU's reset product).

Precision: the real module runs in float64 (``.double()``), so its output is exact to
~1e-15; ``lstm_docs`` may compute in float32 or float64.  An absolute tolerance of 1e-6 on
values bounded by 1 (tanh outputs) therefore accepts float32 rounding (~1e-7 for these
small sizes) and still catches any real mistake (a wrong gate order or bias moves outputs
by ~1e-2).
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest

from lstm_docs import formulas, kinds

pytestmark = [
    pytest.mark.crosscheck,
    # noise from inside real keras/torch (numpy 2 copy keyword), not from lstm_docs
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

ATOL = 1e-6  # see module docstring: float64 reference vs float32/float64 mirror

# formulas kind -> class name (cells: test_crosscheck_cells.py)
KINDS = {k.names["pytorch"]: k.classes["pytorch"] for k in kinds.of("pytorch") if not k.cell_of}


def ours_nn():
    from lstm_docs.pytorch import nn

    return nn


def make(nn, kind, input_size, hidden_size, **options):
    return getattr(nn, KINDS[kind])(input_size, hidden_size, **options)


def real_count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def formula_count(kind, input_size, hidden_size, **options) -> int:
    known = {k: v for k, v in options.items() if k in ("bias", "bidirectional", "proj_size", "num_layers")}
    return formulas.count("pytorch", kind, input_dim=input_size, units=hidden_size, **known)


def to_numpy(value) -> np.ndarray:
    """A real torch tensor or one of ours (ndarray subclass) as a plain float64 array."""
    if hasattr(value, "detach") and type(value).__module__.startswith("torch"):
        return value.detach().cpu().double().numpy()
    return np.asarray(value, dtype=np.float64)


def option_id(options: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items()) or "defaults"


# --------------------------------------------------------------------------------------
# Parameter counts: real == ours == formulas.count
# --------------------------------------------------------------------------------------

# (input_size, hidden_size): tiny, odd, wide input, and the large sizes readers ask about.
SIZES = [(1, 1), (2, 3), (7, 5), (32, 64), (4096, 256), (300, 512), (4096, 512), (1, 512)]
OPTIONS = [
    {},
    {"bias": False},
    {"bidirectional": True},
    {"num_layers": 2},
    {"num_layers": 3, "bidirectional": True},
    {"num_layers": 2, "bidirectional": True, "bias": False},
]
PROJ_OPTIONS = [
    {"proj_size": 1},
    {"proj_size": 2, "bidirectional": True},
    {"proj_size": 2, "num_layers": 2, "bidirectional": True},
    {"proj_size": 3, "num_layers": 2, "bias": False},
]


def count_cases():
    for kind, (d, h), options in itertools.product(KINDS, SIZES, OPTIONS):
        yield pytest.param(kind, d, h, options, id=f"{kind}-{d}x{h}-{option_id(options)}")
    for (d, h), options in itertools.product([(2, 4), (7, 5), (300, 512)], PROJ_OPTIONS):
        yield pytest.param("lstm", d, h, options, id=f"lstm-{d}x{h}-{option_id(options)}")


@pytest.mark.parametrize("kind, input_size, hidden_size, options", list(count_cases()))
def test_count_matches_real_torch(real_torch, kind, input_size, hidden_size, options):
    # device="meta": real torch computes every shape without allocating (keeps the big grid cheap)
    real = make(real_torch.nn, kind, input_size, hidden_size, device="meta", **options)
    expected = real_count(real)
    ours = make(ours_nn(), kind, input_size, hidden_size, **options)
    assert ours.count_params() == expected
    assert sum(p.numel() for p in ours.parameters()) == expected
    assert formula_count(kind, input_size, hidden_size, **options) == expected


# --------------------------------------------------------------------------------------
# Names, shapes, order
# --------------------------------------------------------------------------------------

NAME_CASES = [
    ("lstm", {}), ("lstm", {"bias": False}), ("lstm", {"bidirectional": True}),
    ("lstm", {"num_layers": 2, "bidirectional": True, "proj_size": 2}),
    ("gru", {"num_layers": 2}), ("gru", {"bidirectional": True, "bias": False}),
    ("rnn", {"num_layers": 2, "bidirectional": True}),
]


@pytest.mark.parametrize("kind, options", NAME_CASES, ids=[f"{k}-{option_id(o)}" for k, o in NAME_CASES])
def test_parameter_names_shapes_and_order(real_torch, kind, options):
    real = make(real_torch.nn, kind, 3, 5, device="meta", **options)
    ours = make(ours_nn(), kind, 3, 5, **options)
    expected = [(name, tuple(p.shape)) for name, p in real.named_parameters()]
    assert [(name, tuple(p.shape)) for name, p in ours.named_parameters()] == expected
    assert [(name, tuple(v.shape)) for name, v in ours.state_dict().items()] == [
        (name, tuple(v.shape)) for name, v in real.state_dict().items()
    ]
    # the formulas' weight list is the same list, evaluated at d=3, h=5 (p from options)
    specs = formulas.weights("pytorch", kind, **options)
    env = {"d": 3, "u": 5, "p": options.get("proj_size", 0)}
    assert [(s.name, s.evaluate_shape(env)) for s in specs] == expected


# --------------------------------------------------------------------------------------
# Forward pass with the real module's weights
# --------------------------------------------------------------------------------------

FORWARD_CASES = [
    ("lstm", {}, {}),
    ("lstm", {"batch_first": True}, {}),
    ("lstm", {}, {"hx": True}),
    ("lstm", {"batch_first": True, "bidirectional": True}, {"hx": True}),
    ("lstm", {"num_layers": 2}, {}),
    ("lstm", {"num_layers": 2, "bidirectional": True}, {"hx": True}),
    ("lstm", {"proj_size": 2}, {}),
    ("lstm", {"proj_size": 2, "num_layers": 2, "bidirectional": True, "batch_first": True}, {"hx": True}),
    ("lstm", {"bias": False}, {}),
    ("lstm", {}, {"unbatched": True}),
    ("lstm", {"bidirectional": True}, {"unbatched": True, "hx": True}),
    ("gru", {}, {}),
    ("gru", {"batch_first": True}, {"hx": True}),
    ("gru", {"num_layers": 2, "bidirectional": True}, {}),
    ("gru", {"bias": False}, {}),
    ("gru", {}, {"unbatched": True}),
    ("rnn", {}, {}),
    ("rnn", {"num_layers": 2, "bidirectional": True, "batch_first": True}, {"hx": True}),
    ("rnn", {"nonlinearity": "relu"}, {}),
]

INPUT_SIZE, HIDDEN, BATCH, TIME = 3, 4, 2, 5


def state_shape(options) -> tuple[int, int]:
    """(num_layers * dirs, width) of h_n / c_n, without the batch axis."""
    layers = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
    return layers, options.get("proj_size") or HIDDEN


@pytest.mark.parametrize(
    "kind, options, call", FORWARD_CASES,
    ids=[f"{k}-{option_id(o)}-{option_id(c)}" for k, o, c in FORWARD_CASES],
)
def test_forward_matches_real_torch(real_torch, kind, options, call):
    torch = real_torch
    torch.manual_seed(7)
    real = make(torch.nn, kind, INPUT_SIZE, HIDDEN, **options).double().eval()
    state = {name: value.detach().numpy().copy() for name, value in real.state_dict().items()}
    if options.get("bias", True):
        assert not np.allclose(state["bias_ih_l0"], state["bias_hh_l0"]), "biases must differ"
        assert np.abs(state["bias_hh_l0"]).min() > 0

    ours = make(ours_nn(), kind, INPUT_SIZE, HIDDEN, **options)
    ours.load_state_dict(state)

    rng = np.random.default_rng(11)
    if call.get("unbatched"):
        x = rng.standard_normal((TIME, INPUT_SIZE))
        batch_shape: tuple[int, ...] = ()
    elif options.get("batch_first"):
        x = rng.standard_normal((BATCH, TIME, INPUT_SIZE))
        batch_shape = (BATCH,)
    else:
        x = rng.standard_normal((TIME, BATCH, INPUT_SIZE))
        batch_shape = (BATCH,)
    n_states, width = state_shape(options)
    hx_real = hx_ours = None
    if call.get("hx"):
        h0 = rng.standard_normal((n_states, *batch_shape, width))
        if kind == "lstm":
            c0 = rng.standard_normal((n_states, *batch_shape, HIDDEN))
            hx_real, hx_ours = (torch.from_numpy(h0), torch.from_numpy(c0)), (h0, c0)
        else:
            hx_real, hx_ours = torch.from_numpy(h0), h0

    with torch.no_grad():
        out_real, state_real = real(torch.from_numpy(x), hx_real)
    out_ours, state_ours = ours(x, hx_ours) if hx_ours is not None else ours(x)

    assert tuple(out_ours.shape) == tuple(out_real.shape)
    np.testing.assert_allclose(to_numpy(out_ours), to_numpy(out_real), rtol=0, atol=ATOL)
    if kind == "lstm":
        (h_real, c_real), (h_ours, c_ours) = state_real, state_ours
        assert tuple(c_ours.shape) == tuple(c_real.shape)
        np.testing.assert_allclose(to_numpy(c_ours), to_numpy(c_real), rtol=0, atol=ATOL)
    else:
        h_real, h_ours = state_real, state_ours
    assert tuple(h_ours.shape) == tuple(h_real.shape)
    np.testing.assert_allclose(to_numpy(h_ours), to_numpy(h_real), rtol=0, atol=ATOL)


def test_linear_matches_real_torch(real_torch):
    torch = real_torch
    torch.manual_seed(3)
    real = torch.nn.Linear(4, 3).double()
    ours = ours_nn().Linear(4, 3)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()
    ]
    assert ours.count_params() == real_count(real) == 15
    ours.load_state_dict({k: v.detach().numpy() for k, v in real.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((2, 4))
    with torch.no_grad():
        expected = real(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(to_numpy(ours(x)), expected, rtol=0, atol=ATOL)


# --------------------------------------------------------------------------------------
# The skip-or-fail rule of tests/frameworks.py (a framework made unimportable here)
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", ["torch", "keras"])
@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)],
                         ids=["CI=true-fails", "local-skips"])
def test_missing_framework_skips_locally_and_fails_in_ci(monkeypatch, module, ci, outcome):
    import frameworks

    monkeypatch.setitem(sys.modules, module, None)  # makes `import <module>` raise ImportError
    monkeypatch.setenv("CI", ci)
    importer = frameworks.import_torch if module == "torch" else frameworks.import_keras
    with pytest.raises(outcome, match="is not importable.*pip install"):
        importer()
