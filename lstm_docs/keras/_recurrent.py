"""Keras ``LSTM``, ``GRU``, ``SimpleRNN``: thin adapters from Keras's stacked weights
(``kernel`` (input_dim, G*units), ``recurrent_kernel`` (units, G*units), ``bias``) to the
reference cells in ``lstm_docs.cells``."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from lstm_docs import _validate, cells, formulas, kinds
from lstm_docs.keras import _backend, initializers
from lstm_docs.keras._backend import Variable
from lstm_docs.keras._layer import Layer, Shape


def _ndim_error(layer: Layer, shape: Any) -> ValueError:
    """Keras 3's ``InputSpec`` refusal of an input that is not 3-D, word for word (Keras 2's
    ``input_dim=`` alone gives a recurrent layer such an input: one vector, no time axis)."""
    return ValueError(
        f"Input 0 with name 'None' of layer '{layer.name}' is incompatible with the layer: "
        f"expected ndim=3, found ndim={len(shape)}. Full shape received: {tuple(shape)}"
    )


def _units(units: Any, where: str) -> int:
    """``units`` as Keras 3 checks it (its message for 0 and negatives), then ours for the rest."""
    if isinstance(units, str):  # Keras compares it with 0 first
        raise TypeError("'<=' not supported between instances of 'str' and 'int'")
    if isinstance(units, int) and not isinstance(units, bool) and units <= 0:
        raise ValueError(
            f"Received an invalid value for argument `units`, expected a positive integer, got {units}."
        )
    return _validate.positive_int("units", units, where=where)


def _masked_run(step: Any, x: np.ndarray, state: tuple[np.ndarray, ...],
                mask: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Keras 3's masked scan. x: (batch, time, input_dim), mask: (batch, time) booleans.

    At a masked step (m_t = 0) every state keeps its previous value and the output repeats the
    previous output (zeros before the first real step): s_t = m_t*step(x_t, s_{t-1}) +
    (1 - m_t)*s_{t-1}, y_t = m_t*h_t + (1 - m_t)*y_{t-1}.
    -> (outputs (batch, time, units), final states, each (batch, units))."""
    y_prev = np.zeros_like(state[0])  # (batch, units)
    outputs = []
    for t in range(x.shape[1]):
        m = mask[:, t][:, None]  # (batch, 1)
        new = step(x[:, t, :], *state)
        state = tuple(np.where(m, n, s) for n, s in zip(new, state))
        y_prev = np.where(m, new[0], y_prev)
        outputs.append(y_prev)
    out = np.stack(outputs, axis=1) if outputs else np.zeros((x.shape[0], 0, state[0].shape[-1]))
    return out, state


class _RNN(Layer):
    """Shared by the three recurrent layers: argument handling, weights, the time loop."""

    _entry: kinds.Kind  # the registry entry; kind, _prefix and _cell_gates come from it
    kind = ""  # formulas kind: the entry's Keras name
    _cell_gates: tuple[str, ...] = ()  # gate letters in lstm_docs.cells, in Keras's storage order

    def __init_subclass__(cls, key: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if key:  # class LSTM(_RNN, key="lstm"): names and gates from the registry
            cls._entry = kinds.get(key)
            cls._prefix = cls.kind = cls._entry.names["keras"]
            cls._cell_gates = cls._entry.cells_gates("keras")

    @property
    def _takes_reset_after(self) -> bool:
        return "reset_after" in {o.name for o in kinds.options("keras", self.kind)}

    def __init__(self, units: Any, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: Any = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, reset_after: bool = True, use_cudnn: Any = "auto", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        where = f"{type(self).__name__} layer '{self.name}'"
        self.units = _units(units, where)
        self.activation = cells.activation(activation, argument="activation", where=where)
        self.recurrent_activation = cells.activation(recurrent_activation, argument="recurrent_activation", where=where)
        self._activation_arg, self._recurrent_activation_arg = activation, recurrent_activation
        self.use_bias = _validate.boolean("use_bias", use_bias, where=where)
        self.unit_forget_bias = _validate.boolean("unit_forget_bias", unit_forget_bias, where=where)
        self.return_sequences = _validate.boolean("return_sequences", return_sequences, where=where)
        self.return_state = _validate.boolean("return_state", return_state, where=where)
        self.go_backwards = _validate.boolean("go_backwards", go_backwards, where=where)
        self.reset_after = _validate.boolean("reset_after", reset_after, where=where)
        self.stateful = _validate.boolean("stateful", stateful, where=where)
        self._states: list[Any] | None = None  # stateful: one (batch, units) Variable per state
        for arg, val in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= float(val) < 1.0:
                raise ValueError(f"{where}: {arg} must be in [0, 1), got {val!r}")
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)  # inference: no-op
        self.kernel_initializer = initializers.get(kernel_initializer, argument="kernel_initializer", where=where)
        self.recurrent_initializer = initializers.get(recurrent_initializer, argument="recurrent_initializer", where=where)
        self.bias_initializer = initializers.get(bias_initializer, argument="bias_initializer", where=where)
        self._config = dict(
            units=units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias, dropout=dropout,
            recurrent_dropout=recurrent_dropout, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, reset_after=reset_after,
        )

    # ------------------------------------------------------------------ stateful
    @property
    def states(self) -> list[Any] | None:
        """``stateful=True``: the carried states, one (batch, units) Variable each (``[h, c]`` for
        an LSTM, ``[h]`` otherwise); None before the layer is built, as in Keras."""
        return list(self._states) if self._states is not None else None

    def _make_states(self, batch: int) -> None:
        self._states = [Variable(np.zeros((batch, self.units)), f"state_{k}", f"{self.name}/state_{k}", self)
                        for k in range(self._n_states())]

    def reset_state(self) -> None:
        """Set the carried states to zeros (Keras 3: ``layer.reset_state()``)."""
        if self._states is not None:
            for v in self._states:
                v.assign(np.zeros(v.shape))

    reset_states = reset_state  # Keras 3 keeps the old name as an alias

    def _stateful_batch(self, shape: Shape) -> None:
        """Keras's refusal of a stateful layer without a static batch size, word for word."""
        if self.stateful and shape[0] is None:
            raise ValueError(
                "When using `stateful=True` in a RNN, the batch size must be static. "
                f"Found dynamic batch size: sequence.shape={tuple(shape)}"
            )

    # ------------------------------------------------------------------ weights
    @property
    def _formula_options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {"use_bias": self.use_bias}
        if self._takes_reset_after:
            opts["reset_after"] = self.reset_after
        return opts

    @property
    def _cell_name(self) -> str:
        return f"{self.kind}_cell"

    def build(self, input_shape: Shape) -> None:
        where = f"{type(self).__name__} layer '{self.name}'"
        if len(input_shape) != 3:
            raise _ndim_error(self, input_shape)
        if input_shape[-1] is None:
            raise ValueError(f"{where}: the last axis (features) of the input must be known, got shape {tuple(input_shape)}")
        self._stateful_batch(input_shape)
        self.input_dim = int(input_shape[-1])
        if self.stateful:  # Keras creates the carried states with the layer, zeros
            self._make_states(int(input_shape[0]))  # type: ignore[arg-type]
        env = {"d": self.input_dim, "u": self.units, "p": 0}
        specs = formulas.weights("keras", self.kind, **self._formula_options)
        _validate.allocatable(sum(s.size.evaluate(env) for s in specs), where=where)
        with _backend.name_scope(self.name):
            for spec in specs:
                shape = spec.evaluate_shape(env)
                init = {"input": self.kernel_initializer, "recurrent": self.recurrent_initializer}.get(spec.role)
                if spec.role == "bias":
                    init = self._bias_init
                self.add_weight(shape, init, spec.name, path_parts=(self._cell_name,))
        self.built = True

    def _bias_init(self, shape: tuple[int, ...]) -> np.ndarray:
        return np.asarray(self.bias_initializer(shape))

    def gate_weights(self) -> cells.GateWeights:
        """Slice ``kernel`` / ``recurrent_kernel`` / ``bias`` into per-gate cell weights."""
        kernel, recurrent = (np.asarray(w.value, dtype=np.float64) for w in self._weights[:2])
        W = cells.split_gates(kernel, self._cell_gates, axis=1)  # gate -> (input_dim, units)
        U = cells.split_gates(recurrent, self._cell_gates, axis=1)  # gate -> (units, units)
        zeros = {g: np.zeros(self.units) for g in self._cell_gates}
        b, a = dict(zeros), dict(zeros)
        if self.use_bias:
            bias = np.asarray(self._weights[2].value, dtype=np.float64)
            if bias.ndim == 2:  # GRU reset_after: row 0 input-side, row 1 recurrent-side
                b, a = cells.split_gates(bias[0], self._cell_gates, 0), cells.split_gates(bias[1], self._cell_gates, 0)
            else:
                b = cells.split_gates(bias, self._cell_gates, axis=0)
        return cells.GateWeights(W, U, b, a)

    # ------------------------------------------------------------------ shapes and calls
    def _n_states(self) -> int:
        return 1

    def compute_output_shape(self, input_shape: Shape) -> Any:
        batch, time = input_shape[0], input_shape[1]
        out = (batch, time, self.units) if self.return_sequences else (batch, self.units)
        if self.return_state:
            return [out] + [(batch, self.units)] * self._n_states()
        return out

    def _validate_symbolic(self, shape: Shape) -> None:
        if len(shape) != 3:
            raise _ndim_error(self, shape)
        self._stateful_batch(shape)
        if self.built and shape[-1] != self.input_dim:
            raise ValueError(f"{type(self).__name__} layer '{self.name}': built for {self.input_dim} features, got input shape {shape}")

    def _check_input(self, inputs: Any) -> np.ndarray:
        where = f"{type(self).__name__} layer '{self.name}'"
        x = _validate.array("inputs", inputs, ranks=(0, 1, 2, 3, 4, 5, 6), where=where)
        if x.ndim != 3:  # (batch, time, features)
            raise _ndim_error(self, x.shape)
        if self.built:
            _validate.last_dim("inputs", x, self.input_dim, where=where)
        return x

    def _initial_state(self, x: np.ndarray, initial_state: Any) -> tuple[np.ndarray, ...]:
        batch = x.shape[0]
        where = f"{type(self).__name__} layer '{self.name}'"
        if initial_state is None:
            return tuple(np.zeros((batch, self.units)) for _ in range(self._n_states()))
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        if len(states) != self._n_states():
            raise ValueError(f"{where}: initial_state needs {self._n_states()} arrays, got {len(states)}")
        out = []
        for k, s in enumerate(states):
            arr = _validate.array(f"initial_state[{k}]", s, ranks=(2,), where=where)
            if arr.shape != (batch, self.units):
                raise ValueError(f"{where}: initial_state[{k}] must have shape {(batch, self.units)}, got {arr.shape}")
            out.append(arr)
        return tuple(out)

    def _step(self, w: cells.GateWeights) -> Any:
        raise NotImplementedError

    def run(self, x: np.ndarray, initial_state: Any = None,
            mask: Any = None) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """x: (batch, time, input_dim), mask: (batch, time) booleans or None
        -> (outputs (batch, time, units) in processing order, final states, each (batch, units))."""
        if self.go_backwards:
            x = x[:, ::-1, :]  # Keras: walk backwards, outputs stay in processing order
            mask = None if mask is None else mask[:, ::-1]
        step, init = self._step(self.gate_weights()), self._initial_state(x, initial_state)
        if mask is None:
            return cells.run(step, x, init)
        return _masked_run(step, x, init, mask)

    def _supports_masking(self) -> bool:
        return True

    def compute_mask(self, x: np.ndarray, mask: Any = None) -> Any:
        """Keras: the mask goes on with ``return_sequences=True``, stops with the last step."""
        return mask if self.return_sequences and not self.return_state else None

    def call(self, x: np.ndarray, initial_state: Any = None, training: Any = None, mask: Any = None) -> Any:
        where = f"{type(self).__name__} layer '{self.name}'"
        if training and (self.dropout or self.recurrent_dropout):
            raise NotImplementedError(
                f"{where}: training=True with dropout={self.dropout}, recurrent_dropout="
                f"{self.recurrent_dropout} draws random masks; lstm_docs does not mirror training-time "
                "randomness (at inference, training=None/False, dropout changes nothing)"
            )
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            if mask.shape != x.shape[:2]:
                raise ValueError(f"{where}: mask must have shape {x.shape[:2]} (batch, time), got {mask.shape}")
        if self.stateful and initial_state is None:
            if self._states is None:
                self._make_states(x.shape[0])
            assert self._states is not None
            expected = self._states[0].shape[0]
            if x.shape[0] != expected:  # Keras's words
                raise ValueError(
                    "If an RNN is stateful, the batch size of the input sequences must be the same as "
                    f"the batch size of the initial state. \n- Expected batch size: {expected}\n"
                    f"- Received batch size: {x.shape[0]}"
                )
            initial_state = [np.asarray(v.value, dtype=np.float64) for v in self._states]
        seq, states = self.run(x, initial_state, mask)
        if self.stateful:  # sample i's final state is sample i's initial state in the next call
            assert self._states is not None
            for var, s in zip(self._states, states):
                var.assign(s)
        out = seq if self.return_sequences else seq[:, -1, :]  # (batch, time, units) or (batch, units)
        out = out.astype(np.float32)
        if self.return_state:
            return [out, *(s.astype(np.float32) for s in states)]
        return out

    def _clone(self, name: str, go_backwards: bool) -> "_RNN":
        cfg = dict(self._config, go_backwards=go_backwards)
        if not self._takes_reset_after:
            cfg.pop("reset_after")
        clone = type(self)(name=name, **cfg)
        return clone


class LSTM(_RNN, key="lstm"):
    """``keras.layers.LSTM``: kernel (d, 4u), recurrent_kernel (u, 4u), bias (4u,), gates i, f, c, o
    (Keras's c is the cells' g)."""

    def _bias_init(self, shape: tuple[int, ...]) -> np.ndarray:
        if not self.unit_forget_bias:
            return super()._bias_init(shape)
        u = shape[-1] // 4  # unit_forget_bias: the initializer for i, ones for f, for c and o
        return np.concatenate([np.asarray(self.bias_initializer((u,))), np.ones(u),
                               np.asarray(self.bias_initializer((2 * u,)))])

    def _n_states(self) -> int:
        return 2

    def _step(self, w: cells.GateWeights) -> Any:
        return lambda x_t, h, c: self._entry.step(x_t, h, c, w, self.activation, self.recurrent_activation)

    def __init__(self, units: Any, implementation: Any = 2, **kwargs: Any) -> None:
        if "reset_after" in kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to LSTM: {{'reset_after': {kwargs['reset_after']!r}}}")
        super().__init__(units, **kwargs)  # implementation= (Keras 2's kernel choice): accepted, ignored


class GRU(_RNN, key="gru"):
    """``keras.layers.GRU``: kernel (d, 3u), recurrent_kernel (u, 3u), bias (2, 3u) with
    ``reset_after=True`` (default) or (3u,); gates z, r, h (Keras's h is the cells' n)."""


    def __init__(self, units: Any, implementation: Any = 2, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)  # implementation= (Keras 2's kernel choice): accepted, ignored

    def _step(self, w: cells.GateWeights) -> Any:
        step = partial(self._entry.step, w=w, reset_after=self.reset_after, act=self.activation,
                       rec_act=self.recurrent_activation)
        return lambda x_t, h: (step(x_t, h),)


class SimpleRNN(_RNN, key="simple_rnn"):
    """``keras.layers.SimpleRNN``: kernel (d, u), recurrent_kernel (u, u), bias (u,)."""


    def __init__(self, units: Any, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", **kwargs: Any) -> None:
        for keras_less in ("recurrent_activation", "unit_forget_bias", "reset_after"):
            if keras_less in kwargs:
                raise ValueError(f"Unrecognized keyword arguments passed to SimpleRNN: {{'{keras_less}': {kwargs[keras_less]!r}}}")
        super().__init__(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer, **kwargs)

    def _step(self, w: cells.GateWeights) -> Any:
        return lambda x_t, h: (self._entry.step(x_t, h, w, self.activation),)

    def _clone(self, name: str, go_backwards: bool) -> "_RNN":
        cfg = dict(self._config, go_backwards=go_backwards)
        for k in ("recurrent_activation", "unit_forget_bias", "reset_after"):
            cfg.pop(k)
        return SimpleRNN(name=name, **cfg)
