"""mkdocs hook: hand the parameter calculator its data at build time.

The data, and where it goes in a page, are ``lstm_docs.calculator`` (pure functions the tests
import); this module only wires ``page_with_data`` into mkdocs' ``on_post_page``.
"""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger

from lstm_docs import calculator, formulas

log = get_plugin_logger("calculator")
_catalog: list[dict] = []  # formulas.catalog(), once per build of the four languages


def _the_catalog() -> dict:
    """The catalog, computed once: mkdocs loads this module afresh with each configuration
    (each ``serve`` rebuild), so an edit to ``lstm_docs`` is always seen."""
    if not _catalog:
        _catalog.append(formulas.catalog())
    return _catalog[0]


def on_post_page(output: str, page, config) -> str:  # type: ignore[no-untyped-def]
    return calculator.page_with_data(output, page.file.src_uri, page.url, page.file.name,
                                     config["use_directory_urls"], _the_catalog)
