"""The layer-kind registry: one entry per recurrent layer kind, everything else derives from it.

A kind has one registry ``key`` (Keras's spelling: ``"lstm"``, ``"gru"``, ``"simple_rnn"``)
and, per framework, the name that framework's formulas use (``"rnn"`` in PyTorch), the
aliases a reader may type, the class name, the gate letters in storage order with the
letters :mod:`lstm_docs.cells` uses for them, the options it takes beyond the framework's
common ones, its weight layout and its step function.

The weight layouts (``KERAS_WEIGHTS``, ``TORCH_WEIGHTS``) give each weight's shape as a
symbolic expression (:mod:`lstm_docs.expr`) over

* ``x`` the input width of the direction (``d`` for a first layer, ``D`` above it),
* ``r`` the width of the recurrent input (``u``; ``p`` with a PyTorch projection),
* ``B`` the rows of a Keras bias (1; 2 for a GRU with ``reset_after=True``),
* ``S`` the gate-stacked axis ``G*u`` (one block of ``u`` per gate),
* ``kh``, ``kw`` a convolution kernel's rows and columns (ConvLSTM2D; ``k = kh*kw``),

and ``u``, ``p``.  An axis that ends up the constant 1 is left out (``(B, S)`` with ``B = 1``
is ``(S,)``).  :mod:`lstm_docs.formulas` derives the weight list, the count, the factored
form, the LaTeX and the per-gate breakdown from them.

    >>> resolve("pytorch", "simple_rnn").names["pytorch"]
    'rnn'
    >>> names("keras")
    ('lstm', 'gru', 'simple_rnn', 'lstm_cell', 'gru_cell', 'simple_rnn_cell', 'conv_lstm2d')
    >>> names("pytorch")
    ('lstm', 'gru', 'rnn', 'lstm_cell', 'gru_cell', 'rnn_cell')
    >>> [o.name for o in options("keras", "lstm")]
    ['use_bias', 'bidirectional']
    >>> [o.name for o in options("pytorch", "lstm_cell")]
    ['bias']
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from lstm_docs import _validate, cells
from lstm_docs.expr import Expr, Var, as_expr, u

#: The frameworks the mirrors follow, in the order the site shows them.
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch")


# ---------------------------------------------------------------------------- options
def _boolean(name: str, value: Any, where: str) -> bool:
    return _validate.boolean(name, value, where=where)


def _size_or_zero(name: str, value: Any, where: str) -> int:
    return _validate.positive_int(name, value, where=where, allow_zero=True)


def _count(name: str, value: Any, where: str) -> int:
    return _validate.positive_int(name, value, where=where)


@dataclass(frozen=True)
class Option:
    """One constructor option of a framework's layers that changes the weights.

    ``optional`` options are taken only by the kinds that list them in ``Kind.options``;
    for the other kinds the option is either refused and dropped (``elsewhere="absent"``,
    Keras's ``reset_after``) or kept at its default (``elsewhere="default"``, PyTorch's
    ``proj_size``).  ``binds`` maps a layout variable to its value when the option is off
    and when it is on.  ``catalog`` names the option in the calculator's catalog and the
    values it enumerates there (``None``: not enumerated, e.g. ``num_layers``).
    """

    name: str
    default: Any
    check: Callable[[str, Any, str], Any]
    optional: bool = False
    elsewhere: str = "absent"  # "absent" | "default"
    binds: dict[str, tuple[Expr, Expr]] = field(default_factory=dict)
    catalog: tuple[str, tuple[Any, ...]] | None = None


#: Per framework, every option in the order messages list them.
OPTIONS: dict[str, tuple[Option, ...]] = {
    "keras": (
        Option("use_bias", True, _boolean, catalog=("use_bias", (True, False))),
        Option("reset_after", True, _boolean, optional=True, binds={"B": (as_expr(1), as_expr(2))},
               catalog=("reset_after", (True, False))),
        Option("bidirectional", False, _boolean, catalog=("bidirectional", (True, False))),
    ),
    "pytorch": (
        Option("bias", True, _boolean, catalog=("bias", (True, False))),
        Option("bidirectional", False, _boolean, catalog=("bidirectional", (True, False))),
        Option("proj_size", 0, _size_or_zero, optional=True, elsewhere="default",
               binds={"r": (u, Var("p"))}, catalog=("proj", (False, True))),
        Option("num_layers", 1, _count),
    ),
}


# ---------------------------------------------------------------------------- weights
@dataclass(frozen=True)
class WeightTemplate:
    """One weight of one direction: ``name`` with ``{direction}``/``{layer}`` fields, its
    ``role``, its ``shape`` over the layout variables (module docstring) and the option that
    must be on for it to exist (``when``).  A weight with an ``S`` axis stacks the gates."""

    name: str
    role: str  # "input" | "recurrent" | "bias" | "projection"
    shape: tuple[Any, ...]
    when: str | None = None


@dataclass(frozen=True)
class Layout:
    """How a framework lays out one layer's weights.

    ``directions``: the ``{direction}`` text of a one-way layer and of a bidirectional
    layer's two directions (``{name}`` is the kind's own name); ``stacked``: whether the
    framework stacks layers itself (PyTorch ``num_layers``), layer ``l >= 1`` reading
    ``dirs * r`` features.
    """

    weights: tuple[WeightTemplate, ...]
    directions: tuple[str, tuple[str, str]]
    stacked: bool
    #: a kernel area factored out of the count: ``("k", ("kh", "kw"))`` writes the weights
    #: whose shapes hold ``kh`` and ``kw`` as ``k*(...)`` with ``k = kh*kw`` (ConvLSTM2D)
    area: tuple[str, tuple[str, ...]] | None = None


KERAS_WEIGHTS = Layout(
    weights=(
        WeightTemplate("{direction}kernel", "input", ("x", "S")),
        WeightTemplate("{direction}recurrent_kernel", "recurrent", ("r", "S")),
        WeightTemplate("{direction}bias", "bias", ("B", "S"), when="use_bias"),
    ),
    directions=("", ("forward_{name}/{name}_cell/", "backward_{name}/{name}_cell/")),
    stacked=False,
)

#: Keras ConvLSTM2D: each gate is a ``kh x kw`` convolution over ``x`` channels (``d``) and,
#: for the recurrent kernel, over the ``u`` filters of ``h``.
KERAS_CONV_WEIGHTS = Layout(
    weights=(
        WeightTemplate("{direction}kernel", "input", ("kh", "kw", "x", "S")),
        WeightTemplate("{direction}recurrent_kernel", "recurrent", ("kh", "kw", "r", "S")),
        WeightTemplate("{direction}bias", "bias", ("S",), when="use_bias"),
    ),
    directions=("", ("forward_{name}/conv_lstm_cell/", "backward_{name}/conv_lstm_cell/")),
    stacked=False,
    area=("k", ("kh", "kw")),
)

TORCH_WEIGHTS = Layout(
    weights=(
        WeightTemplate("weight_ih_l{layer}{direction}", "input", ("S", "x")),
        WeightTemplate("weight_hh_l{layer}{direction}", "recurrent", ("S", "r")),
        WeightTemplate("bias_ih_l{layer}{direction}", "bias", ("S",), when="bias"),
        WeightTemplate("bias_hh_l{layer}{direction}", "bias", ("S",), when="bias"),
        WeightTemplate("weight_hr_l{layer}{direction}", "projection", ("p", "u"), when="proj_size"),
    ),
    directions=("", ("", "_reverse")),
    stacked=True,
)

#: PyTorch's ``nn.LSTMCell`` / ``nn.GRUCell`` / ``nn.RNNCell``: one step, one layer, one
#: direction, so no ``_l{layer}`` suffix (``weight_ih`` (S, x) ...).  Keras's cells keep
#: ``KERAS_WEIGHTS``' names (``kernel``...), scoped by the cell's own name.
TORCH_CELL_WEIGHTS = Layout(
    weights=tuple(WeightTemplate(t.name.replace("_l{layer}{direction}", ""), t.role, t.shape, t.when)
                  for t in TORCH_WEIGHTS.weights if t.role != "projection"),
    directions=("", ("", "")),
    stacked=False,
)

#: The options a cell does not take (it is one step of one direction of one layer).
CELL_EXCLUDES: dict[str, tuple[str, ...]] = {"keras": ("bidirectional",), "pytorch": ("bidirectional", "num_layers")}


# ---------------------------------------------------------------------------- kinds
@dataclass(frozen=True)
class Kind:
    """One recurrent layer kind, as each framework names and stores it.  A kind may exist in
    one framework only (``ConvLSTM2D``: Keras): its per-framework fields then have no entry
    for the other, ``in_framework`` says so and the registry's views leave it out there."""

    key: str
    #: framework -> the name formulas, the CLI and the calculator use (``{"pytorch": "rnn"}``)
    names: dict[str, str]
    #: framework -> class name (``{"keras": "SimpleRNN", "pytorch": "RNN"}``)
    classes: dict[str, str]
    #: framework -> gate letters in the order the weights stack them
    gates: dict[str, tuple[str, ...]]
    #: other spellings accepted for this kind in every framework
    aliases: tuple[str, ...] = field(default=())
    #: framework -> the same gates in lstm_docs.cells' letters (Keras's LSTM ``c`` is ``g``);
    #: equal letters are the same gate across frameworks.  Default: ``gates``.
    cell_gates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: framework -> the optional options (``OPTIONS``) this kind takes
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: framework -> weight layout
    weights: dict[str, Layout] = field(default_factory=lambda: {"keras": KERAS_WEIGHTS, "pytorch": TORCH_WEIGHTS})
    #: the time step in lstm_docs.cells (None for a kind the mirrors do not run)
    step: Callable[..., Any] | None = None
    #: framework -> common options (``OPTIONS``, not optional) this kind does not take
    excludes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: for a cell (one time step): the registry key of the layer kind it is a step of
    cell_of: str = ""

    def in_framework(self, framework: str) -> bool:
        """Whether ``framework`` has this kind (PyTorch has no ConvLSTM2D)."""
        return framework in self.names

    def spellings(self, framework: str) -> tuple[str, ...]:
        """Every name accepted for this kind in ``framework``, its own name first."""
        own = self.names[framework]
        return (own, *sorted({self.key, *self.aliases} - {own}))

    def cells_gates(self, framework: str) -> tuple[str, ...]:
        """The gates in ``framework``'s storage order, named as in :mod:`lstm_docs.cells`."""
        return self.cell_gates.get(framework, self.gates[framework])

    def same_gate(self) -> dict[str, str]:
        """Keras gate letter -> PyTorch gate letter of the same gate (``{"c": "g", ...}``)."""
        if not all(map(self.in_framework, FRAMEWORKS)):
            raise ValueError(absent(next(fw for fw in FRAMEWORKS if not self.in_framework(fw)), self))
        torch = dict(zip(self.cells_gates("pytorch"), self.gates["pytorch"]))
        return {k: torch[c] for k, c in zip(self.gates["keras"], self.cells_gates("keras"))}


KINDS: tuple[Kind, ...] = (
    Kind(
        key="lstm",
        names={"keras": "lstm", "pytorch": "lstm"},
        classes={"keras": "LSTM", "pytorch": "LSTM"},
        gates={"keras": ("i", "f", "c", "o"), "pytorch": ("i", "f", "g", "o")},
        cell_gates={"keras": ("i", "f", "g", "o")},
        options={"pytorch": ("proj_size",)},
        step=cells.lstm_step,
    ),
    Kind(
        key="gru",
        names={"keras": "gru", "pytorch": "gru"},
        classes={"keras": "GRU", "pytorch": "GRU"},
        gates={"keras": ("z", "r", "h"), "pytorch": ("r", "z", "n")},
        cell_gates={"keras": ("z", "r", "n")},
        options={"keras": ("reset_after",)},
        step=cells.gru_step,
    ),
    Kind(
        key="simple_rnn",
        names={"keras": "simple_rnn", "pytorch": "rnn"},
        classes={"keras": "SimpleRNN", "pytorch": "RNN"},
        gates={"keras": ("h",), "pytorch": ("h",)},
        aliases=("rnn",),
        step=cells.rnn_step,
    ),
    # The cells: one time step of the layers above, with the same weights (Keras
    # ``RNN(LSTMCell(u))`` counts as ``LSTM(u)``; ``nn.LSTMCell`` as a one-layer ``nn.LSTM``).
    Kind(
        key="lstm_cell",
        names={"keras": "lstm_cell", "pytorch": "lstm_cell"},
        classes={"keras": "LSTMCell", "pytorch": "LSTMCell"},
        gates={"keras": ("i", "f", "c", "o"), "pytorch": ("i", "f", "g", "o")},
        cell_gates={"keras": ("i", "f", "g", "o")},
        weights={"keras": KERAS_WEIGHTS, "pytorch": TORCH_CELL_WEIGHTS},
        step=cells.lstm_step, excludes=CELL_EXCLUDES, cell_of="lstm",
    ),
    Kind(
        key="gru_cell",
        names={"keras": "gru_cell", "pytorch": "gru_cell"},
        classes={"keras": "GRUCell", "pytorch": "GRUCell"},
        gates={"keras": ("z", "r", "h"), "pytorch": ("r", "z", "n")},
        cell_gates={"keras": ("z", "r", "n")},
        options={"keras": ("reset_after",)},
        weights={"keras": KERAS_WEIGHTS, "pytorch": TORCH_CELL_WEIGHTS},
        step=cells.gru_step, excludes=CELL_EXCLUDES, cell_of="gru",
    ),
    Kind(
        key="simple_rnn_cell",
        names={"keras": "simple_rnn_cell", "pytorch": "rnn_cell"},
        classes={"keras": "SimpleRNNCell", "pytorch": "RNNCell"},
        gates={"keras": ("h",), "pytorch": ("h",)},
        aliases=("rnn_cell",),
        weights={"keras": KERAS_WEIGHTS, "pytorch": TORCH_CELL_WEIGHTS},
        step=cells.rnn_step, excludes=CELL_EXCLUDES, cell_of="simple_rnn",
    ),
    Kind(
        key="conv_lstm2d",
        names={"keras": "conv_lstm2d"},
        classes={"keras": "ConvLSTM2D"},
        gates={"keras": ("i", "f", "c", "o")},
        aliases=("convlstm2d", "conv_lstm"),
        cell_gates={"keras": ("i", "f", "g", "o")},
        weights={"keras": KERAS_CONV_WEIGHTS},
    ),
)


def of(framework: str) -> tuple[Kind, ...]:
    """The kinds ``framework`` has, in registry order."""
    _validate.choice("framework", framework, FRAMEWORKS)
    return tuple(k for k in KINDS if k.in_framework(framework))


def names(framework: str) -> tuple[str, ...]:
    """The kinds' own names in ``framework``, in registry order."""
    return tuple(k.names[framework] for k in of(framework))


def aliases(framework: str) -> dict[str, str]:
    """Every other accepted spelling in ``framework`` -> the kind's own name there."""
    return {s: k.names[framework] for k in of(framework) for s in k.spellings(framework)[1:]}


def resolve(framework: str, name: str) -> Kind:
    """The kind ``name`` denotes in ``framework`` (own names and aliases accepted)."""
    for kind in of(framework):
        if name in kind.spellings(framework):
            return kind
    elsewhere = [k for k in KINDS if not k.in_framework(framework) and name in
                 {s for fw in k.names for s in k.spellings(fw)}]
    if elsewhere:
        raise ValueError(absent(framework, elsewhere[0]))
    _validate.choice("kind", name, names(framework), where=f"{framework} layer")
    raise AssertionError("unreachable")  # pragma: no cover


def own(framework: str, name: str) -> Kind:
    """The kind whose own name in ``framework`` is ``name`` (no aliases: formulas take each
    framework's own names); a one-line ``ValueError`` naming the choices otherwise."""
    for kind in of(framework):
        if kind.names[framework] == name:
            return kind
    _validate.choice("kind", name, names(framework), where=f"{framework} layer")
    raise AssertionError("unreachable")  # pragma: no cover


def absent(framework: str, kind: Kind) -> str:
    """The one-line message for a kind ``framework`` does not have."""
    there = " / ".join(f"{fw} {kind.classes[fw]}" for fw in kind.names)
    return f"{framework} has no equivalent of {there}"


def get(key: str) -> Kind:
    """The kind with registry key ``key`` (``"simple_rnn"``)."""
    _validate.choice("layer kind", key, tuple(k.key for k in KINDS))
    return next(k for k in KINDS if k.key == key)


def options(framework: str, name: str) -> tuple[Option, ...]:
    """The options kind ``name`` (own name in ``framework``) takes, in ``OPTIONS`` order."""
    kind = own(framework, name)
    return tuple(o for o in OPTIONS[framework] if o.name not in kind.excludes.get(framework, ())
                 and (not o.optional or o.name in kind.options.get(framework, ())))


def takers(framework: str, option: str) -> tuple[Kind, ...]:
    """The kinds that take ``option`` in ``framework`` (an optional one, or a common one some
    kinds exclude)."""
    return tuple(k for k in of(framework) if option in {o.name for o in options(framework, k.names[framework])})


@contextlib.contextmanager
def registered(kind: Kind) -> Iterator[Kind]:
    """Add ``kind`` to the registry for the duration of a ``with`` block (tests), then remove
    it: everything that reads the registry when called sees it meanwhile."""
    global KINDS
    clash = [k.key for k in KINDS if k.key == kind.key or set(k.names.values()) & set(kind.names.values())]
    if clash:
        raise ValueError(f"kinds.registered: {kind.key!r} clashes with registered kind {clash[0]!r}; pick new names")
    before = KINDS
    KINDS = (*before, kind)
    try:
        yield kind
    finally:
        KINDS = before
