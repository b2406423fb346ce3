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

and ``u``, ``p``, and ``n`` the number of directions of a layout whose tensors hold both
(ONNX).  An axis that ends up the constant 1 is left out (``(B, S)`` with ``B = 1`` is
``(S,)``), ``n`` excepted.  :mod:`lstm_docs.formulas` derives the weight list, the count, the
factored form, the LaTeX and the per-gate breakdown from them.

``LEGACY`` holds the old layouts the site explains but does not mirror (Keras 2's CuDNN
layers, TF1's ``LSTMCell``, ONNX's ``LSTM``/``GRU``, Keras 2's defaults), each once, as a
``Legacy`` entry whose kinds are keyed by its key: the formulas take that key where they take
a framework, ``FRAMEWORKS`` and everything iterating it stay as they are.

    >>> [k.classes["cudnn"] for k in of("cudnn")]
    ['CuDNNLSTM', 'CuDNNGRU']
    >>> own("onnx", "lstm").gates["onnx"], own("onnx", "lstm").cells_gates("onnx")
    (('i', 'o', 'f', 'c'), ('i', 'o', 'f', 'g'))

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
import dataclasses
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from lstm_docs import _validate, cells
from lstm_docs.expr import Expr, Var, add, as_expr, u

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
    must be on for it to exist (``when``).  A weight with an ``S`` axis stacks the gates.

    An axis is a variable name, an int, an expression (TF1's ``x + r`` rows) or a tuple of
    them standing for their product in one flat axis (cuDNN's bias ``(2, "S")``: ``2*G*u``
    entries, both bias sets of every gate); the axis ``"n"`` is the number of directions of a
    layout whose tensors hold both (``Layout.direction_axis``, ONNX)."""

    name: str
    role: str  # "input" | "recurrent" | "bias" | "projection" | "fused" (TF1: input and recurrent rows)
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
    #: each tensor holds every direction along its ``"n"`` axis (ONNX ``num_directions``):
    #: one weight list for the layer, that axis kept even when it is 1
    direction_axis: bool = False


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
    """The kinds ``framework`` has, in registry order; a legacy layout key (``LEGACY``:
    ``"cudnn"``...) gives that layout's kinds."""
    if framework in legacy_keys():
        return legacy(framework).kinds
    _validate.choice("framework", framework, (*FRAMEWORKS, *legacy_keys()))
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
    return tuple(o for o in option_table(framework) if o.name not in kind.excludes.get(framework, ())
                 and (not o.optional or o.name in kind.options.get(framework, ())))


def option_table(framework: str) -> tuple[Option, ...]:
    """Every option of ``framework`` (``OPTIONS``) or of a legacy layout (``Legacy.options``)."""
    return legacy(framework).options if framework in legacy_keys() else OPTIONS[framework]


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


# ---------------------------------------------------------------------------- legacy layouts
# The old layouts readers meet in Keras 2, TF1, cuDNN and ONNX answers.  The site explains them
# (counts, weight lists, conversions, reference forward passes) but mirrors none of their
# classes, so FRAMEWORKS and everything that iterates it leave them out.  Each is defined once
# here; its kinds are ordinary ``Kind`` entries keyed by the layout's key where the frameworks'
# are keyed by framework name, so ``own("cudnn", "lstm")``, ``options("onnx", "gru")`` and every
# formula that takes a framework take the key.


@dataclass(frozen=True)
class Legacy:
    """One old layout: ``key``, the ``library`` (and versions) it belongs to, its ``kinds`` (each
    with its class or op name, gates in storage order and their ``cells`` letters, weight
    layout), its option table (like ``OPTIONS[framework]``: options that bind no layout
    variable are run-time settings that change the arithmetic but no weight, e.g. TF1's
    ``forget_bias``; their defaults are the layout's), ``like``: the framework whose letters
    its formulas are written in (``u`` for Keras, ``h`` for PyTorch and ONNX's
    ``hidden_size``), and ``source``: where its facts were read (repository and path)."""

    key: str
    library: str
    kinds: tuple[Kind, ...]
    options: tuple[Option, ...]
    like: str
    source: str


def _real(name: str, value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{where}: {name} must be a number, got {value!r}; pass e.g. {name}=1.0")
    return float(value)


def _zero_or_one(name: str, value: Any, where: str) -> int:
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"{where}: {name} must be 0 or 1, got {value!r}")
    return int(value)


def _gate_activation(name: str, value: Any, where: str) -> str:
    return _validate.choice(name, value, ("hard_sigmoid", "sigmoid"), where=where)


def _refused(consequence: str) -> Callable[[str, Any, str], Any]:
    """A check that keeps only the option's off value (None, False, 0) and refuses any other
    with one line: what the option adds, and that the layout is described without it."""
    def check(name: str, value: Any, where: str) -> Any:
        if value:
            raise ValueError(f"{where}: {name}={value!r} {consequence}; convert a layer built without it")
        return value
    return check


def _keras(name: str) -> Option:
    return next(o for o in OPTIONS["keras"] if o.name == name)


def _legacy_kind(base: str, key: str, cls: str, weights: Layout, *, gates: tuple[str, ...] | None = None,
                 cell_gates: tuple[str, ...] | None = None, options: tuple[str, ...] = ()) -> Kind:
    """A legacy layout's kind: Keras's own name of the registered kind ``base``, class ``cls``;
    gates default to Keras's (same order and letters), cell letters to Keras's mapping."""
    kind = get(base)
    return Kind(key=kind.key, names={key: kind.names["keras"]}, classes={key: cls},
                gates={key: gates or kind.gates["keras"]},
                cell_gates={key: cell_gates or (kind.cells_gates("keras") if gates is None else gates)},
                options={key: options}, weights={key: weights})


def _cudnn_weights(layer: str) -> Layout:
    """Keras 2 ``CuDNNLSTM`` / ``CuDNNGRU``: ``kernel`` (d, G*u) and ``recurrent_kernel`` (u, G*u)
    stacked like Keras's (but each gate block holds cuDNN's matrix, see ``CUDNN``), and ONE
    ``bias`` (2*G*u,): the G input biases, then the G recurrent ones.  Inside Keras 2's
    ``Bidirectional`` the directions are the layers ``forward_<layer>`` / ``backward_<layer>``
    (``layer``: Keras 2's automatic layer name, ``cu_dnnlstm``), forward weights first."""
    return Layout(
        weights=(
            WeightTemplate("{direction}kernel", "input", ("x", "S")),
            WeightTemplate("{direction}recurrent_kernel", "recurrent", ("r", "S")),
            WeightTemplate("{direction}bias", "bias", ((2, "S"),)),
        ),
        directions=("", (f"forward_{layer}/", f"backward_{layer}/")),
        stacked=False,
    )


#: Keras 2 ``LSTM`` / ``GRU``: Keras 3's arrays; a Bidirectional names its directions by the
#: wrapped layer (``forward_lstm/kernel``), with no cell scope.
KERAS2_WEIGHTS = dataclasses.replace(KERAS_WEIGHTS, directions=("", ("forward_{name}/", "backward_{name}/")))

#: TF1 ``tf.nn.rnn_cell.LSTMCell`` / ``BasicLSTMCell`` run by ``tf.nn.dynamic_rnn``: one
#: ``kernel`` (d + u, 4u) applied to ``concat([x, h])`` (rows: input first, then recurrent) and
#: one ``bias`` (4u,), under the scopes ``rnn/lstm_cell/`` (``basic_lstm_cell`` for
#: BasicLSTMCell) and, with ``bidirectional_dynamic_rnn``, ``bidirectional_rnn/fw/...`` and
#: ``bidirectional_rnn/bw/...``.
TF1_WEIGHTS = Layout(
    weights=(
        WeightTemplate("{direction}kernel", "fused", (add("x", "r"), "S")),
        WeightTemplate("{direction}bias", "bias", ("S",)),
    ),
    directions=("rnn/{name}_cell/", ("bidirectional_rnn/fw/{name}_cell/", "bidirectional_rnn/bw/{name}_cell/")),
    stacked=False,
)

#: ONNX ``LSTM`` / ``GRU`` inputs: ``W`` [num_directions, G*h, d], ``R`` [num_directions, G*h, h]
#: and the optional ``B`` [num_directions, 2*G*h] (``Wb`` then ``Rb``); the forward direction
#: first, then the reverse one.  Rows of a gate are one unit's weights (used as ``X @ W.T``).
ONNX_WEIGHTS = Layout(
    weights=(
        WeightTemplate("W", "input", ("n", "S", "x")),
        WeightTemplate("R", "recurrent", ("n", "S", "r")),
        WeightTemplate("B", "bias", ("n", (2, "S")), when="bias"),
    ),
    directions=("", ("", "")),
    stacked=False,
    direction_axis=True,
)

_BIDIRECTIONAL = _keras("bidirectional")

CUDNN = Legacy(
    key="cudnn",
    # CuDNN layers from Keras 2.0.9, go_backwards (so Bidirectional) from 2.1.0; Keras 2 loads
    # CuDNNLSTM weights into LSTM from 2.0.9, CuDNNGRU weights into GRU(reset_after=True) from 2.1.5
    library="Keras 2 (2.0.9 to 2.3.1) and TF 1.x / tf.compat.v1 tf.keras: CuDNNLSTM, CuDNNGRU",
    # Keras 2's build slices the kernels as LSTM's (i, f, c, o) and GRU's (z, r, h); the
    # cuDNN call reorders GRU's blocks to cuDNN's r, z, h itself.  Each gate block's memory,
    # flattened row by row, is cuDNN's matrix of that gate read as (u, d) row by row (Keras 2
    # hands the block to cuDNN without a transpose): the LSTM/GRU kernel of the gate is that
    # matrix transposed, and a recurrent block is the transpose of the LSTM/GRU one.
    kinds=(
        _legacy_kind("lstm", "cudnn", "CuDNNLSTM", _cudnn_weights("cu_dnnlstm")),
        _legacy_kind("gru", "cudnn", "CuDNNGRU", _cudnn_weights("cu_dnngru")),
    ),
    options=(_BIDIRECTIONAL,),
    like="keras",
    source="keras-team/keras keras/layers/cudnn_recurrent.py (tags 2.0.9-2.3.1: build, _canonical_to_params); "
           "keras/engine/saving.py _convert_rnn_weights (2.2.x-2.3.1; keras/engine/topology.py before)",
)

TF1 = Legacy(
    key="tf1",
    library="TensorFlow 1.x: tf.nn.rnn_cell.LSTMCell / BasicLSTMCell with tf.nn.dynamic_rnn",
    # i = input gate, j = new input (the candidate), f = forget gate, o = output gate
    kinds=(_legacy_kind("lstm", "tf1", "LSTMCell", TF1_WEIGHTS, gates=("i", "j", "f", "o"),
                        cell_gates=("i", "g", "f", "o")),),
    options=(
        _BIDIRECTIONAL,
        # added to the forget gate's pre-activation at every step, not stored in the bias
        Option("forget_bias", 1.0, _real),
        Option("use_peepholes", False, _refused(
            "adds the diagonal weights w_i_diag, w_f_diag, w_o_diag (u,), which Keras 3 and PyTorch LSTMs lack")),
        Option("num_proj", None, _refused(
            "adds projection/kernel (u, num_proj) and feeds the projection back as h, which Keras 3 lacks")),
    ),
    like="keras",
    source="tensorflow/tensorflow tensorflow/python/ops/rnn_cell_impl.py (LSTMCell, BasicLSTMCell: build, call); "
           "tensorflow/python/ops/rnn.py (dynamic_rnn scope \"rnn\", "
           "bidirectional_dynamic_rnn \"bidirectional_rnn\" fw/bw)",
)

ONNX = Legacy(
    key="onnx",
    library="ONNX operators LSTM and GRU (as docs/Operators.md states them for opset 22)",
    kinds=(
        _legacy_kind("lstm", "onnx", "LSTM", ONNX_WEIGHTS, gates=("i", "o", "f", "c"),
                     cell_gates=("i", "o", "f", "g"), options=("peepholes",)),
        _legacy_kind("gru", "onnx", "GRU", ONNX_WEIGHTS, gates=("z", "r", "h"),
                     cell_gates=("z", "r", "n"), options=("linear_before_reset",)),
    ),
    options=(
        # whether the optional input B is given ("If not specified - assumed to be 0")
        Option("bias", True, _boolean, catalog=("bias", (True, False))),
        _BIDIRECTIONAL,  # direction="bidirectional" (num_directions = 2); "forward" otherwise
        # 0: the reset gate multiplies h before the recurrent product (Keras reset_after=False);
        # 1: after it, Rbh included (PyTorch, Keras reset_after=True)
        Option("linear_before_reset", 0, _zero_or_one, optional=True),
        Option("peepholes", False, _refused(
            "adds the input P (num_directions, 3h), which Keras 3 and PyTorch LSTMs lack"), optional=True),
    ),
    like="pytorch",
    source="onnx/onnx docs/Operators.md (LSTM, GRU: equations, inputs W, R, B, attributes direction, "
           "linear_before_reset); onnx/reference/ops/op_lstm.py, op_gru.py",
)

KERAS2 = Legacy(
    key="keras2",
    library="Keras 2 before 2.3.0 (GRU's reset_after from 2.1.5) and TF 1.x tf.keras: LSTM, GRU defaults",
    kinds=(
        _legacy_kind("lstm", "keras2", "LSTM", KERAS2_WEIGHTS),
        _legacy_kind("gru", "keras2", "GRU", KERAS2_WEIGHTS, options=("reset_after",)),
    ),
    options=(
        _keras("use_bias"),
        # GRU's reset_after arrived in Keras 2.1.5 with default False; it stayed False through
        # Keras 2.3.1 and TF 1.x tf.keras; TF 2's tf.keras.layers.GRU made it True
        dataclasses.replace(_keras("reset_after"), default=False),
        _BIDIRECTIONAL,
        # Keras 2.0 to 2.2.5 and TF 1.x tf.keras: hard_sigmoid (Keras 2's, 0.2 x + 0.5 clipped,
        # cells.keras2_hard_sigmoid); Keras 2.3.0 made it sigmoid ("Change default recurrent
        # activation to sigmoid (from hard_sigmoid) in all RNN layers", 2.3.0 release notes)
        Option("recurrent_activation", "hard_sigmoid", _gate_activation),
    ),
    like="keras",
    source="keras-team/keras keras/layers/recurrent.py at tags 2.1.5, 2.2.5, 2.3.0, 2.3.1 (GRU, GRUCell, LSTM, "
           "LSTMCell __init__ defaults); keras/backend/tensorflow_backend.py hard_sigmoid (2.2.4); tensorflow "
           "keras/layers/recurrent.py vs recurrent_v2.py (TF 1 vs TF 2 GRU defaults)",
)

#: The legacy layouts, in the order the site explains them.
LEGACY: tuple[Legacy, ...] = (CUDNN, TF1, ONNX, KERAS2)


def legacy_keys() -> tuple[str, ...]:
    """The legacy layouts' keys: ``("cudnn", "tf1", "onnx", "keras2")``."""
    return tuple(entry.key for entry in LEGACY)


def legacy(key: str) -> Legacy:
    """The legacy layout ``key``; a one-line ``ValueError`` naming the keys otherwise."""
    _validate.choice("legacy layout", key, legacy_keys())
    return next(entry for entry in LEGACY if entry.key == key)
