"""Keras initialisers, seeded from ``keras.utils.set_random_seed`` (numpy generator).

Same distributions as Keras (not the same random draws: Keras's come from its backend).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from lstm_docs.keras import _backend


class Initializer:
    def __call__(self, shape: tuple[int, ...], dtype: Any = None) -> np.ndarray:
        raise NotImplementedError

    def _gen(self) -> np.random.Generator:
        seed = getattr(self, "seed", None)
        return np.random.default_rng(seed) if seed is not None else _backend.rng()


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return np.zeros(shape)


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return np.ones(shape)


class Constant(Initializer):
    def __init__(self, value: float = 0.0) -> None:
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(shape, float(self.value))


class RandomUniform(Initializer):
    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None):
        return self._gen().uniform(self.minval, self.maxval, size=shape)


class RandomNormal(Initializer):
    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        return self._gen().normal(self.mean, self.stddev, size=shape)


class GlorotUniform(Initializer):
    """U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out))."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = _fans(tuple(shape))
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return self._gen().uniform(-limit, limit, size=shape)


class Orthogonal(Initializer):
    """Orthogonal matrix from the QR decomposition of a normal draw (Keras's recurrent default)."""

    def __init__(self, gain: float = 1.0, seed: int | None = None) -> None:
        self.gain, self.seed = gain, seed

    def __call__(self, shape, dtype=None):
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = self._gen().normal(size=(max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # make the decomposition unique
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)


_BY_NAME: dict[str, Callable[[], Initializer]] = {
    "zeros": Zeros, "ones": Ones, "uniform": RandomUniform, "random_uniform": RandomUniform,
    "normal": RandomNormal, "random_normal": RandomNormal, "glorot_uniform": GlorotUniform,
    "orthogonal": Orthogonal,
}


def get(identifier: Any, *, argument: str, where: str) -> Initializer | Callable[..., Any]:
    """An initialiser from a name (``"glorot_uniform"``), an instance or a callable."""
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if callable(identifier):
        return identifier
    raise ValueError(f"{where}: {argument} must be one of {', '.join(_BY_NAME)} or a callable, got {identifier!r}")
