"""``model.summary()`` text, byte for byte as Keras 3 prints it to a non-terminal (76 columns).

Columns: ``Layer (type)`` 31 characters, ``Output Shape`` 22, ``Param #`` 13 (right-aligned),
each with one space of padding; cells wrap at spaces, a word wider than its column is cut
with ``…``.  Weight memory: 4 bytes per float32 parameter, shown with Keras's
``readable_memory_size`` (1024-based ``B``, ``KB``, ``MB``...).
"""

from __future__ import annotations

from typing import Any, Callable

WIDTHS = (31, 22, 13)
HEADER = ("Layer (type)", "Output Shape", "Param #")
BYTES_PER_PARAM = 4  # float32


def readable_memory_size(size: float) -> str:
    """``288.00 B``, ``10.43 KB``, ``137.47 MB`` (Keras's format)."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def format_shape(shape: Any) -> str:
    """``(None, 3)``; a list of shapes as ``[(None, 3), (None, 3)]``; unknown: ``?``."""
    if shape is None:
        return "?"
    if isinstance(shape, list):
        if len(shape) == 1:
            return format_shape(shape[0])
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if len(word) > width:
            word = word[: width - 1] + "…"
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _rule(left: str, fill: str, mid: str, right: str) -> str:
    return left + mid.join(fill * (w + 2) for w in WIDTHS) + right


def _row(cells: tuple[str, str, str], sep: str) -> list[str]:
    wrapped = [_wrap(c, w) for c, w in zip(cells, WIDTHS)]
    height = max(len(w) for w in wrapped)
    out = []
    for k in range(height):
        parts = []
        for col, (lines, width) in enumerate(zip(wrapped, WIDTHS)):
            text = lines[k] if k < len(lines) else ""
            parts.append(" " + (text.rjust(width) if col == 2 else text.ljust(width)) + " ")
        out.append(sep + sep.join(parts) + sep)
    return out


def render(name: str, rows: list[tuple[str, str, str]], trainable: int, non_trainable: int) -> str:
    """The whole summary text (ends with a newline)."""
    lines = [f'Model: "{name}"', _rule("┏", "━", "┳", "┓"), *_row(HEADER, "┃"), _rule("┡", "━", "╇", "┩")]
    for k, row in enumerate(rows):
        if k:
            lines.append(_rule("├", "─", "┼", "┤"))
        lines.extend(_row(row, "│"))
    lines.append(_rule("└", "─", "┴", "┘"))
    total = trainable + non_trainable
    for label, n in (("Total", total), ("Trainable", trainable), ("Non-trainable", non_trainable)):
        lines.append(f" {label} params: {n:,} ({readable_memory_size(n * BYTES_PER_PARAM)})")
    return "\n".join(lines) + "\n"


def layer_row(layer: Any, output_shape: Any) -> tuple[str, str, str]:
    """(``name (Class)``, shape text, params text) for one layer."""
    if not layer.built:
        params = "0 (unbuilt)"
    else:
        params = f"{layer.count_params():,}"
    return (f"{layer.name} ({type(layer).__name__})", format_shape(output_shape), params)


def print_summary(model: Any, print_fn: Callable[..., Any] | None = None) -> None:
    rows = [layer_row(layer, model._layer_output_shape(layer)) for layer in model.layers]
    trainable = sum(int(_size(w)) for w in model.trainable_weights)
    non_trainable = sum(int(_size(w)) for w in model.non_trainable_weights)
    text = render(model.name, rows, trainable, non_trainable)
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text.rstrip("\n"))


def _size(w: Any) -> int:
    n = 1
    for d in w.shape:
        n *= d
    return n
