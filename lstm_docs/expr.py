"""Symbolic size expressions: tiny trees (``Const``, ``Var``, ``Add``, ``Mul``) over the
variables ``d``, ``u``, ``p``, ``D`` with integer constants.

They evaluate exactly with Python ints, render LaTeX (``4u(d + u + 1)``) and serialise to JSON
as an int, a variable name, or ``["+", a, b, ...]`` / ``["*", a, b, ...]``.  ``add`` and
``mul`` simplify lightly (flattening, merging ``u + u`` into ``2u``, folding constants), so a
sum built from a weight list prints the way a person writes it.

    >>> mul(4, u, add(d, u, 1)).latex()
    '4u(d + u + 1)'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Union
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

__all__ = ["Expr", "Const", "Var", "Add", "Mul", "ExprLike", "add", "mul", "as_expr", "from_json", "d", "u", "p", "D"]
