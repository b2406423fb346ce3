"""No English on a French, Spanish or Chinese page, read in real Chromium.

Every page of every translation — the eight pages, the 404 page and the redirect stubs —
is opened at desktop width; every string a reader sees or hears is collected (text, the
``<title>``, ``title``/``aria-label``/``placeholder``/``alt`` attributes, SVG titles and
descriptions, the theme's script strings) and compared with the same English page and an
English word list. What may stay English is the reviewed allow-list in ``tests/leaks.py``.
The calculator is also checked with an error showing (its messages are built by its script).
"""

from __future__ import annotations

import pytest

import leaks
from browser_support import DEFAULT_LANGUAGE, LANGUAGES, PAGES, go, language_prefix, page_path, redirect_aliases

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
TRANSLATIONS = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]


def _targets(lang: str) -> list[tuple[str, str, str]]:
    """(name, path in ``lang``, path of the same page in English)."""
    targets = [(name, page_path(lang, name), page_path(DEFAULT_LANGUAGE, name)) for name in PAGES]
    targets.append(("404", language_prefix(lang) + "404.html", "404.html"))
    for alias in redirect_aliases():
        targets.append((f"redirect {alias}", page_path(lang, alias), page_path(DEFAULT_LANGUAGE, alias)))
    return targets


class Reader:
    """Reads pages' strings (``leaks.COLLECT``) at desktop width, in two pages opened once and
    navigated from page to page: one runs the pages' scripts, the other, without scripts,
    reads redirect stubs. Each page read is a fresh document."""

    def __init__(self, open_page):
        self._open_page = open_page
        self._page = None
        self._stubs = None

    def strings(self, path: str, *, redirect: bool, calculator_error: bool = False) -> list[dict]:
        """Every string a reader of ``path`` sees or hears, read once it has loaded, with the
        calculator showing an error if asked. Nothing but the search box's message changes
        later: at load it says its index is being prepared (read too); the message it shows
        once ready is one of the theme's strings in #__config, read on every page."""
        page = self._stub(path) if redirect else self._load(path)
        if calculator_error:
            field = page.locator(".lstm-calc input[type=text]:visible, .lstm-calc input[inputmode]:visible").first
            field.fill("abc")
            field.dispatch_event("input")
        return page.evaluate(leaks.COLLECT)

    def _load(self, path: str):
        if self._page is None:
            self._page = self._open_page(path, viewport=DESKTOP)
        else:
            go(self._page, path)
        return self._page

    def _stub(self, path: str):
        """A redirect stub leaves at once: no script, and any other address it leads to
        answers "204 No Content", so the browser stays on the stub, to be read."""
        if self._stubs is None:
            page = self._stubs = self._open_page("404.html", viewport=DESKTOP, java_script_enabled=False)
            page.stub = None

            def only_the_stub(route):
                if route.request.is_navigation_request() and route.request.url != page.stub:
                    route.fulfill(status=204)
                else:
                    route.fallback()

            page.route("**/*", only_the_stub)
        page = self._stubs
        page.stub = page.site_url + path
        with page.expect_request(lambda r: r.is_navigation_request() and r.url != page.stub) as refresh:
            page.goto(page.stub, wait_until="load")
        refresh.value.response()  # the stub's refresh fired and got its "no content"
        return page


_english: dict[tuple[str, bool], set[str]] = {}  # the English pages' strings, read once per run


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_english_on_translated_pages(open_page, lang):
    """Every string of every page of the translation (pages, 404, redirect stubs, the
    calculator with and without an error) is neither a string of the same English page nor
    has an English word, unless the reviewed allow-list of tests/leaks.py allows it."""
    reader = Reader(open_page)
    problems = []
    for name, path, english_path in _targets(lang):
        redirect = name.startswith("redirect")
        variants = [False, True] if name == "calculator" else [False]
        for error in variants:
            if (english_path, error) not in _english:
                found = reader.strings(english_path, redirect=redirect, calculator_error=error)
                _english[english_path, error] = {s["text"] for s in found}
            english = _english[english_path, error]
            for item in reader.strings(path, redirect=redirect, calculator_error=error):
                why = leaks.leak(item["text"], english, lang)
                if why:
                    problems.append(f"/{path} {item['kind']} ({item['where']}): {item['text'][:90]!r}: {why}")
    problems = sorted(set(problems))
    assert not problems, f"{len(problems)} English strings on the {lang} pages:\n" + "\n".join(problems)
