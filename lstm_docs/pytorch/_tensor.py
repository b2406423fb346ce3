"""``Tensor`` / ``Parameter``: numpy arrays with the torch methods doc snippets use
(``numel()``, ``size()``, ``shape`` as ``torch.Size``, ``view(*shape)``, ``detach()``,
``numpy()``, ``item()``), the seeded factory functions (``manual_seed``, ``randn``, ``zeros``,
``tensor``...) and the comparisons and joins snippets print (``allclose``, ``equal``, ``cat``,
``stack``), each raising torch's message where torch refuses."""

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

    def view(self, *shape: Any) -> Any:  # type: ignore[override]
        """torch's ``view(*shape)``: the same data under a new shape, one ``-1`` inferred.

        ``x: (4, 5, 3) -> x.view(2, 2, 5, 3): (2, 2, 5, 3)``.  A dtype or array type as the
        only argument keeps numpy's meaning (the mirror's own ``x.view(np.ndarray)``).
        """
        if len(shape) == 1 and (isinstance(shape[0], type) or isinstance(shape[0], np.dtype)):
            return np.ndarray.view(self, shape[0])
        dims = list(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else list(shape)
        for d in dims:
            if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < -1:
                raise TypeError(f"view(): argument 'size' must be tuple of ints, but found element {d!r}")
        if dims.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        total = int(np.ndarray.size.__get__(self))
        known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
        if -1 in dims and known and total % known == 0:
            dims[dims.index(-1)] = total // known
        if -1 in dims or int(np.prod(dims, dtype=np.int64)) != total:
            written = ", ".join(str(int(d)) for d in (shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape))
            raise RuntimeError(f"shape '[{written}]' is invalid for input of size {total}")
        if not self.flags.c_contiguous:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        return np.ndarray.view(np.ndarray.reshape(self, tuple(int(d) for d in dims)), Tensor)

    def detach(self) -> "Tensor":
        return np.ndarray.view(self, Tensor)

    def numpy(self) -> np.ndarray:
        return np.ndarray.view(self, np.ndarray)

    def item(self) -> Any:  # type: ignore[override]
        return np.ndarray.view(self, np.ndarray).item()

    def float(self) -> "Tensor":
        return np.ndarray.view(self.astype(np.float32), Tensor)

    def double(self) -> "Tensor":
        return np.ndarray.view(self.astype(np.float64), Tensor)

    def tolist(self) -> Any:  # type: ignore[override]
        return np.ndarray.view(self, np.ndarray).tolist()

    def __repr__(self) -> str:
        return tensor_repr(np.ndarray.view(self, np.ndarray), requires_grad=self.requires_grad)

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


_DTYPE_NAMES = {np.dtype(np.float32): "Float", np.dtype(np.float64): "Double", np.dtype(np.int64): "Long"}


def _broadcast_shape(a: np.ndarray, b: np.ndarray) -> None:
    """Refuse shapes torch cannot broadcast, with torch's message."""
    for i, (x, y) in enumerate(zip(reversed(a.shape), reversed(b.shape))):
        if x != y and 1 not in (x, y):
            dim = max(a.ndim, b.ndim) - 1 - i
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                               f"at non-singleton dimension {dim}")


def allclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """``|input - other| <= atol + rtol * |other|`` everywhere (shapes broadcast; dtypes must match)."""
    a, b = np.asarray(input), np.asarray(other)
    if a.dtype != b.dtype:
        raise RuntimeError(f"{_DTYPE_NAMES.get(a.dtype, a.dtype.name)} did not match "
                           f"{_DTYPE_NAMES.get(b.dtype, b.dtype.name)}")
    _broadcast_shape(a, b)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(input: Any, other: Any) -> bool:
    """True if both have the same shape and the same elements."""
    a, b = np.asarray(input), np.asarray(other)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def cat(tensors: Any, dim: int = 0) -> Tensor:
    """Join along an existing axis: ``(2, 3), (2, 3) -> cat(..., dim=1): (2, 6)``."""
    arrays = [np.asarray(t) for t in tensors]
    if not arrays:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    axis = dim % arrays[0].ndim
    for k, arr in enumerate(arrays[1:], start=1):
        for ax, (x, y) in enumerate(zip(arrays[0].shape, arr.shape)):
            if ax != axis and x != y:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {axis}. Expected size {x} but "
                                   f"got size {y} for tensor number {k} in the list.")
    return np.concatenate(arrays, axis=axis).view(Tensor)


def stack(tensors: Any, dim: int = 0) -> Tensor:
    """Join along a new axis: two ``(2, 3)`` -> ``stack(..., dim=1): (2, 2, 3)``."""
    arrays = [np.asarray(t) for t in tensors]
    if not arrays:
        raise RuntimeError("stack expects a non-empty TensorList")
    for k, arr in enumerate(arrays[1:], start=1):
        if arr.shape != arrays[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(arrays[0].shape)} at "
                               f"entry 0 and {list(arr.shape)} at entry {k}")
    return np.stack(arrays, axis=dim).view(Tensor)
