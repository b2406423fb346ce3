"""Reference recurrent cells in numpy: the equations the docs print, computed line for line.

The Keras and PyTorch mirrors are thin adapters: they slice their stored weights into the
per-gate matrices below and call these functions.  There is one algorithm per cell and no
framework branch inside it.

Notation
--------
x_t : (batch, input_dim)   input at step t
h   : (batch, units)       hidden state (the output of the step; ``proj`` wide with a projection)
c   : (batch, units)       LSTM cell state
W_k : (input_dim, units)   input weights of gate k (a column slice of Keras ``kernel``,
                           the transposed row slice of PyTorch ``weight_ih``)
U_k : (units, units)       recurrent weights of gate k (Keras ``recurrent_kernel``,
                           PyTorch ``weight_hh`` transposed; (proj, units) with a projection)
b_k : (units,)             input-side bias of gate k
a_k : (units,)             recurrent-side bias of gate k (PyTorch ``bias_hh``, Keras GRU
                           ``bias[1]`` with ``reset_after=True``; zero otherwise)
P   : (units, proj)        PyTorch LSTM projection, ``weight_hr`` transposed
sigmoid, tanh : the default ``recurrent_activation`` and ``activation``

Gate letters: LSTM i (input), f (forget), g (candidate; Keras calls it c), o (output).
GRU z (update), r (reset), n (candidate; Keras calls it h).

Equations
---------
LSTM::

    i = sigmoid(x_t @ W_i + h @ U_i + b_i + a_i)
    f = sigmoid(x_t @ W_f + h @ U_f + b_f + a_f)
    g = tanh(x_t @ W_g + h @ U_g + b_g + a_g)
    o = sigmoid(x_t @ W_o + h @ U_o + b_o + a_o)
    c = f * c + i * g
    h = o * tanh(c)            (then h = h @ P with a projection)

GRU, reset after the matrix product (Keras ``reset_after=True``, PyTorch)::

    z = sigmoid(x_t @ W_z + b_z + h @ U_z + a_z)
    r = sigmoid(x_t @ W_r + b_r + h @ U_r + a_r)
    n = tanh(x_t @ W_n + b_n + r * (h @ U_n + a_n))
    h = z * h + (1 - z) * n

GRU, reset before (Keras ``reset_after=False``)::

    n = tanh(x_t @ W_n + b_n + (r * h) @ U_n)

Simple RNN::

    h = tanh(x_t @ W_h + h @ U_h + b_h + a_h)

All arithmetic is float64; the framework mirrors cast their outputs to float32 like the
frameworks do, so outputs agree with Keras/PyTorch float32 to about 1e-7 and with PyTorch
float64 to 1e-12.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Activation = Callable[[np.ndarray], np.ndarray]


#: The activations' definitions as the pages write them, next to their code (tied by pages
#: with ``definition("sigmoid")``; ``tests/test_engine_rules.py`` evaluates each against it).
DEFINITIONS = {
    "sigmoid": r"\sigma(z) = 1 / (1 + e^{-z})",
    "hard_sigmoid": r"\operatorname{hard\_sigmoid}(z) = \min(\max(z + 3, 0), 6) / 6",
    # Keras 2's (and TF 1 / TF 2 tf.keras's): the default recurrent_activation before Keras 2.3.0
    "keras2_hard_sigmoid": r"\operatorname{hard\_sigmoid}(z) = \min(\max(0.2 z + 0.5, 0), 1)",
    "gate_block": r"[k u, (k + 1) u)",  # split_gates: gate k of u units
    # gru_step's last line, as Keras's letters write it and as PyTorch's documentation does
    "gru_state": r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t",
    "gru_state_pytorch": r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}",
}


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, computed without overflow warnings for large |x|:
    σ(z) = 1 / (1 + e^{-z}) (``DEFINITIONS["sigmoid"]``)."""
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(x)


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def linear(x: np.ndarray) -> np.ndarray:
    return x


def hard_sigmoid(x: np.ndarray) -> np.ndarray:
    """Keras 3 ``hard_sigmoid``: relu6(x + 3) / 6 (``DEFINITIONS["hard_sigmoid"]``);
    x: any shape -> same shape."""
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


def keras2_hard_sigmoid(x: np.ndarray) -> np.ndarray:
    """Keras 2's ``hard_sigmoid``: clip(0.2 x + 0.5, 0, 1) (``DEFINITIONS["keras2_hard_sigmoid"]``),
    the default ``recurrent_activation`` of Keras 2 before 2.3.0.  It is not Keras 3's: at
    x = 1 it gives 0.7 where Keras 3 gives 4/6; both give 0.5 at 0.  x: any shape -> same shape."""
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": sigmoid, "tanh": tanh, "relu": relu, "linear": linear, "hard_sigmoid": hard_sigmoid,
}

#: Activations of the legacy layouts (``kinds.LEGACY``) that no mirrored layer accepts by name:
#: a name here is the key of its definition in ``DEFINITIONS``.
LEGACY_ACTIVATIONS: dict[str, Activation] = {"keras2_hard_sigmoid": keras2_hard_sigmoid}


def activation(name_or_fn: str | Activation | None, *, argument: str, where: str) -> Activation:
    """Resolve an activation given by name (``"tanh"``), callable, or None (linear)."""
    if name_or_fn is None:
        return linear
    if callable(name_or_fn):
        return name_or_fn
    if isinstance(name_or_fn, str) and name_or_fn in ACTIVATIONS:
        return ACTIVATIONS[name_or_fn]
    raise ValueError(f"{where}: {argument} must be one of {', '.join(ACTIVATIONS)} or a callable, got {name_or_fn!r}")


@dataclass
class GateWeights:
    """Per-gate weights in the cell's orientation (row vectors times matrices).

    W : dict gate -> (input_dim, units); U : dict gate -> (units or proj, units);
    b, a : dict gate -> (units,)  (input-side and recurrent-side biases).
    """

    W: dict[str, np.ndarray]
    U: dict[str, np.ndarray]
    b: dict[str, np.ndarray]
    a: dict[str, np.ndarray]
    P: np.ndarray | None = None  # (units, proj) LSTM projection


def lstm_step(x_t: np.ndarray, h: np.ndarray, c: np.ndarray, w: GateWeights,
              act: Activation = tanh, rec_act: Activation = sigmoid) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step. x_t: (batch, input_dim), h: (batch, units|proj), c: (batch, units)
    -> (h: (batch, units|proj), c: (batch, units))."""
    W, U, b, a = w.W, w.U, w.b, w.a
    i = rec_act(x_t @ W["i"] + h @ U["i"] + b["i"] + a["i"])  # (batch, units)
    f = rec_act(x_t @ W["f"] + h @ U["f"] + b["f"] + a["f"])  # (batch, units)
    g = act(x_t @ W["g"] + h @ U["g"] + b["g"] + a["g"])  # (batch, units)
    o = rec_act(x_t @ W["o"] + h @ U["o"] + b["o"] + a["o"])  # (batch, units)
    c = f * c + i * g  # (batch, units)
    h = o * act(c)  # (batch, units)
    if w.P is not None:
        h = h @ w.P  # (batch, proj)
    return h, c


def gru_step(x_t: np.ndarray, h: np.ndarray, w: GateWeights, *, reset_after: bool,
             act: Activation = tanh, rec_act: Activation = sigmoid) -> np.ndarray:
    """One GRU step. x_t: (batch, input_dim), h: (batch, units) -> h: (batch, units)."""
    W, U, b, a = w.W, w.U, w.b, w.a
    z = rec_act(x_t @ W["z"] + b["z"] + h @ U["z"] + a["z"])  # (batch, units)
    r = rec_act(x_t @ W["r"] + b["r"] + h @ U["r"] + a["r"])  # (batch, units)
    if reset_after:
        n = act(x_t @ W["n"] + b["n"] + r * (h @ U["n"] + a["n"]))  # (batch, units)
    else:
        n = act(x_t @ W["n"] + b["n"] + (r * h) @ U["n"])  # (batch, units)
    h = z * h + (1 - z) * n  # (batch, units); DEFINITIONS["gru_state"], n being the candidate
    return h


def rnn_step(x_t: np.ndarray, h: np.ndarray, w: GateWeights, act: Activation = tanh) -> np.ndarray:
    """One simple-RNN step. x_t: (batch, input_dim), h: (batch, units) -> h: (batch, units)."""
    W, U, b, a = w.W, w.U, w.b, w.a
    h = act(x_t @ W["h"] + h @ U["h"] + b["h"] + a["h"])  # (batch, units)
    return h


def run(step: Callable[..., tuple[np.ndarray, ...]], x: np.ndarray, state: tuple[np.ndarray, ...],
        *, reverse: bool = False) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Scan ``step(x_t, *state) -> state`` over time; the first state entry is the output.

    x : (batch, time, input_dim); state : tuple of (batch, n) arrays
    -> (outputs: (batch, time, out) in input time order, final state).  ``reverse`` walks the
    sequence from the last step to the first and stores each output at its own time index.
    """
    steps = range(x.shape[1] - 1, -1, -1) if reverse else range(x.shape[1])
    outputs: list[np.ndarray | None] = [None] * x.shape[1]
    for t in steps:
        state = step(x[:, t, :], *state)
        outputs[t] = state[0]
    out = np.stack(outputs, axis=1) if x.shape[1] else np.zeros((x.shape[0], 0, state[0].shape[-1]))
    return out, state  # (batch, time, out), final state


def split_gates(matrix: np.ndarray, gates: tuple[str, ...], axis: int) -> dict[str, np.ndarray]:
    """Split a gate-stacked array into equal slices along ``axis``: {gate: slice} (float64).

    Gate ``k`` (its position in ``gates``) of ``u`` units is the block of indices
    ``[k u, (k + 1) u)`` (``DEFINITIONS["gate_block"]``, what the pages write)."""
    parts = np.split(np.asarray(matrix, dtype=np.float64), len(gates), axis=axis)
    return dict(zip(gates, parts))
