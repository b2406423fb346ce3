"""``nn.Module``: parameters and submodules registered in assignment order, as torch does."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterator, NamedTuple

import numpy as np

from lstm_docs.pytorch._tensor import Parameter, Tensor


class _IncompatibleKeys(NamedTuple):
    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"


class Module:
    """Base class: ``named_parameters()``, ``parameters()``, ``state_dict()``,
    ``load_state_dict()``, ``count_params()``, ``double()``/``float()``, ``eval()``/``train()``."""

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise ValueError(f"{type(self).__name__}: call super().__init__() before assigning {name!r}")
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        if name in d.get("_parameters", {}):
            return d["_parameters"][name]
        if name in d.get("_modules", {}):
            return d["_modules"][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None:
            self._parameters[name] = param

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        for name, p in self._parameters.items():
            yield prefix + name, p
        if recurse:
            for mname, module in self._modules.items():
                yield from module.named_parameters(prefix=f"{prefix}{mname}.", recurse=True)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        yield from self._modules.items()

    def children(self) -> Iterator["Module"]:
        yield from self._modules.values()

    def state_dict(self) -> "OrderedDict[str, Tensor]":
        return OrderedDict((name, p.detach()) for name, p in self.named_parameters())

    def load_state_dict(self, state_dict: Any, strict: bool = True) -> _IncompatibleKeys:
        own = dict(self.named_parameters())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise ValueError(
                f"Error(s) in loading state_dict for {type(self).__name__}: missing keys {missing}, "
                f"unexpected keys {unexpected}"
            )
        for name, p in own.items():
            if name not in state_dict:
                continue
            value = np.asarray(state_dict[name])
            if value.shape != tuple(p.shape):
                raise ValueError(
                    f"Error(s) in loading state_dict for {type(self).__name__}: size mismatch for {name}: copying "
                    f"a param with shape {value.shape} from checkpoint, the shape in current model is {tuple(p.shape)}."
                )
            p.view(np.ndarray)[...] = value
        return _IncompatibleKeys(missing, unexpected)

    def count_params(self) -> int:
        """Convenience (not in torch): ``sum(p.numel() for p in self.parameters())``."""
        return sum(p.numel() for p in self.parameters())

    def _apply_dtype(self, dtype: Any) -> "Module":
        for name in list(self._parameters):
            self._parameters[name] = Parameter(np.asarray(self._parameters[name], dtype=dtype))
        for module in self._modules.values():
            module._apply_dtype(dtype)
        return self

    def double(self) -> "Module":
        return self._apply_dtype(np.float64)

    def float(self) -> "Module":
        return self._apply_dtype(np.float32)

    def to(self, *args: Any, **kwargs: Any) -> "Module":
        dtype = kwargs.get("dtype") or next((a for a in args if a in (np.float32, np.float64)), None)
        return self._apply_dtype(dtype) if dtype is not None else self

    def train(self, mode: bool = True) -> "Module":
        object.__setattr__(self, "training", mode)
        for m in self._modules.values():
            m.train(mode)
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): {'  '.join(repr(m).splitlines(True))}" for name, m in self._modules.items()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        body = "\n".join("  " + line for line in lines)
        return f"{type(self).__name__}(\n{body}\n)"
