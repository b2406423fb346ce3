"""Argument checks shared by formulas, layers and the CLI.

Every check raises one ``ValueError`` whose message says which argument was wrong, the
value received, and what to pass instead, on one line.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

#: Largest parameter count a layer may allocate (float64 arrays: 8 bytes each -> 8 GB).
#: Counting (``formulas.count``) has no limit: it works on Python ints of any size.
MAX_ALLOCATED_PARAMS = 10**9
#: Largest input size / units / proj_size the CLI and the calculator accept: 10^18, far above
#: 2^53 (so counts are shown exact where floating point is not) yet short enough to read.
SIZE_MAX = 10**18
#: Largest number of stacked layers (PyTorch ``num_layers``) the CLI and the calculator accept.
LAYERS_MAX = 1000


def positive_int(name: str, value: Any, *, where: str = "", allow_zero: bool = False) -> int:
    """Return ``value`` as an int if it is a whole number >= 1 (>= 0 with ``allow_zero``).

    Rejects bools, floats (even ``3.0``), strings and None with a one-line ``ValueError``.
    """
    prefix = f"{where}: " if where else ""
    low = 0 if allow_zero else 1
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{prefix}{name} must be a whole number >= {low}, got {value!r} "
            f"({type(value).__name__}); pass e.g. {name}=3"
        )
    value = int(value)
    if value < low:
        raise ValueError(f"{prefix}{name} must be >= {low}, got {value}; pass e.g. {name}=3")
    return value


def boolean(name: str, value: Any, *, where: str = "") -> bool:
    """Return ``value`` if it is a real bool (True/False), else a one-line ``ValueError``."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    prefix = f"{where}: " if where else ""
    raise ValueError(f"{prefix}{name} must be True or False, got {value!r}")


def choice(name: str, value: Any, allowed: tuple[str, ...] | list[str], *, where: str = "") -> str:
    """Return ``value`` if it is one of ``allowed``, else a one-line ``ValueError`` listing them."""
    if value in allowed:
        return value
    prefix = f"{where}: " if where else ""
    raise ValueError(f"{prefix}{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")


def allocatable(total: int, *, where: str) -> int:
    """Refuse to allocate more than ``MAX_ALLOCATED_PARAMS`` parameters (count them instead)."""
    if total > MAX_ALLOCATED_PARAMS:
        raise ValueError(
            f"{where}: would allocate {total:,} parameters (limit {MAX_ALLOCATED_PARAMS:,}); "
            "use lstm_docs.formulas.count(...) to count parameters without allocating them"
        )
    return total


def array(name: str, value: Any, *, ranks: tuple[int, ...], where: str) -> np.ndarray:
    """Return ``value`` as a float64 ndarray whose rank is one of ``ranks``."""
    try:
        out = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {name} must be a numeric array, got {type(value).__name__} ({exc})") from None
    if out.ndim not in ranks:
        want = " or ".join(f"{r}-D" for r in ranks)
        raise ValueError(f"{where}: {name} must be {want}, got shape {out.shape} ({out.ndim}-D)")
    return out


def last_dim(name: str, arr: np.ndarray, expected: int, *, where: str, meaning: str = "features") -> None:
    """Check that the last axis of ``arr`` has ``expected`` entries."""
    if arr.shape[-1] != expected:
        raise ValueError(
            f"{where}: {name} has {arr.shape[-1]} {meaning} (shape {arr.shape}) but the layer "
            f"expects {expected}"
        )
