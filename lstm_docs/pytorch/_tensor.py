"""``Tensor`` / ``Parameter``: numpy arrays with the torch methods doc snippets use
(``numel()``, ``size()``, ``shape`` as ``torch.Size``, ``detach()``, ``numpy()``, ``item()``),
plus the seeded factory functions (``manual_seed``, ``randn``, ``zeros``, ``tensor``...)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_docs.pytorch._format import tensor_repr

float32 = np.float32
float64 = np.float64
float = np.float32  # noqa: A001 - mirrors torch.float
double = np.float64
int64 = np.int64
long = np.int64

_RNG: list[np.random.Generator] = [np.random.default_rng(0)]


def manual_seed(seed: int) -> Any:
    """Seed the mirror's generator (initial weights, ``randn``, ``rand``)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"manual_seed: seed must be an int, got {seed!r}")
    _RNG[0] = np.random.default_rng(int(seed) % 2**64)
    return None


def generator() -> np.random.Generator:
    return _RNG[0]


class Size(tuple):
    """``torch.Size([2, 3])``: a tuple that prints like torch's."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(int(d)) for d in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for d in self:
            n *= int(d)
        return n


class Tensor(np.ndarray):
    """A numpy array with torch's common methods."""

    requires_grad = False

    def __new__(cls, data: Any = (), dtype: Any = None) -> "Tensor":
        return np.asarray(data, dtype=dtype).view(cls)

    @property  # type: ignore[override]
    def shape(self) -> Size:
        return Size(np.ndarray.shape.__get__(self))

    @shape.setter
    def shape(self, value: Any) -> None:
        np.ndarray.shape.__set__(self, value)

    def numel(self) -> int:
        return int(self.size_)

    @property
    def size_(self) -> int:
        return int(np.ndarray.size.__get__(self))

    def size(self, dim: int | None = None) -> Any:  # type: ignore[override]
        shape = np.ndarray.shape.__get__(self)
        return Size(shape) if dim is None else shape[dim]

    def dim(self) -> int:
        return self.ndim

    def detach(self) -> "Tensor":
        return self.view(Tensor)

    def numpy(self) -> np.ndarray:
        return self.view(np.ndarray)

    def item(self) -> Any:  # type: ignore[override]
        return self.view(np.ndarray).item()

    def float(self) -> "Tensor":
        return self.astype(np.float32).view(Tensor)

    def double(self) -> "Tensor":
        return self.astype(np.float64).view(Tensor)

    def tolist(self) -> Any:  # type: ignore[override]
        return self.view(np.ndarray).tolist()

    def __repr__(self) -> str:
        return tensor_repr(self.view(np.ndarray), requires_grad=self.requires_grad)

    __str__ = __repr__


class Parameter(Tensor):
    """A trainable tensor (``requires_grad=True``)."""

    requires_grad = True

    def __new__(cls, data: Any = (), requires_grad: bool = True) -> "Parameter":
        return np.array(data, dtype=np.asarray(data).dtype, copy=True).view(cls)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__


def _size(args: tuple[Any, ...]) -> tuple[int, ...]:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for a in args:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)) or a < 0:
            raise ValueError(f"size entries must be non-negative ints, got {args!r}")
    return tuple(int(a) for a in args)


def randn(*size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    return Tensor(generator().standard_normal(_size(size)), dtype=dtype or np.float32)


def rand(*size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    return Tensor(generator().random(_size(size)), dtype=dtype or np.float32)


def zeros(*size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    return Tensor(np.zeros(_size(size)), dtype=dtype or np.float32)


def ones(*size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    return Tensor(np.ones(_size(size)), dtype=dtype or np.float32)


def tensor(data: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    arr = np.asarray(data)
    if dtype is None and arr.dtype == np.float64:
        dtype = np.float32  # torch.tensor([0.5]) is float32
    return Tensor(arr, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    if not isinstance(array, np.ndarray):
        raise ValueError(f"from_numpy: expected np.ndarray, got {type(array).__name__}")
    return array.view(Tensor)


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


class no_grad:
    """Context manager / decorator accepted for compatibility (nothing is tracked)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None

    def __call__(self, fn: Any) -> Any:
        return fn
