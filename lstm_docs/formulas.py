"""Parameter-count formulas as data: one definition per layer kind and framework.

Everything the site says about parameter counts derives from ``_DEFINITIONS`` below: the
weight list of a layer (names, shapes, roles, gate order), its exact count, its LaTeX
formula and the JSON catalog the calculator evaluates with BigInt.

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

Expressions are tiny trees (``Const``, ``Var``, ``Add``, ``Mul``) that evaluate exactly with
Python ints, render LaTeX, and serialise to JSON as an int, a variable name, or
``["+", a, b, ...]`` / ``["*", a, b, ...]``.

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
"shape", "gates"}]}``.  Keras entries cover ``use_bias`` x ``bidirectional`` (x
``reset_after`` for GRU).  PyTorch entries cover ``bias`` x ``bidirectional`` (x ``proj``
for LSTM, true when ``proj_size > 0``) and carry ``"layer": "first"`` (input width ``d``) or
``"layer": "upper"`` (input width ``"D"``, with ``"D": EXPR`` giving it in terms of ``u``,
``p``).  A stack of L layers counts ``first + (L - 1) * upper``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Union

from lstm_docs import _validate

# --------------------------------------------------------------------------------------
# Expressions
# --------------------------------------------------------------------------------------

ExprLike = Union["Expr", int, str]


class Expr:
    """A symbolic expression over ``d``, ``u``, ``p``, ``D`` with integer constants."""

    def evaluate(self, env: dict[str, int]) -> int:
        raise NotImplementedError

    def to_json(self) -> Any:
        raise NotImplementedError

    def _latex(self, symbols: dict[str, str]) -> str:
        raise NotImplementedError

    def latex(self, symbols: dict[str, str] | None = None) -> str:
        """LaTeX text, e.g. ``4u(d + u + 1)``; ``symbols`` renames variables (``{"u": "h"}``)."""
        return self._latex(symbols or {})

    def substitute(self, env: dict[str, "Expr"]) -> "Expr":
        raise NotImplementedError

    def polynomial(self) -> dict[tuple[tuple[str, int], ...], int]:
        """Expanded form ``{monomial: coefficient}``, for exact symbolic comparison."""
        raise NotImplementedError

    def __add__(self, other: ExprLike) -> "Expr":
        return add(self, other)

    def __radd__(self, other: ExprLike) -> "Expr":
        return add(other, self)

    def __mul__(self, other: ExprLike) -> "Expr":
        return mul(self, other)

    def __rmul__(self, other: ExprLike) -> "Expr":
        return mul(other, self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(repr(self.to_json()))

    def __repr__(self) -> str:
        return f"Expr({self.latex()})"


@dataclass(frozen=True, eq=False, repr=False)
class Const(Expr):
    value: int

    def evaluate(self, env: dict[str, int]) -> int:
        return self.value

    def to_json(self) -> Any:
        return self.value

    def _latex(self, symbols: dict[str, str]) -> str:
        return str(self.value)

    def substitute(self, env: dict[str, Expr]) -> Expr:
        return self

    def polynomial(self) -> dict[tuple[tuple[str, int], ...], int]:
        return {(): self.value} if self.value else {}


@dataclass(frozen=True, eq=False, repr=False)
class Var(Expr):
    name: str

    def evaluate(self, env: dict[str, int]) -> int:
        if self.name not in env:
            raise ValueError(f"expression needs variable {self.name!r}; pass it in env={sorted(env)}")
        return env[self.name]

    def to_json(self) -> Any:
        return self.name

    def _latex(self, symbols: dict[str, str]) -> str:
        return symbols.get(self.name, self.name)

    def substitute(self, env: dict[str, Expr]) -> Expr:
        return env.get(self.name, self)

    def polynomial(self) -> dict[tuple[tuple[str, int], ...], int]:
        return {((self.name, 1),): 1}


@dataclass(frozen=True, eq=False, repr=False)
class Add(Expr):
    terms: tuple[Expr, ...]

    def evaluate(self, env: dict[str, int]) -> int:
        return sum(t.evaluate(env) for t in self.terms)

    def to_json(self) -> Any:
        return ["+", *(t.to_json() for t in self.terms)]

    def _latex(self, symbols: dict[str, str]) -> str:
        return " + ".join(t._latex(symbols) for t in self.terms)

    def substitute(self, env: dict[str, Expr]) -> Expr:
        return add(*(t.substitute(env) for t in self.terms))

    def polynomial(self) -> dict[tuple[tuple[str, int], ...], int]:
        out: dict[tuple[tuple[str, int], ...], int] = {}
        for t in self.terms:
            for mono, c in t.polynomial().items():
                out[mono] = out.get(mono, 0) + c
        return {m: c for m, c in out.items() if c}


@dataclass(frozen=True, eq=False, repr=False)
class Mul(Expr):
    factors: tuple[Expr, ...]

    def evaluate(self, env: dict[str, int]) -> int:
        return math.prod(f.evaluate(env) for f in self.factors)

    def to_json(self) -> Any:
        return ["*", *(f.to_json() for f in self.factors)]

    def _latex(self, symbols: dict[str, str]) -> str:
        out = ""
        prev: Expr | None = None
        factors = list(self.factors)
        i = 0
        while i < len(factors):
            f = factors[i]
            power = 1
            while isinstance(f, Var) and i + power < len(factors) and factors[i + power] == f:
                power += 1  # u u -> u^{2}
            text = f._latex(symbols) + (f"^{{{power}}}" if power > 1 else "")
            if isinstance(f, Add):
                text = f"({text})"
            elif prev is not None and (isinstance(f, Const) or isinstance(prev, Add)):
                text = f" \\cdot {text}"
            out += text
            prev = f
            i += power
        return out

    def substitute(self, env: dict[str, Expr]) -> Expr:
        return mul(*(f.substitute(env) for f in self.factors))

    def polynomial(self) -> dict[tuple[tuple[str, int], ...], int]:
        out: dict[tuple[tuple[str, int], ...], int] = {(): 1}
        for f in self.factors:
            nxt: dict[tuple[tuple[str, int], ...], int] = {}
            for m1, c1 in out.items():
                for m2, c2 in f.polynomial().items():
                    powers: dict[str, int] = dict(m1)
                    for name, k in m2:
                        powers[name] = powers.get(name, 0) + k
                    mono = tuple(sorted(powers.items()))
                    nxt[mono] = nxt.get(mono, 0) + c1 * c2
            out = {m: c for m, c in nxt.items() if c}
        return out


def as_expr(x: ExprLike) -> Expr:
    """Turn an int, a variable name or an expression into an ``Expr``."""
    if isinstance(x, Expr):
        return x
    if isinstance(x, bool):
        raise ValueError(f"expression operand must be an int or a variable name, got {x!r}")
    if isinstance(x, int):
        return Const(x)
    if isinstance(x, str):
        return Var(x)
    raise ValueError(f"expression operand must be an int or a variable name, got {x!r}")


def _linear_key(t: Expr) -> tuple[int, Expr] | None:
    """Split a monomial into (coefficient, rest): ``3u`` -> (3, u); ``up`` -> (1, up)."""
    if isinstance(t, Var):
        return 1, t
    if isinstance(t, Mul) and all(isinstance(f, Var) for f in t.factors[1:]):
        if isinstance(t.factors[0], Const):
            rest = t.factors[1:]
            return t.factors[0].value, rest[0] if len(rest) == 1 else Mul(rest)
        if isinstance(t.factors[0], Var):
            return 1, t
    return None


def add(*items: ExprLike) -> Expr:
    """Sum with light simplification: flattens, merges ``u + u`` into ``2u``, folds constants
    (kept last, as in ``d + u + 1``)."""
    flat: list[Expr] = []
    for it in map(as_expr, items):
        flat.extend(it.terms if isinstance(it, Add) else (it,))
    const = sum(t.value for t in flat if isinstance(t, Const))
    merged: list[tuple[Expr, bool]] = []  # (term or monomial, is_monomial)
    coeffs: dict[Expr, int] = {}
    for t in flat:
        if isinstance(t, Const):
            continue
        key = _linear_key(t)
        if key is None:
            merged.append((t, False))
            continue
        c, mono = key
        if mono in coeffs:
            coeffs[mono] += c
        else:
            coeffs[mono] = c
            merged.append((mono, True))
    terms = [mul(coeffs[t], t) if is_mono else t for t, is_mono in merged]
    terms = [t for t in terms if not (isinstance(t, Const) and t.value == 0)]
    if const:
        terms.append(Const(const))
    if not terms:
        return Const(0)
    return terms[0] if len(terms) == 1 else Add(tuple(terms))


def mul(*items: ExprLike) -> Expr:
    """Product: flattens, folds constants to the front, drops ``1``, ``0`` absorbs."""
    flat: list[Expr] = []
    for it in map(as_expr, items):
        flat.extend(it.factors if isinstance(it, Mul) else (it,))
    const = math.prod(f.value for f in flat if isinstance(f, Const))
    if const == 0:
        return Const(0)
    rest = [f for f in flat if not isinstance(f, Const)]
    order = {"u": 0, "p": 1, "d": 2, "D": 3}  # 4ud, u^{2}, pu; sums go last: 4u(d + u + 1)
    rest.sort(key=lambda f: (1, 0) if isinstance(f, Add) else (0, order.get(getattr(f, "name", ""), 9)))
    factors = ([Const(const)] if const != 1 or not rest else []) + rest
    return factors[0] if len(factors) == 1 else Mul(tuple(factors))


def from_json(data: Any) -> Expr:
    """Inverse of ``Expr.to_json``."""
    if isinstance(data, list) and data and data[0] in ("+", "*"):
        parts = [from_json(x) for x in data[1:]]
        return Add(tuple(parts)) if data[0] == "+" else Mul(tuple(parts))
    return as_expr(data)


d, u, p, D = Var("d"), Var("u"), Var("p"), Var("D")

# --------------------------------------------------------------------------------------
# Definitions (the one source of truth)
# --------------------------------------------------------------------------------------

#: Gate letters in each framework's storage order (also the order of slices in the weights).
GATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("keras", "lstm"): ("i", "f", "c", "o"),
    ("keras", "gru"): ("z", "r", "h"),
    ("keras", "simple_rnn"): ("h",),
    ("pytorch", "lstm"): ("i", "f", "g", "o"),
    ("pytorch", "gru"): ("r", "z", "n"),
    ("pytorch", "rnn"): ("h",),
}

#: Keras layer class name for each kind (summary rows, ``Bidirectional`` paths).
KERAS_CLASS = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}

#: Letters used when rendering LaTeX, per framework.
SYMBOLS: dict[str, dict[str, str]] = {
    "keras": {"d": "d", "u": "u"},
    "pytorch": {"d": "d", "u": "h", "p": "p", "D": "D"},
}

#: What each variable means (catalog "variables").
VARIABLES = {
    "d": "input width: Keras input_dim (last axis of the input), PyTorch input_size",
    "u": "Keras units = PyTorch hidden_size (written h in PyTorch formulas)",
    "p": "PyTorch proj_size (LSTM only, 0 = no projection)",
    "D": "input width of a PyTorch upper layer (l >= 1): dirs*u, or dirs*p with a projection",
}

_OPTIONS: dict[str, dict[str, Any]] = {
    "keras": {"use_bias": True, "reset_after": True, "bidirectional": False},
    "pytorch": {"bias": True, "bidirectional": False, "proj_size": 0, "num_layers": 1},
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


def _keras_direction(kind: str, use_bias: bool, reset_after: bool, prefix: str) -> list[WeightSpec]:
    """Keras weights of one direction: kernel (d, G*u), recurrent_kernel (u, G*u), bias."""
    gates = GATES["keras", kind]
    g = len(gates)
    specs = [
        WeightSpec(prefix + "kernel", (d, mul(g, u)), "input", gates),
        WeightSpec(prefix + "recurrent_kernel", (u, mul(g, u)), "recurrent", gates),
    ]
    if use_bias:
        shape = (Const(2), mul(g, u)) if kind == "gru" and reset_after else (mul(g, u),)
        specs.append(WeightSpec(prefix + "bias", shape, "bias", gates))
    return specs


def _keras_factored(kind: str, use_bias: bool, reset_after: bool) -> Expr:
    """Per direction: G*u*(d + u + b) with b biases per unit and gate."""
    g = len(GATES["keras", kind])
    b = (2 if kind == "gru" and reset_after else 1) if use_bias else 0
    return mul(g, u, add(d, u, b))


def _torch_direction(kind: str, bias: bool, proj: bool, layer: int, suffix: str, inp: Expr) -> list[WeightSpec]:
    """PyTorch weights of one direction of layer ``layer`` whose input width is ``inp``."""
    gates = GATES["pytorch", kind]
    g = len(gates)
    out = p if proj else u
    specs = [
        WeightSpec(f"weight_ih_l{layer}{suffix}", (mul(g, u), inp), "input", gates),
        WeightSpec(f"weight_hh_l{layer}{suffix}", (mul(g, u), out), "recurrent", gates),
    ]
    if bias:
        specs.append(WeightSpec(f"bias_ih_l{layer}{suffix}", (mul(g, u),), "bias", gates))
        specs.append(WeightSpec(f"bias_hh_l{layer}{suffix}", (mul(g, u),), "bias", gates))
    if proj:
        specs.append(WeightSpec(f"weight_hr_l{layer}{suffix}", (p, u), "projection", ()))
    return specs


def _torch_factored(kind: str, bias: bool, proj: bool, inp: Expr) -> Expr:
    """Per direction: G*h*(D + h + 2) (+ p*h and h -> p in the recurrent term with projection)."""
    g = len(GATES["pytorch", kind])
    main = mul(g, u, add(inp, p if proj else u, 2 if bias else 0))
    return add(main, mul(p, u)) if proj else main


def _upper_input(bidirectional: bool, proj: bool) -> Expr:
    """Input width of PyTorch layer l >= 1: the previous layer's output width."""
    return mul(2 if bidirectional else 1, p if proj else u)


def _check_kind(framework: str, kind: str) -> None:
    _validate.choice("framework", framework, ("keras", "pytorch"))
    kinds = tuple(k for (f, k) in GATES if f == framework)
    _validate.choice("kind", kind, kinds, where=f"{framework} layer")


def _options(framework: str, kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and validate the options of one layer kind."""
    _check_kind(framework, kind)
    known = dict(_OPTIONS[framework])
    where = f"{framework} {kind}"
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown option {unknown[0]!r}; known options: {', '.join(known)}")
    known.update(options)
    for name in ("use_bias", "reset_after", "bias", "bidirectional"):
        if name in known:
            _validate.boolean(name, known[name], where=where)
    if framework == "pytorch":
        known["proj_size"] = _validate.positive_int("proj_size", known["proj_size"], where=where, allow_zero=True)
        known["num_layers"] = _validate.positive_int("num_layers", known["num_layers"], where=where)
        if known["proj_size"] and kind != "lstm":
            raise ValueError(f"{where}: proj_size is only supported by LSTM, got proj_size={known['proj_size']}")
    if framework == "keras" and kind != "gru":
        if "reset_after" in options:
            raise ValueError(f"{where}: reset_after is a GRU option, got reset_after={options['reset_after']!r}")
        known.pop("reset_after")
    return known


def weights(framework: str, kind: str, **options: Any) -> list[WeightSpec]:
    """The weights one layer allocates, in the framework's order, with symbolic shapes.

    Keras options: ``use_bias=True``, ``reset_after=True`` (GRU), ``bidirectional=False``
    (both directions, forward first).  PyTorch options: ``bias=True``,
    ``bidirectional=False``, ``proj_size=0`` (LSTM), ``num_layers=1`` (layers l >= 1 have
    their input width substituted: ``dirs*u``, or ``dirs*p`` with a projection).
    """
    o = _options(framework, kind, options)
    if framework == "keras":
        if not o["bidirectional"]:
            return _keras_direction(kind, o["use_bias"], o.get("reset_after", True), "")
        return [spec for side in ("forward", "backward")
                for spec in _keras_direction(kind, o["use_bias"], o.get("reset_after", True),
                                             f"{side}_{kind}/{kind}_cell/")]
    proj = o["proj_size"] > 0
    suffixes = ("", "_reverse") if o["bidirectional"] else ("",)
    specs = []
    for layer in range(o["num_layers"]):
        inp = d if layer == 0 else _upper_input(o["bidirectional"], proj)
        for sfx in suffixes:
            specs.extend(_torch_direction(kind, o["bias"], proj, layer, sfx, inp))
    return specs


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
        return self.total.latex(SYMBOLS[self.framework])

    def evaluate(self, **values: int) -> int:
        return self.total.evaluate(values)


def formula(framework: str, kind: str, **options: Any) -> Formula:
    """The symbolic count of one layer (see ``count`` for what is included)."""
    o = _options(framework, kind, options)
    specs = weights(framework, kind, **options)
    if framework == "keras":
        per_dir = _keras_factored(kind, o["use_bias"], o.get("reset_after", True))
        total = mul(2, per_dir) if o["bidirectional"] else per_dir
    else:
        proj = o["proj_size"] > 0
        dirs = 2 if o["bidirectional"] else 1
        first = mul(dirs, _torch_factored(kind, o["bias"], proj, d))
        total = first
        if o["num_layers"] > 1:
            upper = mul(dirs, _torch_factored(kind, o["bias"], proj, _upper_input(o["bidirectional"], proj)))
            total = add(first, mul(o["num_layers"] - 1, upper))
    gates = GATES[framework, kind]
    gate_total = total if framework == "keras" or not o["proj_size"] else _gate_part(o, kind)
    by_gate: dict[str, Expr] = {g: _divide(gate_total, len(gates)) for g in gates}
    proj_specs = [s.size for s in specs if s.role == "projection"]
    if proj_specs:  # PyTorch weight_hr: belongs to no gate
        by_gate["projection"] = add(*proj_specs)
    by_weight = {spec.name: spec.size for spec in specs}
    return Formula(framework, kind, o, total, {"weights": by_weight, "gates": by_gate})


def _gate_part(o: dict[str, Any], kind: str) -> Expr:
    """PyTorch LSTM with projection: the total without the ``weight_hr`` terms."""
    dirs = 2 if o["bidirectional"] else 1
    g = len(GATES["pytorch", kind])
    first = mul(dirs, g, u, add(d, p, 2 if o["bias"] else 0))
    if o["num_layers"] == 1:
        return first
    upper = mul(dirs, g, u, add(_upper_input(o["bidirectional"], True), p, 2 if o["bias"] else 0))
    return add(first, mul(o["num_layers"] - 1, upper))


def _divide(expr: Expr, k: int) -> Expr:
    """``expr / k`` for a product holding a constant multiple of ``k`` (a gate-stacked size)."""
    if k == 1:
        return expr
    if isinstance(expr, Add):
        return add(*(_divide(t, k) for t in expr.terms))
    if isinstance(expr, Mul) and isinstance(expr.factors[0], Const) and expr.factors[0].value % k == 0:
        return mul(expr.factors[0].value // k, *expr.factors[1:])
    raise ValueError(f"cannot split {expr.latex()} into {k} equal gate slices")


def count(framework: str, kind: str, *, input_dim: int, units: int, **options: Any) -> int:
    """Exact parameter count of one layer (Python int, any size).

    Keras, per direction (x2 when ``bidirectional``): ``G*u*(d + u + b)`` -- kernel
    ``d*G*u``, recurrent kernel ``u*G*u`` and ``b`` biases per unit and gate (``b = 1``;
    ``2`` for GRU with ``reset_after=True``; ``0`` without ``use_bias``), with ``G`` = 4
    (LSTM), 3 (GRU), 1 (SimpleRNN).

    PyTorch, per direction and layer: ``G*h*(D + h + 2)`` -- ``weight_ih``, ``weight_hh``,
    ``bias_ih`` and ``bias_hh`` (``+0`` without ``bias``); with ``proj_size=p`` (LSTM):
    ``4h(D + p + 2) + p*h`` (``weight_hh`` is (4h, p), plus ``weight_hr`` (p, h)).  ``D`` is
    ``input_dim`` for layer 0 and ``dirs*h`` (``dirs*p``) above it.
    """
    o = _options(framework, kind, options)
    where = f"{framework} {kind}"
    env = {
        "d": _validate.positive_int("input_dim", input_dim, where=where),
        "u": _validate.positive_int("units", units, where=where),
        "p": o.get("proj_size", 0),
    }
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


def catalog() -> dict[str, Any]:
    """Every layer template as JSON (schema in the module docstring)."""
    layers: list[dict[str, Any]] = []
    for kind in ("lstm", "gru", "simple_rnn"):
        for use_bias, bidi in itertools.product((True, False), repeat=2):
            for reset_after in ((True, False) if kind == "gru" else (None,)):
                opts: dict[str, Any] = {"use_bias": use_bias, "bidirectional": bidi}
                if reset_after is not None:
                    opts["reset_after"] = reset_after
                f = formula("keras", kind, **opts)
                layers.append(_entry("keras", kind, opts, weights("keras", kind, **opts), f.total))
    for kind in ("lstm", "gru", "rnn"):
        for bias, bidi in itertools.product((True, False), repeat=2):
            for proj in ((False, True) if kind == "lstm" else (None,)):
                has_proj = bool(proj)
                opts = {"bias": bias, "bidirectional": bidi}
                if proj is not None:
                    opts["proj"] = proj
                dirs = 2 if bidi else 1
                sfx = ("", "_reverse") if bidi else ("",)
                first = [s for x in sfx for s in _torch_direction(kind, bias, has_proj, 0, x, d)]
                e = _entry("pytorch", kind, opts, first, mul(dirs, _torch_factored(kind, bias, has_proj, d)))
                e["layer"] = "first"
                layers.append(e)
                upper = [s for x in sfx for s in _torch_direction(kind, bias, has_proj, 1, x, D)]
                e = _entry("pytorch", kind, opts, upper, mul(dirs, _torch_factored(kind, bias, has_proj, D)))
                e["layer"] = "upper"
                e["D"] = _upper_input(bidi, has_proj).to_json()
                layers.append(e)
    return {"version": 1, "variables": dict(VARIABLES), "layers": layers}


def evaluate_json(expr: Any, env: dict[str, int]) -> int:
    """Evaluate a catalog EXPR (int, variable name, ``["+"|"*", ...]``) exactly."""
    return from_json(expr).evaluate(env)


__all__ = [
    "Expr", "Const", "Var", "Add", "Mul", "add", "mul", "as_expr", "from_json", "evaluate_json",
    "GATES", "KERAS_CLASS", "SYMBOLS", "VARIABLES", "WeightSpec", "Formula",
    "weights", "formula", "count", "catalog",
]

