"""Parameter-count formulas, derived from the layer-kind registry (:mod:`lstm_docs.kinds`).

Each registry entry gives, per framework, a weight layout: each weight's name, role and shape
as a symbolic expression (:mod:`lstm_docs.expr`), and the options that change it.  From that
one definition this module derives the weight list of a layer (names, shapes, roles, gate
order), its factored count (per direction: the gate-stacked weights' sizes with ``G*u``
factored out, plus the weights that stack no gate), its exact value, its LaTeX formula, the
per-gate breakdown and the JSON catalog the calculator evaluates with BigInt.  Formulas take
each framework's own kind names only (``"rnn"`` is PyTorch's, ``"simple_rnn"`` Keras's); the
aliases are for the CLI and the calculator.

Variables
---------
``d``  input width of the layer: Keras ``input_dim`` (last axis of the input),
       PyTorch ``input_size``.
``u``  Keras ``units`` = PyTorch ``hidden_size``.  Rendered ``u`` for Keras and ``h`` for
       PyTorch, the letter each framework's own documentation uses.
``p``  PyTorch ``proj_size`` (LSTM only; 0 = no projection).
``D``  input width of a PyTorch *upper* layer (layer l >= 1 of a stack): the previous
       layer's output width, ``D = dirs * u`` (``dirs * p`` with a projection), where
       ``dirs`` is 2 when bidirectional, else 1.

Every function that takes a ``framework`` also takes a legacy layout key
(``kinds.LEGACY``: ``"cudnn"``, ``"tf1"``, ``"onnx"``, ``"keras2"``) with that layout's
options: ``count("cudnn", "lstm", input_dim=300, units=300, bidirectional=True)``.

Expressions serialise to JSON as an int, a variable name, or ``["+", a, b, ...]`` /
``["*", a, b, ...]`` (``from_json``, ``evaluate_json``).

Weight names
------------
Keras: ``kernel`` (d, G*u), ``recurrent_kernel`` (u, G*u), ``bias`` (G*u,) -- or (2, 3u) for a
GRU with ``reset_after=True``.  Inside ``Bidirectional`` Keras 3 keeps the same short names
(``weight.name == "kernel"``) and tells the directions apart by path:
``<wrapper>/forward_lstm/lstm_cell/kernel``.  We name them by that path relative to the
wrapper, ``forward_lstm/lstm_cell/kernel`` ... ``backward_lstm/lstm_cell/bias`` (forward
weights first, as ``Bidirectional.weights`` lists them).

PyTorch: ``weight_ih_l{k}`` (G*h, D), ``weight_hh_l{k}`` (G*h, h or p), ``bias_ih_l{k}``,
``bias_hh_l{k}`` (G*h,), ``weight_hr_l{k}`` (p, h) with a projection, then the same with a
``_reverse`` suffix for the backward direction -- the order of ``named_parameters()``.

Catalog schema (``catalog()``, version 1)
-----------------------------------------
``{"version": 1, "variables": {...}, "layers": [entry, ...]}``; an entry is
``{"framework", "kind", "options", "gates", "latex", "total", "weights": [{"name", "role",
"shape", "gates"}]}``.  Entries cover every combination of the options a kind takes that
the registry enumerates for the catalog (``kinds.Option.catalog``): Keras ``use_bias`` x
``bidirectional`` (x ``reset_after`` for GRU); PyTorch ``bias`` x ``bidirectional`` (x
``proj`` for LSTM, true when ``proj_size > 0``).  PyTorch entries carry ``"layer": "first"``
(input width ``d``) or ``"layer": "upper"`` (input width ``"D"``, with ``"D": EXPR`` giving it
in terms of ``u``, ``p``).  A stack of L layers counts ``first + (L - 1) * upper``.
``"legacy"`` lists the legacy layouts' entries (``legacy_catalog()``), keyed by ``"layout"``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from lstm_docs import _validate, kinds
from lstm_docs.expr import D, Add, Const, Expr, ExprLike, Mul, Var, add, as_expr, d, from_json, mul, p, u

# --------------------------------------------------------------------------------------
# Views of the registry
# --------------------------------------------------------------------------------------


class _Derived(Mapping):  # type: ignore[type-arg]
    """A read-only mapping recomputed from the registry at every use (so a kind registered
    later, e.g. by a test, shows in it too)."""

    def __init__(self, build: Callable[[], dict[Any, Any]], doc: str) -> None:
        self._build = build
        self.__doc__ = doc

    def __getitem__(self, key: Any) -> Any:
        return self._build()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())

    def __repr__(self) -> str:
        return repr(self._build())


#: (framework, kind) -> gate letters in storage order (also the order of slices in the weights).
GATES: Mapping[tuple[str, str], tuple[str, ...]] = _Derived(
    lambda: {(fw, k.names[fw]): k.gates[fw] for fw in kinds.FRAMEWORKS for k in kinds.of(fw)},
    "(framework, kind) -> gate letters in storage order, from lstm_docs.kinds.")

#: Keras layer class name for each Keras kind (summary rows, ``Bidirectional`` paths).
KERAS_CLASS: Mapping[str, str] = _Derived(
    lambda: {k.names["keras"]: k.classes["keras"] for k in kinds.of("keras")},
    "Keras kind -> Keras class name, from lstm_docs.kinds.")

#: Letters used when rendering LaTeX, per framework.
SYMBOLS: dict[str, dict[str, str]] = {
    "keras": {"d": "d", "u": "u", "k": "k", "kh": "k_h", "kw": "k_w"},
    "pytorch": {"d": "d", "u": "h", "p": "p", "D": "D"},
}

#: What each variable means (catalog "variables").
VARIABLES = {
    "d": "input width: Keras input_dim (last axis of the input), PyTorch input_size",
    "u": "Keras units = PyTorch hidden_size (written h in PyTorch formulas)",
    "p": "PyTorch proj_size (LSTM only, 0 = no projection)",
    "D": "input width of a PyTorch upper layer (l >= 1): dirs*u, or dirs*p with a projection",
    "kh": "Keras ConvLSTM2D kernel_size[0], the kernel's rows",
    "kw": "Keras ConvLSTM2D kernel_size[1], the kernel's columns",
    "k": "Keras ConvLSTM2D kernel area kh*kw (d is then the input channels, u the filters)",
}


@dataclass(frozen=True)
class WeightSpec:
    """One weight array: its framework name, symbolic shape, role and the gates it stacks."""

    name: str
    shape: tuple[Expr, ...]
    role: str  # "input" | "recurrent" | "bias" | "projection"
    gates: tuple[str, ...]

    @property
    def size(self) -> Expr:
        """Number of scalars: the product of the shape."""
        return mul(*self.shape)

    def evaluate_shape(self, env: dict[str, int]) -> tuple[int, ...]:
        return tuple(s.evaluate(env) for s in self.shape)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "shape": [s.to_json() for s in self.shape],
                "gates": list(self.gates)}



def symbols(framework: str) -> dict[str, str]:
    """The letters ``framework``'s formulas use (``SYMBOLS``); a legacy layout uses those of
    the framework it is written like (``kinds.Legacy.like``: ONNX's ``hidden_size`` is ``h``)."""
    return SYMBOLS[framework] if framework in SYMBOLS else SYMBOLS[kinds.legacy(framework).like]


def settings(framework: str, kind: str, **options: Any) -> dict[str, Any]:
    """Every option of one layer, validated, defaults filled in (``kinds.option_table``):
    ``settings("tf1", "lstm")["forget_bias"] == 1.0``."""
    return _options(framework, kind, options)


def _options(framework: str, kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and validate the options of one layer kind (``kinds.option_table``)."""
    kinds.own(framework, kind)
    table = kinds.option_table(framework)
    where = f"{framework} {kind}"
    known: dict[str, Any] = {o.name: o.default for o in table}
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown option {unknown[0]!r}; known options: {', '.join(known)}")
    known.update(options)
    for o in table:
        known[o.name] = o.check(o.name, known[o.name], where)
    taken = {o.name for o in kinds.options(framework, kind)}
    for o in table:
        if o.name in taken:
            continue
        takers = " or ".join(k.classes[framework] for k in kinds.takers(framework, o.name))
        if o.name in kinds.own(framework, kind).excludes.get(framework, ()):  # a cell: default only
            if known.pop(o.name) != o.default:
                raise ValueError(f"{where}: {o.name} is a {takers} option, got {o.name}={options[o.name]!r}")
        elif o.elsewhere == "absent":
            if o.name in options:
                raise ValueError(f"{where}: {o.name} is a {takers} option, got {o.name}={options[o.name]!r}")
            known.pop(o.name)
        elif known[o.name] != o.default:
            raise ValueError(f"{where}: {o.name} is only supported by {takers}, got {o.name}={known[o.name]}")
    return known


# --------------------------------------------------------------------------------------
# Weights, derived from the registry's layouts
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Direction:
    """The weights of one direction of one layer, and its count split the way it factors:
    ``rests`` are the gate-stacked weights' sizes divided by ``G*u``, ``others`` the sizes of
    the weights that stack no gate (PyTorch's projection)."""

    specs: list[WeightSpec]
    gates: int
    rests: list[Expr]
    others: list[WeightSpec]

    @property
    def per_gate(self) -> Expr:
        """What one gate owns: ``u * (sum of rests)``."""
        return mul(u, add(*self.rests))

    @property
    def total(self) -> Expr:
        """``G*u*(sum of rests) + others``: the factored count of the direction."""
        return add(mul(self.gates, self.per_gate), *(s.size for s in self.others))


def _bindings(framework: str, o: dict[str, Any]) -> dict[str, Expr]:
    """Layout variables fixed by the options: ``r`` (recurrent width) and Keras's ``B``."""
    env: dict[str, Expr] = {"r": u}
    for opt in kinds.option_table(framework):
        for var, (off, on) in opt.binds.items():
            env[var] = on if o.get(opt.name) else off
    return env


def _axis(axis: Any, env: dict[str, Expr]) -> Expr:
    """One axis of a template shape (``kinds.WeightTemplate``): a tuple is the product of its
    factors in one flat axis (cuDNN's bias ``(2, "S")``), anything else one expression."""
    if isinstance(axis, tuple):
        return mul(*(_axis(f, env) for f in axis))
    return as_expr(axis).substitute(env)


def _stacks_gates(axis: Any) -> bool:
    """Whether a template axis is the gate-stacked ``S``, alone or inside a flat product."""
    return (isinstance(axis, str) and axis == "S") or (isinstance(axis, tuple) and "S" in axis)


def _rest(shape: tuple[Any, ...], env: dict[str, Expr]) -> Expr:
    """A gate-stacked weight's size divided by ``G*u``: the product of its axes other than
    ``S`` (a flat axis contributes its other factors) and other than the direction axis
    ``n`` (``_stack`` counts the directions)."""
    factors: list[Expr] = []
    for axis in shape:
        if isinstance(axis, tuple) and "S" in axis:
            factors.extend(_axis(f, env) for f in axis if f != "S")
        elif not _stacks_gates(axis) and not (isinstance(axis, str) and axis == "n"):
            factors.append(_axis(axis, env))
    return mul(*factors)


def _direction(framework: str, kind: str, o: dict[str, Any], layer: int, direction: str, x: Expr) -> _Direction:
    """Expand the kind's layout for one direction of layer ``layer`` reading ``x`` features
    (for a layout with a direction axis, ``n``: the one weight list of every direction)."""
    gates = kinds.own(framework, kind).gates[framework]
    layout = kinds.own(framework, kind).weights[framework]
    env = {**_bindings(framework, o), "x": x, "S": mul(len(gates), u), "n": as_expr(_dirs(o))}
    specs, rests, others, inner = [], [], [], []
    area, axes_of_area = layout.area or ("", ())
    for t in layout.weights:
        if t.when is not None and not o.get(t.when):
            continue
        axes = [_axis(a, env) for a in t.shape]
        # (B, S) with B = 1 is (S,); the direction axis n stays, 1 or 2 (ONNX)
        shape = tuple(a for s, a in zip(t.shape, axes) if a != Const(1) or (isinstance(s, str) and s == "n"))
        stacked = any(map(_stacks_gates, t.shape))
        spec = WeightSpec(t.name.format(direction=direction, layer=layer), shape, t.role, gates if stacked else ())
        specs.append(spec)
        if stacked and axes_of_area and set(axes_of_area) <= set(t.shape):  # k*(...): k = kh*kw
            inner.append(mul(*(a for s, a in zip(t.shape, axes) if s != "S" and s not in axes_of_area)))
        elif stacked:
            rests.append(_rest(t.shape, env))
        else:
            others.append(spec)
    if inner:
        rests.insert(0, mul(Var(area), add(*inner)))
    return _Direction(specs, len(gates), rests, others)


def _dirs(o: dict[str, Any]) -> int:
    """How many directions a layer runs: 2 when ``bidirectional``, else 1."""
    return 2 if o.get("bidirectional") else 1


def _directions(framework: str, kind: str, o: dict[str, Any]) -> tuple[str, ...]:
    """The ``{direction}`` text of each direction of a layer; one for a layout whose tensors
    hold every direction (``Layout.direction_axis``)."""
    layout = kinds.own(framework, kind).weights[framework]
    one, two = layout.directions
    if o.get("bidirectional") and not layout.direction_axis:
        return tuple(s.format(name=kind) for s in two)
    return (one.format(name=kind),)


def _upper_input(framework: str, o: dict[str, Any]) -> Expr:
    """Input width of layer l >= 1 of a stack: the previous layer's output width, dirs * r."""
    return mul(2 if o.get("bidirectional") else 1, _bindings(framework, o)["r"])


def _layers(framework: str, kind: str, o: dict[str, Any]) -> list[list[_Direction]]:
    """Every layer (``num_layers`` of them where the framework stacks), each its directions."""
    out = []
    for layer in range(o.get("num_layers", 1)):
        x = d if layer == 0 else _upper_input(framework, o)
        out.append([_direction(framework, kind, o, layer, s, x) for s in _directions(framework, kind, o)])
    return out


def _stack(o: dict[str, Any], parts: list[Expr]) -> Expr:
    """Combine one direction's expression per layer: ``dirs*first + (L - 1)*dirs*upper``."""
    dirs = 2 if o.get("bidirectional") else 1
    total = mul(dirs, parts[0])
    if len(parts) > 1:
        total = add(total, mul(len(parts) - 1, mul(dirs, parts[1])))
    return total


def weights(framework: str, kind: str, **options: Any) -> list[WeightSpec]:
    """The weights one layer allocates, in the framework's order, with symbolic shapes.

    Keras options: ``use_bias=True``, ``reset_after=True`` (GRU), ``bidirectional=False``
    (both directions, forward first).  PyTorch options: ``bias=True``,
    ``bidirectional=False``, ``proj_size=0`` (LSTM), ``num_layers=1`` (layers l >= 1 have
    their input width substituted: ``dirs*u``, or ``dirs*p`` with a projection).
    """
    o = _options(framework, kind, options)
    return [s for layer in _layers(framework, kind, o) for direction in layer for s in direction.specs]


@dataclass(frozen=True)
class Formula:
    """A layer's count: ``total`` (factored expression), ``terms`` and LaTeX rendering.

    ``terms["weights"]``: weight name -> size expression; ``terms["gates"]``: gate letter ->
    the parameters that gate owns (its slices of every weight, all directions and layers),
    plus ``"projection"`` for PyTorch's ``weight_hr``.  Both term sets sum to ``total``.
    """

    framework: str
    kind: str
    options: dict[str, Any]
    total: Expr
    terms: dict[str, dict[str, Expr]] = field(default_factory=dict)

    def latex(self) -> str:
        return self.total.latex(symbols(self.framework))

    def evaluate(self, **values: int) -> int:
        return self.total.evaluate(values)



def formula(framework: str, kind: str, **options: Any) -> Formula:
    """The symbolic count of one layer (see ``count`` for what is included), derived from its
    weight list: per direction ``G*u`` is factored out of the gate-stacked weights."""
    o = _options(framework, kind, options)
    layers = _layers(framework, kind, o)
    total = _stack(o, [layer[0].total for layer in layers])
    gate_part = _stack(o, [layer[0].per_gate for layer in layers])
    by_gate: dict[str, Expr] = {g: gate_part for g in kinds.own(framework, kind).gates[framework]}
    others = [s for layer in layers for direction in layer for s in direction.others]
    for role in dict.fromkeys(s.role for s in others):  # PyTorch weight_hr: belongs to no gate
        by_gate[role] = add(*(s.size for s in others if s.role == role))
    specs = [s for layer in layers for direction in layer for s in direction.specs]
    by_weight = {spec.name: spec.size for spec in specs}
    return Formula(framework, kind, o, total, {"weights": by_weight, "gates": by_gate})


def count(framework: str, kind: str, *, input_dim: int, units: int, kernel_size: Any = None,
          **options: Any) -> int:
    """Exact parameter count of one layer (Python int, any size).

    Keras, per direction (x2 when ``bidirectional``): ``G*u*(d + u + b)`` -- kernel
    ``d*G*u``, recurrent kernel ``u*G*u`` and ``b`` biases per unit and gate (``b = 1``;
    ``2`` for GRU with ``reset_after=True``; ``0`` without ``use_bias``), with ``G`` = 4
    (LSTM), 3 (GRU), 1 (SimpleRNN).

    PyTorch, per direction and layer: ``G*h*(D + h + 2)`` -- ``weight_ih``, ``weight_hh``,
    ``bias_ih`` and ``bias_hh`` (``+0`` without ``bias``); with ``proj_size=p`` (LSTM):
    ``4h(D + p + 2) + p*h`` (``weight_hh`` is (4h, p), plus ``weight_hr`` (p, h)).  ``D`` is
    ``input_dim`` for layer 0 and ``dirs*h`` (``dirs*p``) above it.

    Keras ConvLSTM2D (``input_dim`` = input channels, ``units`` = filters, ``kernel_size=(kh,
    kw)``, required): ``4u(k(d + u) + 1)`` with ``k = kh*kw`` -- kernel ``kh*kw*d*4u``,
    recurrent kernel ``kh*kw*u*4u``, bias ``4u``.
    """
    o = _options(framework, kind, options)
    where = f"{framework} {kind}"
    env = {
        "d": _validate.positive_int("input_dim", input_dim, where=where),
        "u": _validate.positive_int("units", units, where=where),
        "p": o.get("proj_size", 0),
    }
    if kinds.own(framework, kind).weights[framework].area is not None:
        if kernel_size is None:
            raise ValueError(f"{where}: pass kernel_size=(rows, cols), e.g. kernel_size=(3, 3)")
        sizes = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
        if len(sizes) != 2:
            raise ValueError(f"{where}: kernel_size must be an int or 2 ints, got {kernel_size!r}")
        env["kh"], env["kw"] = (_validate.positive_int("kernel_size", v, where=where) for v in sizes)
        env["k"] = env["kh"] * env["kw"]
    elif kernel_size is not None:
        raise ValueError(f"{where}: kernel_size is a ConvLSTM2D argument, got kernel_size={kernel_size!r}")
    if env["p"] and env["p"] >= env["u"]:
        raise ValueError(f"{where}: proj_size must be smaller than hidden_size ({env['u']}), got {env['p']}")
    return formula(framework, kind, **options).total.evaluate(env)


# --------------------------------------------------------------------------------------
# Catalog for the site's calculator
# --------------------------------------------------------------------------------------

def _entry(framework: str, kind: str, options: dict[str, Any], specs: list[WeightSpec], total: Expr) -> dict[str, Any]:
    return {
        "framework": framework,
        "kind": kind,
        "options": options,
        "gates": list(GATES[framework, kind]),
        "latex": total.latex(SYMBOLS[framework]),
        "total": total.to_json(),
        "weights": [s.to_json() for s in specs],
    }


def _catalog_options(framework: str, kind: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each (catalog options, layer options) pair the catalog covers for one kind: the
    framework's common options first, then the kind's own, each over ``Option.catalog``."""
    listed = [o for o in kinds.options(framework, kind) if o.catalog is not None]
    listed.sort(key=lambda o: o.optional)
    for values in itertools.product(*(o.catalog[1] for o in listed)):  # type: ignore[index]
        shown = {o.catalog[0]: v for o, v in zip(listed, values)}  # type: ignore[index]
        layer = {o.name: v if isinstance(o.default, bool) else int(v) for o, v in zip(listed, values)}
        yield shown, layer


def catalog() -> dict[str, Any]:
    """Every layer template as JSON (schema in the module docstring)."""
    layers: list[dict[str, Any]] = []
    for framework in kinds.FRAMEWORKS:
        for kind in kinds.names(framework):
            stacked = kinds.own(framework, kind).weights[framework].stacked
            for shown, layer_opts in _catalog_options(framework, kind):
                o = _options(framework, kind, layer_opts)
                if not stacked:
                    layers.append(_entry(framework, kind, shown, weights(framework, kind, **layer_opts),
                                         formula(framework, kind, **layer_opts).total))
                    continue
                for layer, x, name in ((0, d, "first"), (1, D, "upper")):
                    dirs = [_direction(framework, kind, o, layer, s, x) for s in _directions(framework, kind, o)]
                    e = _entry(framework, kind, shown, [s for dr in dirs for s in dr.specs], _stack(o, [dirs[0].total]))
                    e["layer"] = name
                    if name == "upper":
                        e["D"] = _upper_input(framework, o).to_json()
                    layers.append(e)
    return {"version": 1, "variables": dict(VARIABLES), "layers": layers, "legacy": legacy_catalog()}


def legacy_catalog() -> list[dict[str, Any]]:
    """The legacy layouts' templates (``kinds.LEGACY``), one entry per kind and combination of
    catalog options: ``{"layout", "library", "kind", "class", "options", "gates", "latex",
    "total", "weights"}``, evaluated like the layers' entries (none stacks layers)."""
    out: list[dict[str, Any]] = []
    for entry in kinds.LEGACY:
        for kind in kinds.names(entry.key):
            for shown, layer_opts in _catalog_options(entry.key, kind):
                total = formula(entry.key, kind, **layer_opts).total
                out.append({
                    "layout": entry.key,
                    "library": entry.library,
                    "kind": kind,
                    "class": kinds.own(entry.key, kind).classes[entry.key],
                    "options": shown,
                    "gates": list(kinds.own(entry.key, kind).gates[entry.key]),
                    "latex": total.latex(symbols(entry.key)),
                    "total": total.to_json(),
                    "weights": [w.to_json() for w in weights(entry.key, kind, **layer_opts)],
                })
    return out


def evaluate_json(expr: Any, env: dict[str, int]) -> int:
    """Evaluate a catalog EXPR (int, variable name, ``["+"|"*", ...]``) exactly."""
    return from_json(expr).evaluate(env)


__all__ = [
    "Expr", "ExprLike", "Const", "Var", "Add", "Mul", "add", "mul", "as_expr", "from_json", "evaluate_json",
    "GATES", "KERAS_CLASS", "SYMBOLS", "VARIABLES", "WeightSpec", "Formula",
    "weights", "formula", "count", "catalog", "legacy_catalog", "settings", "symbols",
]

