"""State shared by the Keras mirror: auto-name counters, name scopes, the seeded random
generator, ``Variable`` and the symbolic ``KerasTensor``."""

from __future__ import annotations

import contextlib
import random as _pyrandom
from collections import defaultdict
from typing import Any, Iterator

import numpy as np

# ---------------------------------------------------------------- auto names (per process)
_UIDS: defaultdict[str, int] = defaultdict(int)
_SCOPES: list[str] = []


def get_uid(prefix: str) -> int:
    """Keras's per-process counter: 1 for the first ``prefix``, 2 for the next..."""
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def auto_name(prefix: str) -> str:
    """``lstm``, ``lstm_1``, ``lstm_2``... as Keras names layers."""
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


@contextlib.contextmanager
def name_scope(name: str) -> Iterator[None]:
    """Weights created inside get ``name/`` in their path (Keras builds a Sequential's layers
    inside the model's scope: ``sequential/lstm/lstm_cell/kernel``)."""
    _SCOPES.append(name)
    try:
        yield
    finally:
        _SCOPES.pop()


def current_path(*parts: str) -> str:
    return "/".join([*_SCOPES, *parts])


# ---------------------------------------------------------------- randomness
_RNG: list[np.random.Generator] = [np.random.default_rng(0)]


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, numpy's global generator and the mirror's initialisers."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_random_seed: seed must be a non-negative int, got {seed!r}")
    _pyrandom.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    _RNG[0] = np.random.default_rng(int(seed))


def rng() -> np.random.Generator:
    return _RNG[0]


def clear_session() -> None:
    """Reset the auto-name counters (``keras.utils.clear_session()``); the seed is kept."""
    _UIDS.clear()
    _SCOPES.clear()


# ---------------------------------------------------------------- Variable
class Variable:
    """A weight: ``name`` (``kernel``), ``path`` (``lstm/lstm_cell/kernel``), ``shape``,
    ``dtype`` (``"float32"``), ``trainable``; ``numpy()`` / ``np.asarray(v)`` give the values."""

    def __init__(self, value: np.ndarray, name: str, path: str, owner: Any) -> None:
        self._value = np.asarray(value, dtype=np.float32)
        self.name = name
        self.path = path
        self._owner = owner

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._value.shape)

    @property
    def dtype(self) -> str:
        return "float32"

    @property
    def trainable(self) -> bool:
        return bool(self._owner.trainable)

    @property
    def value(self) -> np.ndarray:
        return self._value

    def numpy(self) -> np.ndarray:
        return self._value.copy()

    def assign(self, value: Any) -> None:
        arr = np.asarray(value, dtype=np.float32)
        if arr.shape != self._value.shape:
            raise ValueError(
                f"Variable {self.path}: cannot assign a value of shape {arr.shape} to a variable "
                f"of shape {self._value.shape}"
            )
        self._value = arr.copy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._value if dtype is None else self._value.astype(dtype)

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={self._value}>"


# ---------------------------------------------------------------- symbolic tensors
class Node:
    """One call of a layer on symbolic inputs."""

    def __init__(self, layer: Any, inputs: list["KerasTensor"], outputs: list["KerasTensor"], kwargs: dict) -> None:
        self.layer = layer
        self.input_tensors = inputs
        self.output_tensors = outputs
        self.kwargs = kwargs


class KerasTensor:
    """A symbolic tensor: ``shape`` with ``None`` for unknown sizes, and the layer call that
    produced it (``_keras_history``)."""

    def __init__(self, shape: tuple[int | None, ...], layer: Any = None, node_index: int = 0, tensor_index: int = 0,
                 name: str | None = None, dtype: str = "float32") -> None:
        self.shape = tuple(shape)
        self.dtype = dtype
        self.name = name or auto_name("keras_tensor")
        self._keras_history = (layer, node_index, tensor_index)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse=False, ragged=False, "
                f"name={self.name}>")

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("A KerasTensor cannot be iterated; did you mean to use return_state=True?")
