"""Cross-check the tensor functions snippets use (``view``, ``allclose``, ``equal``, ``cat``,
``stack``) against real PyTorch: the same results, and the same error type and message where
torch refuses."""

from __future__ import annotations

import numpy as np
import pytest

from frameworks import import_torch
from lstm_docs import pytorch as ours

pytestmark = pytest.mark.crosscheck


def outcome(fn):
    """``("ok", shape or value)`` or ``("error", type name, message)``."""
    try:
        result = fn()
    except Exception as error:  # the comparison is the point: any exception type
        return ("error", type(error).__name__, str(error).splitlines()[0])
    if hasattr(result, "shape"):
        return ("ok", tuple(result.shape), np.asarray(result).tolist())
    return ("ok", result)


VIEWS = [(2, 2, 5, 3), (2, 2, 5, 4), (2, -1, -1), (-1,), (2, 2, 15), ((2, 2, 5, 3),), ([4, 15],), (0, -1), (-1, 0)]


@pytest.mark.parametrize("shape", VIEWS, ids=repr)
def test_view(shape):
    torch = import_torch()
    data = np.arange(60, dtype=np.float32).reshape(4, 5, 3)
    assert outcome(lambda: ours.from_numpy(data.copy()).view(*shape)) == \
        outcome(lambda: torch.from_numpy(data.copy()).view(*shape))


def test_view_of_a_transposed_tensor_is_refused_like_torch():
    torch = import_torch()
    data = np.zeros((4, 5, 3), dtype=np.float32)
    ours_t = ours.from_numpy(data.copy()).numpy().transpose(1, 0, 2).view(ours.Tensor)
    assert outcome(lambda: ours_t.view(20, 3)) == outcome(lambda: torch.from_numpy(data.copy()).transpose(0, 1).view(20, 3))


PAIRS = [((2, 3), (2, 3)), ((2, 3), (3, 3)), ((2, 3), (1, 3)), ((5, 4, 3), (4, 3)), ((2,), (3,))]


@pytest.mark.parametrize("a, b", PAIRS, ids=repr)
@pytest.mark.parametrize("name", ["allclose", "equal"])
def test_comparisons(name, a, b):
    torch = import_torch()
    rng = np.random.default_rng(0)
    x = rng.normal(size=a).astype(np.float32)
    try:  # equal values where the shapes broadcast, so "True" is tested too
        y = np.broadcast_to(x, b).copy()
    except ValueError:
        y = rng.normal(size=b).astype(np.float32)
    ours_fn, real_fn = getattr(ours, name), getattr(torch, name)
    assert outcome(lambda: ours_fn(ours.from_numpy(x), ours.from_numpy(y))) == \
        outcome(lambda: real_fn(torch.from_numpy(x), torch.from_numpy(y)))
    assert outcome(lambda: ours_fn(ours.from_numpy(x), ours.from_numpy(x + 1e-7))) == \
        outcome(lambda: real_fn(torch.from_numpy(x), torch.from_numpy(x + 1e-7)))


def test_allclose_refuses_mixed_dtypes_like_torch():
    torch = import_torch()
    assert outcome(lambda: ours.allclose(ours.zeros(2, 3), ours.zeros(2, 3, dtype=ours.float64))) == \
        outcome(lambda: torch.allclose(torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.float64)))


JOINS = [([(2, 3), (2, 3)], 0), ([(2, 3), (2, 3)], 1), ([(2, 3), (2, 3)], -1), ([(2, 3), (3, 3)], 1),
         ([(2, 3), (3, 3)], 0), ([(5, 3), (5, 3), (5, 3)], 1)]


@pytest.mark.parametrize("shapes, dim", JOINS, ids=repr)
@pytest.mark.parametrize("name", ["cat", "stack"])
def test_joins(name, shapes, dim):
    torch = import_torch()
    rng = np.random.default_rng(1)
    arrays = [rng.normal(size=s).astype(np.float32) for s in shapes]
    assert outcome(lambda: getattr(ours, name)([ours.from_numpy(a) for a in arrays], dim=dim)) == \
        outcome(lambda: getattr(torch, name)([torch.from_numpy(a) for a in arrays], dim=dim))
