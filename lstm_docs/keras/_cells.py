"""Keras ``LSTMCell``, ``GRUCell``, ``SimpleRNNCell`` and ``keras.layers.RNN(cell)``.

A cell is one time step of the matching layer (registry kinds ``lstm_cell``, ``gru_cell``,
``simple_rnn_cell``): the same arguments, the same weights (``kernel`` (d, G*u),
``recurrent_kernel`` (u, G*u), ``bias``), the same step function of ``lstm_docs.cells``.
``RNN(cell)`` runs the time loop, so ``RNN(LSTMCell(u))`` has the weights, the count and the
outputs of ``LSTM(u)``; its weights are named by path ``rnn/lstm_cell/kernel`` as in Keras 3.

Shapes: a cell takes x_t (batch, d) and its states (a list of (batch, u) arrays) and returns
``(h, new_states)``: ``(h, [h, c])`` for ``LSTMCell``; ``GRUCell`` and ``SimpleRNNCell``
return ``(h, [h])``, or ``(h, h)`` when given one array rather than a list (as Keras does).
``RNN`` takes (batch, time, d) and returns what the matching layer returns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_docs import _validate, cells, formulas
from lstm_docs.keras import _backend
from lstm_docs.keras._layer import Layer, Shape
from lstm_docs.keras._recurrent import GRU, LSTM, SimpleRNN, _ndim_error

#: Arguments of the layers that a cell does not take (Keras refuses them by name).
_LAYER_ONLY = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "use_cudnn")


class _Cell:
    """Mixed into a recurrent layer class: the layer's arguments and weights, one step."""

    kind: str
    units: int

    def __init__(self, units: Any, **kwargs: Any) -> None:
        bad = {k: kwargs[k] for k in _LAYER_ONLY if k in kwargs}
        if bad:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {bad}")
        super().__init__(units, **kwargs)  # type: ignore[call-arg]

    @property
    def state_size(self) -> Any:
        return [self.units] * self._n_states() if self._n_states() > 1 else self.units  # type: ignore[attr-defined]

    @property
    def output_size(self) -> int:
        return self.units

    def build(self, input_shape: Shape) -> None:
        """input_shape (batch, d): weights as the layer's, named ``<cell name>/kernel``."""
        self.input_dim = int(input_shape[-1])
        env = {"d": self.input_dim, "u": self.units, "p": 0}
        specs = formulas.weights("keras", self.kind, **self._formula_options)  # type: ignore[attr-defined]
        _validate.allocatable(sum(s.size.evaluate(env) for s in specs), where=f"{type(self).__name__} '{self.name}'")  # type: ignore[attr-defined]
        with _backend.name_scope(self.name):  # type: ignore[attr-defined]
            for spec in specs:
                init = {"input": self.kernel_initializer, "recurrent": self.recurrent_initializer}.get(spec.role)  # type: ignore[attr-defined]
                if spec.role == "bias":
                    init = self._bias_init  # type: ignore[attr-defined]
                self.add_weight(spec.evaluate_shape(env), init, spec.name)  # type: ignore[attr-defined]
        self.built = True

    def _check_input(self, inputs: Any) -> np.ndarray:
        where = f"{type(self).__name__} '{self.name}'"  # type: ignore[attr-defined]
        x = _validate.array("inputs", inputs, ranks=(2,), where=where)  # (batch, d): one time step
        if self.built:  # type: ignore[attr-defined]
            _validate.last_dim("inputs", x, self.input_dim, where=where)
        return x

    def _symbolic_call(self, inputs: Any, **kwargs: Any) -> Any:
        raise ValueError(f"lstm_docs: a {type(self).__name__} is called on arrays, one step at a time; "
                         f"to run it over a sequence in a model, wrap it: keras.layers.RNN(cell)")

    def call(self, x: np.ndarray, states: Any = None, training: Any = None) -> Any:
        """x (batch, d), states [(batch, u)] * n -> (h (batch, u), new states)."""
        listed = isinstance(states, (list, tuple))
        state = self._initial_state(x[:, None, :], states if states is None or listed else [states])  # type: ignore[attr-defined]
        new = self._step(self.gate_weights())(x, *state)  # type: ignore[attr-defined]
        new = [np.asarray(s, dtype=np.float32) for s in new]
        if self._n_states() > 1 or listed:  # type: ignore[attr-defined]
            return new[0], new
        return new[0], new[0]


class LSTMCell(_Cell, LSTM, key="lstm_cell"):
    """``keras.layers.LSTMCell(units)``: one step of ``LSTM(units)``; returns (h, [h, c])."""


class GRUCell(_Cell, GRU, key="gru_cell"):
    """``keras.layers.GRUCell(units)``: one step of ``GRU(units)`` (``reset_after`` as GRU)."""


class SimpleRNNCell(_Cell, SimpleRNN, key="simple_rnn_cell"):
    """``keras.layers.SimpleRNNCell(units)``: one step of ``SimpleRNN(units)``."""


class RNN(Layer):
    """``keras.layers.RNN(cell, return_sequences=, return_state=, go_backwards=)``: the time
    loop around one of the cells above (a list of cells, Keras's stacking, is not mirrored)."""

    _prefix = "rnn"

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs: Any) -> None:
        if isinstance(cell, (list, tuple)):
            raise ValueError("lstm_docs: RNN over a list of cells (StackedRNNCells) is not mirrored; "
                             "stack RNN layers with return_sequences=True instead")
        if not isinstance(cell, _Cell):
            raise ValueError(f"lstm_docs: RNN takes an LSTMCell, GRUCell or SimpleRNNCell, got {type(cell).__name__}")
        super().__init__(**kwargs)
        where = f"RNN layer '{self.name}'"
        self.cell = cell
        self.return_sequences = _validate.boolean("return_sequences", return_sequences, where=where)
        self.return_state = _validate.boolean("return_state", return_state, where=where)
        self.go_backwards = _validate.boolean("go_backwards", go_backwards, where=where)
        if stateful:
            raise ValueError(f"{where}: stateful=True is not supported by lstm_docs (pass state with initial_state=)")

    @property
    def weights(self) -> list[Any]:
        return self.cell.weights

    def build(self, input_shape: Shape) -> None:
        if len(input_shape) != 3:
            raise _ndim_error(self, input_shape)
        if input_shape[-1] is None:
            raise ValueError(f"RNN layer '{self.name}': the last axis (features) of the input must be known")
        with _backend.name_scope(self.name):  # rnn/lstm_cell/kernel
            self.cell.build((input_shape[0], input_shape[-1]))
        self.built = True

    def _validate_symbolic(self, shape: Shape) -> None:
        if len(shape) != 3:
            raise _ndim_error(self, shape)

    def compute_output_shape(self, input_shape: Shape) -> Any:
        batch, time, u = input_shape[0], input_shape[1], self.cell.units
        out = (batch, time, u) if self.return_sequences else (batch, u)
        return [out] + [(batch, u)] * self.cell._n_states() if self.return_state else out

    def _check_input(self, inputs: Any) -> np.ndarray:
        x = _validate.array("inputs", inputs, ranks=(0, 1, 2, 3, 4, 5, 6), where=f"RNN layer '{self.name}'")
        if x.ndim != 3:  # (batch, time, features)
            raise _ndim_error(self, x.shape)
        return x

    def call(self, x: np.ndarray, initial_state: Any = None, training: Any = None, mask: Any = None) -> Any:
        """x (batch, time, d) -> as the cell's layer: (batch, u) or (batch, time, u) [+ states]."""
        if self.go_backwards:
            x = x[:, ::-1, :]  # Keras: walk backwards, outputs stay in processing order
        cell = self.cell
        seq, states = cells.run(cell._step(cell.gate_weights()), x, cell._initial_state(x, initial_state))
        out = (seq if self.return_sequences else seq[:, -1, :]).astype(np.float32)
        return [out, *(s.astype(np.float32) for s in states)] if self.return_state else out
