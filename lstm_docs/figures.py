"""Build-time SVG pictures for the pages.

A page asks for a picture with a fenced block::

    ```figure
    kind: weights
    units: 3
    input_dim: 2
    ```

and :func:`render_figure_fences` replaces it with an inline ``<svg>`` drawn by
:func:`render`. Four kinds:

* ``cell``: one LSTM cell with its four gates (no parameters);
* ``unrolled``: the layer unrolled over ``steps`` time steps, the same weights at each step;
* ``units``: the ``units`` coordinates of h_t, the recurrent kernel joining each of them to
  every coordinate of h_{t-1};
* ``weights``: the weight arrays of ``LSTM(units)`` on ``input_dim`` features, to scale and
  split by gate (``framework: keras`` or ``pytorch``). The shapes are read from a layer
  built with ``lstm_docs`` itself, so the picture cannot disagree with the counts.

Every picture has ``role="img"``, a ``<title>`` and ``<desc>`` in the page language (from
``lstm_docs/strings/figures.json``) referenced by ``aria-labelledby``, draws text and lines in
``currentColor`` (gate colours are CSS variables with fallbacks, ``--lstm-gate-i`` ...), and
scales with its ``viewBox`` to the width of the column.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from lstm_docs import languages, typography
from lstm_docs.live.page import Page, scan_fences
from lstm_docs.strings import LANGUAGES, get

if TYPE_CHECKING:
    from lstm_docs import kinds

__all__ = ["KINDS", "FigureFenceError", "render", "render_figure_fences", "weight_arrays"]

_STRINGS = "figures"

# One colour per gate, shared by every picture (CSS variables so a theme can override them).
_GATE_COLOURS = {"i": "#3b82f6", "f": "#f97316", "c": "#22a35a", "o": "#a855f7"}
_STYLE = (
    ".lf{font:14px/1.25 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'WenQuanYi Micro Hei',sans-serif;fill:currentColor}"
    ".lf .ln{stroke:currentColor;fill:none;stroke-width:1.6}"
    ".lf .thin{stroke:currentColor;fill:none;stroke-width:1;opacity:.35}"
    ".lf .box{stroke:currentColor;fill:none;stroke-width:1.4}"
    ".lf .ah{fill:currentColor;stroke:none}"
    ".lf .sm{font-size:12px}.lf .lg{font-size:16px}.lf .mono{font-family:ui-monospace,"
    "SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}"
    ".lf .op{fill:var(--md-default-bg-color,#fff);stroke:currentColor;stroke-width:1.4}"
    ".lf .grid{stroke:var(--md-default-bg-color,#fff);stroke-width:1;fill:none;opacity:.9}"
    ".lf .hl{stroke:var(--lstm-highlight,#e8590c);stroke-width:2.2;fill:none}"
    ".lf .hlf{fill:var(--lstm-highlight,#e8590c)}"
    + "".join(
        f".lf .g-{g}{{fill:var(--lstm-gate-{g},{c});fill-opacity:.3;"
        f"stroke:var(--lstm-gate-{g},{c});stroke-width:1.4}}"
        f".lf .s-{g}{{fill:var(--lstm-gate-{g},{c});fill-opacity:.85}}"
        for g, c in _GATE_COLOURS.items()
    )
)


# --------------------------------------------------------------------------- strings


def _s(key: str, lang: str, **fields: object) -> str:
    """The figure string ``key`` in ``lang``, with ``{fields}`` filled in."""
    text = get(_STRINGS, key, lang)
    return text.format(**fields) if fields else text


def _number(n: int, lang: str) -> str:
    """``n`` written in the language's convention (``4,457,472``, ``4 457 472``)."""
    from lstm_docs import numbers

    return numbers.format_int(n, lang)


# --------------------------------------------------------------------------- SVG pieces


@dataclass
class _Canvas:
    """A list of SVG elements; coordinates in viewBox units."""

    parts: list[str]

    def add(self, element: str) -> None:
        self.parts.append(element)

    def line(self, points: Iterable[tuple[float, float]], cls: str = "ln") -> None:
        pts = " ".join(f"{x:g},{y:g}" for x, y in points)
        self.add(f'<polyline class="{cls}" points="{pts}"/>')

    def arrow(self, points: list[tuple[float, float]], cls: str = "ln") -> None:
        """A polyline ending in an arrowhead at its last point."""
        self.line(points, cls)
        (x0, y0), (x1, y1) = points[-2], points[-1]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        ux, uy = dx / norm, dy / norm
        size = 7.0
        bx, by = x1 - ux * size, y1 - uy * size
        px, py = -uy * size * 0.45, ux * size * 0.45
        tri = f"{x1:g},{y1:g} {bx + px:g},{by + py:g} {bx - px:g},{by - py:g}"
        colour = ' class="hlf"' if cls == "hl" else ' class="ah"'
        self.add(f"<polygon{colour} points=\"{tri}\"/>")

    def rect(self, x: float, y: float, w: float, h: float, cls: str, rx: float = 0) -> None:
        self.add(
            f'<rect class="{cls}" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"'
            + (f' rx="{rx:g}"' if rx else "")
            + "/>"
        )

    def circle(self, x: float, y: float, r: float, cls: str) -> None:
        self.add(f'<circle class="{cls}" cx="{x:g}" cy="{y:g}" r="{r:g}"/>')

    def text(
        self, x: float, y: float, text: str, anchor: str = "middle", cls: str = ""
    ) -> None:
        """Text at (x, y); ``\\n`` in ``text`` starts a new line below."""
        lines = text.split("\n")
        attrs = f' class="{cls}"' if cls else ""
        if len(lines) == 1:
            self.add(
                f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{attrs}>{escape(text)}</text>'
            )
            return
        spans = "".join(
            f'<tspan x="{x:g}" dy="{0 if i == 0 else 1.2}em">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.add(f'<text y="{y:g}" text-anchor="{anchor}"{attrs}>{spans}</text>')

    def symbol(
        self, x: float, y: float, base: str, sub: str, anchor: str = "middle", cls: str = "lg"
    ) -> None:
        """A math symbol with a subscript, e.g. ``h`` with ``t−1``, set in italics."""
        self.add(
            f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" class="{cls}" font-style="italic">'
            f'{escape(base)}<tspan dy="4" font-size="72%">{escape(sub)}</tspan></text>'
        )

    def op(self, x: float, y: float, glyph: str) -> None:
        """A pointwise operation: a small circle with ``×`` or ``+``."""
        self.circle(x, y, 11, "op")
        self.text(x, y + 5, glyph, cls="lg")


def _f(x: float) -> str:
    """A coordinate with at most three decimals (``12``, ``0.375``)."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _svg(
    kind: str, lang: str, width: float, height: float, title: str, desc: str, body: list[str],
    figure_id: str,
) -> str:
    """Wrap drawn elements into one accessible, scalable ``<svg>`` (a single line of text)."""
    t_id, d_id = f"{figure_id}-title", f"{figure_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lf lstm-figure lstm-figure-{kind}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-labelledby="{t_id} {d_id}" '
        f'lang="{lang}" style="width:100%;height:auto;max-width:{width:g}px">'
        f'<title id="{t_id}">{escape(title)}</title><desc id="{d_id}">{escape(desc)}</desc>'
        f"<style>{_STYLE}</style>" + "".join(body) + "</svg>"
    )


# --------------------------------------------------------------------------- kinds


def _cell(lang: str) -> tuple[float, float, str, str, list[str]]:
    """One LSTM cell: x_t and h_{t-1} feed four gates; c and h are updated."""
    c = _Canvas([])
    c.rect(70, 30, 500, 260, "box", rx=14)
    cell_y, bus_y = 70, 232
    # cell state line: c_{t-1} -> (x f) -> (+ i*c~) -> c_t
    c.symbol(40, cell_y + 5, "c", "t−1")
    c.symbol(605, cell_y + 5, "c", "t")
    c.arrow([(55, cell_y), (139, cell_y)])
    c.arrow([(161, cell_y), (289, cell_y)])
    c.arrow([(311, cell_y), (585, cell_y)])
    c.text(225, cell_y - 12, _s("cell_state", lang), cls="sm")
    c.op(150, cell_y, "×")
    c.op(300, cell_y, "+")
    # hidden state in, input in, the concatenation bus
    c.symbol(36, bus_y + 5, "h", "t−1")
    c.line([(55, bus_y), (430, bus_y)])
    c.symbol(110, 322, "x", "t")
    c.arrow([(110, 305), (110, bus_y + 2)])
    gates = [
        ("f", 150, "σ", "f", "forget_gate"),
        ("i", 240, "σ", "i", "input_gate"),
        ("c", 330, "tanh", "c̃", "candidate"),
        ("o", 430, "σ", "o", "output_gate"),
    ]
    for gate, x, fn, sym, key in gates:
        c.arrow([(x, bus_y), (x, 206)])
        c.rect(x - 27, 176, 54, 30, f"g-{gate}", rx=5)
        c.text(x, 196, fn)
        c.text(x, bus_y + 20, _s(key, lang), cls="sm")
    # the sizes: every arrow carries u numbers, the gate layers read d + u
    c.text(128, bus_y + 52, _s("cell.bus", lang), anchor="start", cls="sm")
    c.text(420, cell_y - 8, "u", cls="sm")
    c.text(320, 355, _s("cell.dense", lang), cls="sm")
    # f_t multiplies c_{t-1}
    c.arrow([(150, 176), (150, cell_y + 11)])
    c.symbol(158, 150, "f", "t", anchor="start")
    # i_t * c~_t, added to the cell state
    c.op(285, 138, "×")
    c.arrow([(240, 176), (240, 138), (274, 138)])
    c.arrow([(330, 176), (330, 138), (296, 138)])
    c.symbol(232, 160, "i", "t", anchor="end")
    c.symbol(338, 160, "c̃", "t", anchor="start")
    c.arrow([(285, 127), (297, cell_y + 10)])
    # h_t = o_t * tanh(c_t)
    c.arrow([(500, cell_y), (500, 118)])
    c.rect(476, 118, 48, 24, "box", rx=12)
    c.text(500, 135, "tanh", cls="sm")
    c.op(500, 191, "×")
    c.arrow([(500, 142), (500, 180)])
    c.arrow([(457, 191), (489, 191)])
    c.symbol(438, 160, "o", "t", anchor="start")
    c.line([(511, 191), (545, 191), (545, bus_y)])
    c.arrow([(545, bus_y), (585, bus_y)])
    c.symbol(605, bus_y + 5, "h", "t")
    c.arrow([(545, 191), (545, 18)])
    c.symbol(560, 18, "h", "t", anchor="start")
    c.text(590, 34, _s("output", lang), anchor="start", cls="sm")
    c.text(600, bus_y + 26, _s("hidden_state", lang), cls="sm")
    return 670, 370, _s("cell.title", lang), _s("cell.desc", lang), c.parts


def _shown(n: int, keep: int) -> list[int | None]:
    """Indices 1..n to draw, eliding the middle (``None``) when there are more than ``keep``."""
    if n <= keep:
        return list(range(1, n + 1))
    return [*range(1, keep - 1), None, n]


def _state_arrows(c: _Canvas, left: float, right: float, top: float) -> None:
    """The h and c arrows from one step's box (right edge ``left``) to the next's (``right``)."""
    c.arrow([(left + 2, top + 28), (right - 2, top + 28)])
    c.arrow([(left + 2, top + 52), (right - 2, top + 52)])
    c.text((left + right) / 2, top + 22, "h", cls="sm")
    c.text((left + right) / 2, top + 68, "c", cls="sm")


def _unrolled(lang: str, steps: int) -> tuple[float, float, str, str, list[str]]:
    """The layer unrolled over ``steps`` time steps; every box holds the same W, U, b."""
    c = _Canvas([])
    shown = _shown(steps, 6)
    box_w, gap, left = 96, 46, 50
    width = left * 2 + len(shown) * box_w + (len(shown) - 1) * gap
    top = 70
    prev_right: float | None = None
    for k, t in enumerate(shown):
        x = left + k * (box_w + gap)
        if t is None:
            c.text(x + box_w / 2, top + 45, "…", cls="lg")
        else:
            c.rect(x, top, box_w, 80, "box", rx=10)
            c.text(x + box_w / 2, top + 32, "LSTM")
            c.text(x + box_w / 2, top + 54, "W, U, b", cls="sm")
            c.symbol(x + box_w / 2, top + 140, "x", str(t))
            c.arrow([(x + box_w / 2, top + 118), (x + box_w / 2, top + 82)])
            c.arrow([(x + box_w / 2, top), (x + box_w / 2, top - 32)])
            c.symbol(x + box_w / 2, top - 40, "h", str(t))
            c.text(x + box_w / 2, top + 172, _s("time_step", lang, t=_number(t, lang)), cls="sm")
        if prev_right is not None:
            _state_arrows(c, prev_right, x, top)
        prev_right = x + box_w
    # brace under all boxes: the same weights everywhere
    y = top + 192
    c.line([(left, y - 6), (left, y), (width - left, y), (width - left, y - 6)])
    c.text(width / 2, y + 22, _s("same_weights", lang))
    steps_text = _number(steps, lang)
    return (
        width,
        y + 36,
        _s("unrolled.title", lang, steps=steps_text),
        _s("unrolled.desc", lang),
        c.parts,
    )


def _value(v: float, lang: str) -> str:
    """An input value as the page's language writes it (``1``, ``0,5``)."""
    from lstm_docs import numbers

    return _number(int(v), lang) if float(v).is_integer() else numbers.format_number(v, lang)


def _trace(lang: str, units: int, inputs: list[float]) -> tuple[float, float, str, str, list[str]]:
    """One layer of ``units`` units over the one-feature sequence ``inputs``: h and c start
    at zero, every step carries u numbers of each, and only the last h is returned."""
    c = _Canvas([])
    steps = len(inputs)
    shown = _shown(steps, 6)
    box_w, gap, left = 92, 50, 150
    width = left + len(shown) * box_w + (len(shown) - 1) * gap + 40
    top = 80
    zeros = ", ".join(["0"] * min(units, 3)) + (", …" if units > 3 else "")
    c.text(left - 82, top + 32, f"h₀ = ({zeros})", cls="sm")
    c.text(left - 82, top + 56, f"c₀ = ({zeros})", cls="sm")
    c.arrow([(left - 30, top + 28), (left - 2, top + 28)])
    c.arrow([(left - 30, top + 52), (left - 2, top + 52)])
    prev_right: float | None = None
    for k, t in enumerate(shown):
        x = left + k * (box_w + gap)
        mid = x + box_w / 2
        if t is None:
            c.text(mid, top + 45, "…", cls="lg")
            prev_right = x + box_w
            continue
        c.rect(x, top, box_w, 80, "box", rx=10)
        c.text(mid, top + 32, "LSTM")
        c.text(mid, top + 54, "W, U, b", cls="sm")
        c.arrow([(mid, top + 118), (mid, top + 82)])
        c.text(mid, top + 140, f"x{_sub(t)} = {_value(inputs[t - 1], lang)}", cls="lg")
        c.text(mid, top + 166, _s("time_step", lang, t=_number(t, lang)), cls="sm")
        last = t == steps
        c.arrow([(mid, top), (mid, top - 30)], "hl" if last else "thin")
        c.symbol(mid, top - 38, "h", _number(t, lang))
        if last:
            c.text(mid + 14, top - 36, _s("trace.returned", lang), anchor="start", cls="sm")
        if prev_right is not None:
            _state_arrows(c, prev_right, x, top)
        prev_right = x + box_w
    y = top + 196
    c.text(width / 2, y, _s("trace.width", lang, units=_number(units, lang)), cls="sm")
    c.text(width / 2, y + 20, _s("trace.not_returned", lang), cls="sm")
    return (
        width,
        y + 34,
        _s("trace.title", lang, units=_number(units, lang), steps=_number(steps, lang)),
        _s("trace.desc", lang, units=_number(units, lang)),
        c.parts,
    )


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(t: int) -> str:
    return str(t).translate(_SUBSCRIPTS)


def _units(lang: str, units: int) -> tuple[float, float, str, str, list[str]]:
    """The units as the coordinates of h_{t-1} and h_t, every pair joined through U."""
    c = _Canvas([])
    shown = _shown(units, 8)
    pitch, top = 40, 70
    left_x, right_x = 130, 410
    ys = [top + k * pitch for k in range(len(shown))]
    # every unit on the left reaches every unit on the right (highlight unit 1)
    for a, ta in zip(ys, shown):
        for b, tb in zip(ys, shown):
            if ta is None or tb is None:
                continue
            c.line([(left_x + 15, a), (right_x - 15, b)], "hl" if ta == 1 else "thin")
    for y, t in zip(ys, shown):
        for x in (left_x, right_x):
            if t is None:
                c.text(x, y + 6, "⋮", cls="lg")
            else:
                c.circle(x, y, 14, "op")
                c.text(x, y + 5, _number(t, lang), cls="sm")
        if t is not None:
            c.text(left_x - 24, y + 4, f"{_s('unit', lang)} {_number(t, lang)}", "end", "sm")
    c.symbol(left_x, top - 34, "h", "t−1")
    c.symbol(right_x, top - 34, "h", "t")
    bottom = ys[-1] + 40
    c.text((left_x + right_x) / 2, bottom, _s("units_mixed", lang))
    c.text((left_x + right_x) / 2, bottom + 20, _s("units_shown", lang, units=_number(units, lang)), cls="sm")
    return (
        540,
        bottom + 34,
        _s("units.title", lang, units=_number(units, lang)),
        _s("units.desc", lang),
        c.parts,
    )


# The string naming each gate letter of lstm_docs.kinds; PyTorch's g is Keras's c.
_GATE_NAMES = {"i": "input_gate", "f": "forget_gate", "c": "candidate", "g": "cell_gate",
               "o": "output_gate"}

#: The registry kind the weights picture draws (the kind whose gates have names above).
_DRAWN_KIND = "lstm"

#: How each framework's constructor call is written in the picture's title.
_CALL = {"keras": "{cls}({units})", "pytorch": "nn.{cls}({input_dim}, {units})"}


def _drawn_kind() -> kinds.Kind:
    """The registry entry of the kind drawn (imported here, as formulas is: figures stay light)."""
    from lstm_docs import kinds

    return kinds.get(_DRAWN_KIND)


def weight_arrays(framework: str, units: int, input_dim: int) -> list[tuple[str, tuple[int, ...]]]:
    """Names and shapes of the weights of one LSTM layer, ``units`` wide on ``input_dim`` features.

    Taken from :func:`lstm_docs.formulas.weights`, the definition the counts and the layers
    derive from, so the picture cannot disagree with them. Keras: ``kernel (input_dim,
    4*units)``, ``recurrent_kernel (units, 4*units)``, ``bias (4*units,)``; PyTorch:
    ``weight_ih_l0 (4*units, input_dim)``, ``weight_hh_l0 (4*units, units)``, ``bias_ih_l0``
    and ``bias_hh_l0 (4*units,)``.
    """
    from lstm_docs import formulas

    env = {"d": input_dim, "u": units}
    kind = _drawn_kind().names[framework]
    return [(w.name, w.evaluate_shape(env)) for w in formulas.weights(framework, kind)]


def _gate_order(framework: str) -> tuple[str, ...]:
    """The gate order of the framework's stacked LSTM arrays: ``("i", "f", "c", "o")``."""
    from lstm_docs import formulas

    return formulas.weights(framework, _drawn_kind().names[framework])[0].gates


def _gate_axis(framework: str) -> int:
    """The axis of a 2-D weight that stacks the gates, from the registry's layout: 1 (Keras:
    the gates are column blocks), 0 (PyTorch: row blocks)."""
    layout = _drawn_kind().weights[framework]
    return next(t.shape.index("S") for t in layout.weights if len(t.shape) == 2 and "S" in t.shape)


def _colours(framework: str) -> list[tuple[str, str]]:
    """(colour letter, strings key) per gate in the framework's order: each gate is coloured as
    its Keras letter, so the same gate has the same colour in both pictures."""
    kind = _drawn_kind()
    keras_letter = {t: k for k, t in kind.same_gate().items()} if framework != "keras" else {}
    return [(keras_letter.get(g, g), _GATE_NAMES[g]) for g in _gate_order(framework)]


_MIN_PX = 3.0  # thinnest drawn array, in viewBox units


@dataclass
class _Block:
    """One weight array drawn as a rectangle: ``rows`` x ``cols`` numbers, ``gate_axis`` split."""

    name: str
    shape: tuple[int, ...]
    rows: int
    cols: int
    gate_axis: int  # 1: the four gates are column blocks (Keras); 0: row blocks (PyTorch)


def _blocks(arrays: list[tuple[str, tuple[int, ...]]], gate_axis: int) -> list[_Block]:
    """One block per array; a 1-D array (G*u,) is drawn along the gate axis: one row of
    columns when the gates are columns, one column of rows otherwise."""
    blocks = []
    for name, shape in arrays:
        if len(shape) == 2:
            rows, cols = shape[0], shape[1]
        else:
            rows, cols = (1, shape[0]) if gate_axis == 1 else (shape[0], 1)
        blocks.append(_Block(name, shape, rows, cols, gate_axis))
    return blocks


def _fit(blocks: list[_Block], stacked: bool, gap: float, max_w: float, max_h: float) -> tuple[int, int, float]:
    """(span_w, span_h, scale): the arrays' extent in numbers and the size of one number, the
    arrays one under another (``stacked``, sharing the gate columns) or side by side."""
    gaps = gap * (len(blocks) - 1)
    if stacked:
        span_w, span_h = max(b.cols for b in blocks), sum(b.rows for b in blocks)
        return span_w, span_h, min(max_w / span_w, (max_h - gaps) / span_h)
    span_w, span_h = sum(b.cols for b in blocks), max(b.rows for b in blocks)
    return span_w, span_h, min((max_w - gaps) / span_w, max_h / span_h)


def _gate_letters(c: _Canvas, letters: tuple[str, ...], stacked: bool, x0: float, top: float,
                  span_w: int, span_h: int, scale: float) -> None:
    """The gate letters along the stacked axis: above the columns, or left of the rows."""
    for k, letter in enumerate(letters):
        if stacked:
            part = span_w / len(letters) * scale
            c.text(x0 + (k + 0.5) * part, top - 8, letter, cls="lg")
        else:
            part = span_h / len(letters) * scale
            c.text(x0 - 12, top + (k + 0.5) * part + 5, letter, cls="lg")


def _draw_array(c: _Canvas, b: _Block, x: float, y: float, scale: float,
                colours: list[tuple[str, str]]) -> tuple[float, float]:
    """Draw one array at (x, y), split into equal gate blocks, gridded when a number is big
    enough to see; return its drawn (width, height)."""
    # to scale; an array thinner than _MIN_PX is drawn _MIN_PX thick so it stays visible
    w, h = max(b.cols * scale, _MIN_PX), max(b.rows * scale, _MIN_PX)
    c.add(f'<g data-array="{escape(b.name)}" data-shape="{",".join(map(str, b.shape))}">')
    split = b.cols if b.gate_axis == 1 else b.rows
    for k, (gate, _key) in enumerate(colours):
        part = split / len(colours) * scale
        if b.gate_axis == 1:
            c.rect(x + k * part, y, part, h, f"s-{gate}")
        else:
            c.rect(x, y + k * part, w, part, f"s-{gate}")
    if scale >= 7:  # one square per number when they are big enough to see
        grid = [f"M{x + j * scale:g},{y:g}v{h:g}" for j in range(1, b.cols)]
        grid += [f"M{x:g},{y + i * scale:g}h{w:g}" for i in range(1, b.rows)]
        if grid:
            c.add(f'<path class="grid" d="{"".join(grid)}"/>')
    c.rect(x, y, w, h, "box")
    c.add("</g>")
    return w, h


def _label_left(c: _Canvas, b: _Block, x0: float, y: float, h: float, label_y: float) -> float:
    """Name and shape left of a stacked array, below the previous label; return its bottom."""
    ty = max(y + min(h, 40) / 2 + 4, label_y + 14)
    c.text(x0 - 10, ty, b.name, "end", "mono")
    c.text(x0 - 10, ty + 15, str(b.shape), "end", "mono")  # as Python prints it: (12,), (2, 12)
    return ty + 19


def _label_below(c: _Canvas, b: _Block, x: float, w: float, below: float, label_rows: list[float]) -> None:
    """Name and shape under a side-by-side array, in the first row of labels with room
    (``label_rows``: the right end of the last label in each row), with a leader line."""
    shape_text = str(b.shape)
    half = 7.3 * max(len(b.name), len(shape_text)) / 2 + 4
    cx = x + w / 2
    row = next((r for r, end in enumerate(label_rows) if end < cx - half), len(label_rows))
    if row == len(label_rows):
        label_rows.append(0.0)
    label_rows[row] = cx + half
    ty = below + 18 + row * 36
    if row:
        c.line([(cx, below + 3), (cx, ty - 12)], "thin")
    c.text(cx, ty, b.name, "middle", "mono")
    c.text(cx, ty + 15, shape_text, "middle", "mono")


def _legend(c: _Canvas, colours: list[tuple[str, str]], lang: str, ly: float) -> float:
    """The gate colours in the framework's order, on one line; return its right end."""
    lx = 20.0
    for gate, key in colours:
        label = _s(key, lang).replace("\n", " ")
        c.rect(lx, ly - 11, 14, 14, f"s-{gate}")
        c.text(lx + 20, ly, label, "start", "sm")
        lx += 30 + (12 if languages.get(lang).wide_glyphs else 6.6) * len(label)
    return lx


def _weights(
    lang: str, units: int, input_dim: int, framework: str = "keras"
) -> tuple[float, float, str, str, list[str]]:
    """The weight arrays of one layer, to scale: one square per number, coloured by gate.

    Keras stacks kernel over recurrent_kernel over bias: 4u columns, d + u + 1 rows.
    PyTorch puts weight_ih, weight_hh, bias_ih, bias_hh side by side: 4u rows,
    d + u + 2 columns. Either way the area is the parameter count.  Which of the two
    arrangements is used follows the axis the registry's layout stacks the gates on.
    """
    arrays = weight_arrays(framework, units, input_dim)
    gate_axis = _gate_axis(framework)
    stacked = gate_axis == 1  # gates are columns: arrays one under another
    blocks = _blocks(arrays, gate_axis)
    total = sum(math.prod(shape) for _, shape in arrays)  # the layer's parameter count
    c = _Canvas([])
    label_w, top, gap = 150, 56, 10
    span_w, span_h, scale = _fit(blocks, stacked, gap, 440.0, 380.0)
    x0, y = label_w, float(top)
    x = x0
    letters = _gate_order(framework)
    colours = _colours(framework)
    _gate_letters(c, letters, stacked, x0, top, span_w, span_h, scale)
    label_y = 0.0  # stacked: bottom of the last label on the left
    label_rows: list[float] = []  # side by side: right end of the last label in each row below
    below = top + span_h * scale
    for b in blocks:
        w, h = _draw_array(c, b, x, y, scale, colours)
        if stacked:
            label_y = _label_left(c, b, x0, y, h, label_y)
            y += h + gap
        else:
            _label_below(c, b, x, w, below, label_rows)
            x += w + gap
    if stacked:
        bottom = max(y - gap + 30, label_y + 24)
        width_used = x0 + span_w * scale
    else:
        bottom = below + 18 + len(label_rows) * 36 + 8
        width_used = max([x, *label_rows])
    ly = bottom
    lx = _legend(c, colours, lang, ly)
    total_text = _number(total, lang)
    c.text(20, top - 24, _s("weights.total", lang, total=total_text), "start")
    width = max(640.0, width_used + 20, lx + 10)
    layer = _CALL[framework].format(cls=_drawn_kind().classes[framework], units=_number(units, lang),
                                    input_dim=_number(input_dim, lang))
    described = typography.join_groups(
        [_s("weights.array", lang, name=b.name, shape=str(b.shape)) for b in blocks], lang
    )
    title = _s("weights.title", lang, layer=layer, total=total_text)
    order_text = typography.join_list(letters, lang)
    desc = _s("weights.desc", lang, arrays=described, order=order_text, total=total_text)
    return width, ly + 20, title, desc, c.parts


def _states(lang: str, layers: int, steps: int) -> tuple[float, float, str, str, list[str]]:
    """A bidirectional PyTorch stack: ``layers`` layers x 2 directions over ``steps`` steps.

    One row of boxes per layer and direction, the last layer on top.  The highlighted box of
    each row is where that row's final state comes from: the last step going forward, the
    first step going backward.  It is labelled with its row of ``h_n``
    (``h_n[2l]`` forward, ``h_n[2l + 1]`` backward); ``output`` is the top layer's two rows,
    every step.
    """
    c = _Canvas([])
    shown = _shown(steps, 5)
    box_w, box_h, gap = 66, 30, 26
    label_w = 190 if not languages.get(lang).wide_glyphs else 150
    left = 20 + label_w
    width = left + len(shown) * box_w + (len(shown) - 1) * gap + 30
    top = 84  # room for the output bracket
    row_pitch, layer_gap = box_h + 10, 22
    rows: list[tuple[int, str, float]] = []  # (layer, direction, y), top row first
    y = top
    for layer in reversed(range(layers)):
        for direction in ("forward", "backward"):
            rows.append((layer, direction, y))
            y += row_pitch
        y += layer_gap
    bottom = y - layer_gap - 10
    xs = [left + k * (box_w + gap) for k in range(len(shown))]
    for layer, direction, ry in rows:
        c.text(left - 14, ry + box_h / 2 + 5, _s(f"states.{direction}", lang, layer=_number(layer, lang)), "end", "sm")
        final_k = len(shown) - 1 if direction == "forward" else 0
        row_index = 2 * layer + (0 if direction == "forward" else 1)
        for k, (x, t) in enumerate(zip(xs, shown)):
            if t is None:
                c.text(x + box_w / 2, ry + box_h / 2 + 5, "…", cls="lg")
                continue
            if k == final_k:
                c.rect(x, ry, box_w, box_h, "hl", rx=6)
                c.text(x + box_w / 2, ry + box_h / 2 + 4, f"h_n[{_number(row_index, lang)}]", cls="mono")
            else:
                c.rect(x, ry, box_w, box_h, "box", rx=6)
        for k in range(len(xs) - 1):  # arrows between neighbouring boxes, in reading order
            a, b = xs[k] + box_w + 2, xs[k + 1] - 2
            mid = ry + box_h / 2
            c.arrow([(a, mid), (b, mid)] if direction == "forward" else [(b, mid), (a, mid)])
    # output: the top layer's two rows, at every step
    out_top = top - 10
    c.rect(left - 6, out_top, xs[-1] + box_w + 6 - (left - 6), 2 * row_pitch, "thin", rx=8)
    c.line([(left - 6, out_top - 18), (left - 6, out_top - 24), (xs[-1] + box_w + 6, out_top - 24),
            (xs[-1] + box_w + 6, out_top - 18)])
    c.text((left + xs[-1] + box_w) / 2, out_top - 32, _s("states.output", lang), cls="sm")
    # the inputs, read by the first layer
    for x, t in zip(xs, shown):
        if t is not None:
            c.arrow([(x + box_w / 2, bottom + 34), (x + box_w / 2, bottom + 4)])
            c.symbol(x + box_w / 2, bottom + 54, "x", _number(t, lang))
    height = bottom + 70
    return (
        width,
        height,
        _s("states.title", lang, layers=_number(layers, lang), steps=_number(steps, lang)),
        _s("states.desc", lang),
        c.parts,
    )


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class _Kind:
    draw: Callable[..., tuple[float, float, str, str, list[str]]]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


KINDS: dict[str, _Kind] = {
    "cell": _Kind(_cell, ()),
    "unrolled": _Kind(_unrolled, ("steps",)),
    "units": _Kind(_units, ("units",)),
    "weights": _Kind(_weights, ("units", "input_dim"), ("framework",)),
    "states": _Kind(_states, ("layers", "steps")),
    "trace": _Kind(_trace, ("units", "inputs")),
}

# Upper bounds keep a typo (units: 40960000) from producing a useless picture.
_INT_LIMITS = {"steps": 100_000, "units": 100_000, "input_dim": 1_000_000, "layers": 8}
_FRAMEWORKS = ("keras", "pytorch")


def _check(kind: str, lang: str, params: dict[str, object]) -> _Kind:
    """Validate kind, language and parameters; raise one clear ``ValueError`` otherwise."""
    if kind not in KINDS:
        raise ValueError(f"unknown figure kind {kind!r}: use one of {', '.join(KINDS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"figure {kind!r}: unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    spec = KINDS[kind]
    allowed = spec.required + spec.optional
    for name in params:
        if name not in allowed:
            takes = ", ".join(allowed) or "no parameters"
            raise ValueError(f"figure {kind!r} has no parameter {name!r}: it takes {takes}")
    for name in spec.required:
        if name not in params:
            raise ValueError(f"figure {kind!r} needs parameter {name!r} (an integer)")
    for name, value in params.items():
        if name in _INT_LIMITS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"figure {kind!r}: {name} must be an integer, got {value!r}")
            if not 1 <= value <= _INT_LIMITS[name]:
                raise ValueError(
                    f"figure {kind!r}: {name} must be between 1 and {_INT_LIMITS[name]:,}, got {value}"
                )
        elif name == "inputs":
            if (not isinstance(value, (list, tuple)) or not 1 <= len(value) <= _INT_LIMITS["steps"]
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
                raise ValueError(f"figure {kind!r}: inputs must be a list of numbers, one per time step "
                                 f"(e.g. inputs: x[0, :, 0].tolist()), got {value!r}")
        elif name == "framework" and value not in _FRAMEWORKS:
            raise ValueError(f"figure {kind!r}: framework must be keras or pytorch, got {value!r}")
    return spec


def render(kind: str, lang: str, *, figure_id: str | None = None, **params: object) -> str:
    """The picture ``kind`` as an inline ``<svg>`` string with text in ``lang``.

    ``params`` are the kind's parameters (``steps``, ``units``, ``input_dim``, ``framework``).
    ``figure_id`` prefixes the ids of ``<title>``/``<desc>`` (default: derived from the
    arguments); give distinct ids when one page shows the same picture twice.
    A bad kind, language or parameter raises ``ValueError`` naming it.
    """
    spec = _check(kind, lang, params)
    width, height, title, desc, body = spec.draw(lang, **params)
    if figure_id is None:
        key = repr((kind, lang, sorted(params.items())))
        figure_id = "fig-" + kind + "-" + hashlib.sha1(key.encode()).hexdigest()[:8]
    return _svg(kind, lang, width, height, title, desc, body, figure_id)


_PARAM = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")


def _parse_value(text: str) -> object:
    """An integer (``4``), a list of numbers (``[1.0, 2.0]``, what the engine writes for a
    figure's ``inputs``) or a word (``keras``)."""
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"\[[-+0-9.eE, ]*\]", text):
        return [float(v) for v in text[1:-1].split(",") if v.strip()]
    return text


class FigureFenceError(ValueError):
    """A bad ``figure`` fence: ``str()`` names its line in the Markdown given; ``index`` (the
    fence's rank among the figure fences, from 0), ``offset`` (the bad line's, from the
    fence's opening line) and ``problem`` let :meth:`located` name the line in the source."""

    def __init__(self, message: str, index: int, offset: int, problem: str) -> None:
        super().__init__(message)
        self.index, self.offset, self.problem = index, offset, problem

    def located(self, page: Page) -> str:
        """``file:line: problem`` for the same fence in ``page`` (the file the writer edits:
        the page, or the snippet that holds the fence); ``str(self)`` if it has no such fence."""
        fences = page.figure_fences
        if self.index >= len(fences):
            return str(self)
        line = min(fences[self.index].start + self.offset, len(page.origins) - 1)
        return f"{page.origins[line]}: {self.problem}"


def render_figure_fences(markdown: str, lang: str) -> str:
    """Replace every ```` ```figure ```` fence in ``markdown`` with its ``<svg>``.

    The fence body is ``key: value`` lines (``kind`` plus the kind's parameters). The SVG
    is wrapped in ``<figure class="lstm-figure">`` on one line carrying the fence's
    indentation, so a picture works inside a content tab or an admonition. A bad fence
    raises :class:`FigureFenceError` (a ``ValueError``) naming its line (1-based) and what
    is wrong. Fences are found by the page reader's scanner: a figure fence shown inside
    another code block stays code.
    """
    lines = markdown.split("\n")
    out: list[str] = []
    done = 0  # lines[:done] are copied or replaced
    figures = [fence for fence in scan_fences(lines, strict=False) if fence.is_figure]
    for count, fence in enumerate(figures, start=1):
        start = fence.start + 1

        def bad(offset: int, at: str, problem: str, index: int = count - 1) -> FigureFenceError:
            return FigureFenceError(f"figure fence at line {start}{at}", index, offset, problem)

        out += lines[done : fence.start]
        params: dict[str, object] = {}
        for k, raw in enumerate(lines[fence.start + 1 : fence.end], start=1):
            body = raw.strip()
            if body:
                pm = _PARAM.match(body)
                if not pm:
                    what = f"{body!r} is not 'key: value'"
                    raise bad(k, f": line {start + k} {what}", f"figure fence line {what}")
                params[pm["key"]] = _parse_value(pm["value"])
        if fence.end == len(lines):
            what = f"is never closed: add {fence.run}"
            raise bad(0, f" {what}", f"figure fence {what}")
        kind = params.pop("kind", None)
        if not isinstance(kind, str):
            what = f"missing 'kind: <{'|'.join(KINDS)}>'"
            raise bad(0, f": {what}", f"figure fence: {what}")
        try:
            svg = render(kind, lang, figure_id=f"fig-{count}-{kind}", **params)
        except ValueError as err:
            raise bad(0, f": {err}", f"figure fence: {err}") from None
        # width:100%: material gives figures width:fit-content, which would shrink the SVG
        out.append(f'{fence.indent}<figure class="lstm-figure" style="width:100%">{svg}</figure>')
        done = fence.end + 1
    out += lines[done:]
    return "\n".join(out)
