"""Facts the pages state as words, read from ``lstm_docs`` so that a tie can check them.

A page ties a claim to one of these instead of typing it::

    the gates are stacked in the order `i, f, c, o`{= gates("keras", "lstm") }
    Keras 3's default is `reset_after=True`{= default("keras", "gru", "reset_after") }
    PyTorch keeps 2{= biases("pytorch", "lstm") } bias vectors

``gates`` comes from the layer-kind registry (``lstm_docs.kinds``), ``default`` from a layer
of the mirror built with its defaults (its ``get_config()`` in Keras, its attributes in
PyTorch; the mirrors are cross-checked against the real frameworks), ``biases`` from the
weight layout of ``lstm_docs.formulas``.

Each also takes a legacy layout key (``kinds.LEGACY``) where it takes a framework: the old
layouts readers meet in Keras 2, TF1, cuDNN and ONNX answers::

    Keras 2's GRU defaults to `reset_after=False`{= default("keras2", "gru", "reset_after") }
    CuDNNLSTM keeps 2{= biases("cudnn", "lstm") } bias vectors per gate
    ONNX stacks `i, o, f, c`{= gates("onnx", "lstm") }, TF1 `i, j, f, o`{= gates("tf1", "lstm") }

A legacy layout's defaults are those of its option table (``kinds.Legacy.options``: the
values read in its sources), as no mirror of it exists.
"""

from __future__ import annotations

from typing import Any

from lstm_docs import formulas, kinds

__all__ = ["biases", "default", "definition", "gate_count", "gates", "output_range"]


def gates(framework: str, kind: str) -> str:
    """The gate letters of ``kind`` in ``framework``'s storage order: ``"i, f, c, o"``."""
    return ", ".join(kinds.own(framework, kind).gates[framework])


def definition(name: str) -> str:
    """A definition in TeX as ``lstm_docs.cells`` states it next to its code: an activation
    (``"sigmoid"``) or the block of gate ``k`` (``"gate_block"``)."""
    from lstm_docs import cells

    return cells.DEFINITIONS[name]


def output_range(name: str) -> tuple[int, int]:
    """The interval an activation's values lie in, read from the function itself at ±50:
    ``(0, 1)`` for ``sigmoid`` and ``hard_sigmoid``, ``(-1, 1)`` for ``tanh``."""
    import numpy as np

    from lstm_docs import cells

    low, high = {**cells.ACTIVATIONS, **cells.LEGACY_ACTIVATIONS}[name](np.array([-50.0, 50.0]))
    return int(round(float(low))), int(round(float(high)))


def gate_count(framework: str, kind: str) -> int:
    """How many gate blocks ``kind`` stacks in its weights (LSTM 4, GRU 3, SimpleRNN 1)."""
    return len(kinds.own(framework, kind).gates[framework])


def default(framework: str, kind: str, option: str) -> str:
    """``option=value`` as a layer built with the defaults has it, as Python code writes it:
    ``reset_after=True``, ``recurrent_activation="sigmoid"``; for a legacy layout, as its
    option table has it (``default("tf1", "lstm", "forget_bias")`` -> ``forget_bias=1.0``)."""
    if framework in kinds.legacy_keys():
        return _legacy_default(framework, kind, option)
    layer = _default_layer(framework, kind)
    if framework == "keras":
        config = getattr(layer, "_config", None)  # the arguments, defaults filled in (as get_config())
        if config is None:  # ConvLSTM2D keeps its options as attributes
            config = {k: v for k, v in vars(layer).items() if not k.startswith("_")}
        if option not in config or (option == "reset_after" and not getattr(layer, "_takes_reset_after", True)):
            raise KeyError(f"Keras {type(layer).__name__} has no option {option!r}")
        value = config[option]
    else:
        if not hasattr(layer, option):
            raise KeyError(f"PyTorch {type(layer).__name__} has no option {option!r}")
        value = getattr(layer, option)
    return f'{option}="{value}"' if isinstance(value, str) else f"{option}={value!r}"


def biases(framework: str, kind: str, **options: Any) -> int:
    """How many bias vectors per gate a layer keeps, in one direction of one layer (Keras
    LSTM: 1; PyTorch: 2; Keras GRU with ``reset_after=True``: 2; CuDNNLSTM's one (8u,) array:
    2), from the weight layout: the bias weights' sizes with one unit, over the gates."""
    specs = [s for s in formulas.weights(framework, kind, **options) if s.role == "bias"]
    per_layer = (2 if options.get("bidirectional") else 1) * options.get("num_layers", 1)
    return sum(s.size.evaluate({"u": 1}) // len(s.gates) for s in specs) // per_layer


def _legacy_default(layout: str, kind: str, option: str) -> str:
    """``option=value`` from the legacy layout's option table (the option ``kind`` takes)."""
    taken = {o.name: o for o in kinds.options(layout, kind)}
    if option not in taken:
        cls = kinds.own(layout, kind).classes[layout]
        raise KeyError(f"{layout} {cls} has no option {option!r}; it has {', '.join(taken)}")
    value = taken[option].default
    return f'{option}="{value}"' if isinstance(value, str) else f"{option}={value!r}"


def _default_layer(framework: str, kind: str) -> Any:
    cls_name = kinds.own(framework, kind).classes[framework]
    if framework == "keras":
        from lstm_docs.keras import layers

        cls = getattr(layers, cls_name)
        return cls(1, (1, 1)) if kind == "conv_lstm2d" else cls(1)  # ConvLSTM2D needs its kernel_size
    from lstm_docs.pytorch import nn

    return getattr(nn, cls_name)(1, 1)
