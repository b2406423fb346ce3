"""Find fenced code blocks in expanded Markdown and pair each live snippet with its output.

A live snippet's info string is ``python live`` followed by options:

* ``hide`` — run it, show neither code nor output (setup code);
* ``timeout=N`` — allow N seconds of CPU time (0 < N <= ``MAX_TIMEOUT``) instead of the default.

Its stored output is the next fence (blank lines between allowed) whose info string is
``output``.  An ``output`` fence that follows no live snippet is an error: hand-typed output
would never be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_docs.live.page import Fence, scan_fences
from lstm_docs.live.source import EngineError, Source

__all__ = ["MAX_TIMEOUT", "Fence", "Snippet", "scan", "snippets"]

MAX_TIMEOUT = 600.0  # seconds: the largest timeout= a snippet may ask for

@dataclass
class Snippet:
    """A live fence, its options and its stored output fence (if any)."""

    code: Fence
    output: Fence | None
    hide: bool = False
    timeout: float | None = None
    index: int = 0

    @property
    def source(self) -> str:
        return "\n".join(self.code.body) + "\n"


def scan(source: Source) -> list[Fence]:
    """Every top-level fence of ``source`` (fences shown inside a longer fence are content);
    an unclosed fence is an ``EngineError``.  The scanning is the page reader's."""
    return scan_fences(source.lines, source.origins)


def snippets(source: Source, fences: list[Fence] | None = None) -> list[Snippet]:
    """Live snippets of ``source`` in page order, each paired with its ``output`` fence."""
    fences = scan(source) if fences is None else fences
    result: list[Snippet] = []
    used: set[int] = set()
    for k, fence in enumerate(fences):
        if not fence.is_live:
            continue
        snippet = Snippet(code=fence, output=None, index=len(result))
        for option in fence.words[2:]:
            if option == "hide":
                snippet.hide = True
            elif option.startswith("timeout="):
                try:
                    snippet.timeout = float(option.split("=", 1)[1])
                except ValueError:
                    snippet.timeout = float("nan")
                if not 0 < snippet.timeout <= MAX_TIMEOUT:  # also refuses nan and inf
                    raise EngineError(
                        source.origins[fence.start],
                        f"bad option {option!r}: write timeout=<seconds of CPU time>, "
                        f"more than 0 and at most {MAX_TIMEOUT:g}, e.g. timeout=30",
                    )
            else:
                raise EngineError(
                    source.origins[fence.start],
                    f"unknown option {option!r} on a live snippet: use hide or timeout=<seconds>",
                )
        nxt = fences[k + 1] if k + 1 < len(fences) else None
        if nxt is not None and nxt.is_output and _only_blank_between(source, fence.end, nxt.start):
            snippet.output = nxt
            used.add(k + 1)
        result.append(snippet)
    for k, fence in enumerate(fences):
        if fence.is_output and k not in used:
            raise EngineError(
                source.origins[fence.start],
                "output block follows no ```python live snippet: make the code above it "
                "a live snippet, or drop the block",
            )
    return result


def _only_blank_between(source: Source, end: int, start: int) -> bool:
    return all(not line.strip() for line in source.lines[end + 1 : start])


#: What a hidden snippet may do: import, seed, reset Keras's names, set print options.  A
#: value the prose refers to must come from code the reader sees.
HIDDEN_CALLS = frozenset({"clear_session", "set_random_seed", "manual_seed", "seed",
                          "set_printoptions", "filterwarnings", "simplefilter"})  # fmt: skip


def hidden_findings(found: list[Snippet]) -> list[tuple[int, str]]:
    """``(line index, message)`` for each statement of a hidden snippet that does more than
    import and seed (``HIDDEN_CALLS``): a hidden setup must not define what the page states."""
    import ast

    problems: list[tuple[int, str]] = []
    for snippet in found:
        if not snippet.hide:
            continue
        try:
            tree = ast.parse(snippet.source)
        except SyntaxError:
            continue  # the run reports it
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass)):
                continue
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in HIDDEN_CALLS:
                    continue
            code = ast.get_source_segment(snippet.source, node) or ""
            first = code.splitlines()[0] if code else ""
            problems.append((snippet.code.start + node.lineno, (
                f"hidden setup `{first.strip()}` defines or runs more than imports and seeds: move it into a "
                "visible snippet, so that the ties check code the reader sees")))
    return problems
