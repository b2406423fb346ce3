"""A numpy mirror of PyTorch's recurrent layers, importable as ``torch`` in doc snippets.

Parameters are float32 by default (``.double()`` switches a module to float64); forward
passes compute in float64 and return tensors of the parameters' dtype.
"""

from lstm_docs.pytorch import nn
from lstm_docs.pytorch._tensor import (
    Parameter, Size, Tensor, allclose, cat, double, equal, float, float32, float64, from_numpy, int64, is_tensor, long, manual_seed,
    no_grad, ones, rand, randn, stack, tensor, zeros,
)

__version__ = "2.13.0"  # the PyTorch release this mirror is checked against

__all__ = ["Parameter", "Size", "Tensor", "allclose", "cat", "double", "equal", "float", "float32", "float64", "from_numpy", "int64", "is_tensor",
           "long", "manual_seed", "nn", "no_grad", "ones", "rand", "randn", "stack", "tensor", "zeros"]
