"""The built site and a real Chromium, shared by every test that needs them.

``tests/conftest.py`` registers this module as a plugin (``pytest_plugins``), so every test
module can ask for these fixtures by name, and each session-scoped one exists once per run:

* ``built_site`` (session): ONE real ``mkdocs build --strict`` of the project per test run,
  whichever modules ask for it: a :class:`Build` with ``ok``, ``warnings``, ``log``, ``site_dir``.
* ``site_dir`` (session): a built site to test, even when the strict build failed (then a
  non-strict build of the same tree, so shell tests still run; ``tests/test_build.py`` is the
  test that fails on the warnings). ``LSTM_DOCS_SITE=<dir>`` reuses a site built beforehand.
* ``site_url`` (session): the site served by a local ``http.server`` thread on 127.0.0.1.
* ``browser`` (session): Debian's Chromium driven by Playwright; skipped when
  ``/usr/bin/chromium`` is missing, an error when ``CI=true``.
* ``open_page`` (function): ``open_page(path, **context_options)`` -> a Playwright page, in a
  new browser context, that records every request to another host (``page.foreign_requests``)
  and every console error or uncaught exception (``page.errors``).

A new context costs a renderer process and about a second per page, so a test that reads many
pages with the same options opens ONE page and navigates it: :func:`go` (what was recorded is
forgotten at each navigation; every page is still a fresh document) or :func:`pages_at`.
:func:`wait_until_settled` waits for what ``networkidle`` stood for (the search index built,
no request pending) without its 500 ms of quiet.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lstm_docs.strings import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGE = LANGUAGES[0]


def _nav_pages() -> tuple[str, ...]:
    """The pages of ``mkdocs.yml``'s nav, in order (``units.md`` -> ``units``): the one list."""
    nav = re.search(r"^nav:\n((?:  - .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert nav, "mkdocs.yml has no flat nav list"
    return tuple(line.strip()[2:].removesuffix(".md") for line in nav.group(1).splitlines())


PAGES: tuple[str, ...] = _nav_pages()
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
PERMALINKS = ROOT / "docs" / "permalinks.txt"
_PERMALINK = re.compile(r"^(?P<page>\./|[a-z0-9][a-z0-9_-]*/)(?:#(?P<anchor>[A-Za-z0-9_.:-]+))?$")


# ---------------------------------------------------------------------------------------------
# Paths and URLs of the built site


def language_prefix(lang: str) -> str:
    """URL prefix of a language: ``""`` for the default (served at ``/``), ``"fr/"`` etc."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def page_path(lang: str, page: str) -> str:
    """Site-relative URL of a page: ``page_path("fr", "units") == "fr/units/"``."""
    return language_prefix(lang) + ("" if page == "index" else f"{page}/")


def page_file(site: Path, lang: str, page: str) -> Path:
    """The built HTML file of a page."""
    return site / page_path(lang, page) / "index.html"


@dataclass(frozen=True)
class Permalink:
    """One line of ``docs/permalinks.txt``: ``parameters/#keras-formula``."""

    entry: str
    line: int
    page: str  # page name, "index" for the home page
    anchor: str | None

    def path(self, lang: str) -> str:
        return page_path(lang, self.page) + (f"#{self.anchor}" if self.anchor else "")


def read_permalinks(path: Path = PERMALINKS) -> list[Permalink]:
    """Entries of the permalink contract; a malformed line is a ``ValueError`` naming it."""
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _PERMALINK.match(line)
        if match is None:
            raise ValueError(
                f"{_shown(path)}:{number}: {line!r} is not 'page/' or 'page/#anchor' "
                "(relative to a language's root, './' for the home page): fix the line"
            )
        page = match.group("page").rstrip("/")
        entries.append(Permalink(line, number, "index" if page == "." else page, match["anchor"]))
    return entries


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# ---------------------------------------------------------------------------------------------
# One real build per test run


@dataclass
class Build:
    """The result of ``mkdocs build`` of the project into a temporary ``site_dir``."""

    site_dir: Path
    strict: bool
    returncode: int
    log: str
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.warnings


def build_environment() -> dict[str, str]:
    return dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        DISABLE_MKDOCS_2_WARNING="true",
        KERAS_BACKEND="torch",
        PYTHONUNBUFFERED="1",
    )


def run_mkdocs_build(site: Path, *, strict: bool) -> Build:
    """Run a real ``mkdocs build`` of the checkout (``--strict`` if asked) into ``site``."""
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(ROOT / "mkdocs.yml")]
    command += ["-d", str(site)] + (["--strict"] if strict else [])
    done = subprocess.run(
        command, cwd=ROOT, env=build_environment(), capture_output=True, text=True, timeout=900
    )
    log = done.stdout + done.stderr
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    return Build(site, strict, done.returncode, log, warnings)


_builds: dict[str, Build] = {}
_workdir: list[Path] = []


def _scratch() -> Path:
    if not _workdir:
        _workdir.append(Path(tempfile.mkdtemp(prefix="lstm-docs-site-")))
        import atexit

        atexit.register(shutil.rmtree, _workdir[0], True)
    return _workdir[0]


#: a directory the xdist workers of one run share (set by tests/conftest.py): the project's
#: builds are made once per run there, by whichever worker asks first, not once per worker
SHARED_BUILDS = "LSTM_DOCS_TEST_BUILDS"


def _build_once(name: str, *, strict: bool) -> Build:
    """``run_mkdocs_build`` of the checkout, once per run when the workers share a directory
    (the first to ask builds under a lock; the others wait and read its result), else once
    per process."""
    if name in _builds:
        return _builds[name]
    shared = os.environ.get(SHARED_BUILDS)
    if not shared:
        _builds[name] = run_mkdocs_build(_scratch() / name, strict=strict)
        return _builds[name]
    import fcntl
    import json

    directory = Path(shared)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = directory / f"{name}.json"
        if record.exists():
            data = json.loads(record.read_text(encoding="utf-8"))
            build = Build(Path(data["site_dir"]), data["strict"], data["returncode"], data["log"], data["warnings"])
        else:
            build = run_mkdocs_build(directory / name, strict=strict)
            data = {"site_dir": str(build.site_dir), "strict": build.strict, "returncode": build.returncode,
                    "log": build.log, "warnings": build.warnings}
            record.write_text(json.dumps(data), encoding="utf-8")
    _builds[name] = build
    return build


def strict_build() -> Build:
    """The project's ``mkdocs build --strict``, run once per run (or per process)."""
    return _build_once("strict", strict=True)


def usable_site() -> Path:
    """A fully built site: the strict build's, or a non-strict rebuild when that one failed.

    ``LSTM_DOCS_SITE=/path/to/site`` reuses a site you built yourself (faster iterations on
    browser tests; ``test_strict_build_passes`` still builds).
    """
    prebuilt = os.environ.get("LSTM_DOCS_SITE")
    if prebuilt:
        if not (Path(prebuilt) / "index.html").exists():
            pytest.fail(f"LSTM_DOCS_SITE={prebuilt} has no index.html: build the site there first")
        return Path(prebuilt)
    build = strict_build()
    if build.returncode == 0:
        return build.site_dir
    lenient = _build_once("lenient", strict=False)
    if lenient.returncode != 0:
        pytest.fail("mkdocs build fails even without --strict:\n" + lenient.log[-4000:])
    return lenient.site_dir


@pytest.fixture(scope="session")
def built_site() -> Build:
    return strict_build()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return usable_site()


# ---------------------------------------------------------------------------------------------
# A local server and a real browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _SiteServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A browser that leaves a page while a file is still being sent (the search index of
        a page a test is done with) is no server error: not reported; others still are."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@functools.cache
def _serve(site: Path) -> str:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    import atexit

    atexit.register(server.shutdown)
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> str:
    return _serve(site_dir)


def chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def foreign_url(site_url: str) -> re.Pattern:
    """URLs with a host other than the local server's (``data:``, ``blob:``, ``about:`` have
    none): the pattern ``open_page`` refuses. A pattern, not a function, so Playwright matches
    it in the browser's driver and the site's own requests never wait for Python."""
    local = re.escape(urlsplit(site_url).netloc)
    return re.compile(rf"^[A-Za-z][A-Za-z0-9+.-]*://(?!{local}(?:[/?#]|$))[^/?#]")


def _record(page, site_url: str) -> None:
    """Attach the recorders ``open_page`` promises (``foreign_requests``, ``errors``) and the
    set of requests still pending (``in_flight``), and refuse every foreign request."""
    local = urlsplit(site_url).netloc
    page.site_url = site_url
    page.foreign_requests, page.errors, page.in_flight = [], [], set()

    def on_request(request) -> None:
        page.in_flight.add(request)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != local:
            page.foreign_requests.append(request.url)

    def on_console(message) -> None:
        if message.type == "error":
            page.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def on_response(response) -> None:
        if response.status >= 400:
            page.errors.append(f"HTTP {response.status}: {response.url}")

    page.on("request", on_request)
    page.on("requestfinished", lambda request: page.in_flight.discard(request))
    page.on("requestfailed", lambda request: page.in_flight.discard(request))
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.errors.append(f"uncaught: {exc}"))
    # Anything not served by the local server is refused, so a forgotten CDN fails fast.
    page.route(foreign_url(site_url), lambda route: route.abort())


@pytest.fixture
def open_page(browser, site_url):
    """``open_page("fr/units/", viewport=..., color_scheme="dark")`` -> a loaded page."""
    contexts = []

    def opener(path: str = "", *, wait: str = "load", **context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        _record(page, site_url)
        page.goto(site_url + path, wait_until=wait)
        return page

    yield opener
    for context in contexts:
        context.close()


def go(page, path: str, *, wait: str = "load"):
    """Navigate a page of ``open_page`` to another path of the site (a new document: not the
    same address with another ``#anchor``), in its context: no new renderer, the same options.
    What the page recorded (``errors``, ``foreign_requests``, pending requests) is forgotten
    first, so what it records next belongs to ``path``."""
    page.errors.clear()
    page.foreign_requests.clear()
    page.in_flight.clear()
    page.goto(page.site_url + path, wait_until=wait)
    return page


def pages_at(open_page, paths, *, wait: str = "load", **context_options):
    """``(path, page)`` for each of ``paths``, all in ONE page: opened (``open_page`` with
    ``context_options``) at the first path, navigated (:func:`go`) to each next one."""
    page = None
    for path in paths:
        page = open_page(path, wait=wait, **context_options) if page is None else go(page, path, wait=wait)
        yield path, page


# Material's search box says "Initializing search" (in the page's language) until its worker
# has fetched the index of every language and built it, then its "placeholder" string, which
# the page hands its script in #__config's translations.
_SEARCH_READY = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  const config = document.getElementById("__config");
  if (!meta || !config) throw new Error("this page has no Material search box");
  return meta.textContent === JSON.parse(config.textContent).translations["search.result.placeholder"];
}"""


def wait_for_search(page, timeout: float = 30_000) -> None:
    """Wait until the page's search is ready: its index fetched and built, by its worker."""
    page.wait_for_function(_SEARCH_READY, timeout=timeout)


def wait_until_settled(page, timeout: float = 30_000) -> None:
    """Wait until the page has nothing left to do: loaded, its search ready (:func:`wait_for_search`)
    and no request of it pending. What ``wait_for_load_state("networkidle")`` stood for on this
    site (no page requests anything once its search is ready), without 500 ms of quiet."""
    wait_for_search(page, timeout)
    deadline = time.monotonic() + timeout / 1000
    while page.in_flight:
        if time.monotonic() > deadline:
            pending = ", ".join(sorted(request.url for request in page.in_flight))
            raise TimeoutError(f"{page.url}: requests still pending after {timeout / 1000:.0f} s: {pending}")
        page.wait_for_timeout(20)  # lets Playwright deliver the requests' finished events


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under ``test-output/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def redirect_aliases() -> dict[str, str]:
    """``redirect_maps`` of ``mkdocs.yml`` as page names: ``{"params": "parameters", ...}``."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    plugin = next(p["redirects"] for p in config["plugins"] if isinstance(p, dict) and "redirects" in p)
    return {old.removesuffix(".md"): new.removesuffix(".md") for old, new in plugin["redirect_maps"].items()}
