"""``nn.LSTMCell``, ``nn.GRUCell``, ``nn.RNNCell``: one time step, adapters from torch's
parameters (``weight_ih`` (G*h, H_in), ``weight_hh`` (G*h, h), ``bias_ih``, ``bias_hh``
(G*h,); no ``_l0``: a cell is one layer, one direction) to the step functions of
``lstm_docs.cells``.  The weights and their count are those of a one-layer, unidirectional
``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` (registry kinds ``lstm_cell``, ``gru_cell``,
``rnn_cell``); the time loop is the caller's.

Shapes (torch's rules): input (N, H_in) or unbatched (H_in,); h, c (N, h) or (h,);
``LSTMCell`` returns (h', c'), ``GRUCell`` and ``RNNCell`` return h'.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lstm_docs import _validate, cells, formulas, kinds
from lstm_docs.pytorch._tensor import Parameter, Tensor, generator
from lstm_docs.pytorch.nn._module import Module
from lstm_docs.pytorch.nn._rnn import _torch_size


class RNNCellBase(Module):
    """Shared by the three cells (torch's base class name)."""

    _entry: kinds.Kind
    kind = ""  # formulas kind: the entry's PyTorch name
    _n_states = 1

    def __init_subclass__(cls, key: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if key:
            cls._entry = kinds.get(key)
            cls.kind = cls._entry.names["pytorch"]

    def __init__(self, input_size: Any, hidden_size: Any, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        name = type(self).__name__
        for size_name, size in (("hidden_size", hidden_size), ("input_size", input_size)):
            _torch_size(size_name, size)
        self.input_size = _validate.positive_int("input_size", input_size, where=name)
        self.hidden_size = _validate.positive_int("hidden_size", hidden_size, where=name)
        self.bias = _validate.boolean("bias", bias, where=name)
        specs = formulas.weights("pytorch", self.kind, bias=self.bias)
        env = {"d": self.input_size, "u": self.hidden_size, "p": 0}
        _validate.allocatable(sum(s.size.evaluate(env) for s in specs), where=name)
        k = 1.0 / math.sqrt(self.hidden_size)  # torch: every parameter ~ U(-1/sqrt(h), 1/sqrt(h))
        dt = dtype or np.float32
        for spec in specs:
            self.register_parameter(spec.name, Parameter(generator().uniform(-k, k, spec.evaluate_shape(env)).astype(dt)))

    def gate_weights(self) -> cells.GateWeights:
        """Per-gate weights: W_k (H_in, h), U_k (h, h), b_k, a_k (h,) (torch's rows transposed)."""
        gates = self._entry.cells_gates("pytorch")
        p = self._parameters
        W = {g: m.T for g, m in cells.split_gates(p["weight_ih"], gates, axis=0).items()}
        U = {g: m.T for g, m in cells.split_gates(p["weight_hh"], gates, axis=0).items()}
        if self.bias:
            b = cells.split_gates(p["bias_ih"], gates, axis=0)
            a = cells.split_gates(p["bias_hh"], gates, axis=0)
        else:
            b = a = {g: np.zeros(self.hidden_size) for g in gates}
        return cells.GateWeights(W, U, b, a)

    def _check(self, input: Any, hx: Any) -> tuple[np.ndarray, list[np.ndarray], bool]:
        """input (N, H_in) or (H_in,), hx None / h / (h, c) -> x (N, H_in), states [(N, h)...]."""
        name = type(self).__name__
        x = _validate.array("input", input, ranks=tuple(range(8)), where=name)
        if x.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {x.ndim}D instead")
        unbatched = x.ndim == 1
        x = x[None, :] if unbatched else x  # (N, H_in)
        if x.shape[1] != self.input_size:  # torch's RuntimeError, word for word
            raise RuntimeError(f"input has inconsistent input_size: got {x.shape[1]} expected {self.input_size}")
        if hx is None:
            return x, [np.zeros((x.shape[0], self.hidden_size)) for _ in range(self._n_states)], unbatched
        if self._n_states > 1 and not isinstance(hx, (tuple, list)):
            raise TypeError(f"lstm_cell(): argument 'hx' (position 2) must be tuple of Tensors, not {type(hx).__name__}")
        parts = list(hx) if self._n_states > 1 else [hx]
        if len(parts) != self._n_states:
            raise ValueError(f"{name}: hx must be (h, c), got {len(parts)} tensors")
        states = []
        for label, part in zip(("hx", "cx"), parts):
            arr = _validate.array(label, part, ranks=(1,) if unbatched else (2,), where=name)
            arr = arr[None, :] if unbatched else arr
            if arr.shape[0] != x.shape[0]:
                raise RuntimeError(f"Input batch size {x.shape[0]} doesn't match hidden{len(states)} batch size {arr.shape[0]}")
            if arr.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{len(states)} has inconsistent hidden_size: got {arr.shape[1]}, "
                                   f"expected {self.hidden_size}")
            states.append(arr)
        return x, states, unbatched

    def _step(self, w: cells.GateWeights) -> Any:
        raise NotImplementedError

    def forward(self, input: Any, hx: Any = None) -> Any:
        x, states, unbatched = self._check(input, hx)
        new = self._step(self.gate_weights())(x, *states)  # each (N, h)
        dt = next(iter(self._parameters.values())).dtype
        out = [Tensor(s[0] if unbatched else s, dtype=dt) for s in new]
        return tuple(out) if self._n_states > 1 else out[0]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            s += ", bias=False"
        return s


class LSTMCell(RNNCellBase, key="lstm_cell"):
    """``nn.LSTMCell``: gates i, f, g, o; ``cell(x_t, (h, c))`` -> ``(h', c')``."""

    _n_states = 2

    def _step(self, w: cells.GateWeights) -> Any:
        return lambda x_t, h, c: self._entry.step(x_t, h, c, w)


class GRUCell(RNNCellBase, key="gru_cell"):
    """``nn.GRUCell``: gates r, z, n (reset after the recurrent product); ``cell(x_t, h)`` -> h'."""

    def _step(self, w: cells.GateWeights) -> Any:
        return lambda x_t, h: (self._entry.step(x_t, h, w, reset_after=True),)


class RNNCell(RNNCellBase, key="simple_rnn_cell"):
    """``nn.RNNCell``: h' = tanh (or relu) of x W_ih^T + b_ih + h W_hh^T + b_hh."""

    def __init__(self, input_size: Any, hidden_size: Any, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}. Select from 'tanh' or 'relu'.")
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def _step(self, w: cells.GateWeights) -> Any:
        act = cells.ACTIVATIONS[self.nonlinearity]
        return lambda x_t, h: (self._entry.step(x_t, h, w, act),)

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s + (f", nonlinearity={self.nonlinearity}" if self.nonlinearity != "tanh" else "")
