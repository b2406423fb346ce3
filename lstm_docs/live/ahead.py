"""Pages answered ahead of their turn, in a forked copy of the build (issue #17).

``mkdocs build`` renders pages one after the other in one process, so a cold build used one
core for our work.  ``answer_ahead(page)`` forks this process now; the copy computes exactly
``engine.check_and_render(page)`` (reads and checks the page, runs its steps in their own
supervised worker, renders it, writes the cache) on the other core while this process renders
the pages before it.  ``take(page)`` in the page's turn collects that answer: the same
``(rendered Markdown, problems)``, because the same code ran on the same state.

What the copy changed that this process keeps count of (cache hits, misses and stale entries,
worker runs, steps that timed out) comes back with the answer and is added here.  A copy
that died or answered nothing leaves the page to be computed in its turn, as if it had never
been started.  Nothing is forked for a page the cache answers already (its turn reads it).

Only ``mkdocs build`` answers ahead: ``serve`` builds while its HTTP server's threads run,
and forking a process with threads to run this much code is not safe.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lstm_docs.live import cache as cache_mod
from lstm_docs.live import engine, worker


@dataclass
class _Answering:
    """A forked copy computing one page: its process id and the read end of its pipe."""

    pid: int
    read: int


#: pages being answered in a copy, by ``_key``
_answering: dict[tuple[Any, ...], _Answering] = {}
#: pages found in the cache when asked ahead (their turn reads it): not looked up again
_cached: set[tuple[Any, ...]] = set()


def _key(text: str, path: str, lang: str, root: Path, serve: bool, timeout: float) -> tuple[Any, ...]:
    return (*engine.parse_key(text, path, lang, root, timeout), serve)


def answer_ahead(text: str, path: str, lang: str, *, root: str | Path = ".", cache: cache_mod.Cache | None = None,
                 serve: bool = False, timeout: float = worker.DEFAULT_TIMEOUT) -> bool:
    """Start computing ``check_and_render`` of the page ``path`` in a forked copy of this
    process; True if one started (False: the cache answers it, it is under way, or no cache)."""
    root = Path(root)
    text = engine.canonical(text)
    key = _key(text, path, lang, root, serve, timeout)
    if cache is None or not cache.enabled or key in _answering or key in _cached:
        return False
    if cache.read:
        try:
            page_key = engine.page_cache_key(text, path, lang, root, cache, serve, timeout)
        except OSError:
            page_key = ""
        if page_key and cache.peek(page_key):
            _cached.add(key)
            return False
    engine.ensure_preloaded()  # once here, not in every copy: their workers fork ready
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the copy: answer, send, and never return into mkdocs
        code = 1
        try:
            os.close(read)
            worker._die_with_parent()  # a build that is gone leaves no copy behind
            for other in _answering.values():
                os.close(other.read)
            gc.freeze()  # the build's objects are never this copy's garbage: not traversed
            worker._ahead.clear()  # the build's own workers are not the copy's to collect or end
            _answering.clear()
            _send(write, _answer(text, path, lang, root, cache, serve, timeout))
            code = 0
        except BaseException:  # noqa: BLE001 - nothing sent: the page is computed in its turn
            pass
        finally:
            os._exit(code)
    os.close(write)
    _answering[key] = _Answering(pid, read)
    return True


def _answer(text: str, path: str, lang: str, root: Path, cache: cache_mod.Cache, serve: bool,
            timeout: float) -> dict[str, Any]:
    """In the copy: the page's answer and what computing it changed in the counters."""
    counts = cache.hits, cache.misses, cache.stale
    runs = worker.runs[0]
    timed_out = set(worker._timed_out)
    rendered, problems = engine.check_and_render(text, path, lang, root=root, cache=cache, serve=serve,
                                                 timeout=timeout)
    return {
        "answer": (rendered, problems),
        "counts": (cache.hits - counts[0], cache.misses - counts[1], cache.stale - counts[2]),
        "runs": worker.runs[0] - runs,
        "timed_out": {k: v for k, v in worker._timed_out.items() if k not in timed_out},
    }


def _send(fd: int, message: Any) -> None:
    data = pickle.dumps(message)
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(len(data).to_bytes(8, "big") + data)


def _receive(answering: _Answering) -> Any | None:
    """The copy's message (None if it died or sent nothing); the copy is reaped."""
    try:
        with os.fdopen(answering.read, "rb") as pipe:
            head = pipe.read(8)
            data = pipe.read(int.from_bytes(head, "big")) if len(head) == 8 else b""
        message = pickle.loads(data) if data else None
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        message = None
    _reap(answering.pid)
    return message


def take(text: str, path: str, lang: str, *, root: str | Path = ".", cache: cache_mod.Cache | None = None,
         serve: bool = False, timeout: float = worker.DEFAULT_TIMEOUT) -> tuple[str, list[str]] | None:
    """The answer a copy computed for this page (waiting for it), its counts added to
    ``cache`` and ``worker``; None when no copy answers it (compute it now)."""
    answering = _answering.pop(_key(engine.canonical(text), path, lang, Path(root), serve, timeout), None)
    if answering is None:
        return None
    message = _receive(answering)
    if not isinstance(message, dict):
        return None
    if cache is not None:
        hits, misses, stale = message["counts"]
        cache.hits, cache.misses, cache.stale = cache.hits + hits, cache.misses + misses, cache.stale + stale
    worker.runs[0] += message["runs"]
    for k, result in message["timed_out"].items():
        worker._timed_out.setdefault(k, result)
    return message["answer"]


def cancel() -> None:
    """End every copy not collected (a build that ended or failed) and forget the pages
    found in the cache."""
    _cached.clear()
    while _answering:
        answering = _answering.popitem()[1]
        try:
            os.kill(answering.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(answering.read)
        _reap(answering.pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
