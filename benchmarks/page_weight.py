"""Page weight of the built site: bytes per page (HTML) and the JS/CSS every page loads.

Usage::

    python benchmarks/page_weight.py             # builds the site into a temporary dir
    python benchmarks/page_weight.py --site DIR  # measures a site already built

Prints raw and gzip bytes (what a reader's connection carries; GitHub Pages serves gzip),
per page and language, then the JS, CSS and search index totals. Figures only: nothing is
asserted here.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lstm_docs.strings import LANGUAGES  # noqa: E402

PAGES = ("index", "units", "gates", "parameters", "weights", "calculator", "questions", "glossary")
_LOADED = re.compile(r'<script[^>]+src="([^"]+)"|<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')


def build(site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", KERAS_BACKEND="torch")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def weight(path: Path) -> tuple[int, int]:
    """(raw bytes, gzip bytes) of one file."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9))


def page_html(site: Path, lang: str, page: str) -> Path:
    prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
    return site / prefix / ("" if page == "index" else page) / "index.html"


def assets_loaded_by(html_file: Path) -> set[Path]:
    """Local JS and CSS files a page loads (its <script src> and stylesheets)."""
    found = set()
    for match in _LOADED.finditer(html_file.read_text(encoding="utf-8")):
        url = (match.group(1) or match.group(2)).split("?")[0]
        if "://" not in url:
            found.add((html_file.parent / url).resolve())
    return found


def kib(n: int) -> str:
    return f"{n / 1024:8.1f} KiB"


def report(site: Path) -> None:
    print(f"site: {site}")
    print(f"{'page':<24}{'HTML':>14}{'gzip':>14}")
    loaded: set[Path] = set()
    total_raw = total_gz = count = 0
    for lang in LANGUAGES:
        for page in PAGES:
            html_file = page_html(site, lang, page)
            if not html_file.exists():
                print(f"{lang}/{page:<21}{'(missing)':>14}")
                continue
            raw, gz = weight(html_file)
            total_raw, total_gz, count = total_raw + raw, total_gz + gz, count + 1
            loaded |= assets_loaded_by(html_file)
            print(f"{lang + '/' + page:<24}{kib(raw):>14}{kib(gz):>14}")
    if count:
        print(f"{'mean HTML page':<24}{kib(total_raw // count):>14}{kib(total_gz // count):>14}")
    for kind in (".js", ".css"):
        files = sorted(path for path in loaded if path.suffix == kind)
        raw = sum(weight(path)[0] for path in files)
        gz = sum(weight(path)[1] for path in files)
        print(f"{'loaded ' + kind + f' ({len(files)} files)':<24}{kib(raw):>14}{kib(gz):>14}")
    all_js = [weight(p) for p in site.rglob("*.js")]
    all_css = [weight(p) for p in site.rglob("*.css")]
    print(f"{'all .js in site':<24}{kib(sum(r for r, _ in all_js)):>14}{kib(sum(g for _, g in all_js)):>14}")
    print(f"{'all .css in site':<24}{kib(sum(r for r, _ in all_css)):>14}{kib(sum(g for _, g in all_css)):>14}")
    index = site / "search" / "search_index.json"
    if index.exists():
        raw, gz = weight(index)
        print(f"{'search index (lazy)':<24}{kib(raw):>14}{kib(gz):>14}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    args = parser.parse_args()
    if args.site:
        report(args.site)
        return 0
    with tempfile.TemporaryDirectory(prefix="lstm-docs-weight-") as tmp:
        build(Path(tmp))
        report(Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
