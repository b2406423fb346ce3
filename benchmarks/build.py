"""Time `mkdocs build` of the project: cold (empty live-examples cache), warm (cached), and
with the live-examples hook disabled; print the figures and ratios.

"Hook disabled" (``LSTM_DOCS_NO_LIVE=1``) renders the same pages (includes expanded, stored
outputs as written, other transforms such as figures still on) but runs nothing and checks
nothing, so the ratio measures what the checks cost.

Target: warm ≤ 1.10 × hook-free.  Usage: ``python benchmarks/build.py [--repeat N]``.
The project is copied to a temporary directory, so the repository's cache is untouched.
Each figure is the best of ``--repeat`` runs (the machine is shared; the minimum is the
least noisy estimate).  A script, not a test: it prints, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = 1.10


def build_seconds(root: Path, **env: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``mkdocs build``; CPU (user + sys of the child) is the
    figure least disturbed by other people's jobs on a shared machine."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KERAS_BACKEND": "torch", **env}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")],
        cwd=root, env=environment, check=True, capture_output=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def engine_seconds(root: Path) -> tuple[int, float, int]:
    """The hook's own work (``check_and_render``) on every page, cache warm, in this process."""
    from lstm_docs.live.cache import Cache
    from lstm_docs.languages import of_path
    from lstm_docs.live.engine import check_and_render

    cache = Cache(root)
    pages = sorted((root / "docs").rglob("*.md"))
    start = time.perf_counter()
    for page in pages:
        rel = page.relative_to(root).as_posix()
        text = page.read_text(encoding="utf-8")
        check_and_render(text, rel, of_path(rel), root=root, cache=cache)
    return len(pages), time.perf_counter() - start, cache.hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lstm-docs-bench-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(
            REPO, root,
            ignore=shutil.ignore_patterns(".git", "site", ".cache", "__pycache__", "*.egg-info"),
        )
        cold, warm, off = [], [], []
        for _ in range(args.repeat):  # interleaved, so load on the machine hits all three alike
            shutil.rmtree(root / ".cache", ignore_errors=True)
            cold.append(build_seconds(root))
            warm.append(build_seconds(root))
            off.append(build_seconds(root, LSTM_DOCS_NO_LIVE="1"))
        engine_seconds(root)  # imports and first touches
        pages, engine, hits = engine_seconds(root)
    for label, index in (("wall", 0), ("CPU", 1)):
        c, w, o = (min(run[index] for run in runs) for runs in (cold, warm, off))
        print(f"{label} time, best of {args.repeat}:")
        print(f"  cold build (no cache):     {c:6.2f} s")
        print(f"  warm build (cached):       {w:6.2f} s")
        print(f"  build with hook disabled:  {o:6.2f} s")
        print(f"  cold / hook-free:          {c / o:6.2f}x")
        print(f"  warm / hook-free:          {w / o:6.2f}x  (target <= {TARGET:.2f}x: "
              f"{'met' if w / o <= TARGET else 'NOT met'})")
    print(f"engine alone, warm:          {engine:6.3f} s for {pages} pages, {hits} cache hits "
          "(in-process, no mkdocs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
