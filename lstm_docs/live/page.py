"""One page read once: expanded lines with their origins, front matter, fences, math, includes.

``read_page(text, path, lang, read=...)`` expands the page's ``--8<--`` includes (see
:mod:`lstm_docs.live.source`) and finds, in the expanded lines,

* ``front_matter``: the YAML block at the top (``---`` ... ``---`` or ``...``), if any;
* ``fences``: every top-level fenced block (```` ``` ```` or ``~~~``, three or more), its info
  string, its opening and closing line indexes and its body; a fence shown inside a longer
  fence is content;
* ``figure_fences``: the fences whose info string is ``figure``;
* ``math``: inline ``$...$`` and display ``$$...$$`` spans outside fences and front matter;
* ``includes``: every file the page includes, transitively, in first-include order.

Every index is into ``lines``; ``origins[i]`` says which file and line ``lines[i]`` came from
(a snippet line also names the page line that included it).  :class:`IncludeGraph` answers
the reverse question for the command line: which pages include a snippet, even through
another snippet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lstm_docs.live.source import INCLUDE, EngineError, Origin, Reader, Source, expand, include_target

OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<run>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
# display math first, then inline math that is not a price ($5) nor an escaped \$
MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?!\s)(?P<inline>[^$\n]+?)(?<!\s)\$(?!\d)", re.S)


@dataclass
class Fence:
    """One fenced block: ``start``/``end`` are indexes of its opening/closing lines.

    An unclosed fence (read with ``strict=False``) has ``end == len(lines)``: it runs to the
    end of the text.
    """

    start: int
    end: int
    indent: str
    run: str
    info: str
    body: list[str]  # content lines, fence indentation removed

    @property
    def words(self) -> list[str]:
        return self.info.split()

    @property
    def is_live(self) -> bool:
        return self.words[:2] == ["python", "live"]

    @property
    def is_output(self) -> bool:
        return self.info.strip() == "output"

    @property
    def is_figure(self) -> bool:
        return self.info.strip() == "figure"


@dataclass(frozen=True)
class Math:
    """One math span: its TeX (without dollars), ``display`` for ``$$``, and where it is.

    ``start``/``end`` are the indexes of its first and last line (equal for one line).
    """

    tex: str
    display: bool
    start: int
    end: int


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block at the top: ``lines[1:end - 1]`` are its ``body`` lines."""

    end: int  # index of the first line after the closing ``---``
    body: list[str]


def scan_fences(
    lines: list[str], origins: list[Origin] | None = None, *, strict: bool = True
) -> list[Fence]:
    """Every top-level fence of ``lines`` (fences shown inside a longer fence are content).

    ``strict``: an unclosed fence is an ``EngineError`` naming its origin (``origins[i]``);
    otherwise it runs to the end of ``lines``.
    """
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        match = OPEN.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, run = match["indent"], match["run"]
        close = re.compile(rf"^[ \t]*{re.escape(run[0])}{{{len(run)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        if j == len(lines) and strict:
            raise EngineError(
                origins[i] if origins else None, f"fence {run} is never closed: add a closing {run} line"
            )
        body = [_dedent(line, len(indent)) for line in lines[i + 1 : j]]
        fences.append(Fence(i, j, indent, run, match["info"], body))
        i = j + 1
    return fences


def _dedent(line: str, width: int) -> str:
    k = 0
    while k < width and k < len(line) and line[k] in " \t":
        k += 1
    return line[k:]


def front_matter(lines: list[str]) -> FrontMatter | None:
    """The YAML front matter at the top of ``lines`` (``---`` closed by ``---`` or ``...``)."""
    if lines and lines[0].strip() == "---":
        for k in range(1, len(lines)):
            if lines[k].strip() in ("---", "..."):
                return FrontMatter(k + 1, lines[1:k])
    return None


@dataclass
class Page:
    """A page read once (see the module docstring); build it with :func:`read_page`."""

    source: Source
    fences: list[Fence]
    front_matter: FrontMatter | None

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def lang(self) -> str:
        return self.source.lang

    @property
    def lines(self) -> list[str]:
        return self.source.lines

    @property
    def origins(self) -> list[Origin]:
        return self.source.origins

    @property
    def includes(self) -> list[str]:
        """Every file the page includes, transitively, each once, in first-include order."""
        return list(dict.fromkeys(self.source.includes))

    @property
    def figure_fences(self) -> list[Fence]:
        return [fence for fence in self.fences if fence.is_figure]

    @cached_property
    def math(self) -> list[Math]:
        """Math spans outside fences and front matter, in page order."""
        text_lines = list(self.lines)
        hidden = [(fence.start, min(fence.end, len(text_lines) - 1)) for fence in self.fences]
        if self.front_matter is not None:
            hidden.append((0, self.front_matter.end - 1))
        for a, b in hidden:
            for k in range(a, b + 1):
                text_lines[k] = ""  # keep line numbers, drop the content
        text = "\n".join(text_lines)
        starts = [0]
        for line in text_lines:
            starts.append(starts[-1] + len(line) + 1)
        spans = []
        for match in MATH.finditer(text):
            first = _line_at(starts, match.start())
            last = _line_at(starts, match.end() - 1)
            display = match["display"] is not None
            spans.append(Math(match["display"] if display else match["inline"], display, first, last))
        return spans


def _line_at(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi - 1:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid
    return lo


def read_page(
    text: str,
    path: str,
    lang: str,
    *,
    read: Reader | None = None,
    snippets_dir: str = "snippets",
    strict: bool = True,
    includes: bool = True,
) -> Page:
    """Read the page ``path`` (repo-relative) whose text is ``text``, written in ``lang``.

    ``read(repo_path) -> str`` loads included files (default: from the current directory).
    A missing include, an include loop or (when ``strict``) an unclosed fence is an
    ``EngineError`` naming the line.  With ``includes=False`` the page is read as written:
    include lines stay lines (a translation is compared with English that way).
    """
    if includes:
        source = expand(text, path, lang, snippets_dir=snippets_dir, read=read)
    else:
        lines = text.splitlines()
        origins = [Origin(path, number) for number in range(1, len(lines) + 1)]
        source = Source(path=path, lang=lang, lines=lines, origins=origins, includes=[])
    fences = scan_fences(source.lines, source.origins, strict=strict)
    return Page(source=source, fences=fences, front_matter=front_matter(source.lines))


def load_page(path: str, lang: str, root: str | Path = ".", *, strict: bool = True) -> Page:
    """:func:`read_page` of the file ``root/path``, its includes read under ``root``."""
    root = Path(root)
    return read_page(
        (root / path).read_text(encoding="utf-8"),
        path,
        lang,
        read=lambda p: (root / p).read_text(encoding="utf-8"),
        strict=strict,
    )


@dataclass
class IncludeGraph:
    """Which file includes which: ``edges[file]`` are the files ``file`` includes directly.

    Built from the files' include lines alone (nothing expanded), so a missing snippet or a
    loop elsewhere does not hide who includes what.
    """

    edges: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, files: Iterable[str], read: Callable[[str], str], snippets_dir: str = "snippets"
    ) -> IncludeGraph:
        """The graph of ``files`` and of every file they include, transitively."""
        graph = cls()
        todo = list(files)
        while todo:
            name = todo.pop()
            if name in graph.edges:
                continue
            try:
                text = read(name)
            except (OSError, KeyError):
                text = ""
            targets = []
            for line in text.splitlines():
                match = INCLUDE.match(line)
                if match is not None:
                    targets.append(include_target(match, snippets_dir))
            graph.edges[name] = targets
            todo.extend(targets)
        return graph

    def including(self, target: str, among: Iterable[str]) -> list[str]:
        """The files of ``among`` that include ``target``, directly or through other files."""
        users: set[str] = set()
        frontier = [target]
        while frontier:
            current = frontier.pop()
            for name, targets in self.edges.items():
                if current in targets and name not in users:
                    users.add(name)
                    frontier.append(name)
        return [name for name in among if name in users]
