"""Formulas written in a page's math, read as expressions with variables.

``parse(body, lang)`` reads one math segment (TeX as a page writes it, e.g.
``N_\\text{LSTM} = 4u(d + u + 1)`` or ``d \\times 4u``) into a chain ``sides`` joined by
``relations``; each side is an ``Expression`` that evaluates exactly (``Fraction``) given
the values of its variables.  The engine uses it to check

* identities: ``4\\,[(d + u)\\,u + u] = 4u(d + u + 1)`` holds for every ``d`` and ``u``;
* statements about the page's bindings: after ``$u = 256${= layer.units }``,
  ``$u \\times u = 256 \\times 256$`` is evaluated with ``u = 256``;
* a formula tied to a value: ``$4u(d + u + 1)${= layer.count_params() }`` is evaluated with
  the bindings and compared with the value; ``$d \\times 4u${= kernel.shape }`` reads
  ``\\times`` between the sides of a shape.

Variables are single letters, optionally with a subscript (``k_h``, ``N_\\text{LSTM}``);
juxtaposition multiplies (``4u``, ``u(d + u)``).  Anything else (``\\sigma``, ``\\tanh``,
``\\odot``, ``\\dots``) makes a side ``None``: not an expression this module evaluates.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

from lstm_docs.numbers import convention, number_pattern, parse_number

__all__ = ["Chain", "Expression", "Unbound", "identity_holds", "parse"]

#: Letters that count positions rather than sizes (time step, layer, gate, unit, row indices):
#: a formula over these alone (``t + 1``, ``2l + 1``, ``k + 1``) states no size.
INDEX_LETTERS = frozenset("tTlijk")


class Unbound(Exception):
    """A variable has no value: ``name`` is the variable."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Expression:
    """A parsed side: ``tree`` (nested tuples), its ``variables`` and whether it holds a
    number written in the page (``has_number``)."""

    tree: tuple
    variables: frozenset[str]
    has_number: bool
    factors: tuple[tuple, ...] = ()  # the sides of a shape written with \times: (d, 4u)

    def evaluate(self, env: dict[str, Fraction]) -> Fraction:
        return _eval(self.tree, env)

    def shape(self, env: dict[str, Fraction]) -> tuple[Fraction, ...]:
        """The factors of ``a \\times b \\times c`` (or of ``(a, b)``), each evaluated."""
        return tuple(_eval(f, env) for f in self.factors)


@dataclass(frozen=True)
class Chain:
    """``sides[0] relations[0] sides[1] ...``; a side that is not an expression is ``None``."""

    sides: tuple[Expression | None, ...]
    relations: tuple[str, ...]

    @property
    def variables(self) -> frozenset[str]:
        return frozenset().union(*(s.variables for s in self.sides if s is not None))


# ---------------------------------------------------------------- reading TeX

_REL = {"=": "=", "\\neq": "≠", "\\ne": "≠", "≠": "≠", "\\approx": "≈", "≈": "≈",
        "<": "<", ">": ">", "\\le": "≤", "\\leq": "≤", "≤": "≤", "\\ge": "≥", "\\geq": "≥",
        "≥": "≥"}  # fmt: skip
_OPS = {"+": "+", "-": "-", "−": "-", "\\times": "×", "×": "×", "\\cdot": "*", "·": "*",
        "⋅": "*", "*": "*", "/": "/", "\\div": "/", "÷": "/"}  # fmt: skip
_SPACES = re.compile(r"\\[,:;! ]|~|\\quad|\\qquad|\\left|\\right|\\[bB]igg?[lr]?")
_SUPERSCRIPTS = {"²": "2", "³": "3"}
_SUBSCRIPT = re.compile(r"_(?:\\text\s*\{([^{}]*)\}|\\mathrm\s*\{([^{}]*)\}|\{([^{}]*)\}|([A-Za-z0-9]))")


def _tokens(body: str, lang: str) -> list[tuple[str, str]] | None:
    """``(kind, text)`` tokens of ``body``: num, var, op, rel, lp, rp, comma, pow, frac,
    floor/ceil brackets; ``None`` as soon as something is not arithmetic over variables."""
    number = re.compile(number_pattern(lang))
    conv = convention(lang)
    text = _SPACES.sub(" ", body)
    text = re.sub(r"(\d)\{,\}(?=\d{3}(?!\d))", lambda m: m.group(1) + conv.group, text)
    text = text.replace("{,}", conv.decimal if conv.decimal == "," else ",")
    for sup, digit in _SUPERSCRIPTS.items():
        text = text.replace(sup, "^" + digit)
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit():
            m = number.match(text, i)
            assert m is not None
            out.append(("num", m.group()))
            i = m.end()
            continue
        if ch.isalpha() and ch.isascii():
            name = ch
            j = i + 1
            sub = _SUBSCRIPT.match(text, j)
            if sub:
                name += "_" + next(g for g in sub.groups() if g is not None).replace(" ", "")
                j = sub.end()
            out.append(("var", name))
            i = j
            continue
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", text[i:])
            assert m is not None
            word = "\\" + m.group(1)
            i += len(m.group())
            if word in _REL:
                out.append(("rel", _REL[word]))
            elif word in _OPS:
                out.append(("op", _OPS[word]))
            elif word in ("\\frac", "\\dfrac", "\\tfrac"):
                out.append(("frac", word))
            elif word in ("\\lfloor", "\\lceil"):
                out.append(("lp", word))
            elif word in ("\\rfloor", "\\rceil"):
                out.append(("rp", word))
            elif word in ("\\{", "\\}"):
                out.append(("lp" if word == "\\{" else "rp", word[1]))
            else:
                return None  # \sigma, \tanh, \odot, \dots, \text{...}: not arithmetic
            continue
        if ch in _REL:
            out.append(("rel", _REL[ch]))
        elif ch in _OPS:
            out.append(("op", _OPS[ch]))
        elif ch == "^":
            out.append(("pow", ch))
        elif ch in "([{":
            out.append(("lp", ch))
        elif ch in ")]}":
            out.append(("rp", ch))
        elif ch == ",":
            out.append(("comma", ch))
        else:
            return None
        i += 1
    return out


def parse(body: str, lang: str) -> Chain | None:
    """The relation chain of one math segment, or ``None`` if it is not arithmetic over
    variables (a function name, an operator this module does not read...)."""
    toks = _tokens(body, lang)
    if toks is None or not toks:
        return None
    sides: list[list[tuple[str, str]]] = [[]]
    relations: list[str] = []
    for tok in toks:
        if tok[0] == "rel":
            relations.append(tok[1])
            sides.append([])
        else:
            sides[-1].append(tok)
    parsed = []
    for side in sides:
        try:
            parsed.append(_side(side, lang))
        except _NotExpression:
            parsed.append(None)
    return Chain(tuple(parsed), tuple(relations))


class _NotExpression(Exception):
    pass


def _side(toks: list[tuple[str, str]], lang: str) -> Expression:
    if not toks:
        raise _NotExpression()
    parser = _Parser(toks, lang)
    tree = parser.tuple_or_expr()
    if parser.i != len(toks):
        raise _NotExpression()
    factors: tuple[tuple, ...] = ()
    if tree[0] == "tuple":
        factors = tree[1]
    elif tree[0] == "×":
        factors = _times_factors(tree)
    return Expression(tree, frozenset(_vars(tree)), any(k == "num" for k, _ in toks), factors)


def _times_factors(tree: tuple) -> tuple[tuple, ...]:
    if tree[0] == "×":
        return _times_factors(tree[1]) + _times_factors(tree[2])
    return (tree,)


def _vars(tree: tuple) -> set[str]:
    if tree[0] == "var":
        return {tree[1]}
    if tree[0] == "num":
        return set()
    if tree[0] == "tuple":
        return set().union(*(_vars(t) for t in tree[1]))
    return set().union(*(_vars(t) for t in tree[1:] if isinstance(t, tuple)))


class _Parser:
    """expr := product (('+'|'-') product)*; product := term ('×' term)*;
    term := power (('*'|'/') power | power)*;
    power := unary ('^' atom)?; atom := num | var | (expr) | \\frac{expr}{expr} | floor/ceil."""

    def __init__(self, toks: list[tuple[str, str]], lang: str) -> None:
        self.toks, self.lang, self.i = toks, lang, 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise _NotExpression()
        self.i += 1
        return tok

    def tuple_or_expr(self) -> tuple:
        first = self.expr()
        if self.peek() is None or self.peek()[0] != "comma":  # type: ignore[index]
            return first
        items = [first]
        while self.peek() is not None and self.peek()[0] == "comma":  # type: ignore[index]
            self.i += 1
            if self.peek() is None:
                break
            items.append(self.expr())
        return ("tuple", tuple(items))

    def expr(self) -> tuple:
        if self.peek() == ("op", "-"):
            self.i += 1
            tree: tuple = ("neg", self.product())
        else:
            tree = self.product()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in "+-":
            self.i += 1
            tree = (tok[1], tree, self.product())
        return tree

    def product(self) -> tuple:
        """``a \\times b``: binds looser than ``4u`` or ``a \\cdot b``, so ``d \\times 4u`` is the
        shape ``(d, 4u)`` as well as the product."""
        tree = self.term()
        while (tok := self.peek()) is not None and tok == ("op", "×"):
            self.i += 1
            tree = ("×", tree, self.term())
        return tree

    def term(self) -> tuple:
        tree = self.power()
        while (tok := self.peek()) is not None:
            if tok[0] == "op" and tok[1] in "*/":
                self.i += 1
                tree = (tok[1], tree, self.power())
            elif tok[0] in ("num", "var", "lp", "frac"):  # juxtaposition: 4u, u(d + u)
                tree = ("*", tree, self.power())
            else:
                break
        return tree

    def power(self) -> tuple:
        base = self.atom()
        if self.peek() is not None and self.peek()[0] == "pow":  # type: ignore[index]
            self.i += 1
            return ("^", base, self.atom())
        return base

    def atom(self) -> tuple:
        kind, text = self.take()
        if kind == "num":
            return ("num", Fraction(parse_number(text, self.lang)))
        if kind == "var":
            return ("var", text)
        if kind == "frac":
            top, bottom = self.group(), self.group()
            return ("/", top, bottom)
        if kind == "lp":
            inner = self.expr()
            if text in "([" and self.peek() == ("comma", ","):  # (d, 4u): a shape; [a, b): an interval
                items = [inner]
                while self.peek() == ("comma", ","):
                    self.i += 1
                    if self.peek() == ("rp", ")"):
                        break  # (12,)
                    items.append(self.expr())
                if self.take() not in (("rp", ")"), ("rp", "]")):
                    raise _NotExpression()
                return ("tuple", tuple(items))
            close = self.take()
            pairs = {"(": ")", "[": "]", "{": "}", "\\lfloor": "\\rfloor", "\\lceil": "\\rceil"}
            if close[0] != "rp" or pairs[text] != close[1]:
                raise _NotExpression()
            if text == "\\lfloor":
                return ("floor", inner)
            if text == "\\lceil":
                return ("ceil", inner)
            return inner
        raise _NotExpression()

    def group(self) -> tuple:
        if self.take() != ("lp", "{"):
            raise _NotExpression()
        inner = self.expr()
        if self.take() != ("rp", "}"):
            raise _NotExpression()
        return inner


def _eval(tree: tuple, env: dict[str, Fraction]) -> Fraction:
    op = tree[0]
    if op == "num":
        return tree[1]
    if op == "var":
        if tree[1] not in env:
            raise Unbound(tree[1])
        return Fraction(env[tree[1]])
    if op == "neg":
        return -_eval(tree[1], env)
    if op == "floor":
        return Fraction(_eval(tree[1], env).__floor__())
    if op == "ceil":
        return Fraction(_eval(tree[1], env).__ceil__())
    if op == "tuple":
        raise Unbound("(a tuple)")
    a, b = _eval(tree[1], env), _eval(tree[2], env)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op in "×*":
        return a * b
    if op == "/":
        if b == 0:
            raise Unbound("(division by zero)")
        return a / b
    if op == "^":
        if b.denominator != 1 or abs(b) > 64:
            raise Unbound("(exponent)")
        return a ** int(b)
    raise AssertionError(op)


def identity_holds(left: Expression, right: Expression, env: dict[str, Fraction], relation: str = "=",
                   trials: int = 4) -> bool:
    """Whether ``left relation right`` holds for every value of the variables ``env`` leaves
    free (tried at ``trials`` random integer points; bound variables keep their values)."""
    free = sorted((left.variables | right.variables) - set(env))
    rng = random.Random(" ".join(free))
    for _ in range(trials):
        point = dict(env)
        point.update({name: Fraction(rng.randint(2, 97)) for name in free})
        try:
            lv, rv = left.evaluate(point), right.evaluate(point)
        except Unbound:
            return False
        if (lv == rv) != (relation == "="):
            return False
    return True
