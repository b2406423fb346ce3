"""Pages answered ahead in a forked copy of the build (issue #17: ``mkdocs build`` computes
the next pages on the other core while it renders this one) give exactly the answer, the
counts and the remembered timeouts of a page computed in its turn; a copy that dies leaves
the page to its turn; nothing is left behind."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from lstm_docs.live import ahead, worker
from lstm_docs.live.cache import Cache
from lstm_docs.live.engine import check_and_render

REPO = Path(__file__).resolve().parent.parent
PAGE = "docs/en/units.md"


@pytest.fixture(autouse=True)
def _nothing_left():
    worker.forget_timeouts()
    yield
    copies = [a.pid for a in ahead._answering.values()]
    ahead.cancel()
    assert not ahead._answering
    for pid in copies:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    worker.forget_timeouts()


def _page() -> str:
    return (REPO / PAGE).read_text(encoding="utf-8-sig")


def _counts(cache: Cache) -> tuple[int, int, int, int]:
    return cache.hits, cache.misses, cache.stale, worker.runs[0]


def _in_turn(text: str, cache: Cache, **options) -> tuple[tuple[str, list[str]], tuple[int, ...]]:
    before = _counts(cache)
    answer = check_and_render(text, PAGE, "en", root=REPO, cache=cache, **options)
    return answer, tuple(a - b for a, b in zip(_counts(cache), before))


def _taken(text: str, cache: Cache, **options) -> tuple[tuple[str, list[str]] | None, tuple[int, ...]]:
    before = _counts(cache)
    answer = ahead.take(text, PAGE, "en", root=REPO, cache=cache, **options)
    return answer, tuple(a - b for a, b in zip(_counts(cache), before))


def test_a_page_answered_ahead_gives_the_answer_and_counts_of_its_turn(tmp_path):
    in_turn = _in_turn(_page(), Cache(tmp_path / "a"))
    cache = Cache(tmp_path / "b")
    assert ahead.answer_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    # its turn hands over the Markdown mkdocs-static-i18n made of the file: lines rejoined
    assert _taken("\n".join(_page().splitlines()), cache) == in_turn
    assert in_turn[1][3] == 1  # the page's steps ran once, in the copy's worker
    # what the copy computed is in the cache: the next build reads the page from it
    assert _in_turn(_page(), cache)[0] == in_turn[0] and cache.hits


def test_nothing_is_forked_for_a_page_the_cache_answers(tmp_path):
    cache = Cache(tmp_path)
    check_and_render(_page(), PAGE, "en", root=REPO, cache=cache)
    assert not ahead.answer_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    assert not ahead._answering
    assert ahead.take(_page(), PAGE, "en", root=REPO, cache=cache) is None  # its turn reads the cache


def test_a_fault_answered_ahead_is_reported_and_remembered_as_in_its_turn(tmp_path):
    text = _page() + "\n```python live\nwhile True:\n    pass\n```\n"
    in_turn = _in_turn(text, Cache(tmp_path / "a"), timeout=1)
    remembered = dict(worker._timed_out)
    assert remembered and any("CPU" in p or "time" in p for p in in_turn[0][1])
    worker.forget_timeouts()
    cache = Cache(tmp_path / "b")
    assert ahead.answer_ahead(text, PAGE, "en", root=REPO, cache=cache, timeout=1)
    assert _taken(text, cache, timeout=1) == in_turn
    assert set(worker._timed_out) == set(remembered)  # a later page with that chain is not run again


def test_a_copy_that_died_leaves_the_page_to_its_turn(tmp_path):
    cache = Cache(tmp_path)
    assert ahead.answer_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    pid = next(iter(ahead._answering.values())).pid
    os.kill(pid, signal.SIGKILL)
    assert ahead.take(_page(), PAGE, "en", root=REPO, cache=cache) is None
    assert not ahead._answering
    with pytest.raises(ChildProcessError):  # reaped: no zombie
        os.waitpid(pid, os.WNOHANG)
    assert check_and_render(_page(), PAGE, "en", root=REPO, cache=cache) == check_and_render(
        _page(), PAGE, "en", root=REPO, cache=Cache(tmp_path / "fresh"))


def test_another_text_is_not_answered_by_the_copy(tmp_path):
    cache = Cache(tmp_path)
    assert ahead.answer_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    edited = _page().replace("\n\n", "\n\nA sentence the copy never read.\n\n", 1)
    assert ahead.take(edited, PAGE, "en", root=REPO, cache=cache) is None
    assert len(ahead._answering) == 1  # still the other text's, ended by cancel


def test_copies_never_collected_are_ended(tmp_path):
    assert ahead.answer_ahead(_page(), PAGE, "en", root=REPO, cache=Cache(tmp_path))
    pid = next(iter(ahead._answering.values())).pid
    ahead.cancel()
    assert not ahead._answering
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
