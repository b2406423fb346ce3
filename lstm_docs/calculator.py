"""The parameter calculator's data, and where it goes in a built page (pure, no mkdocs state).

Every page whose HTML holds a ``<div class="lstm-calculator">`` gets one
``<script type="application/json" id="lstm-calculator-data">`` before ``</body>``, holding
(all derived here, nothing hand-copied):

- ``catalog``: ``lstm_docs.formulas.catalog()``, the formulas the JS evaluates with BigInt;
  which options a framework's kind has is read from its entries (an entry carrying
  ``reset_after`` means the kind has that option);
- ``symbols``: ``lstm_docs.formulas.SYMBOLS``, the letters of the variables per framework;
- ``kinds``: one item per ``lstm_docs.kinds.KINDS`` entry, in registry order: ``key``,
  per framework that has it (ConvLSTM2D: Keras only) its ``names`` (the catalog's ``kind``),
  ``classes`` (``LSTM``, ``SimpleRNN``...), ``gates`` (letters in storage order) and
  ``gate_strings`` (letter -> key of its label in the ``strings``), and the ``aliases``;
- ``sizes``: the size fields a kind may need beyond ``d``/``u``/``p``/``L``, one per axis of
  a registry layout's ``area`` (ConvLSTM2D's ``kh``, ``kw``): ``var`` (its variable and URL
  key), ``label`` and ``hint`` (string keys), ``default``; the JS shows one only for a kind
  whose catalog entries use its variable;
- ``derived``: variables computed from the sizes (``{"k": ["*", "kh", "kw"]}``, catalog EXPRs);
- ``strings``: ``lstm_docs/strings/calculator.json`` in the page's language;
- ``number``: the page language's ``lstm_docs.numbers.CONVENTIONS`` entry;
- ``typography``: the page language's list separators and Latin/Chinese spacing
  (``lstm_docs.typography.browser_data``);
- ``limits``: the largest size a field accepts (``SIZE_MAX``, ``LAYERS_MAX``), as strings
  because they exceed JavaScript's exact-integer range;
- ``calculator_url``: the full calculator page, relative to this page (for compact
  calculators elsewhere), or ``""`` on the calculator page itself;
- ``legacy``: how the full calculator's "In old answers" block reads ``catalog["legacy"]``
  (``legacy_data``): ``layouts``, one item per ``lstm_docs.kinds.LEGACY`` entry in registry
  order, with ``layout`` (its key, the catalog entries' ``"layout"``), ``label`` (key of its
  label in the ``strings``: ``legacy_label_<layout>``), ``kinds`` (registry key -> the
  layout's own kind name, ``{"lstm": "lstm"}`` for TF1), ``defaults`` (each catalog option
  -> the layout's default: Keras 2's ``reset_after`` is ``False``) and ``notes`` (catalog
  option -> key of the note shown when it is on, for the options that have a
  ``legacy_note_<layout>_<option>`` string: how TF1 and ONNX hold two directions);
  ``frameworks``: framework -> key of its label (``legacy_label_keras``: "Keras 3");
  ``url``: the page explaining the old layouts (``LEGACY_PAGE``), relative to this page, or
  ``""`` (no link; the calculators of the tests' harness).

``docs/assets/calculator.js`` reads that element; it never touches the network.
hooks/calculator.py only calls ``page_with_data`` from mkdocs' ``on_post_page``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from lstm_docs import _validate, formulas, kinds, languages, numbers, strings, typography

#: Largest input size / units / proj_size, and num_layers, a field accepts (as the CLI).
SIZE_MAX, LAYERS_MAX = _validate.SIZE_MAX, _validate.LAYERS_MAX
#: Page of the full calculator (same name in every language).
CALCULATOR_PAGE = "calculator"
#: Page explaining the old layouts (Keras 2, TF1, cuDNN, ONNX) the calculator compares with.
LEGACY_PAGE = "legacy"
#: Marker of a calculator in a page's HTML.
MARKER = re.compile(r"""<div\b[^>]*\bclass=["'][^"']*\blstm-calculator\b""")
_HTML_LANG = re.compile(r"""<html\b[^>]*\blang=["']([A-Za-z-]+)["']""")


def calculator_data(lang: str, calculator_url: str = "", legacy_url: str = "",
                    catalog: Callable[[], dict[str, Any]] = formulas.catalog) -> dict[str, Any]:
    """Everything the calculator needs on a page in ``lang`` (JSON-serialisable);
    ``catalog`` gives ``formulas.catalog()`` (a build computes it once for all its pages)."""
    languages.get(lang)  # an unknown language is a one-line error naming the known ones
    table = strings.table("calculator")
    conv = asdict(numbers.convention(lang))
    conv["groups"] = list(conv["groups"])
    return {
        "version": 1,
        "lang": lang,
        "catalog": catalog(),
        "symbols": {fw: dict(sym) for fw, sym in formulas.SYMBOLS.items()},
        "kinds": [kind_data(kind, table) for kind in kinds.KINDS],
        **sizes_data(),
        "strings": {key: strings.get("calculator", key, lang) for key in table},
        "number": conv,
        "typography": typography.browser_data(lang),
        "limits": {"size_max": str(SIZE_MAX), "layers_max": str(LAYERS_MAX)},
        "calculator_url": calculator_url,
        "legacy": legacy_data(table, legacy_url),
    }


def kind_data(kind: kinds.Kind, table: dict[str, Any]) -> dict[str, Any]:
    """One registry kind as the calculator reads it (``table``: the calculator's strings)."""
    frameworks = [fw for fw in kinds.FRAMEWORKS if kind.in_framework(fw)]
    return {
        "key": kind.key,
        "names": {fw: kind.names[fw] for fw in frameworks},
        "classes": {fw: kind.classes[fw] for fw in frameworks},
        "gates": {fw: list(kind.gates[fw]) for fw in frameworks},
        "gate_strings": {fw: {g: gate_string(kind, fw, g, table) for g in kind.gates[fw]}
                         for fw in frameworks},
        "aliases": list(kind.aliases),
    }


def legacy_data(table: dict[str, Any], url: str = "") -> dict[str, Any]:
    """``legacy`` (module docstring), from ``kinds.LEGACY`` (``table``: the calculator's
    strings, for the notes some options have)."""
    layouts = []
    for entry in kinds.LEGACY:
        options = [o for o in kinds.option_table(entry.key) if o.catalog is not None]
        layouts.append({
            "layout": entry.key,
            "label": f"legacy_label_{entry.key}",
            "kinds": {k.key: k.names[entry.key] for k in kinds.of(entry.key)},
            # catalog values are booleans (PyTorch's proj: proj_size > 0)
            "defaults": {o.catalog[0]: bool(o.default) for o in options},
            "notes": {o.catalog[0]: f"legacy_note_{entry.key}_{o.catalog[0]}" for o in options
                      if f"legacy_note_{entry.key}_{o.catalog[0]}" in table},
        })
    return {"layouts": layouts, "frameworks": {fw: f"legacy_label_{fw}" for fw in kinds.FRAMEWORKS},
            "url": url}


#: Default value of an area axis field (a 3x3 kernel).
AREA_DEFAULT = "3"


def sizes_data() -> dict[str, Any]:
    """``sizes`` and ``derived`` (module docstring), from the registry layouts' ``area``."""
    sizes: dict[str, dict[str, str]] = {}
    derived: dict[str, Any] = {}
    for kind in kinds.KINDS:
        for layout in kind.weights.values():
            if layout.area is None:
                continue
            var, axes = layout.area
            derived[var] = ["*", *axes]
            for axis in axes:
                sizes[axis] = {"var": axis, "label": f"var_{axis}", "hint": f"var_{axis}_hint",
                               "default": AREA_DEFAULT}
    return {"sizes": list(sizes.values()), "derived": derived}


def gate_string(kind: kinds.Kind, framework: str, gate: str, table: dict[str, Any]) -> str:
    """Key of the label of ``gate`` in ``table``: ``gate_<spelling>_<letter>`` for the first
    spelling of the kind in ``framework`` that has one (``gate_rnn_h`` for SimpleRNN), else
    ``gate_<key>_<letter>``, the string to add (tests check every key exists)."""
    for spelling in kind.spellings(framework):
        key = f"gate_{spelling}_{gate}"
        if key in table:
            return key
    return f"gate_{kind.key}_{gate}"


def script_tag(data: dict[str, Any]) -> str:
    """``data`` as an inert JSON script element; ``<``, ``>``, ``&`` escaped so no text can
    close the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="lstm-calculator-data">{text}</script>'


def page_language(html: str, src_uri: str) -> str:
    """The page's language: ``<html lang>`` if it is one of ours, else the one path rule
    (``languages.of_path``: the ``docs/<lang>/`` folder, else the default language)."""
    match = _HTML_LANG.search(html)
    if match:
        lang = match.group(1).split("-")[0].lower()
        if lang in languages.codes():
            return lang
    return languages.of_path(src_uri)


def calculator_link(page_url: str, page_name: str, use_directory_urls: bool,
                    target: str = CALCULATOR_PAGE) -> str:
    """URL of the full calculator (or of the page ``target``) relative to a page of the same
    language ('' on it)."""
    from mkdocs.utils import get_relative_url  # mkdocs' own URL rule; only the site needs it

    if page_name == target:
        return ""
    own = f"{page_name}/" if use_directory_urls and page_name != "index" else f"{page_name}.html"
    if page_name == "index" and use_directory_urls:
        own = ""
    if own and not page_url.endswith(own):
        return ""
    base = page_url[: len(page_url) - len(own)] if own else page_url
    url = base + (f"{target}/" if use_directory_urls else f"{target}.html")
    return get_relative_url(url, page_url)


def inject(html: str, data: dict[str, Any]) -> str:
    """Insert the data element before ``</body>`` (pure ``str -> str``)."""
    tag = script_tag(data)
    at = html.rfind("</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def page_with_data(html: str, src_uri: str, page_url: str, page_name: str, use_directory_urls: bool,
                   catalog: Callable[[], dict[str, Any]] = formulas.catalog) -> str:
    """A built page with the calculator's data added if it holds a calculator, else as is."""
    if not MARKER.search(html):
        return html
    lang = page_language(html, src_uri)
    return inject(html, calculator_data(lang, calculator_link(page_url, page_name, use_directory_urls),
                                        calculator_link(page_url, page_name, use_directory_urls, LEGACY_PAGE),
                                        catalog))
