"""``serve`` notices a save within 0.1 s: every watched path moves to a faster observer.

A real mkdocs ``LiveReloadServer`` (not started: nothing binds a port) watching real
directories; the real ``mkdocs serve`` rebuilding after a save is in ``test_writer_mode.py``.
"""

from __future__ import annotations

from mkdocs.livereload import LiveReloadServer

from lstm_docs import serve_watch


def _server(tmp_path):
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def _watched(server) -> set[str]:
    return {watch.path for watch in server.observer._watches}  # what the observer will poll


def test_watched_paths_move_to_an_observer_that_looks_every_tenth_of_a_second(tmp_path):
    docs, theme, later = (tmp_path / name for name in ("docs", "theme", "snippets"))
    for directory in (docs, theme, later):
        directory.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    server = _server(tmp_path)
    server.watch(str(docs))
    server.watch(str(config))
    old = server.observer
    assert old.timeout == 0.5  # mkdocs' own interval
    before = _watched(server)
    assert len(before) == 2

    # the theme directory is a candidate only: mkdocs watches it under --watch-theme alone
    assert serve_watch.poll_every(server, serve_watch.POLL_SECONDS, [str(docs), str(config), str(theme), None]) is server
    assert server.observer is not old and server.observer.timeout == serve_watch.POLL_SECONDS
    assert _watched(server) == before
    assert not old._watches  # nothing left behind on the observer that is never started
    server.watch(str(later))  # `watch:` entries come after on_serve
    assert _watched(server) == before | {str(later)}


def test_another_server_is_left_alone(tmp_path):
    class Other:
        pass

    other = Other()
    assert serve_watch.poll_every(other, 0.1, [str(tmp_path)]) is other
