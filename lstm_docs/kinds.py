"""The layer-kind registry: one entry per recurrent layer kind, everything else derives from it.

A kind has one registry ``key`` (Keras's spelling: ``"lstm"``, ``"gru"``, ``"simple_rnn"``)
and, per framework, the name that framework's formulas use (``"rnn"`` in PyTorch), the
aliases a reader may type, the class name and the gate letters in storage order.

    >>> resolve("pytorch", "simple_rnn").names["pytorch"]
    'rnn'
    >>> names("keras")
    ('lstm', 'gru', 'simple_rnn')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lstm_docs import _validate

#: The frameworks the mirrors follow, in the order the site shows them.
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch")


@dataclass(frozen=True)
class Kind:
    """One recurrent layer kind, as each framework names and stores it."""

    key: str
    #: framework -> the name formulas, the CLI and the calculator use (``{"pytorch": "rnn"}``)
    names: dict[str, str]
    #: framework -> class name (``{"keras": "SimpleRNN", "pytorch": "RNN"}``)
    classes: dict[str, str]
    #: framework -> gate letters in the order the weights stack them
    gates: dict[str, tuple[str, ...]]
    #: other spellings accepted for this kind in every framework
    aliases: tuple[str, ...] = field(default=())

    def spellings(self, framework: str) -> tuple[str, ...]:
        """Every name accepted for this kind in ``framework``, its own name first."""
        own = self.names[framework]
        return (own, *sorted({self.key, *self.aliases} - {own}))


KINDS: tuple[Kind, ...] = (
    Kind(
        key="lstm",
        names={"keras": "lstm", "pytorch": "lstm"},
        classes={"keras": "LSTM", "pytorch": "LSTM"},
        gates={"keras": ("i", "f", "c", "o"), "pytorch": ("i", "f", "g", "o")},
    ),
    Kind(
        key="gru",
        names={"keras": "gru", "pytorch": "gru"},
        classes={"keras": "GRU", "pytorch": "GRU"},
        gates={"keras": ("z", "r", "h"), "pytorch": ("r", "z", "n")},
    ),
    Kind(
        key="simple_rnn",
        names={"keras": "simple_rnn", "pytorch": "rnn"},
        classes={"keras": "SimpleRNN", "pytorch": "RNN"},
        gates={"keras": ("h",), "pytorch": ("h",)},
        aliases=("rnn",),
    ),
)


def names(framework: str) -> tuple[str, ...]:
    """The kinds' own names in ``framework``, in registry order."""
    _validate.choice("framework", framework, FRAMEWORKS)
    return tuple(k.names[framework] for k in KINDS)


def aliases(framework: str) -> dict[str, str]:
    """Every other accepted spelling in ``framework`` -> the kind's own name there."""
    _validate.choice("framework", framework, FRAMEWORKS)
    return {s: k.names[framework] for k in KINDS for s in k.spellings(framework)[1:]}


def resolve(framework: str, name: str) -> Kind:
    """The kind ``name`` denotes in ``framework`` (own names and aliases accepted)."""
    _validate.choice("framework", framework, FRAMEWORKS)
    for kind in KINDS:
        if name in kind.spellings(framework):
            return kind
    _validate.choice("kind", name, names(framework), where=f"{framework} layer")
    raise AssertionError("unreachable")  # pragma: no cover
