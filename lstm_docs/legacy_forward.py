"""Reference forward passes of the legacy layouts, written from their documented equations.

Each function reads its layout's own arrays the way that layout's documentation or source
does (cuDNN's matrices out of Keras 2's CuDNN blocks, TF1's fused kernel over
``concat([x, h])``, ONNX's ``Xt*(W^T)``), not through :mod:`lstm_docs.legacy`'s readers, so
that comparing it with real Keras 3 and PyTorch after ``legacy.to_keras`` / ``legacy.to_torch``
tests the conversion.  Gate blocks are taken in the storage order the registry records for the
layout (``kinds.Legacy``), named with the layout's own letters.  All arithmetic is float64.

Notation (rows are samples, so a documented ``W x`` is ``x @ W.T`` here)
--------
x : (batch, time, d)      the input; ONNX's X is time-major (seq, batch, d) (its layout=0)
h, c : (batch, u)         hidden and cell state
sigmoid, tanh             the gates' and the candidate's activations (cells.sigmoid, np.tanh)

``forward(layout, kind, weights, x)`` runs any of them on one batch-major input for one or two
directions (forward first, outputs concatenated like Keras's ``Bidirectional`` and PyTorch's
``bidirectional=True``).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from lstm_docs import cells, kinds, legacy

sigmoid, tanh = cells.sigmoid, np.tanh


def _blocks(array: np.ndarray, layout: str, kind: str, axis: int) -> dict[str, np.ndarray]:
    """Gate blocks of a stacked array, keyed by the layout's own letters (``i, j, f, o``):
    (..., G*u, ...) along ``axis`` -> {gate: (..., u, ...)}."""
    return cells.split_gates(array, kinds.own(layout, kind).gates[layout], axis=axis)


def _zeros(x: np.ndarray, u: int) -> np.ndarray:
    """x: (batch, time, d) -> a zero state (batch, u)."""
    return np.zeros((x.shape[0], u))


# ---------------------------------------------------------------------------- cuDNN (Keras 2)


def cudnn_lstm(x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray,
               h0: np.ndarray | None = None, c0: np.ndarray | None = None, *,
               reverse: bool = False) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Keras 2 ``CuDNNLSTM`` (cuDNN's LSTM equations).

    x: (batch, time, d), kernel (d, 4u), recurrent_kernel (u, 4u), bias (8u,), h0, c0: (batch, u)
    -> (y: (batch, time, u), (h, c): (batch, u) each).  Gate k's cuDNN matrices: W_k (u, d) is
    the kernel block's memory read row by row as (u, d), R_k (u, u) the recurrent block as
    stored; bW_k, bR_k its input and recurrent biases (``bias`` = all bW, then all bR).
    """
    d, u = kernel.shape[0], recurrent_kernel.shape[0]
    W = {g: k.reshape(u, d) for g, k in _blocks(kernel, "cudnn", "lstm", axis=1).items()}  # (u, d) each
    R = {g: k.reshape(u, u) for g, k in _blocks(recurrent_kernel, "cudnn", "lstm", axis=1).items()}  # (u, u)
    bW, bR = (_blocks(half, "cudnn", "lstm", axis=0) for half in np.split(bias, 2))  # (u,) each

    def step(x_t: np.ndarray, h: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = sigmoid(x_t @ W["i"].T + h @ R["i"].T + bW["i"] + bR["i"])  # i = σ(W_i x + R_i h + bW_i + bR_i)
        f = sigmoid(x_t @ W["f"].T + h @ R["f"].T + bW["f"] + bR["f"])  # f = σ(W_f x + R_f h + bW_f + bR_f)
        c_ = tanh(x_t @ W["c"].T + h @ R["c"].T + bW["c"] + bR["c"])  # c' = tanh(W_c x + R_c h + bW_c + bR_c)
        o = sigmoid(x_t @ W["o"].T + h @ R["o"].T + bW["o"] + bR["o"])  # o = σ(W_o x + R_o h + bW_o + bR_o)
        c = f * c + i * c_  # c = f ∘ c + i ∘ c'
        h = o * tanh(c)  # h = o ∘ tanh(c)
        return h, c  # (batch, u) each

    state = (_zeros(x, u) if h0 is None else h0, _zeros(x, u) if c0 is None else c0)
    y, (h, c) = cells.run(step, x, state, reverse=reverse)
    return y, (h, c)


def cudnn_gru(x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray,
              h0: np.ndarray | None = None, *, reverse: bool = False) -> tuple[np.ndarray, tuple[np.ndarray]]:
    """Keras 2 ``CuDNNGRU`` (cuDNN's GRU equations; cuDNN calls the update gate i, Keras z).

    x: (batch, time, d), kernel (d, 3u), recurrent_kernel (u, 3u), bias (6u,), h0: (batch, u)
    -> (y: (batch, time, u), (h,): (batch, u)).  Matrices and biases read as in ``cudnn_lstm``.
    """
    d, u = kernel.shape[0], recurrent_kernel.shape[0]
    W = {g: k.reshape(u, d) for g, k in _blocks(kernel, "cudnn", "gru", axis=1).items()}  # (u, d) each
    R = {g: k.reshape(u, u) for g, k in _blocks(recurrent_kernel, "cudnn", "gru", axis=1).items()}  # (u, u)
    bW, bR = (_blocks(half, "cudnn", "gru", axis=0) for half in np.split(bias, 2))  # (u,) each

    def step(x_t: np.ndarray, h: np.ndarray) -> tuple[np.ndarray]:
        z = sigmoid(x_t @ W["z"].T + h @ R["z"].T + bW["z"] + bR["z"])  # i = σ(W_i x + R_i h + bW_i + bR_i)
        r = sigmoid(x_t @ W["r"].T + h @ R["r"].T + bW["r"] + bR["r"])  # r = σ(W_r x + R_r h + bW_r + bR_r)
        # h' = tanh(W_h x + r ∘ (R_h h + bR_h) + bW_h)
        h_ = tanh(x_t @ W["h"].T + r * (h @ R["h"].T + bR["h"]) + bW["h"])
        return ((1 - z) * h_ + z * h,)  # h = (1 - i) ∘ h' + i ∘ h

    y, (h,) = cells.run(step, x, (_zeros(x, u) if h0 is None else h0,), reverse=reverse)
    return y, (h,)


# ---------------------------------------------------------------------------- TF1 LSTMCell


def tf1_lstm(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, c0: np.ndarray | None = None,
             h0: np.ndarray | None = None, *, forget_bias: float = 1.0,
             reverse: bool = False) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """TF1 ``tf.nn.dynamic_rnn`` over ``LSTMCell`` / ``BasicLSTMCell`` (no peepholes, no
    projection), ``time_major=False``.

    x: (batch, time, d), kernel (d + u, 4u), bias (4u,), c0, h0: (batch, u) (TF1's
    ``LSTMStateTuple(c, h)`` order) -> (outputs: (batch, time, u), (c, h): (batch, u) each).
    """
    u = bias.shape[0] // 4

    def step(x_t: np.ndarray, h: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # concat([inputs, h]) @ kernel + bias: (batch, 4u)
        lstm_matrix = np.concatenate([x_t, h], axis=1) @ kernel + bias
        g = _blocks(lstm_matrix, "tf1", "lstm", axis=1)  # i, j, f, o = split(lstm_matrix, 4): (batch, u) each
        # c = σ(f + forget_bias) c + σ(i) tanh(j)
        c = sigmoid(g["f"] + forget_bias) * c + sigmoid(g["i"]) * tanh(g["j"])
        h = sigmoid(g["o"]) * tanh(c)  # m = σ(o) tanh(c)
        return h, c

    state = (_zeros(x, u) if h0 is None else h0, _zeros(x, u) if c0 is None else c0)
    outputs, (h, c) = cells.run(step, x, state, reverse=reverse)
    return outputs, (c, h)


# ---------------------------------------------------------------------------- ONNX LSTM, GRU


def _onnx_directions(direction: str, n: int) -> tuple[bool, ...]:
    """Whether each direction of the op runs reversed (``forward``, ``reverse``, ``bidirectional``)."""
    runs = {"forward": (False,), "reverse": (True,), "bidirectional": (False, True)}
    if direction not in runs or len(runs[direction]) != n:
        raise ValueError(f"onnx: direction={direction!r} with num_directions={n}: use 'forward' or 'reverse' "
                         "for W of shape [1, ...], 'bidirectional' for [2, ...]")
    return runs[direction]


def onnx_lstm(X: np.ndarray, W: np.ndarray, R: np.ndarray, B: np.ndarray | None = None,
              initial_h: np.ndarray | None = None, initial_c: np.ndarray | None = None, *,
              direction: str = "forward") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ONNX ``LSTM`` (layout=0, default activations f=Sigmoid, g=Tanh, h=Tanh, no peepholes,
    no clip, input_forget=0).

    X: [seq, batch, d], W: [n, 4h, d], R: [n, 4h, h], B: [n, 8h] (``Wb`` then ``Rb``, zeros if
    absent), initial_h, initial_c: [n, batch, h] -> Y: [seq, n, batch, h], Y_h, Y_c: [n, batch, h].
    """
    n, hidden = R.shape[0], R.shape[2]
    B = np.zeros((n, 8 * hidden)) if B is None else B
    Y, Y_h, Y_c = [], [], []
    for k, reverse in enumerate(_onnx_directions(direction, n)):
        Wk, Rk = _blocks(W[k], "onnx", "lstm", axis=0), _blocks(R[k], "onnx", "lstm", axis=0)  # (h, d), (h, h)
        Wb, Rb = (_blocks(half, "onnx", "lstm", axis=0) for half in np.split(B[k], 2))  # (h,) each

        def step(x_t: np.ndarray, H: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # it = f(Xt*(Wi^T) + Ht-1*(Ri^T) + Wbi + Rbi)
            i = sigmoid(x_t @ Wk["i"].T + H @ Rk["i"].T + Wb["i"] + Rb["i"])
            # ft = f(Xt*(Wf^T) + Ht-1*(Rf^T) + Wbf + Rbf)
            f = sigmoid(x_t @ Wk["f"].T + H @ Rk["f"].T + Wb["f"] + Rb["f"])
            c = tanh(x_t @ Wk["c"].T + H @ Rk["c"].T + Wb["c"] + Rb["c"])  # ct = g(Xt*(Wc^T) + Ht-1*(Rc^T) + Wbc + Rbc)
            C = f * C + i * c  # Ct = ft (.) Ct-1 + it (.) ct
            # ot = f(Xt*(Wo^T) + Ht-1*(Ro^T) + Wbo + Rbo)
            o = sigmoid(x_t @ Wk["o"].T + H @ Rk["o"].T + Wb["o"] + Rb["o"])
            return o * tanh(C), C  # Ht = ot (.) h(Ct)

        batch = X.shape[1]
        H0 = np.zeros((batch, hidden)) if initial_h is None else initial_h[k]
        C0 = np.zeros((batch, hidden)) if initial_c is None else initial_c[k]
        y, (H, C) = cells.run(step, X.transpose(1, 0, 2), (H0, C0), reverse=reverse)  # y: (batch, seq, h)
        Y.append(y.transpose(1, 0, 2))  # [seq, batch, h]
        Y_h.append(H)
        Y_c.append(C)
    return np.stack(Y, axis=1), np.stack(Y_h), np.stack(Y_c)  # [seq, n, batch, h], [n, batch, h] x 2


def onnx_gru(X: np.ndarray, W: np.ndarray, R: np.ndarray, B: np.ndarray | None = None,
             initial_h: np.ndarray | None = None, *, direction: str = "forward",
             linear_before_reset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """ONNX ``GRU`` (layout=0, default activations f=Sigmoid, g=Tanh, no clip).

    X: [seq, batch, d], W: [n, 3h, d], R: [n, 3h, h], B: [n, 6h] (``Wb`` then ``Rb``, zeros if
    absent), initial_h: [n, batch, h] -> Y: [seq, n, batch, h], Y_h: [n, batch, h].
    """
    n, hidden = R.shape[0], R.shape[2]
    B = np.zeros((n, 6 * hidden)) if B is None else B
    Y, Y_h = [], []
    for k, reverse in enumerate(_onnx_directions(direction, n)):
        Wk, Rk = _blocks(W[k], "onnx", "gru", axis=0), _blocks(R[k], "onnx", "gru", axis=0)  # (h, d), (h, h)
        Wb, Rb = (_blocks(half, "onnx", "gru", axis=0) for half in np.split(B[k], 2))  # (h,) each

        def step(x_t: np.ndarray, H: np.ndarray) -> tuple[np.ndarray]:
            # zt = f(Xt*(Wz^T) + Ht-1*(Rz^T) + Wbz + Rbz)
            z = sigmoid(x_t @ Wk["z"].T + H @ Rk["z"].T + Wb["z"] + Rb["z"])
            # rt = f(Xt*(Wr^T) + Ht-1*(Rr^T) + Wbr + Rbr)
            r = sigmoid(x_t @ Wk["r"].T + H @ Rk["r"].T + Wb["r"] + Rb["r"])
            if linear_before_reset:
                # ht = g(Xt*(Wh^T) + (rt (.) (Ht-1*(Rh^T) + Rbh)) + Wbh)
                h = tanh(x_t @ Wk["h"].T + r * (H @ Rk["h"].T + Rb["h"]) + Wb["h"])
            else:
                # ht = g(Xt*(Wh^T) + (rt (.) Ht-1)*(Rh^T) + Rbh + Wbh)
                h = tanh(x_t @ Wk["h"].T + (r * H) @ Rk["h"].T + Rb["h"] + Wb["h"])
            return ((1 - z) * h + z * H,)  # Ht = (1 - zt) (.) ht + zt (.) Ht-1

        H0 = np.zeros((X.shape[1], hidden)) if initial_h is None else initial_h[k]
        y, (H,) = cells.run(step, X.transpose(1, 0, 2), (H0,), reverse=reverse)  # y: (batch, seq, h)
        Y.append(y.transpose(1, 0, 2))  # [seq, batch, h]
        Y_h.append(H)
    return np.stack(Y, axis=1), np.stack(Y_h)  # [seq, n, batch, h], [n, batch, h]


# ---------------------------------------------------------------------------- Keras 2 LSTM, GRU

#: Keras 2's gate activations by name (its hard_sigmoid is not Keras 3's).
KERAS2_GATE_ACTIVATIONS: dict[str, cells.Activation] = {"hard_sigmoid": cells.keras2_hard_sigmoid,
                                                         "sigmoid": cells.sigmoid}


def keras2_lstm(x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray | None = None,
                h0: np.ndarray | None = None, c0: np.ndarray | None = None, *,
                recurrent_activation: str = "hard_sigmoid",
                reverse: bool = False) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Keras 2 ``LSTM`` (its ``LSTMCell.call``), gates ``recurrent_activation`` (default Keras 2's
    hard_sigmoid before 2.3.0).

    x: (batch, time, d), kernel (d, 4u), recurrent_kernel (u, 4u), bias (4u,) or None, h0, c0:
    (batch, u) -> (y: (batch, time, u), (h, c): (batch, u) each).
    """
    u = recurrent_kernel.shape[0]
    act = KERAS2_GATE_ACTIVATIONS[recurrent_activation]
    K, U = _blocks(kernel, "keras2", "lstm", axis=1), _blocks(recurrent_kernel, "keras2", "lstm", axis=1)
    b = _blocks(np.zeros(4 * u) if bias is None else bias, "keras2", "lstm", axis=0)

    def step(x_t: np.ndarray, h: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = act(x_t @ K["i"] + h @ U["i"] + b["i"])  # i = a(x W_i + h U_i + b_i)
        f = act(x_t @ K["f"] + h @ U["f"] + b["f"])  # f = a(x W_f + h U_f + b_f)
        c = f * c + i * tanh(x_t @ K["c"] + h @ U["c"] + b["c"])  # c = f c + i tanh(x W_c + h U_c + b_c)
        o = act(x_t @ K["o"] + h @ U["o"] + b["o"])  # o = a(x W_o + h U_o + b_o)
        return o * tanh(c), c  # h = o tanh(c)

    state = (_zeros(x, u) if h0 is None else h0, _zeros(x, u) if c0 is None else c0)
    y, (h, c) = cells.run(step, x, state, reverse=reverse)
    return y, (h, c)


def keras2_gru(x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray | None = None,
               h0: np.ndarray | None = None, *, reset_after: bool = False, recurrent_activation: str = "hard_sigmoid",
               reverse: bool = False) -> tuple[np.ndarray, tuple[np.ndarray]]:
    """Keras 2 ``GRU`` (its ``GRUCell.call``), ``reset_after=False`` by default (the reset gate
    multiplies h before the recurrent product), gates ``recurrent_activation``.

    x: (batch, time, d), kernel (d, 3u), recurrent_kernel (u, 3u), bias (3u,) or, with
    ``reset_after``, (2, 3u) (input row, recurrent row) or None, h0: (batch, u)
    -> (y: (batch, time, u), (h,): (batch, u)).
    """
    u = recurrent_kernel.shape[0]
    act = KERAS2_GATE_ACTIVATIONS[recurrent_activation]
    K, U = _blocks(kernel, "keras2", "gru", axis=1), _blocks(recurrent_kernel, "keras2", "gru", axis=1)
    rows = np.zeros((2, 3 * u)) if bias is None else (bias if bias.ndim == 2 else np.stack([bias, np.zeros(3 * u)]))
    b, a = _blocks(rows[0], "keras2", "gru", axis=0), _blocks(rows[1], "keras2", "gru", axis=0)  # input, recurrent

    def step(x_t: np.ndarray, h: np.ndarray) -> tuple[np.ndarray]:
        z = act(x_t @ K["z"] + b["z"] + h @ U["z"] + a["z"])  # z = a(x W_z + b_z + h U_z [+ b'_z])
        r = act(x_t @ K["r"] + b["r"] + h @ U["r"] + a["r"])  # r = a(x W_r + b_r + h U_r [+ b'_r])
        if reset_after:
            hh = tanh(x_t @ K["h"] + b["h"] + r * (h @ U["h"] + a["h"]))  # hh = tanh(x W_h + b_h + r (h U_h + b'_h))
        else:
            hh = tanh(x_t @ K["h"] + b["h"] + (r * h) @ U["h"])  # hh = tanh(x W_h + b_h + (r h) U_h)
        return (z * h + (1 - z) * hh,)  # h = z h + (1 - z) hh

    y, (h,) = cells.run(step, x, (_zeros(x, u) if h0 is None else h0,), reverse=reverse)
    return y, (h,)


# ---------------------------------------------------------------------------- one entry point


Run = Callable[[str, list[np.ndarray], np.ndarray, tuple[np.ndarray, ...], bool, dict[str, Any]],
               tuple[np.ndarray, tuple[np.ndarray, ...]]]


def _run_cudnn(kind: str, arrays: list[np.ndarray], x: np.ndarray, state: tuple[np.ndarray, ...], reverse: bool,
               settings: dict[str, Any]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    run = cudnn_lstm if kind == "lstm" else cudnn_gru
    return run(x, *arrays, *state, reverse=reverse)


def _run_tf1(kind: str, arrays: list[np.ndarray], x: np.ndarray, state: tuple[np.ndarray, ...], reverse: bool,
             settings: dict[str, Any]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    h0, c0 = state if state else (None, None)
    y, (c, h) = tf1_lstm(x, *arrays, c0, h0, forget_bias=settings["forget_bias"], reverse=reverse)
    return y, (h, c)


def _run_keras2(kind: str, arrays: list[np.ndarray], x: np.ndarray, state: tuple[np.ndarray, ...], reverse: bool,
                settings: dict[str, Any]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    kernel, recurrent, *bias = arrays
    if kind == "lstm":
        return keras2_lstm(x, kernel, recurrent, *(bias or [None]), *state,
                           recurrent_activation=settings["recurrent_activation"], reverse=reverse)
    return keras2_gru(x, kernel, recurrent, *(bias or [None]), *state, reset_after=settings["reset_after"],
                      recurrent_activation=settings["recurrent_activation"], reverse=reverse)


#: layout -> how ``forward`` runs one direction of it (ONNX runs its op on both at once)
_PER_DIRECTION: dict[str, Run] = {"cudnn": _run_cudnn, "tf1": _run_tf1, "keras2": _run_keras2}


def _run_onnx(kind: str, named: dict[str, np.ndarray], x: np.ndarray, states: list[tuple[np.ndarray, ...]],
              settings: dict[str, Any]) -> tuple[np.ndarray, list[tuple[np.ndarray, ...]]]:
    """The ONNX op on a batch-major input: X is x time-major, the states stacked on n."""
    direction = "bidirectional" if settings["bidirectional"] else "forward"
    X = x.transpose(1, 0, 2)  # [seq, batch, d]
    initial = [np.stack([s[j] for s in states]) for j in range(len(states[0]))] if states else []  # [n, batch, h]
    if kind == "lstm":
        Y, *last = onnx_lstm(X, named["W"], named["R"], named.get("B"), *initial, direction=direction)
    else:
        Y, *last = onnx_gru(X, named["W"], named["R"], named.get("B"), *initial, direction=direction,
                            linear_before_reset=settings["linear_before_reset"])
    seq, n, batch, hidden = Y.shape
    y = Y.transpose(2, 0, 1, 3).reshape(batch, seq, n * hidden)  # (batch, seq, n*h): forward, then reverse
    return y, [tuple(t[k] for t in last) for k in range(n)]


def forward(layout: str, kind: str, weights: Any, x: Any, *, initial_state: list[tuple[Any, ...]] | None = None,
            **options: Any) -> tuple[np.ndarray, list[tuple[np.ndarray, ...]]]:
    """Run one legacy layer on ``x``: (batch, time, d) -> (y: (batch, time, dirs*u), the final
    state of each direction: (h,) for a GRU, (h, c) for an LSTM, each (batch, u)).

    ``weights`` as ``legacy.to_keras`` takes them; ``initial_state``: one (h,) / (h, c) per
    direction (zeros by default); ``options`` the layout's (``bidirectional``,
    ``forget_bias``, ``linear_before_reset``, ``reset_after``, ``recurrent_activation``...).
    """
    where = f"legacy_forward.forward: {layout} {kind}"
    named, sizes, settings = legacy.named_arrays(layout, kind, weights, where=where, **options)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3 or x.shape[2] != sizes["d"]:
        raise ValueError(f"{where}: x must have shape (batch, time, {sizes['d']}), got {x.shape}")
    dirs = 2 if settings["bidirectional"] else 1
    states = [tuple(np.asarray(s, dtype=np.float64) for s in state) for state in (initial_state or [])]
    if states and len(states) != dirs:
        raise ValueError(f"{where}: initial_state must hold one state per direction ({dirs}), got {len(states)}")
    if layout == "onnx":
        return _run_onnx(kind, named, x, states, settings)
    ys, finals = [], []
    for k, arrays in enumerate(legacy.per_direction(layout, kind, named, settings)):
        y, final = _PER_DIRECTION[layout](kind, arrays, x, states[k] if states else (), k == 1, settings)
        ys.append(y)
        finals.append(final)
    return np.concatenate(ys, axis=-1), finals


__all__ = ["cudnn_gru", "cudnn_lstm", "forward", "keras2_gru", "keras2_lstm", "onnx_gru", "onnx_lstm", "tf1_lstm"]
