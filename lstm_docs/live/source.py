"""A page's Markdown after includes, every line remembering the file and line it came from.

``--8<-- "units/model.md"`` (path relative to the repository's ``snippets/`` directory) is
replaced by that file's lines, each prefixed with the include line's indentation, so an
include works inside a content tab.  Includes may nest; a cycle or a missing file is an
``EngineError`` that names the including line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

INCLUDE = re.compile(r"""^(?P<indent>[ \t]*)--8<--[ \t]+(?P<q>["'])(?P<path>[^"']+)(?P=q)[ \t]*$""")


@dataclass(frozen=True)
class Origin:
    """Where one expanded line was written: ``path`` (repo-relative) and 1-based ``line``."""

    path: str
    line: int
    included_from: Origin | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.included_from is not None:
            where += f" (included from {self.included_from})"
        return where

    @property
    def page(self) -> Origin:
        """The outermost origin: the page line that (transitively) included this line."""
        return self if self.included_from is None else self.included_from.page


class EngineError(ValueError):
    """A problem in the Markdown itself (missing include, unclosed fence, bad option)."""

    def __init__(self, origin: Origin | None, message: str) -> None:
        self.origin = origin
        self.message = message
        super().__init__(f"{origin}: {message}" if origin else message)


@dataclass
class Source:
    """Expanded page: ``lines`` (no newline) and the ``origins`` of each, same length."""

    path: str
    lang: str
    lines: list[str]
    origins: list[Origin]
    includes: list[str]  # repo-relative paths of every included file, in order

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


Reader = Callable[[str], str]


def expand(
    text: str,
    path: str,
    lang: str,
    snippets_dir: str = "snippets",
    read: Reader | None = None,
) -> Source:
    """Expand includes in ``text`` (the file ``path``); ``read(repo_path) -> str`` loads files.

    ``read`` defaults to reading from the current directory; tests pass a dict's ``__getitem__``.
    """
    reader = read or _read_file
    lines: list[str] = []
    origins: list[Origin] = []
    includes: list[str] = []
    _expand_into(text, path, "", None, (path,), snippets_dir, reader, lines, origins, includes)
    return Source(path=path, lang=lang, lines=lines, origins=origins, includes=includes)


def include_target(match: re.Match[str], snippets_dir: str = "snippets") -> str:
    """The repo-relative file an ``INCLUDE`` match names (its path is under ``snippets_dir``)."""
    return f"{snippets_dir}/{match['path']}".replace("//", "/")


def _read_file(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _expand_into(
    text: str,
    path: str,
    indent: str,
    parent: Origin | None,
    chain: tuple[str, ...],
    snippets_dir: str,
    read: Reader,
    lines: list[str],
    origins: list[Origin],
    includes: list[str],
) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        origin = Origin(path, number, parent)
        match = INCLUDE.match(line)
        if match is None:
            lines.append(indent + line if line.strip() else "")
            origins.append(origin)
            continue
        target = include_target(match, snippets_dir)
        if target in chain:
            loop = " -> ".join((*chain, target))
            raise EngineError(origin, f"include loop {loop}: remove one of these includes")
        try:
            included = read(target)
        except (OSError, KeyError):
            raise EngineError(
                origin,
                f"included file {target} not found: create it or fix the path "
                f"(relative to {snippets_dir}/)",
            ) from None
        includes.append(target)
        _expand_into(
            included,
            target,
            indent + match["indent"],
            origin,
            (*chain, target),
            snippets_dir,
            read,
            lines,
            origins,
            includes,
        )
