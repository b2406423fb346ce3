"""Keras ``TimeDistributed``: one layer applied to every time step, with one set of weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_docs.keras import _backend
from lstm_docs.keras._layer import Layer, Shape


class TimeDistributed(Layer):
    """``keras.layers.TimeDistributed(layer)``: ``layer`` applied to each time slice.

    Notation: ``x`` of shape (batch, time, *rest); ``f`` the wrapped layer.

    Equations: ``y[:, t] = f(x[:, t])`` for every ``t``, with the same weights at every
    step, so the weights and the count are the wrapped layer's (built on
    (batch, *rest)); nothing is multiplied by the number of steps.  The weights live
    under ``<time_distributed>/<layer>/`` as in Keras 3.
    """

    _prefix = "time_distributed"

    def __init__(self, layer: Any, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):  # Keras 3's words
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a "
                f"`keras.layers.Layer` instance. Received: {layer}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    @staticmethod
    def _child_input_shape(input_shape: Shape) -> Shape:
        """(batch, time, *rest) -> (batch, *rest): what the wrapped layer sees per step."""
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` "
                f"with at least 3 dimensions, received: {tuple(input_shape)}"
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape: Shape) -> None:
        child = self._child_input_shape(input_shape)
        with _backend.name_scope(self.name):
            self.layer._maybe_build(child)
        self.built = True

    @property
    def weights(self) -> list[Any]:
        return self.layer.weights

    @property
    def trainable_weights(self) -> list[Any]:
        return self.layer.trainable_weights if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Any]:
        return self.layer.non_trainable_weights if self.trainable else self.layer.weights

    def set_weights(self, weights: list[Any]) -> None:
        self.layer.set_weights(weights)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """(batch, time, *rest) -> (batch, time, *out): the wrapped layer's per-step output."""
        child_out = self.layer.compute_output_shape(self._child_input_shape(input_shape))
        if isinstance(child_out, list):
            raise ValueError(f"TimeDistributed {self.name}: a wrapped layer with several outputs "
                             "is not mirrored by lstm_docs")
        return (child_out[0], input_shape[1], *child_out[1:])

    def _validate_symbolic(self, shape: Shape) -> None:
        child = self._child_input_shape(shape)
        self.layer._validate_symbolic(child)

    def _check_input(self, inputs: Any) -> np.ndarray:
        x = np.asarray(inputs, dtype=np.float64)
        self._child_input_shape(x.shape)
        return x

    def call(self, x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        """x (batch, time, *rest) -> (batch, time, *out), one step at a time."""
        batch, time = x.shape[:2]
        steps = [self.layer.call(self.layer._check_input(x[:, t])) for t in range(time)]  # (batch, *out)
        return np.stack(steps, axis=1).astype(np.float32)  # (batch, time, *out)
