"""The URL#anchor contract (``docs/permalinks.txt``) holds in every language of the built site."""

from __future__ import annotations

import re

import pytest

from browser_support import (
    LANGUAGES,
    PAGES,
    page_file,
    read_permalinks,
)

ENTRIES = read_permalinks()
_ID = re.compile(r'\bid="([^"]+)"')
_HEADING_ID = re.compile(r'<h([1-6]) id="([^"]+)"')


def test_the_contract_lists_every_page():
    pages = {entry.page for entry in ENTRIES if entry.anchor is None}
    missing = [page for page in PAGES if page not in pages]
    assert not missing, f"docs/permalinks.txt: add a line for each page: {missing}"


def test_the_contract_has_no_duplicates():
    seen: dict[str, int] = {}
    for entry in ENTRIES:
        assert entry.entry not in seen, (
            f"docs/permalinks.txt:{entry.line}: {entry.entry} already on line {seen[entry.entry]}"
        )
        seen[entry.entry] = entry.line


def test_a_malformed_line_is_reported_with_its_place(tmp_path):
    bad = tmp_path / "permalinks.txt"
    bad.write_text("# header\nunits/\n/fr/units.md#x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"permalinks.txt:3: '/fr/units.md#x' is not 'page/'"):
        read_permalinks(bad)


@pytest.mark.build
@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.entry for entry in ENTRIES])
def test_permalink_resolves_in_every_language(site_dir, entry):
    missing = []
    for lang in LANGUAGES:
        built = page_file(site_dir, lang, entry.page)
        if not built.exists():
            missing.append(f"/{entry.path(lang)} (no page)")
        elif entry.anchor and entry.anchor not in _ID.findall(built.read_text(encoding="utf-8")):
            missing.append(f"/{entry.path(lang)} (no id)")
    assert not missing, (
        f"docs/permalinks.txt:{entry.line}: {entry.entry} is broken: " + ", ".join(missing)
        + " — give the heading the same explicit { #id } in every language"
    )


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_heading_has_a_generated_id(site_dir, lang):
    """A heading without ``{ #id }`` gets ``_1`` in Chinese: links to it would differ by language."""
    generated = []
    for page in PAGES:
        text = page_file(site_dir, lang, page).read_text(encoding="utf-8")
        generated += [f"{page}: #{hid}" for _, hid in _HEADING_ID.findall(text) if re.fullmatch(r"_\d+", hid)]
    assert not generated, f"docs/{lang}: headings without an explicit id: {generated}"
