"""The same pages built side by side (issue #17): nothing run, ours warm and cold, and
markdown-exec executing the same snippets; alternating runs, medians and ratios.

* **nothing run** (``LSTM_DOCS_NO_LIVE=1``): our hook renders the same pages (includes
  expanded, stored outputs as written, figures drawn) but runs nothing, checks nothing and
  caches nothing, not even the rendering: the cost of the site without our engine;
* **ours, cold**: no cache at all (``.cache/`` removed): every snippet runs, every check,
  every rendering step;
* **ours, warm**: the same build again, every answer from the cache (``.cache/live-examples``
  and ``.cache/render``);
* **markdown-exec**: a copy whose pages are converted automatically
  (``benchmarks/markdown_exec_pages.py``: every ``python`` fence executed by markdown-exec,
  stored outputs dropped, ``summary()`` tables captured), built with the nothing-run hook.

Each round builds the four in turn (so load on the machine hits them alike); the figures are
medians over ``--repeat`` rounds, of wall and of CPU time (user + sys of the build and its
children).  Targets: warm <= 1.00x nothing run, cold <= 1.15x, markdown-exec / warm >= 2.
The project is copied to a temporary directory, so the repository's cache is untouched.
A script, not a test: it prints, it does not assert.

Usage: ``python benchmarks/build.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "benchmarks"), str(REPO / "tests")]

from markdown_exec_pages import convert_project  # noqa: E402
from project_copy import copy_project, environment  # noqa: E402


def build_seconds(root: Path, **env: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``mkdocs build`` of ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")],
        cwd=root, env=environment(root, **env), capture_output=True, text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"build of {root} failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (medians are printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lstm-docs-bench-") as tmp:
        ours = copy_project(Path(tmp) / "ours")
        peer = copy_project(Path(tmp) / "peer")
        snippets = convert_project(peer)
        from lstm_docs import languages

        translated = sorted(str(p.relative_to(peer)) for lang in languages.translations()
                            for p in (peer / "docs" / lang).glob("*.md"))
        subprocess.run([sys.executable, "-m", "lstm_docs", "translations", "stamp", *translated], cwd=peer,
                       env=environment(peer), capture_output=True, check=True)
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in ("none", "cold", "warm", "peer")}
        build_seconds(ours)  # imports and first touches of the files, not counted
        for _ in range(args.repeat):
            runs["none"].append(build_seconds(ours, LSTM_DOCS_NO_LIVE="1"))
            shutil.rmtree(ours / ".cache", ignore_errors=True)
            runs["cold"].append(build_seconds(ours))
            runs["warm"].append(build_seconds(ours))
            runs["peer"].append(build_seconds(peer, LSTM_DOCS_NO_LIVE="1"))
        pages = len(list((ours / "docs").rglob("*.md")))
    labels = {"none": "nothing run", "cold": "ours, cold", "warm": "ours, warm",
              "peer": f"markdown-exec ({snippets} snippets)"}
    for title, index in (("wall", 0), ("CPU", 1)):
        med = {k: statistics.median(r[index] for r in v) for k, v in runs.items()}
        print(f"{title} time of a build of the same {pages} pages, median of {args.repeat} rounds:")
        for key, label in labels.items():
            spread = sorted(r[index] for r in runs[key])
            print(f"  {label:<28} {med[key]:6.2f} s  ({spread[0]:.2f}-{spread[-1]:.2f})  "
                  f"{med[key] / med['none']:.2f}x nothing run")
        print(f"  warm <= 1.00x nothing run:   {'met' if med['warm'] <= med['none'] else 'NOT met'}")
        print(f"  cold <= 1.15x nothing run:   {'met' if med['cold'] <= 1.15 * med['none'] else 'NOT met'}")
        print(f"  markdown-exec / ours warm:   {med['peer'] / med['warm']:.2f}x "
              f"({'met' if med['peer'] >= 2 * med['warm'] else 'NOT met'}: >= 2)")
        print(f"  markdown-exec / ours cold:   {med['peer'] / med['cold']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
