"""How soon ``mkdocs serve`` notices a save (issue #17).

mkdocs watches with a polling observer that looks at the watched trees every 0.5 s, so a save
waits 0.25 s on average (up to 0.5 s) before the rebuild even starts -- a third of the 1.5 s a
writer should wait for the reload.  ``poll_every(server, seconds)`` moves every watched path to
an observer that looks every ``seconds`` (0.1 s: a look at the docs, snippets and package trees
is a few hundred ``stat`` calls, about 1 ms).  It uses only the server's public ``observer``,
``watch`` and ``unwatch``; the build, and so every page, is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: seconds between two looks at the watched trees under ``serve`` (mkdocs: 0.5)
POLL_SECONDS = 0.1


def poll_every(server: Any, seconds: float, candidates: Iterable[str]) -> Any:
    """Move to a polling observer that looks every ``seconds`` the paths among ``candidates``
    that mkdocs watched before the ``on_serve`` event (the docs directory, the configuration
    file, the theme's directories under ``--watch-theme``); paths watched later (plugins,
    ``watch:`` in mkdocs.yml) land on it directly.  Call it before any plugin's ``on_serve``.
    Returns ``server``."""
    from watchdog.observers.polling import PollingObserver

    if getattr(server, "observer", None) is None or not hasattr(server, "unwatch"):
        return server  # not mkdocs' LiveReloadServer: leave it alone
    moved = []
    for path in dict.fromkeys(str(p) for p in candidates if p):
        try:
            server.unwatch(path)
        except KeyError:  # not watched
            continue
        moved.append(path)
    server.observer = PollingObserver(timeout=seconds)
    for path in moved:
        server.watch(path)
    return server
