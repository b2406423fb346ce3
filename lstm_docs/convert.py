"""Keras recurrent weights <-> PyTorch state dicts (LSTM, GRU, SimpleRNN/RNN).

What changes between the layouts (gate letters and their correspondence from the registry,
:mod:`lstm_docs.kinds`):

* orientation: Keras ``kernel`` is (input_dim, G*units) and is used as ``x @ kernel``;
  torch ``weight_ih`` is (G*hidden, input_size) and is used as ``x @ weight_ih.T``;
  same for ``recurrent_kernel`` / ``weight_hh``.  So each is the other's transpose.
* gate order: LSTM i,f,c,o (Keras) = i,f,g,o (torch), c and g being the same candidate;
  GRU z,r,h (Keras) vs r,z,n (torch): the first two blocks swap.
* biases: Keras has one ``bias`` (G*units,); torch has ``bias_ih`` and ``bias_hh``, which
  always appear summed for LSTM and RNN: Keras -> torch puts the bias in ``bias_ih`` and zeros
  in ``bias_hh``; torch -> Keras adds them.  A Keras GRU with ``reset_after=True`` has bias
  (2, 3u): row 0 is torch's ``bias_ih``, row 1 ``bias_hh`` (they do not commute: the reset
  gate multiplies ``bias_hh``'s candidate block).  ``reset_after=False`` has no torch layout.

``kind`` takes Keras's names (``"lstm"``, ``"gru"``, ``"simple_rnn"``; ``"rnn"`` is accepted
for torch's RNN).  With ``bidirectional=True`` the Keras list is forward weights then
backward weights (``Bidirectional.get_weights()``) and torch names gain ``_reverse``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_docs import _validate, kinds

def _keras_kind(kind: str) -> str:
    """Keras's own name for ``kind`` (any Keras spelling of a registered kind)."""
    _validate.choice("kind", kind, tuple(s for k in kinds.of("keras") for s in k.spellings("keras")), where="convert")
    entry = kinds.resolve("keras", kind)
    if not entry.in_framework("pytorch"):  # ConvLSTM2D
        raise ValueError(f"convert: {kinds.absent('pytorch', entry)}; there is no layout to convert to")
    return entry.names["keras"]


def _split_bias(kind: str) -> bool:
    """Whether ``kind`` has Keras's ``reset_after`` (a (2, G*u) bias: torch's two biases)."""
    return "reset_after" in {o.name for o in kinds.options("keras", kind)}


def _permutation(kind: str) -> list[int]:
    """For each torch gate block, the index of the Keras block holding the same gate."""
    entry = kinds.own("keras", kind)
    same = entry.same_gate()  # Keras letter -> torch letter
    keras_gates = [same[g] for g in entry.gates["keras"]]
    return [keras_gates.index(g) for g in entry.gates["pytorch"]]


def _reorder(array: np.ndarray, order: list[int], axis: int) -> np.ndarray:
    blocks = np.split(np.asarray(array), len(order), axis=axis)
    return np.concatenate([blocks[k] for k in order], axis=axis)


def _inverse(order: list[int]) -> list[int]:
    inv = [0] * len(order)
    for pos, k in enumerate(order):
        inv[k] = pos
    return inv


def _check_options(kind: str, use_bias: bool, reset_after: bool) -> None:
    _validate.boolean("use_bias", use_bias, where="convert")
    _validate.boolean("reset_after", reset_after, where="convert")
    if _split_bias(kind) and not reset_after:
        raise ValueError(
            "convert: a Keras GRU with reset_after=False has no PyTorch equivalent (torch's GRU applies the "
            "reset gate after the recurrent product); use reset_after=True"
        )


def keras_to_torch(kind: str, weights: list[Any], *, use_bias: bool = True, reset_after: bool = True,
                   bidirectional: bool = False) -> dict[str, np.ndarray]:
    """Keras ``layer.get_weights()`` -> torch ``state_dict`` (numpy arrays, torch names/order)."""
    kind = _keras_kind(kind)
    _check_options(kind, use_bias, reset_after)
    per_dir = 3 if use_bias else 2
    dirs = ("", "_reverse") if bidirectional else ("",)
    if len(weights) != per_dir * len(dirs):
        raise ValueError(
            f"convert.keras_to_torch: expected {per_dir * len(dirs)} Keras arrays for {kind} "
            f"(use_bias={use_bias}, bidirectional={bidirectional}), got {len(weights)}"
        )
    order = _permutation(kind)
    state: dict[str, np.ndarray] = {}
    for n, sfx in enumerate(dirs):
        kernel, recurrent, *rest = (np.asarray(w) for w in weights[n * per_dir:(n + 1) * per_dir])
        if kernel.ndim != 2 or recurrent.ndim != 2 or recurrent.shape[0] * (len(order)) != recurrent.shape[1]:
            raise ValueError(
                f"convert.keras_to_torch: kernel/recurrent_kernel shapes {kernel.shape}, {recurrent.shape} do not "
                f"look like a Keras {kind} layer"
            )
        state[f"weight_ih_l0{sfx}"] = _reorder(kernel, order, axis=1).T  # (G*h, d)
        state[f"weight_hh_l0{sfx}"] = _reorder(recurrent, order, axis=1).T  # (G*h, h)
        if use_bias:
            bias = rest[0]
            if bias.ndim == 2:  # GRU reset_after: (2, 3u)
                state[f"bias_ih_l0{sfx}"] = _reorder(bias[0], order, axis=0)
                state[f"bias_hh_l0{sfx}"] = _reorder(bias[1], order, axis=0)
            else:
                state[f"bias_ih_l0{sfx}"] = _reorder(bias, order, axis=0)
                state[f"bias_hh_l0{sfx}"] = np.zeros_like(bias)
    return state


def torch_to_keras(kind: str, state: dict[str, Any], *, use_bias: bool = True, reset_after: bool = True,
                   bidirectional: bool = False) -> list[np.ndarray]:
    """torch ``state_dict`` (one layer) -> Keras ``layer.set_weights(...)`` list."""
    kind = _keras_kind(kind)
    _check_options(kind, use_bias, reset_after)
    dirs = ("", "_reverse") if bidirectional else ("",)
    expected = [f"{name}_l0{sfx}" for sfx in dirs
                for name in ("weight_ih", "weight_hh", *(("bias_ih", "bias_hh") if use_bias else ()))]
    got = list(state)
    if sorted(got) != sorted(expected):
        raise ValueError(
            f"convert.torch_to_keras: expected state-dict keys {expected} for {kind} (use_bias={use_bias}, "
            f"bidirectional={bidirectional}), got {got}; multi-layer and proj_size modules have no single Keras layer"
        )
    inv = _inverse(_permutation(kind))
    out: list[np.ndarray] = []
    for sfx in dirs:
        w_ih, w_hh = np.asarray(state[f"weight_ih_l0{sfx}"]), np.asarray(state[f"weight_hh_l0{sfx}"])
        out.append(_reorder(w_ih.T, inv, axis=1))  # (d, G*u)
        out.append(_reorder(w_hh.T, inv, axis=1))  # (u, G*u)
        if use_bias:
            b_ih, b_hh = np.asarray(state[f"bias_ih_l0{sfx}"]), np.asarray(state[f"bias_hh_l0{sfx}"])
            if _split_bias(kind):
                out.append(np.stack([_reorder(b_ih, inv, 0), _reorder(b_hh, inv, 0)]))  # (2, 3u)
            else:
                out.append(_reorder(b_ih + b_hh, inv, axis=0))  # (G*u,)
    return out
