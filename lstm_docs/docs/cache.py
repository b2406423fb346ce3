"""Cache of page results in ``.cache/live-examples/`` (gitignored).

Key: hash of the engine version, the ``lstm_docs`` sources and the page's steps (snippet
chain and tie expressions, in order).  Files are written only when their content changes,
so ``mkdocs serve`` is never retriggered.  ``LSTM_DOCS_NO_CACHE=1`` or ``enabled=False``
turns it off; correctness never depends on it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

ENGINE_VERSION = "1"
CACHE_DIR = ".cache/live-examples"
_PACKAGE = Path(__file__).resolve().parent.parent
_memo: dict[tuple[tuple[str, int, int], ...], str] = {}


def sources_hash(package: Path = _PACKAGE) -> str:
    """Hash of every ``.py`` file of ``lstm_docs`` (memoised on paths, sizes and mtimes)."""
    files = sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if stamp not in _memo:
        digest = hashlib.sha256()
        for path in files:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
        _memo.clear()
        _memo[stamp] = digest.hexdigest()
    return _memo[stamp]


def key(steps: list[Any], sources: str, cap: int) -> str:
    """Cache key of one page run."""
    payload = json.dumps(
        [ENGINE_VERSION, sources, cap, [(s.kind, s.source, s.timeout) for s in steps]]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def page_key(expanded: str, path: str, lang: str, serve: bool, timeout: float, sources: str) -> str:
    """Cache key of a page's whole answer (rendered Markdown and problems)."""
    strings_file = _PACKAGE / "strings" / "engine.json"
    payload = json.dumps(
        ["page", ENGINE_VERSION, sources, strings_file.read_text(encoding="utf-8"), path, lang,
         serve, timeout, expanded]
    )  # fmt: skip
    return "page-" + hashlib.sha256(payload.encode()).hexdigest()


def disabled_by_env() -> bool:
    return os.environ.get("LSTM_DOCS_NO_CACHE", "") not in ("", "0")


class Cache:
    """``get``/``put`` JSON results under ``root/.cache/live-examples``."""

    def __init__(self, root: str | Path = ".", enabled: bool = True) -> None:
        self.dir = Path(root) / CACHE_DIR
        self.enabled = enabled and not disabled_by_env()
        self.hits = 0
        self.misses = 0
        self._sources: str | None = None

    @property
    def sources(self) -> str:
        """``sources_hash()`` taken once per cache object (one build, one command)."""
        if self._sources is None:
            self._sources = sources_hash()
        return self._sources

    def get(self, k: str) -> Any | None:
        if not self.enabled:
            return None
        path = self.dir / f"{k}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, k: str, data: Any) -> None:
        if not self.enabled:
            return
        path = self.dir / f"{k}.json"
        text = json.dumps(data, sort_keys=True)
        try:
            if path.read_text(encoding="utf-8") == text:
                return
        except OSError:
            pass
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
