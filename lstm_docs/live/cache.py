"""Cache of page results in ``.cache/live-examples/`` (gitignored).

An entry answers only for the environment that made it.  Its key hashes the engine version
and settings, the ``lstm_docs`` sources, the page's steps (snippet chain and tie expressions,
in order) and the **environment fingerprint** (``environment()``: Python implementation and
version, numpy's version and print options as a fresh worker inherits them, start-up
customisation such as ``sitecustomize``, the environment variables that change how numerics
run or print).  Each entry also stores that fingerprint and the versions of the distributions
its snippets imported (``deps``); on reading, any difference is a miss.  So a cache directory
copied from another machine, or kept across a numpy upgrade, is never believed.

Files are written only when their content changes, so ``mkdocs serve`` is never
retriggered.  ``read=False`` (``--no-cache``, ``LSTM_DOCS_NO_CACHE=1``) recomputes every
entry and rewrites it; ``enabled=False`` neither reads nor writes.  Correctness never
depends on the cache.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

from lstm_docs.live.worker import StepResult, StepsRun

ENGINE_VERSION = "4"  # 3: step results as StepResult.to_json; 4: with the framework a tie reads
CACHE_DIR = ".cache/live-examples"
_PACKAGE = Path(__file__).resolve().parent.parent
_memo: dict[tuple[tuple[str, int, int], ...], str] = {}

#: Environment variables that change what a snippet computes or prints: BLAS kernels and
#: threads, numpy, the Keras backend, string hashing (set order), UTF-8 mode.  Where modules
#: come from (``PYTHONPATH``) is not one: what was imported is in the key (the ``lstm_docs``
#: sources, start-up modules, distributions' versions), not the path it came from.
ENV_PREFIXES = ("OPENBLAS", "OMP_", "MKL", "NPY_", "NUMPY", "KERAS", "PYTHONHASHSEED", "PYTHONUTF8",
                "PYTHONINTMAXSTRDIGITS")


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


@functools.cache
def environment() -> dict[str, Any]:
    """What a snippet's output may depend on besides its code and ``lstm_docs``.

    Taken in this process, which forks the workers: they inherit its interpreter, its
    imported numpy and numpy's print options, and any start-up customisation.
    """
    import numpy

    from lstm_docs.live import worker

    custom = {}
    for name in ("sitecustomize", "usercustomize"):
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            try:
                custom[name] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                custom[name] = path
    return {
        "python": [sys.implementation.name, sys.version, platform.machine(), sys.float_repr_style,
                   repr(sys.flags), sys.get_int_max_str_digits()],  # -O, -X, int digits
        "numpy": [numpy.__version__, repr(sorted(numpy.get_printoptions().items()))],
        "startup": custom,
        "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith(ENV_PREFIXES)},
        "engine": worker.settings(),
    }  # fmt: skip


@functools.cache
def fingerprint() -> str:
    """Hash of ``environment()``."""
    return hashlib.sha256(json.dumps(environment(), sort_keys=True).encode()).hexdigest()[:16]


@functools.cache
def distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def key(steps: list[Any], sources: str, cap: int) -> str:
    """Cache key of one page run."""
    payload = json.dumps(
        [ENGINE_VERSION, fingerprint(), sources, cap, [(s.kind, s.source, s.timeout) for s in steps]]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def page_key(expanded: str, path: str, lang: str, serve: bool, timeout: float, sources: str) -> str:
    """Cache key of a page's whole answer (rendered Markdown and problems)."""
    strings_file = _PACKAGE / "strings" / "engine.json"
    payload = json.dumps(
        ["page", ENGINE_VERSION, fingerprint(), sources, strings_file.read_text(encoding="utf-8"),
         path, lang, serve, timeout, expanded]
    )  # fmt: skip
    return "page-" + hashlib.sha256(payload.encode()).hexdigest()


def disabled_by_env() -> bool:
    return os.environ.get("LSTM_DOCS_NO_CACHE", "") not in ("", "0")


class Cache:
    """``get``/``put`` JSON results under ``root/.cache/live-examples``.

    ``read=False``: every ``get`` misses but ``put`` still writes (refresh the entries).
    """

    def __init__(self, root: str | Path = ".", enabled: bool = True, read: bool = True) -> None:
        self.dir = Path(root) / CACHE_DIR
        self.enabled = enabled
        self.read = read and not disabled_by_env()
        self.hits = 0
        self.misses = 0
        self.stale = 0  # entries found but made in another environment
        self._sources: str | None = None

    @property
    def sources(self) -> str:
        """``sources_hash()`` taken once per cache object (one build, one command)."""
        if self._sources is None:
            self._sources = sources_hash()
        return self._sources

    def sources_changed(self) -> bool:
        """Whether the ``lstm_docs`` sources differ from those of the last build that used this
        cache (every page then runs again); records the current ones for the next build."""
        if not self.enabled:
            return False
        path = self.dir / "sources"
        try:
            last = path.read_text(encoding="utf-8").strip()
        except OSError:
            last = None
        if last != self.sources:
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
                path.write_text(self.sources + "\n", encoding="utf-8")
            except OSError:
                pass
        return last is not None and last != self.sources

    def get(self, k: str) -> Any | None:
        if not (self.enabled and self.read):
            return None
        path = self.dir / f"{k}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            env, deps, data = entry["env"], entry["deps"], entry["data"]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        if env != fingerprint() or any(distribution_version(d) != v for d, v in deps.items()):
            self.stale += 1
            self.misses += 1
            return None
        self.hits += 1
        return data

    def peek(self, k: str) -> bool:
        """Whether ``get(k)`` would answer, without counting a hit or a miss."""
        counts = self.hits, self.misses, self.stale
        found = self.get(k) is not None
        self.hits, self.misses, self.stale = counts
        return found

    def put(self, k: str, data: Any, deps: dict[str, str | None] | None = None) -> None:
        if not self.enabled:
            return
        path = self.dir / f"{k}.json"
        entry = {"env": fingerprint(), "deps": deps or {}, "data": data}
        text = json.dumps(entry, sort_keys=True)
        try:
            if path.read_text(encoding="utf-8") == text:
                return
        except OSError:
            pass
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)

    def get_steps(self, k: str) -> StepsRun | None:
        """The page run stored under ``k`` by ``put_steps`` (None: a miss, or not readable)."""
        data = self.get(k)
        if data is None:
            return None
        try:
            return StepsRun([StepResult.from_json(r) for r in data["results"]], dict(data["imported"]))
        except (KeyError, TypeError, IndexError, ValueError):  # an entry of another format
            self.hits -= 1
            self.misses += 1
            return None

    def put_steps(self, k: str, run: StepsRun) -> None:
        """Store a page run's step results and imports (the imports' versions as ``deps``)."""
        self.put(k, {"results": [r.to_json() for r in run.results], "imported": run.imported}, run.imported)
