"""A copy of the whole project in a temporary directory, and real builds of it.

Used by the build tests: each works on its own copy (its own ``lstm_docs``, pages and
``.cache``), runs the real ``mkdocs`` / ``properdocs`` / ``python -m lstm_docs`` as a
subprocess, and reads what it printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", "site", ".cache", "__pycache__", "*.egg-info", "test-output")


def copy_project(dest: Path, cache_from: Path | None = None) -> Path:
    """Copy the project (no git, no built site) to ``dest``; with ``cache_from``, its cache too."""
    shutil.copytree(REPO, dest, ignore=IGNORE)
    if cache_from is not None and (cache_from / ".cache").is_dir():
        shutil.copytree(cache_from / ".cache", dest / ".cache")
    return dest


def environment(root: Path, **extra: str) -> dict[str, str]:
    """The environment of a build of ``root``: its own ``lstm_docs`` first on the path."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "KERAS_BACKEND": "torch",
        "PYTHONPATH": str(root),  # the copy's lstm_docs, not the installed one
    }
    env.pop("LSTM_DOCS_NO_CACHE", None)
    env.pop("LSTM_DOCS_ALLOW_PROBLEMS", None)
    env.update(extra)
    return env


def run(root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 900):
    """Run ``args`` (a command line) in ``root``; the completed process, output as text."""
    return subprocess.run(
        list(args), cwd=root, env=env or environment(root), capture_output=True, text=True,
        timeout=timeout, stdin=subprocess.DEVNULL,
    )


def mkdocs(root: Path, *flags: str, tool: str = "mkdocs", env: dict[str, str] | None = None):
    """``mkdocs build FLAGS -d root/site`` (or ``properdocs``), as a subprocess."""
    module = "mkdocs" if tool == "mkdocs" else "properdocs"
    return run(root, sys.executable, "-m", module, "build", *flags, "-d", str(root / "site"), env=env)


def docs_cli(root: Path, *args: str, env: dict[str, str] | None = None):
    """``python -m lstm_docs docs ARGS`` in ``root``."""
    return run(root, sys.executable, "-m", "lstm_docs", "docs", *args, env=env)


TIE = re.compile(r"(?<![\w.,])(\d[\d,.\u202f\u00a0 ]*\d|\d)\{=")


def mutate_one_tie(root: Path, lang: str, skip: str = "\0") -> str | None:
    """Change the last digit of the first tied number in ``docs/<lang>/`` (pages whose name
    starts with ``skip`` aside); the expected message prefix, or None when there is none."""
    for page in sorted((root / "docs" / lang).glob("*.md")):
        if page.name.startswith(skip):
            continue
        lines = page.read_text(encoding="utf-8").split("\n")
        in_fence = False
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            match = None if in_fence else TIE.search(line)
            if match is None:
                continue
            written = match.group(1)
            digit = str((int(written[-1]) + 1) % 10)
            lines[number - 1] = line[: match.end(1) - 1] + digit + line[match.end(1) :]
            page.write_text("\n".join(lines), encoding="utf-8")
            return f"docs/{lang}/{page.name}:{number}: page says {written[:-1]}{digit}"
    return None


def mutate_one_shared_output(root: Path) -> str | None:
    """Change a digit in a one-line stored output of a snippet file that a page includes."""
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (root / "docs").rglob("*.md"))
    for snippet in sorted((root / "snippets").rglob("*.md")):
        rel = snippet.relative_to(root / "snippets").as_posix()
        if f'"{rel}"' not in pages:
            continue
        lines = snippet.read_text(encoding="utf-8").split("\n")
        for k in range(len(lines) - 2):
            if lines[k].strip() == "```output" and lines[k + 2].strip() == "```":
                match = re.search(r"\d(?=\D*$)", lines[k + 1])
                if match:
                    digit = str((int(match.group()) + 1) % 10)
                    lines[k + 1] = lines[k + 1][: match.start()] + digit + lines[k + 1][match.end() :]
                    snippet.write_text("\n".join(lines), encoding="utf-8")
                    return f"snippets/{rel}:{k + 2} (included from docs/"
    return None
