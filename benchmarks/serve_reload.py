"""How long after a save does `mkdocs serve` show the change?  (issue #17)

A real ``mkdocs serve`` runs on a copy of the project (its own cache, warmed by the first
build).  Each edit is saved, then the page being edited is fetched every 50 ms until it holds
the edit's marker; the figure is the time from the save to that response (the rebuild plus
the server's reload, not the browser's paint).  Three kinds of edit, ``--repeat`` times each:

* ``prose``: a word in a paragraph of ``docs/en/units.md`` (English page),
* ``snippet``: a printed string in ``snippets/units/weights.md`` (runs again, new output),
* ``translation``: a word in a paragraph of ``docs/fr/units.md`` (French page).

``--languages en,fr`` serves in the writer's mode (``LSTM_DOCS_LANGUAGES``): only those
languages are built (English, the default language, always is).  Prints the median and range
per kind.  A script, not a test: it prints, it asserts nothing; the repository is never written.

Usage::

    python benchmarks/serve_reload.py [--repeat 5] [--languages en] [--port 8123]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from project_copy import copy_project, environment  # noqa: E402

from lstm_docs import languages  # noqa: E402

#: kind -> (file, text to find, page path under the site root)
EDITS = {
    "prose": ("docs/en/units.md", "Four words get mixed up", "units/"),
    "snippet": ("snippets/units/weights.md", 'print("output:"', "units/"),
    "translation": ("docs/fr/units.md", "Quatre mots", "fr/units/"),
}


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, marker: str, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if marker in fetch(url):
            return time.perf_counter()
        time.sleep(0.05)
    return None


def edit(root: Path, kind: str, n: int) -> str:
    """Save edit ``n`` of ``kind``; the marker the page shows once rebuilt."""
    file, anchor, _ = EDITS[kind]
    path = root / file
    text = path.read_text(encoding="utf-8")
    marker = f"zqx{kind}{n}"
    if kind == "snippet":
        new = text.replace('print("output:"', f'print("{marker}"', 1)
        if new == text:  # a previous edit of this run
            new = text.replace(f'print("zqx{kind}{n - 1}"', f'print("{marker}"', 1)
    else:
        previous = f" zqx{kind}{n - 1}"
        new = text.replace(previous, f" {marker}") if previous in text else text.replace(anchor, f"{anchor} {marker}", 1)
    path.write_text(new, encoding="utf-8")
    return marker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--languages", default="", help="writer's mode: LSTM_DOCS_LANGUAGES (default: every language)")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--dirty", action="store_true", help="serve with --dirty (rebuild changed pages only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lstm-docs-serve-") as tmp:
        root = copy_project(Path(tmp) / "project", cache_from=REPO)
        env = environment(root)
        if args.languages:
            env[languages.SERVE_LANGUAGES] = args.languages
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{args.port}", *(["--dirty"] if args.dirty else [])],
            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        base = f"http://127.0.0.1:{args.port}/"
        try:
            if wait_for(base + "units/", "</html>", 180) is None:
                sys.exit("serve did not answer within 180 s:\n" + (server.stderr.read() if server.stderr else ""))
            time.sleep(2)  # let the watcher settle after the first build
            results: dict[str, list[float]] = {}
            served = languages.serve_selection(args.languages)
            for kind in EDITS:
                file, _, page = EDITS[kind]
                if languages.of_path(file) not in served:
                    print(f"  {kind}: skipped ({languages.of_path(file)} is not served in this mode)")
                    continue
                for n in range(args.repeat):
                    saved = time.perf_counter()
                    marker = edit(root, kind, n)
                    shown = wait_for(base + page, marker, 60)
                    results.setdefault(kind, []).append(float("nan") if shown is None else shown - saved)
                    time.sleep(1.0)
            mode = f"LSTM_DOCS_LANGUAGES={args.languages}" if args.languages else "every language"
            print(f"mkdocs serve, {mode}: seconds from save to the page showing the edit "
                  f"({args.repeat} edits each)")
            for kind, times in results.items():
                print(f"  {kind:12} median {statistics.median(times):5.2f} s   "
                      f"min {min(times):5.2f}   max {max(times):5.2f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
