"""The site in real Chromium: offline, in four languages, linkable, searchable, formulas drawn.

Screenshots for a human go to ``test-output/screenshots/`` (one page per language at desktop
and phone width, plus the dark palette).
"""

from __future__ import annotations

import pytest

from browser_support import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PAGES,
    language_prefix,
    page_path,
    pages_at,
    read_permalinks,
    screenshot,
    wait_until_settled,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# A word each language's pages use (the gates: forget gate / porte d'oubli / ...).
SEARCH_TERMS = {"en": "forget", "fr": "oubli", "es": "olvido", "zh": "遗忘门"}

# Raw TeX that must never be visible once formulas are MathML.
TEX_MARKERS = ("\\(", "\\[", "$$", "\\times", "\\frac", "\\sigma", "_{t-1}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_loads_offline_without_errors(open_page, lang):
    """Every page of the language and its 404 page, until its search is ready and no request
    is pending: no request to another host, no console error, uncaught exception or HTTP error
    (the search worker's included), and ``<html lang>`` is the language."""
    problems = []
    paths = [page_path(lang, name) for name in PAGES] + [language_prefix(lang) + "404.html"]
    for path, page in pages_at(open_page, paths):
        wait_until_settled(page)
        where = "/" + path
        problems += [f"{where}: request to {url}" for url in page.foreign_requests]
        problems += [f"{where}: {error}" for error in page.errors]
        assert page.locator("html").get_attribute("lang") == lang, where
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("source", "target"), [("en", "fr"), ("fr", "zh"), ("zh", "es"), ("es", "en")])
def test_language_switcher_keeps_the_page(open_page, site_url, source, target):
    page = open_page(page_path(source, "gates"), viewport=DESKTOP)
    page.locator(".md-header__option .md-select").first.hover()
    link = page.locator(f'.md-select__list a[hreflang="{target}"]')
    link.click()
    page.wait_for_load_state("load")
    assert page.url == site_url + page_path(target, "gates")
    assert page.locator("html").get_attribute("lang") == target


def _deep_links():
    anchored = [entry for entry in read_permalinks() if entry.anchor]
    return anchored[:1] + anchored[-1:] if anchored else []


@pytest.mark.parametrize("entry", _deep_links(), ids=lambda entry: entry.entry)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deep_link_scrolls_to_the_heading(open_page, entry, lang):
    """A permalink with an anchor, opened on a phone, shows its heading just under the sticky
    header once the page has settled (or the page cannot scroll further)."""
    page = open_page(entry.path(lang), viewport=PHONE)
    wait_until_settled(page)
    heading = page.locator(f"#{entry.anchor}")
    assert heading.count() == 1, f"/{entry.path(lang)}: no element with that id"
    top = heading.evaluate("element => element.getBoundingClientRect().top")
    header = page.locator(".md-header").evaluate("element => element.getBoundingClientRect().height")
    document_height = page.evaluate("document.documentElement.scrollHeight")
    at_bottom = page.evaluate("window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2")
    # The heading sits just under the sticky header, or the page cannot scroll further.
    assert -2 <= top <= header + 60 or (at_bottom and 0 <= top < PHONE["height"]), (
        f"/{entry.path(lang)}: heading at y={top} (header {header}px, page {document_height}px)"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_a_word_in_each_language(open_page, site_url, lang):
    page = open_page(page_path(lang, "index"), viewport=DESKTOP)
    box = page.locator("input.md-search__input")
    box.click()
    # fill = the text an input method commits (typing key by key cannot enter Chinese)
    box.fill(SEARCH_TERMS[lang])
    box.press("End")
    results = page.locator(".md-search-result__item a, a.md-search-result__link")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    prefix = site_url + ("" if lang == DEFAULT_LANGUAGE else f"{lang}/")
    same_language = [
        href for href in hrefs
        if href.startswith(prefix)
        and (lang != DEFAULT_LANGUAGE or not any(href.startswith(site_url + f"{o}/") for o in LANGUAGES))
    ]
    assert same_language, f"search for {SEARCH_TERMS[lang]!r} on /{page_path(lang, 'index')}: {hrefs}"
    screenshot(page, f"search-{lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_formulas_are_rendered_as_mathml(open_page, lang):
    page = open_page(page_path(lang, "parameters"), viewport=DESKTOP)
    formulas = page.locator("article math")
    assert formulas.count() > 0, f"/{page_path(lang, 'parameters')}: no formula"
    box = formulas.first.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 5, "the formula is not drawn"
    text = page.locator("article").inner_text()
    leaked = [marker for marker in TEX_MARKERS if marker in text]
    assert not leaked, f"/{page_path(lang, 'parameters')}: raw TeX visible: {leaked}"


def test_display_math_scrolls_inside_itself_on_a_phone(open_page):
    page = open_page(page_path("en", "parameters"), viewport=PHONE)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways on a phone ({page_width}px)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_screenshots_desktop_and_phone(open_page, lang):
    """The parameters page, settled, at desktop and phone width, and the gates page in the
    dark palette (a fresh context: the palette a page picks is remembered), which must be
    Material's slate scheme."""
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_page(page_path(lang, "parameters"), viewport=viewport)
        wait_until_settled(page)
        screenshot(page, f"{lang}-parameters-{name}")
        page.context.close()
    dark = open_page(page_path(lang, "gates"), viewport=DESKTOP, color_scheme="dark")
    assert dark.locator("body").get_attribute("data-md-color-scheme") == "slate"
    screenshot(dark, f"{lang}-gates-dark")


def test_palette_toggle_switches_to_dark(open_page):
    page = open_page(page_path("fr", "units"), viewport=DESKTOP, color_scheme="light")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    toggle = page.locator('label[for="__palette_1"]')
    assert toggle.get_attribute("title") == "Passer au thème sombre"
    toggle.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_keras_pytorch_tabs_stay_in_sync(open_page):
    """Material's content.tabs.link: choosing PyTorch once switches every tab set on the page."""
    page = open_page(page_path("en", "parameters"), viewport=DESKTOP)
    tab_sets = page.locator(".tabbed-set")
    labels = page.locator(".tabbed-labels label", has_text="PyTorch")
    if labels.count() < 2:
        pytest.skip("en/parameters has fewer than two Keras | PyTorch tab sets yet")
    labels.first.click()
    for index in range(tab_sets.count()):
        tab_set = tab_sets.nth(index)
        if "PyTorch" not in tab_set.locator(".tabbed-labels label").all_inner_texts():
            continue
        checked = tab_set.locator(":scope > input:checked").get_attribute("id")
        label = tab_set.locator(f'label[for="{checked}"]').inner_text()
        assert label == "PyTorch", f"tab set {index} still shows {label}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_navigation_reaches_every_page(open_page, site_url, lang):
    page = open_page(page_path(lang, "index"), viewport=PHONE)
    for target in PAGES[1:]:
        expected = site_url + page_path(lang, target)
        page.locator('label.md-header__button[for="__drawer"]').click()
        links = page.locator("nav.md-nav--primary a.md-nav__link")
        hrefs = links.evaluate_all("links => links.map(link => link.href)")
        assert expected in hrefs, f"phone menu of /{page_path(lang, 'index')} has no {target}"
        link = links.nth(hrefs.index(expected))
        link.click()
        page.wait_for_load_state("load")
        assert page.url == expected, f"phone menu: {target} led to {page.url}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_scrolls_sideways_on_a_phone(open_page, lang):
    """Wide tables, code and formulas scroll inside their own box, never the whole page;
    the English pages are also saved at desktop and phone widths for a human to look at."""
    paths = [page_path(lang, page_name) for page_name in PAGES]
    desktops = pages_at(open_page, paths, viewport=DESKTOP)  # one page each width
    for page_name, (_, page) in zip(PAGES, pages_at(open_page, paths, viewport=PHONE)):
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{lang}/{page_name} scrolls sideways on a phone ({width}px)"
        if lang == DEFAULT_LANGUAGE:
            screenshot(page, f"page-{page_name}-phone")
            _, desktop = next(desktops)
            screenshot(desktop, f"page-{page_name}-desktop")
