"""Keras ``ConvLSTM2D``: an LSTM whose four gates are convolutions (Keras 3's
``keras/src/layers/rnn/conv_lstm.py``, reproduced in numpy).

Shapes (``channels_last``, the only layout mirrored)::

    input            (batch, time, rows, cols, channels)
    kernel           (kh, kw, channels, 4*filters)    gates i, f, c, o along the last axis
    recurrent_kernel (kh, kw, filters, 4*filters)
    bias             (4*filters,)
    h, c             (batch, out_rows, out_cols, filters)

Per time step, with ``*`` the 2-D convolution of the layer's ``strides`` and ``padding`` for
the input and ``(1, 1)`` strides with ``"same"`` padding for the recurrent one (Keras's
``recurrent_conv``), so ``h`` keeps the output's rows and columns::

    i = sigmoid(x_t * W_i + b_i + h * U_i)
    f = sigmoid(x_t * W_f + b_f + h * U_f)
    c = f . c + i . tanh(x_t * W_c + b_c + h * U_c)
    o = sigmoid(x_t * W_o + b_o + h * U_o)
    h = o . tanh(c)

Output rows (cols alike): ``"valid"``: ``floor((rows - kh) / sh) + 1``; ``"same"``:
``ceil(rows / sh)``, padded as Keras pads (``total = max((out - 1)*sh + kh - rows, 0)``,
``total // 2`` before, the rest after).  Count: ``4*filters*(kh*kw*(channels + filters) + 1)``
(``4*filters*kh*kw*(channels + filters)`` without bias).

Not mirrored, refused with one line: ``dilation_rate != 1``, ``data_format="channels_first"``,
``stateful=True``, masks; ``ConvLSTM1D`` and ``ConvLSTM3D`` are not provided.  ``dropout`` and
``recurrent_dropout`` are accepted and do nothing (inference only, as in the other layers).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_docs import _validate, cells, formulas
from lstm_docs.keras import _backend, initializers
from lstm_docs.keras._layer import Layer, Shape

GATES = ("i", "f", "c", "o")  # Keras's storage order along the kernels' last axis
KIND = "conv_lstm2d"  # the registry's Keras name (lstm_docs.kinds)


def _pair(name: str, value: Any, where: str) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; ``(3, 2)`` stays; anything else a one-line ``ValueError``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (value, value)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{where}: {name} must be an int or a tuple of 2 ints, got {value!r}")
    a, b = (_validate.positive_int(name, v, where=where) for v in value)
    return a, b


def out_length(n: int | None, k: int, s: int, padding: str) -> int | None:
    """Output length of one spatial axis of ``n`` entries (``None`` stays ``None``)."""
    if n is None:
        return None
    return (n + s - 1) // s if padding == "same" else max((n - k) // s + 1, 0)


def conv2d(x: np.ndarray, w: np.ndarray, strides: tuple[int, int], padding: str) -> np.ndarray:
    """2-D cross-correlation as ``keras.ops.conv`` computes it.

    x: (batch, rows, cols, cin); w: (kh, kw, cin, cout) -> (batch, out_rows, out_cols, cout),
    ``y[b, r, c] = sum_{i, j} x_pad[b, r*sh + i, c*sw + j] @ w[i, j]``.
    """
    (kh, kw), (sh, sw) = w.shape[:2], strides
    if padding == "same":
        pads = []
        for n, k, s in ((x.shape[1], kh, sh), (x.shape[2], kw, sw)):
            total = max((out_length(n, k, s, "same") - 1) * s + k - n, 0)  # type: ignore[operator]
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    oh = (x.shape[1] - kh) // sh + 1
    ow = (x.shape[2] - kw) // sw + 1
    y = np.zeros((x.shape[0], max(oh, 0), max(ow, 0), w.shape[3]))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]  # (batch, oh, ow, cin)
            y += patch @ w[i, j]  # (cin, cout)
    return y


class ConvLSTM2D(Layer):
    """``keras.layers.ConvLSTM2D(filters, kernel_size)``: see the module docstring."""

    _prefix = KIND

    def __init__(self, filters: Any, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = 1, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: Any = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        where = f"ConvLSTM2D layer '{self.name}'"
        self.filters = _validate.positive_int("filters", filters, where=where)
        self.kernel_size = _pair("kernel_size", kernel_size, where)
        self.strides = _pair("strides", strides, where)
        if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
            raise ValueError(f"{where}: padding must be 'valid' or 'same', got {padding!r}")
        self.padding = padding.lower()
        if data_format not in (None, "channels_last"):
            raise ValueError(f"{where}: lstm_docs mirrors data_format='channels_last' only, got {data_format!r}")
        if _pair("dilation_rate", dilation_rate, where) != (1, 1):
            raise ValueError(f"{where}: lstm_docs does not mirror dilation_rate != 1, got {dilation_rate!r}")
        if stateful:
            raise ValueError(f"{where}: stateful=True is not supported by lstm_docs (pass state with initial_state=)")
        for arg, val in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= float(val) < 1.0:
                raise ValueError(f"{where}: {arg} must be in [0, 1), got {val!r}")
        self.activation = cells.activation(activation, argument="activation", where=where)
        self.recurrent_activation = cells.activation(recurrent_activation, argument="recurrent_activation",
                                                     where=where)
        self.use_bias = _validate.boolean("use_bias", use_bias, where=where)
        self.unit_forget_bias = _validate.boolean("unit_forget_bias", unit_forget_bias, where=where)
        self.return_sequences = _validate.boolean("return_sequences", return_sequences, where=where)
        self.return_state = _validate.boolean("return_state", return_state, where=where)
        self.go_backwards = _validate.boolean("go_backwards", go_backwards, where=where)
        self.kernel_initializer = initializers.get(kernel_initializer, argument="kernel_initializer", where=where)
        self.recurrent_initializer = initializers.get(recurrent_initializer, argument="recurrent_initializer",
                                                      where=where)
        self.bias_initializer = initializers.get(bias_initializer, argument="bias_initializer", where=where)

    # ------------------------------------------------------------------ weights
    def _ndim_error(self, shape: Any) -> ValueError:
        return ValueError(
            f"Input 0 with name 'None' of layer '{self.name}' is incompatible with the layer: "
            f"expected ndim=5, found ndim={len(shape)}. Full shape received: {tuple(shape)}"
        )

    def build(self, input_shape: Shape) -> None:
        where = f"ConvLSTM2D layer '{self.name}'"
        if len(input_shape) != 5:
            raise self._ndim_error(input_shape)
        if input_shape[-1] is None:
            raise ValueError(f"{where}: the channel axis of the input must be known, got shape {tuple(input_shape)}")
        self.input_dim = int(input_shape[-1])
        kh, kw = self.kernel_size
        env = {"d": self.input_dim, "u": self.filters, "kh": kh, "kw": kw}
        specs = formulas.weights("keras", KIND, use_bias=self.use_bias)
        _validate.allocatable(sum(s.size.evaluate(env) for s in specs), where=where)
        with _backend.name_scope(self.name):
            for spec in specs:
                init = {"input": self.kernel_initializer, "recurrent": self.recurrent_initializer,
                        "bias": self._bias_init}[spec.role]
                self.add_weight(spec.evaluate_shape(env), init, spec.name, path_parts=("conv_lstm_cell",))
        self.built = True

    def _bias_init(self, shape: tuple[int, ...]) -> np.ndarray:
        if not self.unit_forget_bias:
            return np.asarray(self.bias_initializer(shape))
        f = shape[0] // 4  # unit_forget_bias: the initializer for i, ones for f, then c and o
        return np.concatenate([np.asarray(self.bias_initializer((f,))), np.ones(f),
                               np.asarray(self.bias_initializer((2 * f,)))])

    # ------------------------------------------------------------------ shapes
    def _state_shape(self, input_shape: Shape) -> Shape:
        """(batch, time, rows, cols, channels) -> (batch, out_rows, out_cols, filters)."""
        rows, cols = input_shape[2], input_shape[3]
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        return (input_shape[0], out_length(rows, kh, sh, self.padding),
                out_length(cols, kw, sw, self.padding), self.filters)

    def compute_output_shape(self, input_shape: Shape) -> Any:
        state = self._state_shape(input_shape)
        out = (state[0], input_shape[1], *state[1:]) if self.return_sequences else state
        return [out, state, state] if self.return_state else out

    def _validate_symbolic(self, shape: Shape) -> None:
        if len(shape) != 5:
            raise self._ndim_error(shape)
        if self.built and shape[-1] != self.input_dim:
            raise ValueError(f"ConvLSTM2D layer '{self.name}': built for {self.input_dim} channels, "
                             f"got input shape {shape}")

    def _check_input(self, inputs: Any) -> np.ndarray:
        where = f"ConvLSTM2D layer '{self.name}'"
        x = _validate.array("inputs", inputs, ranks=(0, 1, 2, 3, 4, 5, 6, 7), where=where)
        if x.ndim != 5:  # (batch, time, rows, cols, channels)
            raise self._ndim_error(x.shape)
        if self.built:
            _validate.last_dim("inputs", x, self.input_dim, where=where, meaning="channels")
        return x

    # ------------------------------------------------------------------ the time loop
    def run(self, x: np.ndarray, initial_state: Any = None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """x: (batch, time, rows, cols, channels) -> (h at every step (batch, time, out_rows,
        out_cols, filters) in processing order, (h, c) each (batch, out_rows, out_cols, filters))."""
        kernel, recurrent = (np.asarray(w.value, dtype=np.float64) for w in self._weights[:2])
        bias = (np.asarray(self._weights[2].value, dtype=np.float64) if self.use_bias
                else np.zeros(4 * self.filters))
        W = cells.split_gates(kernel, GATES, axis=3)  # gate -> (kh, kw, channels, filters)
        U = cells.split_gates(recurrent, GATES, axis=3)  # gate -> (kh, kw, filters, filters)
        b = cells.split_gates(bias, GATES, axis=0)  # gate -> (filters,)
        if self.go_backwards:
            x = x[:, ::-1]
        shape = self._state_shape(x.shape)
        if initial_state is None:
            h, c = np.zeros(shape), np.zeros(shape)
        else:
            h, c = (_validate.array("initial_state", s, ranks=(4,), where=self.name) for s in initial_state)
        outs = []
        for t in range(x.shape[1]):
            z = {g: conv2d(x[:, t], W[g], self.strides, self.padding) + b[g]
                 + conv2d(h, U[g], (1, 1), "same") for g in GATES}
            i, f, o = (self.recurrent_activation(z[g]) for g in "ifo")
            c = f * c + i * self.activation(z["c"])
            h = o * self.activation(c)
            outs.append(h)
        return np.stack(outs, axis=1), (h, c)

    def call(self, x: np.ndarray, initial_state: Any = None, training: Any = None, mask: Any = None) -> Any:
        if mask is not None:
            raise ValueError(f"ConvLSTM2D layer '{self.name}': masks are not supported by lstm_docs")
        seq, (h, c) = self.run(x, initial_state)
        out = (seq if self.return_sequences else h).astype(np.float32)
        return [out, h.astype(np.float32), c.astype(np.float32)] if self.return_state else out
