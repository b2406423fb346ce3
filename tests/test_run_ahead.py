"""Snippets started ahead of their page (issue #17: a cold build runs the next page's
snippets on the other core while it renders this one) give exactly the answer of a page run
in its turn, and leave no process behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lstm_docs.live import worker
from lstm_docs.live.cache import Cache
from lstm_docs.live.engine import cancel_ahead, check_and_render, run_ahead

REPO = Path(__file__).resolve().parent.parent
PAGE = "docs/en/units.md"


@pytest.fixture(autouse=True)
def _nothing_left():
    yield
    cancel_ahead()
    assert not worker._ahead


def _page() -> str:
    return (REPO / PAGE).read_text(encoding="utf-8-sig")


def test_a_page_run_ahead_gives_the_answer_of_a_page_run_in_its_turn(tmp_path):
    in_turn = check_and_render(_page(), PAGE, "en", root=REPO, cache=Cache(tmp_path / "a"))
    cache = Cache(tmp_path / "b")
    assert run_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    assert len(worker._ahead) == 1
    runs = worker.runs[0]
    assert check_and_render(_page(), PAGE, "en", root=REPO, cache=cache) == in_turn
    assert not worker._ahead and worker.runs[0] == runs + 1  # collected, not run a second time


def test_nothing_starts_for_a_page_the_cache_answers(tmp_path):
    cache = Cache(tmp_path)
    check_and_render(_page(), PAGE, "en", root=REPO, cache=cache)
    assert not run_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    assert not worker._ahead


def test_a_fault_run_ahead_is_reported_as_in_its_turn(tmp_path):
    text = _page() + "\n```python live\nwhile True:\n    pass\n```\n"
    in_turn = check_and_render(text, PAGE, "en", root=REPO, cache=Cache(tmp_path / "a"), timeout=1)
    worker.forget_timeouts()
    cache = Cache(tmp_path / "b")
    assert run_ahead(text, PAGE, "en", root=REPO, cache=cache, timeout=1)
    ahead = check_and_render(text, PAGE, "en", root=REPO, cache=cache, timeout=1)
    assert ahead == in_turn and any("CPU" in p or "time" in p for p in ahead[1])


def test_workers_started_ahead_and_never_collected_are_ended(tmp_path):
    assert run_ahead(_page(), PAGE, "en", root=REPO, cache=Cache(tmp_path))
    supervisor = next(iter(worker._ahead.values())).supervisor
    cancel_ahead()
    assert not worker._ahead
    with pytest.raises(ProcessLookupError):
        os.kill(supervisor, 0)


def test_the_page_read_ahead_is_not_read_again_in_its_turn(tmp_path):
    """mkdocs-static-i18n hands the hook the page's lines rejoined, without the file's final
    newline: the parse made ahead from the file still answers it (and the answer is the same)."""
    from lstm_docs.live import engine

    in_turn = check_and_render(_page(), PAGE, "en", root=REPO, cache=Cache(tmp_path / "a"))
    cache = Cache(tmp_path / "b")
    assert run_ahead(_page(), PAGE, "en", root=REPO, cache=cache)
    assert len(engine._parsed) == 1
    markdown = "\n".join(_page().splitlines())
    assert markdown != _page()
    assert check_and_render(markdown, PAGE, "en", root=REPO, cache=cache) == in_turn
    assert not engine._parsed  # used, not parsed a second time


def test_a_page_whose_steps_are_cached_starts_nothing_but_is_read_once(tmp_path):
    """A prose edit (or the same snippets in another language): nothing to run ahead, but
    the parse made ahead is the one its turn checks."""
    from lstm_docs.live import engine

    cache = Cache(tmp_path)
    check_and_render(_page(), PAGE, "en", root=REPO, cache=cache)
    edited = _page().replace("\n\n", "\n\nA new sentence with no number.\n\n", 1)
    in_turn = check_and_render(edited, PAGE, "en", root=REPO, cache=Cache(tmp_path / "fresh"))
    assert not run_ahead(edited, PAGE, "en", root=REPO, cache=cache)
    assert not worker._ahead and len(engine._parsed) == 1
    assert check_and_render(edited, PAGE, "en", root=REPO, cache=cache) == in_turn
    assert not engine._parsed
