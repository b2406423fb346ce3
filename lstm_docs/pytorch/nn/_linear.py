"""``nn.Linear(in_features, out_features)``: y = x @ weight.T + bias; weight (out, in),
bias (out,); count = out*(in + 1) (out*in without bias)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lstm_docs import _validate
from lstm_docs.pytorch._tensor import Parameter, Tensor, generator
from lstm_docs.pytorch.nn._module import Module


class Linear(Module):
    def __init__(self, in_features: Any, out_features: Any, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.in_features = _validate.positive_int("in_features", in_features, where="Linear")
        self.out_features = _validate.positive_int("out_features", out_features, where="Linear")
        _validate.boolean("bias", bias, where="Linear")
        _validate.allocatable(self.out_features * (self.in_features + 1), where="Linear")
        k = 1.0 / math.sqrt(self.in_features)  # torch: U(-1/sqrt(in_features), 1/sqrt(in_features))
        dt = dtype or np.float32
        self.weight = Parameter(generator().uniform(-k, k, (self.out_features, self.in_features)).astype(dt))
        if bias:
            self.bias = Parameter(generator().uniform(-k, k, (self.out_features,)).astype(dt))
        else:
            object.__setattr__(self, "bias", None)

    def forward(self, x: Any) -> Tensor:
        arr = _validate.array("input", x, ranks=(1, 2, 3, 4), where="Linear")
        _validate.last_dim("input", arr, self.in_features, where="Linear")
        y = arr @ np.asarray(self.weight, dtype=np.float64).T  # (..., out_features)
        if self.bias is not None:
            y = y + np.asarray(self.bias, dtype=np.float64)
        return Tensor(y, dtype=self.weight.dtype)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
