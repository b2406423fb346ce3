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
from browser_support import DEFAULT_LANGUAGE, LANGUAGES, PAGES, language_prefix, page_path, redirect_aliases

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


def _collect(open_page, path: str, *, redirect: bool, calculator_error: bool = False) -> list[dict]:
    if redirect:
        # A redirect stub leaves at once: no script, and the address it leads to answers
        # "204 No Content", so the browser stays on the stub, to be read.
        page = open_page("404.html", viewport=DESKTOP, java_script_enabled=False)
        stub = page.url.removesuffix("404.html") + path

        def only_the_stub(route):
            if route.request.is_navigation_request() and route.request.url != stub:
                route.fulfill(status=204)
            else:
                route.fallback()

        page.route("**/*", only_the_stub)
        page.goto(stub, wait_until="load")
        page.wait_for_timeout(300)  # the refresh fires and gets no content
    else:
        page = open_page(path, viewport=DESKTOP)
        page.wait_for_load_state("networkidle")
    if calculator_error:
        field = page.locator(".lstm-calc input[type=text]:visible, .lstm-calc input[inputmode]:visible").first
        field.fill("abc")
        field.dispatch_event("input")
    found = page.evaluate(leaks.COLLECT)
    page.context.close()
    return found


_english: dict[tuple[str, bool], set[str]] = {}  # the English pages' strings, read once per run


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_english_on_translated_pages(open_page, lang):
    problems = []
    for name, path, english_path in _targets(lang):
        redirect = name.startswith("redirect")
        variants = [False, True] if name == "calculator" else [False]
        for error in variants:
            if (english_path, error) not in _english:
                found = _collect(open_page, english_path, redirect=redirect, calculator_error=error)
                _english[english_path, error] = {s["text"] for s in found}
            english = _english[english_path, error]
            for item in _collect(open_page, path, redirect=redirect, calculator_error=error):
                why = leaks.leak(item["text"], english, lang)
                if why:
                    problems.append(f"/{path} {item['kind']} ({item['where']}): {item['text'][:90]!r}: {why}")
    problems = sorted(set(problems))
    assert not problems, f"{len(problems)} English strings on the {lang} pages:\n" + "\n".join(problems)
