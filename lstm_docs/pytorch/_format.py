"""``repr(tensor)`` as torch prints it with default print options (precision 4, line width 80,
summaries above 1000 elements with 3 edge items): integer-valued floats as ``1.``, scientific
notation when the magnitudes span more than 1000x, exceed 1e8 or go below 1e-4."""

from __future__ import annotations

import math

import numpy as np

PRECISION = 4
LINEWIDTH = 80
THRESHOLD = 1000
EDGEITEMS = 3


class _Formatter:
    def __init__(self, values: np.ndarray) -> None:
        self.floating = np.issubdtype(values.dtype, np.floating)
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(f"{v}"))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        absv = np.abs(finite)
        lo, hi = absv.min(), absv.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8
            widths = [len(f"{v:.{PRECISION}e}") if self.sci_mode else len(f"{v:.0f}") + 1 for v in finite.tolist()]
        else:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
            fmt = "e" if self.sci_mode else "f"
            widths = [len(f"{v:.{PRECISION}{fmt}}") for v in finite.tolist()]
        self.max_width = max([self.max_width, *widths])

    def format(self, value: float) -> str:
        if self.floating:
            if self.sci_mode:
                text = f"{value:{self.max_width}.{PRECISION}e}"
            elif self.int_mode:
                text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
            else:
                text = f"{value:.{PRECISION}f}"
        else:
            text = f"{value}"
        return (self.max_width - len(text)) * " " + text


def _summarized(a: np.ndarray) -> np.ndarray:
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGEITEMS:
        parts = [_summarized(a[i]) for i in (*range(EDGEITEMS), *range(len(a) - EDGEITEMS, len(a)))]
    else:
        parts = [_summarized(x) for x in a]
    return np.stack(parts) if parts else a


def _vector(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, math.floor((LINEWIDTH - indent) / (fmt.max_width + 2)))
    if summarize and len(a) > 2 * EDGEITEMS:
        data = [fmt.format(v) for v in a[:EDGEITEMS].tolist()] + [" ..."] + [fmt.format(v) for v in a[-EDGEITEMS:].tolist()]
    else:
        data = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        slices = ([_tensor(a[i], indent + 1, summarize, fmt) for i in range(EDGEITEMS)] + ["..."]
                  + [_tensor(a[i], indent + 1, summarize, fmt) for i in range(len(a) - EDGEITEMS, len(a))])
    else:
        slices = [_tensor(a[i], indent + 1, summarize, fmt) for i in range(a.shape[0])]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def tensor_repr(a: np.ndarray, *, requires_grad: bool = False) -> str:
    """``tensor([...]...)`` text for the numpy array ``a``."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if a.size == 0:
        body = "[]" if a.ndim == 1 else "[]"
        if a.shape != (0,):
            suffixes.append(f"size=({', '.join(str(d) for d in a.shape)}{',' if a.ndim == 1 else ''})")
    else:
        summarize = a.size > THRESHOLD
        fmt = _Formatter(_summarized(a) if summarize else a)
        body = _tensor(a, indent, summarize, fmt)
    if a.dtype == np.float64:
        suffixes.append("dtype=torch.float64")
    elif a.dtype == np.float16:
        suffixes.append("dtype=torch.float16")
    elif np.issubdtype(a.dtype, np.integer) and a.dtype != np.int64:
        suffixes.append(f"dtype=torch.{a.dtype.name}")
    elif a.dtype == np.bool_:
        pass
    if requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    last_line_len = len(text) - text.rfind("\n") + 1
    out = [text]
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last_line_len += len(suffix) + 2
    return "".join(out) + ")"
