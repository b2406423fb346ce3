"""mkdocs hook: hand the parameter calculator its data at build time.

Every page whose HTML holds a ``<div class="lstm-calculator">`` gets one
``<script type="application/json" id="lstm-calculator-data">`` before ``</body>``, holding
(all derived here, nothing hand-copied):

- ``catalog``: ``lstm_docs.formulas.catalog()``, the formulas the JS evaluates with BigInt,
  with ``symbols`` (letters per framework) and ``classes`` (``LSTM``, ``SimpleRNN``...);
- ``strings``: ``lstm_docs/strings/calculator.json`` in the page's language;
- ``number``: the page language's ``lstm_docs.numbers.CONVENTIONS`` entry;
- ``typography``: the page language's list separators and Latin/Chinese spacing
  (``lstm_docs.typography.browser_data``);
- ``limits``: the largest size a field accepts (``SIZE_MAX``, ``LAYERS_MAX``), as strings
  because they exceed JavaScript's exact-integer range;
- ``calculator_url``: the full calculator page, relative to this page (for compact
  calculators elsewhere), or ``""`` on the calculator page itself.

The page's ``docs/assets/calculator.js`` reads that element; it never touches the network.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import get_relative_url

from lstm_docs import _validate, formulas, numbers, strings, typography

log = get_plugin_logger("calculator")

#: Largest input size / units / proj_size, and num_layers, a field accepts (as the CLI).
SIZE_MAX, LAYERS_MAX = _validate.SIZE_MAX, _validate.LAYERS_MAX
#: Page of the full calculator (same name in every language).
CALCULATOR_PAGE = "calculator"
#: Marker of a calculator in a page's HTML.
MARKER = re.compile(r"""<div\b[^>]*\bclass=["'][^"']*\blstm-calculator\b""")
_HTML_LANG = re.compile(r"""<html\b[^>]*\blang=["']([A-Za-z-]+)["']""")


def calculator_data(lang: str, calculator_url: str = "") -> dict[str, Any]:
    """Everything the calculator needs on a page in ``lang`` (JSON-serialisable)."""
    if lang not in strings.LANGUAGES:
        raise ValueError(f"calculator: unknown language {lang!r}; use one of {', '.join(strings.LANGUAGES)}")
    table = strings.table("calculator")
    conv = asdict(numbers.convention(lang))
    conv["groups"] = list(conv["groups"])
    return {
        "version": 1,
        "lang": lang,
        "catalog": formulas.catalog(),
        "symbols": {fw: dict(sym) for fw, sym in formulas.SYMBOLS.items()},
        "classes": {
            "keras": dict(formulas.KERAS_CLASS),
            "pytorch": {kind: kind.upper() for (fw, kind) in formulas.GATES if fw == "pytorch"},
        },
        "strings": {key: strings.get("calculator", key, lang) for key in table},
        "number": conv,
        "typography": typography.browser_data(lang),
        "limits": {"size_max": str(SIZE_MAX), "layers_max": str(LAYERS_MAX)},
        "calculator_url": calculator_url,
    }


def script_tag(data: dict[str, Any]) -> str:
    """``data`` as an inert JSON script element; ``<``, ``>``, ``&`` escaped so no text can
    close the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="lstm-calculator-data">{text}</script>'


def page_language(html: str, src_uri: str) -> str:
    """The page's language: ``<html lang>`` if it is one of ours, else the ``docs/<lang>/``
    folder, else English (the default language)."""
    match = _HTML_LANG.search(html)
    if match:
        lang = match.group(1).split("-")[0].lower()
        if lang in strings.LANGUAGES:
            return lang
    first = src_uri.split("/", 1)[0]
    return first if first in strings.LANGUAGES else strings.LANGUAGES[0]


def calculator_link(page_url: str, page_name: str, use_directory_urls: bool) -> str:
    """URL of the full calculator relative to a page of the same language ('' on it)."""
    if page_name == CALCULATOR_PAGE:
        return ""
    own = f"{page_name}/" if use_directory_urls and page_name != "index" else f"{page_name}.html"
    if page_name == "index" and use_directory_urls:
        own = ""
    if own and not page_url.endswith(own):
        return ""
    base = page_url[: len(page_url) - len(own)] if own else page_url
    target = base + (f"{CALCULATOR_PAGE}/" if use_directory_urls else f"{CALCULATOR_PAGE}.html")
    return get_relative_url(target, page_url)


def inject(html: str, data: dict[str, Any]) -> str:
    """Insert the data element before ``</body>`` (pure ``str -> str``)."""
    tag = script_tag(data)
    at = html.rfind("</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def on_post_page(output: str, page, config) -> str:  # type: ignore[no-untyped-def]
    if not MARKER.search(output):
        return output
    lang = page_language(output, page.file.src_uri)
    link = calculator_link(page.url, page.file.name, config["use_directory_urls"])
    return inject(output, calculator_data(lang, link))
