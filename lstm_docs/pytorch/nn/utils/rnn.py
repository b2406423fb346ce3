"""``torch.nn.utils.rnn``: ``PackedSequence``, ``pack_padded_sequence``,
``pad_packed_sequence``, ``pack_sequence`` (torch 2.13's layout and messages).

A batch of B sequences of lengths l_0..l_{B-1}, padded to T steps, is packed time-major in
the order of decreasing length (``sorted_indices``): for each step t, the rows of the
sequences with l_b > t.  ``data``: (sum_b l_b, *features); ``batch_sizes[t]`` = the number of
sequences with l_b > t, shape (T_max,) int64; ``unsorted_indices`` is the inverse permutation.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from lstm_docs.pytorch._tensor import Tensor

#: torch's messages, word for word
NOT_SORTED = (
    "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
    "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement "
    "if you do not need ONNX exportability."
)
EMPTY = "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0"


class PackedSequence(NamedTuple):
    """torch's ``PackedSequence(data, batch_sizes, sorted_indices, unsorted_indices)``."""

    data: Any
    batch_sizes: Any
    sorted_indices: Any = None
    unsorted_indices: Any = None

    def lengths(self) -> np.ndarray:
        """Each sequence's length, in the caller's batch order, (B,) int64."""
        sizes = np.asarray(self.batch_sizes, dtype=np.int64)  # (T_max,)
        in_sorted_order = (sizes[None, :] > np.arange(sizes[0])[:, None]).sum(axis=1)  # (B,)
        if self.unsorted_indices is None:
            return in_sorted_order
        return in_sorted_order[np.asarray(self.unsorted_indices)]


def _lengths(lengths: Any) -> np.ndarray:
    arr = np.asarray(lengths)
    if arr.ndim != 1:
        raise ValueError(f"pack_padded_sequence: lengths must be 1-D, got shape {arr.shape}")
    return arr.astype(np.int64)


def pack_padded_sequence(input: Any, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """input: (T, B, *) or (B, T, *) with ``batch_first=True``; lengths: (B,) -> PackedSequence
    with data (sum(lengths), *)."""
    x = np.asarray(input)
    if batch_first:
        x = np.swapaxes(x, 0, 1)  # (T, B, *)
    n = _lengths(lengths)
    if n.shape[0] != x.shape[1]:
        raise ValueError(f"pack_padded_sequence: {n.shape[0]} lengths for a batch of {x.shape[1]} sequences")
    if enforce_sorted:
        if np.any(np.diff(n) > 0):
            raise RuntimeError(NOT_SORTED)
        order, inverse = np.arange(len(n)), None
    else:
        order = np.argsort(-n, kind="stable")  # longest first, ties keep their order
        inverse = np.argsort(order)
    if np.any(n <= 0):
        raise RuntimeError(EMPTY)
    if n.max() > x.shape[0]:
        raise ValueError(f"pack_padded_sequence: a length of {n.max()} for {x.shape[0]} time steps")
    n_sorted = n[order]
    sizes = np.array([(n_sorted > t).sum() for t in range(int(n_sorted[0]))], dtype=np.int64)  # (T_max,)
    rows = [x[t, order[: sizes[t]]] for t in range(len(sizes))]  # each (batch_sizes[t], *)
    data = Tensor(np.concatenate(rows, axis=0), dtype=x.dtype)  # (sum(lengths), *)
    if inverse is None:
        return PackedSequence(data, Tensor(sizes, dtype=np.int64))
    return PackedSequence(data, Tensor(sizes, dtype=np.int64), Tensor(order, dtype=np.int64),
                          Tensor(inverse, dtype=np.int64))


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: Any = None) -> tuple[Tensor, Tensor]:
    """PackedSequence -> (padded (T, B, *) or (B, T, *), lengths (B,) int64), in the caller's
    batch order; T = the longest length, or ``total_length``."""
    data = np.asarray(sequence.data)  # (sum(lengths), *)
    sizes = np.asarray(sequence.batch_sizes, dtype=np.int64)  # (T_max,)
    steps = len(sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in input, "
                f"but got total_length={total_length} and max sequence length being {steps}"
            )
        steps = int(total_length)
    batch = int(sizes[0])
    out = np.full((steps, batch) + data.shape[1:], padding_value, dtype=data.dtype)  # sorted order
    start = 0
    for t, size in enumerate(sizes):
        out[t, :size] = data[start:start + size]
        start += size
    if sequence.unsorted_indices is not None:
        out = out[:, np.asarray(sequence.unsorted_indices)]  # back to the caller's order
    if batch_first:
        out = np.swapaxes(out, 0, 1)
    return Tensor(out, dtype=data.dtype), Tensor(sequence.lengths(), dtype=np.int64)


def pack_sequence(sequences: Any, enforce_sorted: bool = True) -> PackedSequence:
    """A list of (l_b, *) tensors -> PackedSequence (pads them, then packs)."""
    arrays = [np.asarray(s) for s in sequences]
    lengths = [len(a) for a in arrays]
    padded = np.zeros((max(lengths), len(arrays)) + arrays[0].shape[1:], dtype=arrays[0].dtype)  # (T, B, *)
    for b, a in enumerate(arrays):
        padded[: len(a), b] = a
    return pack_padded_sequence(padded, lengths, enforce_sorted=enforce_sorted)


__all__ = ["PackedSequence", "pack_padded_sequence", "pack_sequence", "pad_packed_sequence"]
