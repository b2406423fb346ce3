"""The writer's mode: ``LSTM_DOCS_LANGUAGES=fr mkdocs serve`` builds English and French only.

Each page it serves is byte for byte the page of the full build (the language switcher and
hreflang links still name every language), save for what every ``mkdocs serve`` changes (its
live-reload script, and its own address as ``site_url``); the
other languages are not built; an edit to a French page shows after a rebuild; ``mkdocs
build`` ignores the variable and says so; an unknown code is a one-line error.  Real
``mkdocs serve`` and ``mkdocs build`` processes on a copy of the project.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lstm_docs import languages
from project_copy import copy_project, environment, mkdocs

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent
_LIVERELOAD = re.compile(r"<script>\s*var livereload = .*?</script>", re.S)


def test_the_selection_puts_the_default_language_first_and_refuses_unknown_codes():
    assert languages.serve_selection("") == languages.codes()
    assert languages.serve_selection(None) == languages.codes()
    assert languages.serve_selection("zh, fr") == ("en", "fr", "zh")
    assert languages.serve_selection("en") == ("en",)
    with pytest.raises(ValueError, match=r"^LSTM_DOCS_LANGUAGES=fr,de: unknown language 'de': use one of en, fr, es, zh$"):
        languages.serve_selection("fr,de")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _wait_for(url: str, marker: str, server: subprocess.Popen, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        assert server.poll() is None, server.stderr.read()[-3000:] if server.stderr else "serve ended"
        status, body = _get(url)
        if status == 200 and marker in body:
            return body
        assert time.monotonic() < deadline, f"{url} never showed {marker!r}"
        time.sleep(0.2)


def test_a_writer_serves_english_and_french_exactly_as_the_full_build(tmp_path):
    root = copy_project(tmp_path / "project", cache_from=ROOT)
    full = mkdocs(root, "--strict")  # into root/site
    assert full.returncode == 0, full.stderr[-3000:]
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root, env=environment(root, LSTM_DOCS_LANGUAGES="fr"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        for page in ("units/", "fr/units/", "fr/legacy/", "fr/gates/"):
            served = _wait_for(base + page, "</html>", server, 300)
            built = (root / "site" / page / "index.html").read_text(encoding="utf-8")
            # serve adds its live-reload script and puts its own address in site_url
            served_as_built = _LIVERELOAD.sub("", served).replace(base, "http://127.0.0.1:8000/")
            assert served_as_built == built, f"{page} differs from the full build's"
            assert 'hreflang="es"' in served and 'hreflang="zh"' in served  # the switcher names every language
        assert _get(base + "es/units/")[0] == 404 and _get(base + "zh/units/")[0] == 404
        page = root / "docs" / "fr" / "units.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("Quatre mots", "Quatre mots zqxwriter", 1), encoding="utf-8")
        _wait_for(base + "fr/units/", "zqxwriter", server, 120)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_build_ignores_the_writers_mode_and_says_so(tmp_path):
    root = copy_project(tmp_path / "project", cache_from=ROOT)
    result = mkdocs(root, env=environment(root, LSTM_DOCS_LANGUAGES="fr"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LSTM_DOCS_LANGUAGES=fr is ignored by `mkdocs build`" in result.stderr
    assert (root / "site" / "zh" / "units" / "index.html").exists()


def test_an_unknown_language_stops_serve_with_one_line(tmp_path):
    root = copy_project(tmp_path / "project", cache_from=ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{_free_port()}"],
        cwd=root, env=environment(root, LSTM_DOCS_LANGUAGES="fr,de"), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "LSTM_DOCS_LANGUAGES=fr,de: unknown language 'de': use one of en, fr, es, zh" in result.stderr
    assert "Traceback" not in result.stderr
