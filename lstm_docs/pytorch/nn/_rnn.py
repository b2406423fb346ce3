"""``nn.LSTM``, ``nn.GRU``, ``nn.RNN``: thin adapters from torch's parameters
(``weight_ih_l{k}`` (G*h, D), ``weight_hh_l{k}`` (G*h, h or p), ``bias_ih_l{k}``,
``bias_hh_l{k}``, ``weight_hr_l{k}`` (p, h), ``_reverse`` for the backward direction) to the
reference cells in ``lstm_docs.cells``.

Shapes (torch's rules): input (L, N, H_in), or (N, L, H_in) with ``batch_first=True``, or
unbatched (L, H_in); output (L, N, D*H_out); h_n (D*num_layers, N, H_out); LSTM c_n
(D*num_layers, N, H_cell); D = 2 if bidirectional else 1; H_out = proj_size or hidden_size.
Dropout between layers is a training-time operation and is not applied.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from lstm_docs import _validate, cells, formulas, kinds
from lstm_docs.pytorch._tensor import Parameter, Tensor, generator
from lstm_docs.pytorch.nn._module import Module


#: torch 2.13's own messages, word for word, for the arguments ``RNNBase`` refuses
PROJ_SIZE_ONLY_LSTM = "proj_size argument is only supported for LSTM, not RNN or GRU"
DROPOUT_RANGE = "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"
DROPOUT_ONE_LAYER = (
    "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
    "num_layers greater than 1, but got dropout={} and num_layers={}"
)


def _torch_size(name: str, value: Any) -> None:
    """torch's own refusal of a size <= 0 (``hidden_size must be greater than zero``)."""
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        raise ValueError(f"{name} must be greater than zero")


class RNNBase(Module):
    """Shared by ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` (named as in torch, so a wrong keyword
    gives torch's ``TypeError: RNNBase.__init__() got an unexpected keyword argument``)."""

    _entry: kinds.Kind  # the registry entry; kind and gates come from it
    kind = ""  # formulas kind: the entry's PyTorch name

    def __init_subclass__(cls, key: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if key:  # class LSTM(RNNBase, key="lstm"): names and gates from the registry
            cls._entry = kinds.get(key)
            cls.kind = cls._entry.names["pytorch"]

    def __init__(self, input_size: Any, hidden_size: Any, num_layers: Any = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: Any = 0,
                 device: Any = None, dtype: Any = None, nonlinearity: str = "tanh") -> None:
        super().__init__()
        name = type(self).__name__
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
            raise ValueError(DROPOUT_RANGE)
        if dropout > 0 and num_layers == 1:
            warnings.warn(DROPOUT_ONE_LAYER.format(dropout, num_layers), UserWarning, stacklevel=3)
        if isinstance(hidden_size, float):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        for size_name, size in (("hidden_size", hidden_size), ("num_layers", num_layers), ("input_size", input_size)):
            _torch_size(size_name, size)
        if isinstance(proj_size, int) and not isinstance(proj_size, bool):
            if proj_size < 0:
                raise ValueError("proj_size should be a positive integer or zero to disable projections")
            if isinstance(hidden_size, int) and proj_size >= hidden_size:
                raise ValueError("proj_size has to be smaller than hidden_size")
        self.input_size = _validate.positive_int("input_size", input_size, where=name)
        self.hidden_size = _validate.positive_int("hidden_size", hidden_size, where=name)
        self.num_layers = _validate.positive_int("num_layers", num_layers, where=name)
        self.bias = _validate.boolean("bias", bias, where=name)
        self.batch_first = _validate.boolean("batch_first", batch_first, where=name)
        self.bidirectional = _validate.boolean("bidirectional", bidirectional, where=name)
        self.proj_size = _validate.positive_int("proj_size", proj_size, where=name, allow_zero=True)
        self.dropout = float(dropout)
        takes_proj = "proj_size" in {o.name for o in kinds.options("pytorch", self.kind)}
        if self.proj_size and not takes_proj:
            raise ValueError(PROJ_SIZE_ONLY_LSTM)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"{name}: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        opts: dict[str, Any] = {"bias": self.bias, "bidirectional": self.bidirectional, "num_layers": self.num_layers}
        if takes_proj:
            opts["proj_size"] = self.proj_size
        specs = formulas.weights("pytorch", self.kind, **opts)
        env = {"d": self.input_size, "u": self.hidden_size, "p": self.proj_size}
        _validate.allocatable(sum(s.size.evaluate(env) for s in specs), where=name)
        k = 1.0 / math.sqrt(self.hidden_size)  # torch: every parameter ~ U(-1/sqrt(h), 1/sqrt(h))
        dt = dtype or np.float32
        for spec in specs:
            shape = spec.evaluate_shape(env)
            self.register_parameter(spec.name, Parameter(generator().uniform(-k, k, shape).astype(dt)))

    # ------------------------------------------------------------------ shapes
    @property
    def _dirs(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def _out_size(self) -> int:
        return self.proj_size or self.hidden_size

    def _n_states(self) -> int:
        return 1

    def _state_sizes(self) -> list[int]:
        return [self._out_size]

    def gate_weights(self, layer: int, suffix: str) -> cells.GateWeights:
        """Per-gate cell weights of one layer and direction (transposing torch's (out, in) rows)."""
        gates = self._entry.cells_gates("pytorch")
        p = self._parameters
        W = {g: m.T for g, m in cells.split_gates(p[f"weight_ih_l{layer}{suffix}"], gates, axis=0).items()}
        U = {g: m.T for g, m in cells.split_gates(p[f"weight_hh_l{layer}{suffix}"], gates, axis=0).items()}
        if self.bias:
            b = cells.split_gates(p[f"bias_ih_l{layer}{suffix}"], gates, axis=0)
            a = cells.split_gates(p[f"bias_hh_l{layer}{suffix}"], gates, axis=0)
        else:
            b = a = {g: np.zeros(self.hidden_size) for g in gates}
        P = np.asarray(p[f"weight_hr_l{layer}{suffix}"], dtype=np.float64).T if self.proj_size else None
        return cells.GateWeights(W, U, b, a, P)

    def _step(self, w: cells.GateWeights) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ forward
    def _check_input(self, input: Any) -> tuple[np.ndarray, bool]:
        name = type(self).__name__
        x = _validate.array("input", input, ranks=tuple(range(8)), where=name)
        if x.ndim not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {x.ndim}D instead")
        if x.shape[-1] != self.input_size:  # torch raises RuntimeError here
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {x.shape[-1]}")
        unbatched = x.ndim == 2
        if unbatched:
            x = x[:, None, :]  # (L, 1, H_in)
        elif self.batch_first:
            x = x.transpose(1, 0, 2)  # (N, L, H_in) -> (L, N, H_in)
        return x, unbatched

    def _check_hx(self, hx: Any, batch: int, unbatched: bool) -> list[np.ndarray]:
        name = type(self).__name__
        n_layers_dirs = self.num_layers * self._dirs
        sizes = self._state_sizes()
        if hx is None:
            return [np.zeros((n_layers_dirs, batch, s)) for s in sizes]
        parts = list(hx) if self._n_states() > 1 else [hx]
        if len(parts) != self._n_states():
            raise ValueError(f"{name}: hx must be (h_0, c_0) for LSTM, got {len(parts)} tensors")
        out = []
        for label, part, size in zip(("h_0", "c_0"), parts, sizes):
            arr = _validate.array(label, part, ranks=(2,) if unbatched else (3,), where=name)
            if unbatched:
                arr = arr[:, None, :]
            expected = (n_layers_dirs, batch, size)
            if arr.shape != expected:  # torch's RuntimeError, word for word
                want = expected if not unbatched else (n_layers_dirs, size)
                which = f"hidden[{('h_0', 'c_0').index(label)}]" if self._n_states() > 1 else "hidden"
                got = list(np.asarray(part).shape)
                raise RuntimeError(f"Expected {which} size {want}, got {got}")
            out.append(arr)
        return out

    def _run_stack(self, layer_input: np.ndarray,
                   states: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        """layer_input: (N, L, H_in) batch-major; states: each (layers*dirs, N, size)
        -> (last layer's output (N, L, D*H_out), final states, each (layers*dirs, N, size))."""
        finals: list[list[np.ndarray]] = [[] for _ in states]
        for layer in range(self.num_layers):
            outs = []
            for direction, suffix in enumerate(("", "_reverse")[: self._dirs]):
                idx = layer * self._dirs + direction
                init = tuple(s[idx] for s in states)
                seq, final = cells.run(self._step(self.gate_weights(layer, suffix)), layer_input, init,
                                       reverse=direction == 1)
                outs.append(seq)  # (N, L, H_out), in input time order
                for k, f in enumerate(final):
                    finals[k].append(f)
            layer_input = np.concatenate(outs, axis=-1)  # (N, L, D*H_out)
        return layer_input, [np.stack(f, axis=0) for f in finals]  # each (layers*dirs, N, size)

    def _forward_packed(self, packed: Any, hx: Any) -> Any:
        """A PackedSequence: each sequence runs over its own l_b steps only (the backward
        direction starts at its own last step), so h_n holds every sequence's state at its own
        end.  -> (PackedSequence of outputs, (D*H_out) features, h_n [, c_n]) in the caller's
        batch order, as torch."""
        from lstm_docs.pytorch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

        padded, lengths = pad_packed_sequence(packed, batch_first=True)  # (B, T, H_in), (B,)
        x = np.asarray(padded, dtype=np.float64)
        if x.shape[-1] != self.input_size:  # torch raises RuntimeError here
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {x.shape[-1]}")
        batch, steps = x.shape[0], x.shape[1]
        states = self._check_hx(hx, batch, False)  # each (layers*dirs, B, size)
        output = np.zeros((batch, steps, self._dirs * self._out_size))  # (B, T, D*H_out), zero padding
        finals: list[list[np.ndarray]] = [[] for _ in states]
        for b, n in enumerate(np.asarray(lengths)):
            seq, final = self._run_stack(x[b:b + 1, :n], [s[:, b:b + 1] for s in states])
            output[b, :n] = seq[0]
            for k, f in enumerate(final):
                finals[k].append(f)
        dt = next(iter(self._parameters.values())).dtype
        out = pack_padded_sequence(output.astype(dt), lengths, batch_first=True,
                                   enforce_sorted=packed.sorted_indices is None)
        h_c = [Tensor(np.concatenate(f, axis=1), dtype=dt) for f in finals]  # (layers*dirs, B, size)
        return (out, tuple(h_c)) if self._n_states() > 1 else (out, h_c[0])

    def forward(self, input: Any, hx: Any = None) -> Any:
        from lstm_docs.pytorch.nn.utils.rnn import PackedSequence

        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        x, unbatched = self._check_input(input)  # (L, N, H_in)
        batch = x.shape[1]
        states = self._check_hx(hx, batch, unbatched)  # each (layers*dirs, N, size)
        layer_input = x.transpose(1, 0, 2)  # (N, L, H_in): the cells' batch-major layout
        layer_input, h_c = self._run_stack(layer_input, states)
        output = layer_input if self.batch_first else layer_input.transpose(1, 0, 2)
        if unbatched:
            output = output[:, 0, :] if not self.batch_first else output[0]
            h_c = [s[:, 0, :] for s in h_c]
        dt = next(iter(self._parameters.values())).dtype
        out_t = Tensor(output, dtype=dt)
        states_t = [Tensor(s, dtype=dt) for s in h_c]
        return (out_t, tuple(states_t)) if self._n_states() > 1 else (out_t, states_t[0])

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class LSTM(RNNBase, key="lstm"):
    """``nn.LSTM``: gates i, f, g, o; forward returns (output, (h_n, c_n))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "nonlinearity" in kwargs:
            raise ValueError("LSTM: unexpected keyword argument 'nonlinearity' (only nn.RNN has it)")
        super().__init__(*args, **kwargs)

    def _n_states(self) -> int:
        return 2

    def _state_sizes(self) -> list[int]:
        return [self._out_size, self.hidden_size]

    def _step(self, w: cells.GateWeights) -> Any:
        return lambda x_t, h, c: self._entry.step(x_t, h, c, w)


class GRU(RNNBase, key="gru"):
    """``nn.GRU``: gates r, z, n (reset applied after the recurrent product); forward returns
    (output, h_n)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError(PROJ_SIZE_ONLY_LSTM)
        if "nonlinearity" in kwargs:
            raise ValueError("GRU: unexpected keyword argument 'nonlinearity'")
        super().__init__(*args, **kwargs)

    def _step(self, w: cells.GateWeights) -> Any:
        return lambda x_t, h: (self._entry.step(x_t, h, w, reset_after=True),)


class RNN(RNNBase, key="simple_rnn"):
    """``nn.RNN``: h = tanh (or relu) of x W_ih^T + b_ih + h W_hh^T + b_hh; forward returns
    (output, h_n)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError(PROJ_SIZE_ONLY_LSTM)
        super().__init__(*args, **kwargs)

    def _step(self, w: cells.GateWeights) -> Any:
        act = cells.ACTIVATIONS[self.nonlinearity]
        return lambda x_t, h: (self._entry.step(x_t, h, w, act),)
