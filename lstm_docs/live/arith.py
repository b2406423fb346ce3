"""Tokens and exact arithmetic for equations written in prose or math.

Operators: ``+ - − × · ⋅ * x / ÷ ^ ² ³`` (``x`` only between numbers), parentheses and
brackets, implicit product before a parenthesis with no space (``4(2 + 3)``; in
``32,000 (one per token)`` the parenthesis is prose).  Relations: ``=`` (must hold
exactly), ``≠`` (must hold), ``≈`` (equal after rounding to the written decimals).
Numbers follow the page language's conventions (``lstm_docs.numbers``).  Arithmetic is
exact (``Fraction``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from lstm_docs.numbers import convention, number_pattern, parse_number

SUPERSCRIPTS = {"⁰": 0, "¹": 1, "²": 2, "³": 3, "⁴": 4, "⁵": 5, "⁶": 6, "⁷": 7, "⁸": 8, "⁹": 9}
OPERATORS = {
    "+": "+", "-": "-", "−": "-", "×": "*", "·": "*", "⋅": "*", "∙": "*", "*": "*",
    "/": "/", "÷": "/", "^": "^",
}  # fmt: skip
RELATIONS = {"=": "=", "≠": "≠", "≈": "≈"}
OPEN_BRACKETS = "([{"
CLOSE_BRACKETS = ")]}"
WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
#: Words that scale the number before them, in any page language: ``4.5 million``,
#: ``4,46 M``, ``446 万`` (an approximation ``≈`` is then rounded at that scale).
SCALES = {"thousand": 10**3, "k": 10**3, "K": 10**3, "million": 10**6, "millions": 10**6,
          "millón": 10**6, "millones": 10**6, "M": 10**6, "billion": 10**9, "milliard": 10**9,
          "milliards": 10**9, "万": 10**4, "亿": 10**8}  # fmt: skip
_SCALE = re.compile(r"[ \u00a0\u202f]?(" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")(?![A-Za-z])")


@dataclass
class Token:
    """``kind``: num, sup, op, lp, rp, rel, ws, other.  ``pos``: offset in the scanned text."""

    kind: str
    text: str
    pos: int
    value: Fraction | None = None
    digits: int = 0
    decimals: int = 0
    spaced: bool = False  # whitespace right before it ("4 (one vector)" is no product)
    scale: int = 1  # "4.5 million": value 4500000, scale 10**6


def tokenize(text: str, lang: str, braces: bool = False) -> list[Token]:
    """Split ``text`` into tokens; ``braces`` makes ``{ }`` group like parentheses (math)."""
    number = re.compile(number_pattern(lang))
    decimal_mark = convention(lang).decimal
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        prev = text[i - 1] if i else ""
        if ch.isdigit() and ch.isascii() and not (prev and (WORD_CHAR.match(prev) or prev == ".")):
            match = number.match(text, i)
            assert match is not None
            end = match.end()
            written = match.group()
            scaled = _SCALE.match(text, end)
            if scaled:
                value = parse_number(written, lang)
                digits = sum(c.isdigit() for c in written)
                frac = written.rsplit(decimal_mark, 1)[1] if decimal_mark in written else ""
                scale = SCALES[scaled.group(1)]
                tokens.append(Token("num", text[i:scaled.end()], i, Fraction(value) * scale, digits, len(frac),
                                    scale=scale))
                i = scaled.end()
                continue
            if end < n and WORD_CHAR.match(text[end]):  # 4D, 1st, 3x faster: part of a word
                j = end
                while j < n and WORD_CHAR.match(text[j]):
                    j += 1
                tokens.append(Token("other", text[i:j], i))
                i = j
                continue
            value = parse_number(written, lang)
            digits = sum(c.isdigit() for c in written)
            frac = written.rsplit(decimal_mark, 1)[1] if decimal_mark in written else ""
            tokens.append(Token("num", written, i, Fraction(value), digits, len(frac)))
            i = end
        elif ch in SUPERSCRIPTS:
            tokens.append(Token("sup", ch, i, Fraction(SUPERSCRIPTS[ch])))
            i += 1
        elif ch in OPERATORS:
            tokens.append(Token("op", OPERATORS[ch], i))
            i += 1
        elif ch == "x" and _x_is_times(text, i, tokens):
            tokens.append(Token("op", "*", i))
            i += 1
        elif ch in RELATIONS:
            tokens.append(Token("rel", RELATIONS[ch], i))
            i += 1
        elif ch in "([" or (braces and ch == "{"):
            tokens.append(Token("lp", ch, i, spaced=bool(tokens) and tokens[-1].kind == "ws"))
            i += 1
        elif ch in ")]" or (braces and ch == "}"):
            tokens.append(Token("rp", ch, i, spaced=i + 1 < n and text[i + 1].isspace()))
            i += 1
        elif ch.isspace():
            j = i
            while j < n and text[j].isspace() and text[j] != "\n":
                j += 1
            if j == i:  # newline
                j = i + 1
            tokens.append(Token("ws", text[i:j], i))
            i = j
        else:
            j = i + 1
            if WORD_CHAR.match(ch):
                while j < n and WORD_CHAR.match(text[j]):
                    j += 1
            tokens.append(Token("other", text[i:j], i))
            i = j
    return tokens


def _x_is_times(text: str, i: int, tokens: list[Token]) -> bool:
    """``4 x 3``: an ``x`` standing alone between a number (or ``)``) and a number (or ``(``)."""
    sig = [t for t in tokens if t.kind != "ws"]
    if not sig or sig[-1].kind not in ("num", "rp", "sup"):
        return False
    if i + 1 < len(text) and WORD_CHAR.match(text[i + 1]):
        return False
    rest = text[i + 1 :].lstrip(" \u00a0\u202f")
    return bool(rest) and (rest[0].isdigit() or rest[0] in "([")


class NotAnExpression(Exception):
    """The tokens are not one complete arithmetic expression."""


def evaluate(tokens: list[Token]) -> Fraction:
    """Exact value of ``tokens`` (whitespace ignored); ``NotAnExpression`` if they are not one."""
    parser = _Parser([t for t in tokens if t.kind != "ws"])
    if not parser.toks:
        raise NotAnExpression("empty")
    value = parser.expr()
    if parser.i != len(parser.toks):
        raise NotAnExpression("trailing tokens")
    return value


class _Parser:
    def __init__(self, toks: list[Token]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> Token | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise NotAnExpression("unexpected end")
        self.i += 1
        return tok

    def expr(self) -> Fraction:
        value = self.term()
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text in "+-":
            self.i += 1
            rhs = self.term()
            value = value + rhs if tok.text == "+" else value - rhs
        return value

    def term(self) -> Fraction:
        value = self.power()
        while (tok := self.peek()) is not None:
            if tok.kind == "op" and tok.text in "*/":
                self.i += 1
                rhs = self.power()
                if tok.text == "/":
                    if rhs == 0:
                        raise NotAnExpression("division by zero")
                    value = value / rhs
                else:
                    value = value * rhs
            elif tok.kind == "lp" and not tok.spaced:  # implicit product: 4(2 + 3), not 4 (2 + 3)
                value = value * self.power()
            else:
                break
        return value

    def power(self) -> Fraction:
        base = self.unary()
        tok = self.peek()
        if tok is not None and tok.kind == "sup":
            self.i += 1
            return _pow(base, tok.value or Fraction(0))
        if tok is not None and tok.kind == "op" and tok.text == "^":
            self.i += 1
            return _pow(base, self.power())
        return base

    def unary(self) -> Fraction:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == "-":
            self.i += 1
            return -self.unary()
        return self.atom()

    def atom(self) -> Fraction:
        tok = self.take()
        if tok.kind == "num":
            assert tok.value is not None
            return tok.value
        if tok.kind == "lp":
            value = self.expr()
            close = self.take()
            if close.kind != "rp" or OPEN_BRACKETS.index(tok.text) != CLOSE_BRACKETS.index(
                close.text
            ):
                raise NotAnExpression("unbalanced brackets")
            return value
        raise NotAnExpression(f"unexpected {tok.text!r}")


def _pow(base: Fraction, exponent: Fraction) -> Fraction:
    if exponent.denominator != 1 or abs(exponent) > 64:
        raise NotAnExpression("exponent must be a small integer")
    return base ** int(exponent)
