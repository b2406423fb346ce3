"""``python -m lstm_docs docs check|update [--no-cache] [paths...]`` without mkdocs.

``check`` runs every page (``docs/<lang>/**/*.md``, shared snippets through their includes),
prints each problem as ``file:line: message`` and exits 1 if there is any.
``update`` rewrites stored ``output`` blocks in place (in the file each block was written in:
a page or a shared snippet), atomically, and reports the files and blocks it changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lstm_docs import languages
from lstm_docs.live.cache import Cache
from lstm_docs.live.engine import PageRun, normalise, run_page
from lstm_docs.live.page import IncludeGraph


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``docs`` subcommand (``check`` and ``update``) to the main CLI."""
    parser = subparsers.add_parser("docs", help="check or update the site's live examples")
    sub = parser.add_subparsers(dest="docs_command", required=True)
    for name, help_text in (
        ("check", "run every live example and prose check; exit 1 on any problem"),
        ("update", "rewrite stored outputs in place (pages and snippets, every language)"),
    ):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("paths", nargs="*", help="pages, snippet files or directories")
        cmd.add_argument("--no-cache", action="store_true",
                         help="recompute everything and rewrite .cache/live-examples"
                         + (" (update never reads the cache)" if name == "update" else ""))
        cmd.add_argument("--root", default=".", help="repository root (default: .)")
        cmd.set_defaults(func=check_command if name == "check" else update_command)



def _rel(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def collect(root: Path, paths: list[str]) -> list[str]:
    """Repo-relative pages to run: all of ``docs/``, or those under ``paths`` and those that
    include a snippet file named in ``paths``, directly or through another snippet.  A snippet
    file no page includes is not run (it may need the namespace of a page); a note says so.
    """
    pages = sorted(_rel(p, root) for p in (root / "docs").rglob("*.md"))
    snippet_files = sorted(_rel(p, root) for p in (root / "snippets").rglob("*.md"))
    if not paths:
        wanted_pages, wanted_snippets = pages, snippet_files
    else:
        chosen: set[str] = set()
        for raw in paths:
            p = Path(raw)
            full = p if p.is_absolute() else Path.cwd() / p
            if not full.exists():
                full = root / p
            if not full.exists():
                raise SystemExit(f"lstm-docs docs: {raw} not found: give a page, snippet file or directory")
            if full.is_dir():
                chosen.update(_rel(f, root) for f in full.rglob("*.md"))
            else:
                chosen.add(_rel(full, root))
        wanted_pages = [p for p in pages if p in chosen]
        wanted_snippets = [s for s in snippet_files if s in chosen]
    graph = IncludeGraph.build(pages, lambda p: (root / p).read_text(encoding="utf-8"))
    result = list(wanted_pages)
    for s in wanted_snippets:
        users = graph.including(s, pages)  # through other snippets too
        if users:
            result += [u for u in users if u not in result]
        else:
            print(f"{s}: no page includes it; not run", file=sys.stderr)
    return result


def run_all(root: Path, files: list[str], use_cache: bool) -> list[PageRun]:
    """Run ``files``; without ``use_cache`` nothing is read from the cache, every entry that
    is recomputed is written anew (``--no-cache`` refreshes the cache)."""
    cache = Cache(root, read=use_cache)
    runs = []
    for rel in files:
        text = (root / rel).read_text(encoding="utf-8")
        runs.append(run_page(text, rel, languages.of_path(rel), root=root, cache=cache))
    return runs


def check_command(ns: argparse.Namespace) -> int:
    root = Path(ns.root)
    runs = run_all(root, collect(root, ns.paths), not ns.no_cache)
    count = 0
    for run in runs:
        for problem in run.problems:
            print(problem)
            count += 1
    sys.stdout.flush()  # the problems first, whole, then the summary on stderr
    print(f"lstm-docs docs check: {len(runs)} files, {count} problems", file=sys.stderr)
    return 1 if count else 0


@dataclass
class Edit:
    """Replace lines ``start..end`` (0-based, end exclusive) of ``path`` with ``lines``."""

    path: str
    start: int
    end: int
    lines: list[str]


def plan_updates(runs: list[PageRun], root: Path) -> tuple[list[Edit], list[str]]:
    """Edits that make stored outputs equal to the printed ones; and conflicts/skips."""
    edits: dict[tuple[str, int], Edit] = {}
    notes: list[str] = []
    file_lines: dict[str, list[str]] = {}

    def lines_of(path: str) -> list[str]:
        if path not in file_lines:
            file_lines[path] = (root / path).read_text(encoding="utf-8").splitlines()
        return file_lines[path]

    for run in runs:
        failed = {p.snippet for p in run.problems if p.kind == "error"}
        origins = run.source.origins
        for snippet in run.snippets:
            if snippet.index in failed:
                notes.append(f"{origins[snippet.code.start]}: not updated, the snippet fails")
                continue
            actual = run.outputs[snippet.index].split("\n") if run.outputs[snippet.index] else []
            out = snippet.output
            if out is None:
                if not actual or snippet.hide:
                    continue
                anchor = origins[snippet.code.end]
                path = anchor.path
                indent = _indent(lines_of(path)[anchor.line - 1])
                new = ["", f"{indent}```output", *[indent + a if a else "" for a in actual], f"{indent}```"]
                edit = Edit(path, anchor.line, anchor.line, new)
            else:
                if normalise("\n".join(out.body)) == actual:
                    continue
                first, last = origins[out.start], origins[out.end]
                if first.path != last.path:
                    notes.append(f"{first}: output block spans two files; fix it by hand")
                    continue
                indent = _indent(lines_of(first.path)[first.line - 1])
                new = [indent + a if a else "" for a in actual]
                edit = Edit(first.path, first.line, last.line - 1, new)
            k = (edit.path, edit.start)
            if k in edits and edits[k].lines != edit.lines:
                notes.append(
                    f"{edit.path}:{edit.start + 1}: pages disagree on this output "
                    f"({run.source.path} prints something else); not updated"
                )
                edits[k].lines = []  # poison
                edits[k].path = ""
                continue
            edits[k] = edit
    return [e for e in edits.values() if e.path], notes


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def apply_edits(edits: list[Edit], root: Path) -> dict[str, int]:
    """Apply ``edits`` bottom-up per file, write atomically; returns blocks changed per file."""
    changed: dict[str, int] = {}
    by_file: dict[str, list[Edit]] = {}
    for edit in edits:
        by_file.setdefault(edit.path, []).append(edit)
    for path, file_edits in by_file.items():
        full = root / path
        original = full.read_text(encoding="utf-8")
        lines = original.splitlines()
        for edit in sorted(file_edits, key=lambda e: e.start, reverse=True):
            lines[edit.start : edit.end] = edit.lines
        text = "\n".join(lines) + "\n"
        if text == original:
            continue
        fd, tmp = tempfile.mkstemp(dir=full.parent, prefix=f".{full.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, full)
        changed[path] = len(file_edits)
    return changed


def update_command(ns: argparse.Namespace) -> int:
    root = Path(ns.root)
    runs = run_all(root, collect(root, ns.paths), use_cache=False)  # outputs come from a real run
    edits, notes = plan_updates(runs, root)
    changed = apply_edits(edits, root)
    for path, blocks in sorted(changed.items()):
        print(f"updated {path}: {blocks} output block{'s' if blocks != 1 else ''}")
    for note in notes:
        print(note, file=sys.stderr)
    total = sum(changed.values())
    print(
        f"lstm-docs docs update: {len(runs)} files run, {total} blocks changed in {len(changed)} files",
        file=sys.stderr,
    )
    return 1 if notes else 0
