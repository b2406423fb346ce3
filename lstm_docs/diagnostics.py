"""One thing wrong in a source file, as every check reports it: ``file:line: message``.

The engine (snippets, ties, equations, untied numbers), the translation checks and the
hooks all report ``Problem`` objects and print them with ``format()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lstm_docs.live.source import Origin


@dataclass(frozen=True)
class Problem:
    """What is wrong (``message``, one line), where (``path``, 1-based ``line``), and an
    optional ``detail`` shown under it (a diff, a traceback).

    ``snippet`` is the index of the page's snippet it belongs to (None: the page's prose);
    ``kind`` is "error" (exception, timeout, capped output), "output" (stored != printed) or
    "prose".  ``origin`` keeps the include chain of an engine problem (see ``at``).
    """

    path: str | Path
    line: int
    message: str
    detail: str = ""
    snippet: int | None = None
    kind: str = "prose"
    origin: Origin | None = field(default=None, compare=False)

    @classmethod
    def at(cls, origin: Origin, message: str, detail: str = "", snippet: int | None = None,
           kind: str = "prose") -> Problem:
        """A problem on the expanded line written at ``origin`` (maybe in an included file)."""
        return cls(origin.path, origin.line, message, detail, snippet, kind, origin)

    @property
    def where(self) -> str:
        """``file:line``, then ``(included from file:line)`` for each include on the way."""
        return str(self.origin) if self.origin is not None else f"{self.path}:{self.line}"

    def format(self) -> str:
        """``file:line: message``, then the detail's lines if any."""
        head = f"{self.where}: {self.message}"
        return head + ("\n" + self.detail if self.detail else "")

    __str__ = format
