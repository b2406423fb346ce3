"""Keras ``Dense``, ``Embedding`` and the ``Bidirectional`` wrapper."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from lstm_docs import _validate, cells
from lstm_docs.keras import _backend, initializers
from lstm_docs.keras._layer import Layer, Shape, user_stacklevel
from lstm_docs.keras._recurrent import _RNN


class Dense(Layer):
    """``keras.layers.Dense``: y = activation(x @ kernel + bias); kernel (input_dim, units),
    bias (units,); count = units*(input_dim + 1) (units*input_dim without bias)."""

    _prefix = "dense"

    def __init__(self, units: Any, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        where = f"Dense {self.name}"
        if isinstance(units, int) and not isinstance(units, bool) and units <= 0:  # Keras 3's words
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. Received: units={units}")
        self.units = _validate.positive_int("units", units, where=where)
        self.activation = cells.activation(activation, argument="activation", where=where)
        self.use_bias = _validate.boolean("use_bias", use_bias, where=where)
        self.kernel_initializer = initializers.get(kernel_initializer, argument="kernel_initializer", where=where)
        self.bias_initializer = initializers.get(bias_initializer, argument="bias_initializer", where=where)

    def build(self, input_shape: Shape) -> None:
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(f"Dense {self.name}: needs input with a known last axis, got shape {tuple(input_shape)}")
        self.input_dim = int(input_shape[-1])
        _validate.allocatable(self.units * (self.input_dim + 1), where=f"Dense {self.name}")
        with _backend.name_scope(self.name):
            self.add_weight((self.input_dim, self.units), self.kernel_initializer, "kernel")
            if self.use_bias:
                self.add_weight((self.units,), self.bias_initializer, "bias")
        self.built = True

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape[:-1]) + (self.units,)

    def _check_input(self, inputs: Any) -> np.ndarray:
        x = _validate.array("inputs", inputs, ranks=(2, 3, 4), where=f"Dense {self.name}")
        if self.built:
            _validate.last_dim("inputs", x, self.input_dim, where=f"Dense {self.name}")
        return x

    def call(self, x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        kernel = np.asarray(self._weights[0].value, dtype=np.float64)
        y = x @ kernel  # (..., units)
        if self.use_bias:
            y = y + np.asarray(self._weights[1].value, dtype=np.float64)
        return self.activation(y).astype(np.float32)

    def _supports_masking(self) -> bool:
        return True  # Keras: the mask passes through, every step gets the same Dense


class Embedding(Layer):
    """``keras.layers.Embedding(input_dim, output_dim)``: a (input_dim, output_dim) table;
    count = input_dim*output_dim.  ``input_length`` (Keras 2) is accepted with a warning."""

    _prefix = "embedding"

    def __init__(self, input_dim: Any, output_dim: Any, embeddings_initializer: Any = "uniform",
                 embeddings_regularizer: Any = None, embeddings_constraint: Any = None, mask_zero: bool = False,
                 input_length: Any = None, **kwargs: Any) -> None:
        if input_length is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", UserWarning,
                          stacklevel=user_stacklevel())
        super().__init__(**kwargs)
        where = f"Embedding {self.name}"
        self.input_dim = _validate.positive_int("input_dim", input_dim, where=where)
        self.output_dim = _validate.positive_int("output_dim", output_dim, where=where)
        self.mask_zero = _validate.boolean("mask_zero", mask_zero, where=where)
        self.embeddings_initializer = initializers.get(embeddings_initializer, argument="embeddings_initializer",
                                                       where=where)

    def build(self, input_shape: Shape) -> None:
        _validate.allocatable(self.input_dim * self.output_dim, where=f"Embedding {self.name}")
        with _backend.name_scope(self.name):
            self.add_weight((self.input_dim, self.output_dim), self.embeddings_initializer, "embeddings")
        self.built = True

    @property
    def embeddings(self) -> Any:
        return self._weights[0]

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape) + (self.output_dim,)

    def _check_input(self, inputs: Any) -> np.ndarray:
        where = f"Embedding {self.name}"
        x = np.asarray(inputs)
        if x.ndim not in (1, 2, 3) or not (np.issubdtype(x.dtype, np.integer) or np.all(np.mod(x, 1) == 0)):
            raise ValueError(f"{where}: inputs must be whole-number token ids, got dtype {x.dtype} shape {x.shape}")
        x = x.astype(np.int64)
        if x.size and (x.min() < 0 or x.max() >= self.input_dim):
            raise ValueError(f"{where}: token ids must be in [0, {self.input_dim}), got min {x.min()} max {x.max()}")
        return x

    def call(self, x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        return np.asarray(self._weights[0].value)[x]  # (batch, time, output_dim)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """``mask_zero=True``: token id 0 is padding, mask = ids != 0, (batch, time) booleans."""
        return np.asarray(inputs) != 0 if self.mask_zero else None


class Masking(Layer):
    """``keras.layers.Masking(mask_value=0.0)``: no weights (count 0). A time step whose
    features all equal ``mask_value`` is masked: mask_t = any(x_t != mask_value), shape
    (batch, time); the output is x with the masked steps set to 0, (batch, time, features)."""

    _prefix = "masking"

    def __init__(self, mask_value: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = float(mask_value)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def _supports_masking(self) -> bool:
        return True

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return np.any(np.asarray(inputs) != self.mask_value, axis=-1)  # (batch, time)

    def call(self, x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        keep = self.compute_mask(x)[..., None]  # (batch, time, 1)
        return (x * keep).astype(np.float32)  # (batch, time, features)


class Bidirectional(Layer):
    """``keras.layers.Bidirectional(layer, merge_mode="concat")``: a forward copy
    ``forward_<name>`` and a backward copy ``backward_<name>`` (go_backwards flipped) of the
    wrapped layer; twice its parameters.  merge_mode: concat | sum | mul | ave | None."""

    _prefix = "bidirectional"
    _MODES = ("concat", "sum", "mul", "ave", None)

    def __init__(self, layer: Any, merge_mode: Any = "concat", weights: Any = None, backward_layer: Any = None,
                 **kwargs: Any) -> None:
        if not isinstance(layer, _RNN):
            raise ValueError(f"Bidirectional: layer must be an LSTM, GRU or SimpleRNN instance, got {layer!r}")
        if layer.stateful:
            raise ValueError("Bidirectional: a stateful=True layer inside Bidirectional is not mirrored by lstm_docs")
        super().__init__(**kwargs)
        if merge_mode not in self._MODES:
            raise ValueError(f"Bidirectional {self.name}: merge_mode must be one of {self._MODES}, got {merge_mode!r}")
        self.merge_mode = merge_mode
        self.forward_layer = layer._clone("forward_" + layer.name, layer.go_backwards)
        self.backward_layer = backward_layer or layer._clone("backward_" + layer.name, not layer.go_backwards)
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        if weights is not None:
            self._pending_weights = weights

    def build(self, input_shape: Shape) -> None:
        with _backend.name_scope(self.name):
            self.forward_layer._maybe_build(input_shape)
            self.backward_layer._maybe_build(input_shape)
        self.built = True
        if getattr(self, "_pending_weights", None) is not None:
            self.set_weights(self._pending_weights)

    @property
    def weights(self) -> list[Any]:
        return self.forward_layer.weights + self.backward_layer.weights

    def count_params(self) -> int:
        if not self.built:
            return super().count_params()
        return self.forward_layer.count_params() + self.backward_layer.count_params()

    def set_weights(self, weights: list[Any]) -> None:
        n = len(self.forward_layer.weights)
        if len(weights) != len(self.weights):
            raise ValueError(f"Layer {self.name} expects {len(self.weights)} weights, got {len(weights)}")
        self.forward_layer.set_weights(weights[:n])
        self.backward_layer.set_weights(weights[n:])

    def compute_output_shape(self, input_shape: Shape) -> Any:
        f = self.forward_layer.compute_output_shape(input_shape)
        out, states = (f[0], f[1:]) if self.return_state else (f, [])
        if self.merge_mode == "concat":
            merged: Any = tuple(out[:-1]) + (out[-1] * 2,)
        elif self.merge_mode is None:
            merged = [out, out]
        else:
            merged = out
        outputs = merged if isinstance(merged, list) else [merged]
        if self.return_state:
            return outputs + list(states) * 2
        return merged

    def _validate_symbolic(self, shape: Shape) -> None:
        self.forward_layer._validate_symbolic(shape)

    def _check_input(self, inputs: Any) -> np.ndarray:
        x = self.forward_layer._check_input(inputs)
        if self.built:
            self.backward_layer._check_input(x)
        return x

    def call(self, x: np.ndarray, initial_state: Any = None, training: Any = None, mask: Any = None) -> Any:
        n = self.forward_layer._n_states()
        init_f = init_b = None
        if initial_state is not None:
            init_f, init_b = list(initial_state)[:n], list(initial_state)[n:]
        seq_f, states_f = self.forward_layer.run(x, init_f)
        seq_b, states_b = self.backward_layer.run(x, init_b)
        if self.return_sequences:
            y_f, y_b = seq_f, seq_b[:, ::-1, :]  # align the backward outputs with input time
        else:
            y_f, y_b = seq_f[:, -1, :], seq_b[:, -1, :]
        merged: Any
        if self.merge_mode == "concat":
            merged = np.concatenate([y_f, y_b], axis=-1)
        elif self.merge_mode == "sum":
            merged = y_f + y_b
        elif self.merge_mode == "mul":
            merged = y_f * y_b
        elif self.merge_mode == "ave":
            merged = (y_f + y_b) / 2
        else:
            merged = [y_f, y_b]
        outs = merged if isinstance(merged, list) else [merged]
        outs = [o.astype(np.float32) for o in outs]
        if self.return_state:
            return outs + [s.astype(np.float32) for s in (*states_f, *states_b)]
        return outs if self.merge_mode is None else outs[0]
