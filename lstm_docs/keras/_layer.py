"""``Layer``: names, weights, building, symbolic and numeric calls (the Keras 3 behaviour)."""

from __future__ import annotations

import sys
import warnings
from typing import Any

import numpy as np

from lstm_docs import _validate
from lstm_docs.keras import _backend
from lstm_docs.keras._backend import KerasTensor, Node, Variable

Shape = tuple[int | None, ...]

#: Keras 3's own warning, word for word, for the Keras 2 ``input_shape=`` / ``input_dim=``
#: spellings it still accepts (``input_length=`` and ``batch_input_shape=`` it rejects).
INPUT_SHAPE_NOTE = (
    "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, "
    "prefer using an `Input(shape)` object as the first layer in the model instead."
)


def user_stacklevel() -> int:
    """``stacklevel`` for ``warnings.warn`` pointing at the first frame outside lstm_docs."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("lstm_docs."):
        frame, level = frame.f_back, level + 1
    return level


def _flatten(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)) and not isinstance(x, KerasTensor):
        return [y for item in x for y in _flatten(item)]
    return [x]


class _Masked(np.ndarray):
    """A layer's numeric output carrying the Keras mask (``_keras_mask``: (batch, time)
    booleans) to the next layer, as Keras attaches it to its tensors."""

    _keras_mask: Any = None


def _with_mask(out: Any, mask: Any) -> Any:
    if mask is None or not isinstance(out, np.ndarray):
        return out
    tagged = out.view(_Masked)
    tagged._keras_mask = np.asarray(mask, dtype=bool)
    return tagged


class Layer:
    """Base class. Subclasses set ``_prefix`` (auto-name stem) and implement ``build``,
    ``compute_output_shape`` and ``call``."""

    _prefix = "layer"

    def __init__(self, *, name: str | None = None, trainable: bool = True, dtype: Any = None,
                 input_shape: Any = None, input_dim: Any = None, batch_size: Any = None,
                 **kwargs: Any) -> None:
        if name is not None and not isinstance(name, str):
            raise ValueError(f"{type(self).__name__}: name must be a string, got {name!r}")
        self.name = name or _backend.auto_name(self._prefix)  # Keras names a layer it then refuses
        if input_shape is not None or input_dim is not None:  # warned before unknown arguments fail
            warnings.warn(INPUT_SHAPE_NOTE, UserWarning, stacklevel=user_stacklevel())
        if kwargs:  # Keras 2's input_length= and batch_input_shape= end here, as in Keras 3
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        self.trainable = trainable
        self.built = False
        self._weights: list[Variable] = []
        self._inbound_nodes: list[Node] = []
        self._build_shape: Shape | None = None
        self._input_shape_arg: Shape | None = None
        if input_shape is not None:
            self._input_shape_arg = _shape("input_shape", input_shape, where=self.name)
        elif input_dim is not None:  # one vector of input_dim features (not a sequence)
            self._input_shape_arg = (_validate.positive_int("input_dim", input_dim, where=self.name),)

    # ------------------------------------------------------------------ weights
    def add_weight(self, shape: tuple[int, ...], initializer: Any, name: str, *, path_parts: tuple[str, ...] = ()) -> Variable:
        value = np.asarray(initializer(tuple(shape)), dtype=np.float64)
        if value.shape != tuple(shape):  # an initializer must honour the shape it is asked for
            raise ValueError(
                f"layer '{self.name}': the initializer of '{name}' returned shape {value.shape}, "
                f"expected {tuple(shape)} (lstm_docs.formulas and the initializer disagree)"
            )
        var = Variable(value, name, _backend.current_path(*path_parts, name), self)
        self._weights.append(var)
        return var

    @property
    def weights(self) -> list[Variable]:
        return list(self._weights)

    @property
    def trainable_weights(self) -> list[Variable]:
        return self.weights if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Variable]:
        return [] if self.trainable else self.weights

    @property
    def variables(self) -> list[Variable]:
        return self.weights

    def get_weights(self) -> list[np.ndarray]:
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer {self.name} expects {len(own)} weights, but the weight list you passed "
                f"contains {len(weights)} elements (expected {[w.shape for w in own]})"
            )
        for var, value in zip(own, weights):
            arr = np.asarray(value)
            if arr.shape != var.shape:
                raise ValueError(
                    f"Layer {self.name} weight shape {var.shape} is not compatible with provided "
                    f"weight shape {arr.shape} (weight {var.name})"
                )
        for var, value in zip(own, weights):
            var.assign(value)

    def count_params(self) -> int:
        """Number of scalars in this layer's weights (Keras raises before the layer is built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't "
                "built. You can build it manually via: `layer.build(input_shape)`."
            )
        return sum(int(np.prod(w.shape)) for w in self.weights)

    # ------------------------------------------------------------------ building
    def build(self, input_shape: Shape) -> None:
        self.built = True

    def _maybe_build(self, input_shape: Shape) -> None:
        if not self.built:
            self._build_shape = tuple(input_shape)
            self.build(tuple(input_shape))
            self.built = True

    def compute_output_shape(self, input_shape: Shape) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ calling
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        flat = _flatten(inputs)
        if any(isinstance(t, KerasTensor) for t in flat):
            return self._symbolic_call(inputs, **kwargs)
        mask = kwargs.pop("mask", None)
        if mask is None:
            mask = getattr(inputs, "_keras_mask", None)
        x = self._check_input(inputs)
        self._maybe_build(x.shape)
        if mask is None:
            out = self.call(x, *args, **kwargs)
        elif not self._supports_masking():  # never a silently unmasked number
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) received a mask (from Masking or "
                "Embedding(mask_zero=True)); lstm_docs does not mirror masks through this layer"
            )
        else:
            out = self.call(x, *args, mask=mask, **kwargs)
        return _with_mask(out, self.compute_mask(x, mask))

    def _supports_masking(self) -> bool:
        """Whether the layer takes a mask (``call(..., mask=)``) in the mirror."""
        return False

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The mask of the output, (batch, time) booleans or None (Keras: passed on unchanged
        by layers that support masking)."""
        return mask if self._supports_masking() else None

    def _check_input(self, inputs: Any) -> np.ndarray:
        return _validate.array("inputs", inputs, ranks=(2, 3, 4), where=self.name)

    def _symbolic_call(self, inputs: Any, **kwargs: Any) -> Any:
        if not isinstance(inputs, KerasTensor):
            raise ValueError(f"{self.name}: call the layer on one Keras tensor (Input(...)), got {type(inputs).__name__}")
        self._validate_symbolic(inputs.shape)
        self._maybe_build(inputs.shape)
        out_shape = self.compute_output_shape(inputs.shape)
        node_index = len(self._inbound_nodes)
        if isinstance(out_shape, list):
            outputs: Any = [KerasTensor(s, self, node_index, i) for i, s in enumerate(out_shape)]
        else:
            outputs = KerasTensor(out_shape, self, node_index, 0)
        self._inbound_nodes.append(Node(self, [inputs], _flatten(outputs), kwargs))
        return outputs

    def _validate_symbolic(self, shape: Shape) -> None:
        """Check a symbolic input's shape before building (subclasses)."""

    def call(self, x: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    @property
    def output(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        outs = self._inbound_nodes[0].output_tensors
        return outs[0] if len(outs) == 1 else outs

    @property
    def input(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self._inbound_nodes[0].input_tensors[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _shape(argument: str, value: Any, *, where: str) -> tuple[int | None, ...]:
    """A shape tuple of positive ints or None (``(4, 2)``, ``(None, 2)``; an int means ``(n,)``)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise ValueError(f"{where}: {argument} must be a tuple such as (4, 2), got {value!r}")
    out: list[int | None] = []
    for dim in value:
        out.append(None if dim is None else _validate.positive_int(f"{argument} entry", dim, where=where))
    return tuple(out)


class InputLayer(Layer):
    """The layer behind ``Input(shape)``: no weights, outputs its ``batch_shape``."""

    _prefix = "input_layer"

    def __init__(self, shape: Any = None, batch_size: Any = None, dtype: Any = None, batch_shape: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        if batch_shape is not None:
            bs = tuple(batch_shape)
            self.batch_shape = (bs[0],) + _shape("batch_shape", bs[1:], where=self.name)
        else:
            if shape is None:
                raise ValueError("Input: pass shape=, e.g. Input(shape=(4, 2)) for 4 time steps of 2 features")
            if batch_size is not None:
                batch_size = _validate.positive_int("batch_size", batch_size, where=self.name)
            self.batch_shape = (batch_size,) + _shape("shape", shape, where="Input")
        self.built = True
        self.dtype = dtype or "float32"
        self._output = KerasTensor(self.batch_shape, self, 0, 0, dtype=self.dtype)
        self._inbound_nodes.append(Node(self, [], [self._output], {}))

    @property
    def output(self) -> KerasTensor:
        return self._output

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def call(self, x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        return x


def Input(shape: Any = None, batch_size: Any = None, dtype: Any = None, batch_shape: Any = None,
          name: str | None = None, **kwargs: Any) -> KerasTensor:
    """``keras.Input(shape)``: a symbolic tensor ``(None, *shape)`` to start a model."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape, name=name, **kwargs).output
