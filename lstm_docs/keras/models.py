"""``keras.models``: ``Sequential`` and the functional ``Model(inputs=..., outputs=...)``.

Naming follows Keras 3: a ``Sequential`` whose first layer is an ``Input`` (or that is built
or called) builds an internal functional model, which takes the next ``functional`` name, and
prepends an ``InputLayer`` when it has none (taking the next ``input_layer`` name).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from lstm_docs.keras import _backend, _summary
from lstm_docs.keras._backend import KerasTensor, Node
from lstm_docs.keras._layer import InputLayer, Layer, _flatten


class Model(Layer):
    """Shared model behaviour. ``Model(inputs=..., outputs=...)`` returns a ``Functional``."""

    _prefix = "model"

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Model:
            return object.__new__(Functional)
        return object.__new__(cls)

    # ---- weights and counts over the layers
    @property
    def weights(self) -> list[Any]:
        seen: list[Any] = []
        for layer in self.layers:
            for w in layer.weights:
                if all(w is not s for s in seen):
                    seen.append(w)
        return seen

    @property
    def trainable_weights(self) -> list[Any]:
        if not self.trainable:
            return []
        return [w for layer in self.layers for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self) -> list[Any]:
        if not self.trainable:
            return self.weights
        return [w for layer in self.layers for w in layer.non_trainable_weights]

    def count_params(self) -> int:
        """Sum of the layers' parameters (all weights, trainable or not)."""
        if not self.built:
            return super().count_params()
        return sum(int(np.prod(w.shape)) for w in self.weights)

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}.")

    def summary(self, line_length: Any = None, positions: Any = None, print_fn: Callable[..., Any] | None = None,
                expand_nested: bool = False, show_trainable: bool = False, layer_range: Any = None) -> None:
        """Print the Keras 3 summary table (see ``lstm_docs.keras._summary``)."""
        unsupported = {"line_length": line_length, "positions": positions, "expand_nested": expand_nested or None,
                       "show_trainable": show_trainable or None, "layer_range": layer_range}
        given = [k for k, v in unsupported.items() if v is not None]
        if given:
            raise ValueError(f"Model {self.name}: summary({given[0]}=...) is not mirrored by lstm_docs; call summary() "
                             "or summary(print_fn=...)")
        if not getattr(self, "_sequential_like", True):
            raise ValueError(
                f"Model {self.name}: summary() of a branched functional model (Keras adds a 'Connected to' "
                "column) is not mirrored by lstm_docs; summarise each branch as its own Model"
            )
        _summary.print_summary(self, print_fn)

    def predict(self, x: Any, batch_size: Any = None, verbose: Any = "auto", steps: Any = None,
                callbacks: Any = None) -> Any:
        """Forward pass on numpy data; returns float32 numpy arrays. (No progress bar is printed,
        so snippet output stays deterministic.)  Like Keras, the samples go through in batches of
        ``batch_size`` (32 by default): a stateful layer carries its states from one batch to the
        next, and a batch of another size than its fixed one is refused."""
        size = 32 if batch_size is None else batch_size
        if isinstance(x, (list, tuple)) or np.ndim(x) == 0 or len(x) <= size:
            return self(x)
        outs = [self(x[i:i + size]) for i in range(0, len(x), size)]
        if isinstance(outs[0], list):
            return [np.concatenate(parts) for parts in zip(*outs)]
        return np.concatenate(outs)

    def compile(self, *args: Any, **kwargs: Any) -> None:
        """Accepted and ignored: lstm_docs does not train (compiling changes no count)."""

    def _layer_output_shape(self, layer: Layer) -> Any:
        raise NotImplementedError

    @property
    def input_shape(self) -> Any:
        return self._io_shape("input")

    @property
    def output_shape(self) -> Any:
        return self._io_shape("output")

    def _io_shape(self, which: str) -> Any:
        raise NotImplementedError


class Functional(Model):
    """A model defined by calling layers on ``Input`` tensors (a chain of layers)."""

    _prefix = "functional"

    def __init__(self, inputs: Any = None, outputs: Any = None, name: str | None = None, trainable: bool = True,
                 **kwargs: Any) -> None:
        if inputs is None or outputs is None:
            raise ValueError("Model: pass inputs= and outputs=, e.g. Model(inputs=inp, outputs=LSTM(3)(inp))")
        for t in _flatten(inputs) + _flatten(outputs):
            if not isinstance(t, KerasTensor):
                raise ValueError(f"Model: inputs and outputs must be Keras tensors (from Input(...)), got {t!r}")
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._inputs = _flatten(inputs)
        self._outputs = _flatten(outputs)
        self._nodes: list[Node] = []
        for t in self._outputs:
            self._visit(t)
        input_layers = [t._keras_history[0] for t in self._inputs]
        for node in self._nodes:
            if isinstance(node.layer, InputLayer) and node.layer not in input_layers:
                raise ValueError(f"Model: output depends on input {node.layer.name!r}, which is not in inputs=")
        depth: dict[int, int] = {}
        for node in self._nodes:  # inputs come before their consumers
            depth[id(node)] = 1 + max((depth[id(t._keras_history[0]._inbound_nodes[t._keras_history[1]])]
                                       for t in node.input_tensors), default=-1)
        depths = list(depth.values())
        self._sequential_like = len(depths) == len(set(depths))
        self._layers: list[Layer] = []
        for node in self._nodes:
            if node.layer not in self._layers:
                self._layers.append(node.layer)
        self.built = True

    def _visit(self, tensor: KerasTensor) -> None:
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if any(node is n for n in self._nodes):
            return
        for t in node.input_tensors:
            self._visit(t)
        self._nodes.append(node)

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    @property
    def inputs(self) -> list[KerasTensor]:
        return list(self._inputs)

    @property
    def outputs(self) -> list[KerasTensor]:
        return list(self._outputs)

    def _layer_output_shape(self, layer: Layer) -> Any:
        for node in self._nodes:
            if node.layer is layer:
                shapes = [t.shape for t in node.output_tensors]
                return shapes[0] if len(shapes) == 1 else shapes
        return None

    def _io_shape(self, which: str) -> Any:
        tensors = self._inputs if which == "input" else self._outputs
        shapes = [t.shape for t in tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(t, KerasTensor) for t in _flatten(inputs)):
            raise ValueError(f"Model {self.name}: calling a model on Keras tensors is not supported by lstm_docs")
        arrays = list(inputs) if isinstance(inputs, (list, tuple)) and len(self._inputs) > 1 else [inputs]
        if len(arrays) != len(self._inputs):
            raise ValueError(f"Model {self.name}: expects {len(self._inputs)} inputs, got {len(arrays)}")
        values: dict[int, Any] = {}
        owner = getattr(self, "_owner", None) or f"Model {self.name}"  # a Sequential names itself
        for t, arr in zip(self._inputs, arrays):
            x = np.asarray(arr)
            # Keras 3's _adjust_input_rank: one axis of size 1 too many is squeezed, one too
            # few is added when the Input's last axis is 1: (n, t) feeds Input((t, 1)).
            if x.ndim == len(t.shape) + 1 and x.shape[-1] == 1:
                x = x[..., 0]
            elif x.ndim == len(t.shape) - 1 and t.shape[-1] == 1:
                x = x[..., np.newaxis]
            # Like Keras, only the rank and the feature axis must match: a recurrent model built
            # for 4 time steps runs on 9 (the weights do not depend on the number of steps).
            if x.ndim != len(t.shape) or t.shape[-1] not in (None, x.shape[-1]):
                raise ValueError(
                    f"{owner}: input {t._keras_history[0].name} expects shape {t.shape}, got {x.shape}"
                )
            values[id(t)] = x
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue
            out = node.layer(values[id(node.input_tensors[0])], **node.kwargs)
            for t, v in zip(node.output_tensors, _flatten(out)):
                values[id(t)] = v
        results = [np.asarray(values[id(t)]) for t in self._outputs]  # drop the carried masks
        if isinstance(self._outputs_struct, (list, tuple)):
            return results
        return results[0]


class Sequential(Model):
    """``Sequential([...])`` / ``Sequential().add(...)``: a stack of single-input layers."""

    _prefix = "sequential"

    def __init__(self, layers: Any = None, trainable: bool = True, name: str | None = None) -> None:
        super().__init__(name=name, trainable=trainable)
        self._functional: Functional | None = None
        self._layers: list[Layer] = []
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (an ``Input(...)`` tensor adds its ``InputLayer``)."""
        if isinstance(layer, KerasTensor) and isinstance(layer._keras_history[0], InputLayer):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential model. Received: {layer!r}")
        if any(layer.name == other.name for other in self._layers):
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name '{layer.name}' is already "
                "the name of a layer in this model. Update the `name` argument to pass a unique name."
            )
        if isinstance(layer, InputLayer) and self._layers and isinstance(self._layers[0], InputLayer):
            raise ValueError(f"Sequential model '{self.name}' has already been configured to use an input shape")
        if not self._layers and not isinstance(layer, InputLayer) and layer._input_shape_arg is not None:
            self.add(InputLayer(shape=layer._input_shape_arg))
        self._layers.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self._functional = None

    def pop(self, rebuild: bool = True) -> Layer:
        layer = self._layers.pop()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._functional = None
        if self._layers and isinstance(self._layers[0], InputLayer) and len(self._layers) > 1:
            self.build(self._layers[0].batch_shape)

    def build(self, input_shape: Any = None) -> None:
        """Build with ``input_shape`` = (batch, time, features) (batch may be None)."""
        if input_shape is None:
            raise ValueError(f"Sequential {self.name}: build needs input_shape, e.g. build((None, 4, 2))")
        input_shape = tuple(input_shape)
        if not self._layers:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has no layers. "
                             "Call `model.add(layer)`.")
        if isinstance(self._layers[0], InputLayer):
            if tuple(self._layers[0].batch_shape) != input_shape:
                raise ValueError(f"Sequential model '{self.name}' has already been configured to use input shape "
                                 f"{self._layers[0].batch_shape}. You cannot build it with input_shape {input_shape}")
        else:
            self._layers = [InputLayer(batch_shape=input_shape)] + self._layers
        x = self._layers[0].output
        with _backend.name_scope(self.name):
            for layer in self._layers[1:]:
                x = layer(x)
        self._functional = Functional(inputs=self._layers[0].output, outputs=x)
        self._functional._owner = f"Sequential model '{self.name}'"
        self.built = True

    @property
    def layers(self) -> list[Layer]:
        layers = self._layers
        return layers[1:] if layers and isinstance(layers[0], InputLayer) else list(layers)

    def _layer_output_shape(self, layer: Layer) -> Any:
        if self._functional is not None:
            return self._functional._layer_output_shape(layer)
        if layer.built and layer._build_shape is not None:
            return layer.compute_output_shape(layer._build_shape)
        return None

    def _io_shape(self, which: str) -> Any:
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined {which} shape yet.")
        return self._functional._io_shape(which)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.built:
            x = np.asarray(inputs)
            if x.ndim == 0:
                raise ValueError(f"Sequential {self.name}: inputs must be an array (batch, ...), got {inputs!r}")
            self.build(x.shape)
        assert self._functional is not None
        return self._functional(inputs)
