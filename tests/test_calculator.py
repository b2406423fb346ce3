"""The parameter calculator in real Chromium: every figure equals lstm_docs', links reproduce
the state, bad input gives a message in the page's language and never runs a script.

Two servers:

* the *harness*: one tiny HTML page per language holding the real calculator.js/css and the
  data lstm_docs.calculator emits for that language (fast, independent of the pages being
  written) -- the grid of configurations and the bad-input matrix run here;
* the *site*: the real ``mkdocs build`` (browser_support's build when mkdocs.yml lists the
  calculator, else the same mkdocs.yml with the calculator's entries added) -- the pages, the
  compact calculator on the parameters page and the screenshots.

Expected values come from ``lstm_docs.formulas`` (count, weights, formula terms) and
``lstm_docs.numbers.format_int``.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from browser_support import (
    ROOT,
    build_environment,
    chromium_or_skip,
    page_path,
    screenshot,
)
from lstm_docs import calculator, formulas, kinds, strings
from lstm_docs.numbers import format_int

pytestmark = pytest.mark.browser

BIG = 2**53 + 1
SIZE_MAX = calculator.SIZE_MAX
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CALC_ENTRIES = {"hooks": "hooks/calculator.py", "extra_javascript": "assets/calculator.js",
                "extra_css": "assets/calculator.css"}


# ---------------------------------------------------------------------------------------------
# Servers


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


HARNESS_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>calculator {lang}</title>
<link rel="stylesheet" href="calculator.css"></head>
<body><article class="md-typeset">
<div class="lstm-calculator"></div>
<div class="lstm-calculator" data-compact></div>
</article><script src="calculator.js"></script></body></html>
"""


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    """Base URL of ``<lang>.html`` pages built from the real assets and the hook's data."""
    directory = tmp_path_factory.mktemp("calculator-harness")
    for name in ("calculator.js", "calculator.css"):
        shutil.copy(ROOT / "docs" / "assets" / name, directory / name)
    for lang in strings.LANGUAGES:
        html = calculator.inject(HARNESS_PAGE.format(lang=lang), calculator.calculator_data(lang, "full.html"))
        (directory / f"{lang}.html").write_text(html, encoding="utf-8")
    url, server = serve(directory)
    yield url
    server.shutdown()


def _config_lists_calculator() -> bool:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return all(entry in text for entry in CALC_ENTRIES.values())


_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load
root, site, entries = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
with open(root + "/mkdocs.yml", encoding="utf-8") as fh:
    raw = yaml_load(fh)
extra = {key: list(raw.get(key) or []) + ([v] if v not in (raw.get(key) or []) else [])
         for key, v in entries.items()}
build(load_config(root + "/mkdocs.yml", site_dir=site, **extra))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Base URL of the real built site, with the calculator in it."""
    chromium_or_skip()
    if _config_lists_calculator():
        from browser_support import usable_site

        directory = usable_site()
    else:  # mkdocs.yml does not list the calculator yet: the same config plus its entries
        directory = tmp_path_factory.mktemp("calculator-site")
        args = [f"{k}={v}" for k, v in CALC_ENTRIES.items()]
        done = subprocess.run([sys.executable, "-c", _BUILD, str(ROOT), str(directory), *args],
                              cwd=ROOT, env=build_environment(), capture_output=True, text=True, timeout=900)
        if done.returncode:
            pytest.fail("mkdocs build failed:\n" + (done.stdout + done.stderr)[-4000:])
    url, server = serve(directory)
    yield url
    server.shutdown()


# Refused: what the local servers do not serve. A pattern, not a function, so Playwright
# matches it in its driver and the pages' own requests never wait for Python.
NOT_LOCAL = re.compile(r"^(?!http://127\.0\.0\.1|data:|about:)")


@pytest.fixture
def new_page(browser):
    """``new_page(url, **context_options)`` -> a loaded page recording dialogs and errors."""
    contexts = []

    def opener(url: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.dialogs, page.errors = [], []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.route(NOT_LOCAL, lambda r: r.abort())
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------------------------------
# Expected values (lstm_docs) and what the page shows


def keras_options(o: dict) -> dict:
    return {k: o[k] for k in ("use_bias", "bidirectional", "reset_after") if k in o}


def expected(framework: str, kind: str, d: int, u: int, o: dict, lang: str) -> dict:
    """Everything the full calculator must show for one configuration, written in ``lang``."""
    opts = dict(o)
    env = {"d": d, "u": u, "p": opts.get("proj_size", 0)}
    total = formulas.count(framework, kind, input_dim=d, units=u, **opts)
    specs = formulas.weights(framework, kind, **opts)
    terms = formulas.formula(framework, kind, **opts).terms["gates"]
    gates = formulas.GATES[framework, kind]
    out = {
        "total": format_int(total, lang),
        "weights": [[s.name, str(s.evaluate_shape(env)), format_int(s.size.evaluate(env), lang)] for s in specs],
        "gates": [[g, format_int(terms[g].evaluate(env), lang)] for g in gates],
    }
    if "projection" in terms:
        out["gates"].append(["—", format_int(terms["projection"].evaluate(env), lang)])
    # The same layer in the other framework.
    if framework == "keras" and not (kind == "gru" and not o.get("reset_after", True)):
        other = formulas.count("pytorch", {"simple_rnn": "rnn"}.get(kind, kind), input_dim=d, units=u,
                               bias=o.get("use_bias", True), bidirectional=o.get("bidirectional", False))
        out["compare"] = [format_int(total, lang), format_int(other, lang)]
    elif framework == "pytorch" and not o.get("proj_size"):
        keras_kind = {"rnn": "simple_rnn"}.get(kind, kind)
        ko = {"use_bias": o.get("bias", True), "bidirectional": o.get("bidirectional", False)}
        width = (2 if ko["bidirectional"] else 1) * u
        layers = o.get("num_layers", 1)
        other = formulas.count("keras", keras_kind, input_dim=d, units=u, **ko)
        other += (layers - 1) * formulas.count("keras", keras_kind, input_dim=width, units=u, **ko)
        out["compare"] = [format_int(other, lang), format_int(total, lang)]
    return out


SHOWN = """root => {
  const cells = sel => [...root.querySelectorAll(sel)].map(tr => [...tr.children].map(td => td.textContent));
  return {
    total: root.querySelector('.lstm-calc__total-value').textContent,
    value: root.querySelector('.lstm-calc__total-value').getAttribute('data-value'),
    substituted: (root.querySelector('.lstm-calc__substituted') || {}).textContent || null,
    weights: cells('.lstm-calc__weights tbody tr').map(r => [r[0], r[2], r[3]]),
    gates: cells('.lstm-calc__gates tbody tr').map(r => [r[0], r[5]]),
    compare: [...root.querySelectorAll('.lstm-calc__compare [data-framework]')].map(x => x.textContent),
    errors: [...root.querySelectorAll('.lstm-calc__error')].map(x => x.textContent).filter(Boolean),
    invalid: [...root.querySelectorAll('[aria-invalid="true"]')].map(x => x.id),
    text: root.textContent,
  };
}"""


def on_calculator(page, script: str, index: int = 0):
    """Run ``script`` (``root => ...``) on the page's ``index``-th calculator, in the page
    itself: a locator would first load Playwright's helper script into every new document
    (a tenth of a second for each configuration the grids load)."""
    return page.evaluate(
        "index => { const root = document.querySelectorAll('.lstm-calculator')[index];"
        " if (!root) throw new Error('the page has no calculator number ' + index);"
        f" return ({script})(root); }}",
        index,
    )


def shown(page, index: int = 0) -> dict:
    return on_calculator(page, SHOWN, index)


def query(framework: str, kind: str, d: int, u: int, o: dict) -> str:
    params = {"framework": framework, "layer": kind, "input": d, "units": u}
    params.update({k: (int(v) if isinstance(v, bool) else v) for k, v in o.items()})
    return urlencode(params)


def grid():
    sizes = [(2, 3), (4096, 256), (BIG, 5), (3, 2**59)]
    for kind in ("lstm", "gru", "simple_rnn"):
        for use_bias, bidi in itertools.product((True, False), repeat=2):
            for reset_after in ((True, False) if kind == "gru" else (None,)):
                o = {"use_bias": use_bias, "bidirectional": bidi}
                if reset_after is not None:
                    o["reset_after"] = reset_after
                for d, u in sizes:
                    yield "keras", kind, d, u, o
    for kind in ("lstm", "gru", "rnn"):
        for bias, bidi, layers in itertools.product((True, False), (True, False), (1, 3)):
            for proj in ((0, 2) if kind == "lstm" else (None,)):
                o = {"bias": bias, "bidirectional": bidi, "num_layers": layers}
                if proj is not None:
                    o["proj_size"] = proj
                for d, u in sizes:
                    yield "pytorch", kind, d, u, o


GRID = list(grid())


# ---------------------------------------------------------------------------------------------
# Every figure equals lstm_docs'


CELL_GRID = [(fw, k.names[fw], d, u, {bias: b, **({"reset_after": r} if r is not None else {})})
             for k in kinds.KINDS if k.cell_of for fw, bias in (("keras", "use_bias"), ("pytorch", "bias"))
             for b in (True, False)
             for r in ((True, False) if "reset_after" in k.options.get(fw, ()) else (None,))
             for d, u in ((3, 4), (4096, 256))]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cells_count_and_hide_the_options_they_do_not_take(new_page, harness, lang):
    """A cell (registry kinds lstm_cell...) is offered with no edit of the calculator: its
    count, weights and gates are lstm_docs', and bidirectional / num_layers / proj_size,
    which no cell takes, are hidden; the other framework's cell is its counterpart."""
    page = new_page(harness + f"{lang}.html")
    for framework, kind, d, u, o in CELL_GRID:
        page.goto(harness + f"{lang}.html?" + query(framework, kind, d, u, o))
        got = shown(page)
        where = f"{lang} {framework} {kind} d={d} u={u} {o}"
        env = {"d": d, "u": u, "p": 0}
        total = formulas.count(framework, kind, input_dim=d, units=u, **o)
        specs = formulas.weights(framework, kind, **o)
        assert got["errors"] == [], where
        assert got["value"] == str(total) and got["total"] == format_int(total, lang), where
        assert got["weights"] == [[s.name, str(s.evaluate_shape(env)), format_int(s.size.evaluate(env), lang)]
                                  for s in specs], where
        terms = formulas.formula(framework, kind, **o).terms["gates"]
        assert got["gates"] == [[g, format_int(terms[g].evaluate(env), lang)] for g in formulas.GATES[framework, kind]], where
        for field in ("bidirectional", "num_layers", "proj_size"):
            assert not page.locator(f".lstm-calculator input[id$='-{field}']").first.is_visible(), (where, field)
        if o.get("reset_after", True):  # Keras GRUCell(reset_after=False) has no PyTorch twin
            entry = next(k for k in kinds.KINDS if k.names[framework] == kind)
            other = {"keras": "pytorch", "pytorch": "keras"}[framework]
            on = o.get("use_bias", o.get("bias"))
            twin = formulas.count(other, entry.names[other], input_dim=d, units=u,
                                  **{("use_bias" if other == "keras" else "bias"): on})
            pair = {framework: total, other: twin}
            assert got["compare"] == [format_int(pair["keras"], lang), format_int(pair["pytorch"], lang)], where
        else:
            assert got["compare"] == [], where
        bias = "use_bias" if framework == "keras" else "bias"
        assert page.locator(f".lstm-calculator input[id$='-{bias}']").first.is_visible(), where
        assert "NaN" not in got["text"] and "undefined" not in got["text"], where
    assert page.errors == []


@pytest.mark.parametrize("lang", strings.LANGUAGES)
def test_grid_of_configurations_matches_lstm_docs(new_page, harness, lang):
    page = new_page(harness + f"{lang}.html")
    configs = GRID if lang == "en" else GRID[::7]  # every configuration in English, a sample elsewhere
    for framework, kind, d, u, o in configs:
        page.goto(harness + f"{lang}.html?" + query(framework, kind, d, u, o))
        got, want = shown(page), expected(framework, kind, d, u, o, lang)
        where = f"{lang} {framework} {kind} d={d} u={u} {o}"
        assert got["errors"] == [], where
        assert got["total"] == want["total"], where
        assert got["value"] == str(formulas.count(framework, kind, input_dim=d, units=u, **o)), where
        assert got["substituted"].endswith("= " + want["total"]), where
        assert got["weights"] == want["weights"], where
        assert got["gates"] == want["gates"], where
        assert got["compare"] == want.get("compare", []), where
        assert "NaN" not in got["text"] and "undefined" not in got["text"], where
    assert page.errors == []


def test_typing_updates_every_figure_instantly(new_page, harness):
    page = new_page(harness + "en.html")
    root = page.locator(".lstm-calculator").first
    root.get_by_label("PyTorch", exact=True).check()
    root.get_by_label("Layer", exact=True).select_option("gru")
    root.get_by_label("Input size", exact=True).fill(str(BIG))
    root.get_by_label("Units", exact=True).fill("9,007,199,254,740,993")  # grouped the English way
    root.get_by_label("num_layers (stacked layers)", exact=True).fill("2")
    root.get_by_label("Bidirectional", exact=True).check()
    o = {"bidirectional": True, "num_layers": 2}
    want = expected("pytorch", "gru", BIG, BIG, o, "en")
    got = shown(page)
    assert (got["total"], got["weights"], got["gates"], got["compare"]) == (
        want["total"], want["weights"], want["gates"], want["compare"])
    # The symbolic formula is lstm_docs' LaTeX, as text.
    first = formulas.catalog()["layers"]
    latex = next(e["latex"] for e in first if e["framework"] == "pytorch" and e["kind"] == "gru"
                 and e["options"] == {"bias": True, "bidirectional": True} and e["layer"] == "first")
    assert root.locator(".lstm-calc__symbolic").text_content().startswith(latex.replace(" \\cdot ", " · "))


def test_deep_stack_lists_two_layers_and_counts_all(new_page, harness):
    o = {"num_layers": 1000, "proj_size": 100}
    page = new_page(harness + "en.html?" + query("pytorch", "lstm", 4096, 256, o))
    got = shown(page)
    assert got["total"] == format_int(formulas.count("pytorch", "lstm", input_dim=4096, units=256, **o), "en")
    assert [w[0] for w in got["weights"]] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
                                              "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1"]
    assert "Layers 2 to 999" in got["text"]


@pytest.mark.parametrize("lang", strings.LANGUAGES)
def test_numbers_are_written_the_page_languages_way(new_page, harness, lang):
    page = new_page(harness + f"{lang}.html")
    assert shown(page)["total"] == format_int(4457472, lang)  # the default LSTM(256) on 4096 features


@pytest.mark.parametrize(("lang", "typed", "ok"), [
    ("en", "4,096", True), ("en", "4.096", False), ("fr", "4\u202f096", True), ("fr", "4 096", True),
    ("fr", "4,096", False), ("es", "4.096", True), ("es", "4\u00a0096", True), ("zh", "4,096", True),
])
def test_input_grouped_the_page_languages_way(new_page, harness, lang, typed, ok):
    page = new_page(harness + f"{lang}.html")
    root = page.locator(".lstm-calculator").first
    root.locator("input[id$='-input']").fill(typed)
    got = shown(page)
    assert (got["total"] == format_int(4457472, lang)) is ok and (got["errors"] == []) is ok
    link = root.locator(".lstm-calc__link-input").input_value()
    assert ("input=4096" in link) is ok  # valid input goes into the link as plain digits


# ---------------------------------------------------------------------------------------------
# Links


def test_shared_link_reproduces_the_state(new_page, harness):
    page = new_page(harness + "en.html", permissions=["clipboard-read", "clipboard-write"])
    root = page.locator(".lstm-calculator").first
    root.get_by_label("PyTorch", exact=True).check()
    root.get_by_label("Input size", exact=True).fill("300")
    root.get_by_label("Units", exact=True).fill("128")
    root.get_by_label("proj_size (LSTM projection, 0 = none)", exact=True).fill("64")
    root.get_by_label("bias (bias vectors)", exact=True).uncheck()
    before = shown(page)
    root.get_by_role("button", name="Copy link").click()
    page.wait_for_function("document.querySelector('.lstm-calc__copy-status').textContent !== ''")
    assert root.locator(".lstm-calc__copy-status").text_content() == "Link copied."
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == root.locator(".lstm-calc__link-input").input_value()
    assert link == page.url  # the address bar follows every change too
    other = new_page(link)
    after = shown(other)
    assert after == before
    r = other.locator(".lstm-calculator").first
    assert r.get_by_label("PyTorch", exact=True).is_checked() and not r.get_by_label("bias (bias vectors)", exact=True).is_checked()
    assert r.get_by_label("proj_size (LSTM projection, 0 = none)", exact=True).input_value() == "64"
    want = formulas.count("pytorch", "lstm", input_dim=300, units=128, proj_size=64, bias=False)
    assert after["total"] == format_int(want, "en")


def test_keyboard_only(new_page, harness):
    page = new_page(harness + "en.html")
    page.locator(".lstm-calculator").first.get_by_label("Keras", exact=True).focus()
    page.keyboard.press("ArrowRight")  # radio group: moves to PyTorch
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # layer: LSTM -> GRU
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("10")
    want = formulas.count("pytorch", "gru", input_dim=10, units=256)
    assert shown(page)["total"] == format_int(want, "en")


# ---------------------------------------------------------------------------------------------
# Bad input


def message(key: str, lang: str, **params) -> str:
    text = strings.get("calculator", key, lang)
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)
    return text


BAD_UNITS = [  # (typed, message key, extra params)
    ("", "err_empty", {}),
    ("0", "err_too_small", {"value": "0"}),
    ("-3", "err_too_small", {"value": "-3"}),
    ("2.5", "err_not_integer", {"value": "2.5"}),
    ("2,5", "err_not_integer", {"value": "2,5"}),
    ("abc", "err_not_integer", {"value": "abc"}),
    ("1e3", "err_not_integer", {"value": "1e3"}),
    ("12,34", "err_not_integer", {"value": "12,34"}),
    (str(10**18 + 1), "err_too_large", {}),
    ("9" * 400, "err_too_large", {}),
    ("<b>bold</b>", "err_not_integer", {"value": "<b>bold</b>"}),
]


@pytest.mark.parametrize("lang", strings.LANGUAGES)
def test_bad_input_gives_a_message_in_the_pages_language(new_page, harness, lang):
    page = new_page(harness + f"{lang}.html")
    root = page.locator(".lstm-calculator").first
    units = root.locator("input[id$='-units']")
    field = strings.get("calculator", "units", lang)
    limits = {"field": field, "min": "1", "max": format_int(SIZE_MAX, lang)}
    for typed, key, params in BAD_UNITS:
        if lang != "en" and typed == "2,5":
            continue  # 2,5 is a decimal in fr/es: covered by the same message below
        units.fill(typed)
        got = shown(page)
        assert got["errors"] == [message(key, lang, **limits, **params)], (lang, typed)
        assert got["invalid"] == [units.get_attribute("id")], (lang, typed)
        assert got["total"] == "" and got["weights"] == [] and got["compare"] == [], (lang, typed)
        assert root.locator(".lstm-calc__invalid").is_visible()
        assert "NaN" not in got["text"] and "undefined" not in got["text"]
    units.fill("8")
    assert shown(page)["errors"] == [] and units.get_attribute("aria-invalid") is None
    assert page.locator("b").count() == 0 and page.errors == []


def test_proj_size_must_be_smaller_than_units(new_page, harness):
    page = new_page(harness + "en.html?framework=pytorch&units=64&proj_size=64")
    got = shown(page)
    assert got["errors"] == [message("err_proj", "en", units="64")]
    assert got["invalid"][0].endswith("-proj_size") and got["total"] == ""


ATTACKS = [  # (query, the text a message must quote literally)
    ("units=<img src=x onerror=window.__pwned=1>", "<img src=x onerror=window.__pwned=1>"),
    ("input=<script>window.__pwned=1</script>", "<script>window.__pwned=1</script>"),
    ("framework=<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("layer=\"><svg onload=alert(1)>", "\"><svg onload=alert(1)>"),
    ("bidirectional=<img src=x onerror=window.__pwned=1>", "<img src=x onerror=window.__pwned=1>"),
    ("<img src=x onerror=alert(1)>=1", "<img src"),  # the key ends at the first "="
    ("javascript:alert(1)=1", "javascript:alert(1)"),
]


@pytest.mark.parametrize(("attack", "quoted"), ATTACKS, ids=[a for a, _ in ATTACKS])
def test_markup_in_the_url_is_shown_as_text_and_never_runs(new_page, harness, attack, quoted):
    page = new_page(harness + "en.html?" + attack)
    page.wait_for_timeout(300)  # give a would-be onerror/onload the time to fire
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert page.locator("img, svg, .lstm-calculator script").count() == 0
    got = shown(page)
    assert any(quoted in e for e in got["errors"]), got["errors"]
    assert "NaN" not in got["text"]
    assert page.errors == []


def test_url_problems_name_the_field_and_keep_a_valid_default(new_page, harness):
    page = new_page(harness + "en.html?framework=tensorflow&layer=transformer&bidirectional=maybe&colour=red")
    got = shown(page)
    assert message("err_bad_choice", "en", field="Framework", value="tensorflow", choices="keras, pytorch",
                   default="keras") in got["errors"]
    assert message("err_bad_choice", "en", field="Layer", value="transformer", choices=", ".join(kinds.names("keras")),
                   default="lstm") in got["errors"]
    assert message("err_bad_bool", "en", field="bidirectional", value="maybe", default="off") in got["errors"]
    assert any(e.startswith("The link has an unknown option “colour”") for e in got["errors"])
    assert got["total"] == format_int(4457472, "en")  # the defaults still count


def test_compact_calculator_shows_fewer_fields_and_links_to_the_full_one(new_page, harness):
    page = new_page(harness + "en.html")
    full, compact = page.locator(".lstm-calculator").nth(0), page.locator(".lstm-calculator").nth(1)
    visible = lambda root: [f for f in ("use_bias", "units") if root.locator(f"input[id$='-{f}']").is_visible()]  # noqa: E731
    assert visible(full) == ["use_bias", "units"] and visible(compact) == ["units"]
    compact.get_by_label("Units", exact=True).fill("3")
    compact.get_by_label("Input size", exact=True).fill("2")
    assert shown(page, 1)["total"] == "72" and shown(page, 1)["weights"] == []  # no tables in compact
    href = compact.locator("a.lstm-calc__full").get_attribute("href")
    assert href.startswith("full.html?") and "units=3" in href and "input=2" in href


# ---------------------------------------------------------------------------------------------
# The real site


def test_site_calculator_page_and_compact_on_parameters(new_page, site):
    page = new_page(site + page_path("en", "calculator"), viewport=DESKTOP)
    assert page.locator(".lstm-calculator .lstm-calc__form").count() == 1
    assert shown(page)["total"] == format_int(formulas.count("keras", "lstm", input_dim=4096, units=256), "en")
    assert page.errors == [], page.errors
    params = new_page(site + page_path("en", "parameters") + "?units=3&input=2", viewport=DESKTOP)
    compact = params.locator(".lstm-calculator[data-compact]")
    if compact.count() == 0:
        pytest.skip("docs/en/parameters.md has no compact calculator yet")
    assert shown(params, 0)["total"] == "72"
    params.add_style_tag(content=".md-header, .md-tabs { visibility: hidden; }")
    compact.screenshot(path=str(ROOT / "test-output" / "screenshots" / "calculator-compact.png"))
    compact.locator("a.lstm-calc__full").click()
    params.wait_for_load_state("load")
    assert params.url.startswith(site + page_path("en", "calculator") + "?")
    assert shown(params)["total"] == "72"


@pytest.mark.parametrize("lang", [lang for lang in strings.LANGUAGES if lang != "en"])
def test_site_calculator_in_other_languages(new_page, site, lang):
    page = new_page(site + page_path(lang, "calculator"))
    if page.locator(".lstm-calculator").count() == 0:
        pytest.skip(f"docs/{lang}/calculator.md has no calculator yet (translation pending)")
    assert page.locator("html").get_attribute("lang") == lang
    assert shown(page)["total"] == format_int(4457472, lang)
    assert page.locator(".lstm-calc legend").first.text_content() == strings.get("calculator", "framework", lang)


@pytest.mark.parametrize(("name", "viewport", "scheme"), [
    ("desktop-light", DESKTOP, "light"), ("desktop-dark", DESKTOP, "dark"),
    ("phone-light", PHONE, "light"), ("phone-dark", PHONE, "dark"),
])
def test_screenshots(new_page, site, name, viewport, scheme):
    url = site + page_path("en", "calculator") + "?framework=pytorch&layer=lstm&input=4096&units=256&num_layers=2&bidirectional=1"
    page = new_page(url, viewport=viewport, color_scheme=scheme)
    # The page must not scroll sideways on a phone: wide tables scroll inside their box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"calculator-{name}")
    root = page.locator(".lstm-calculator")
    page.add_style_tag(content=".md-header, .md-tabs { visibility: hidden; }")  # not over the widget
    root.screenshot(path=str(ROOT / "test-output" / "screenshots" / f"calculator-{name}-widget.png"))
    page.locator(".lstm-calculator input[id$='-units']").fill("12x")
    root.screenshot(path=str(ROOT / "test-output" / "screenshots" / f"calculator-{name}-error.png"))


# ---------------------------------------------------------------------------------------------
# ConvLSTM2D: a Keras-only kind with kernel-size fields read from the data


CONV_GRID = [(d, u, kh, kw, b, bi) for d, u in ((1, 64), (3, 2), (BIG, 5)) for kh, kw in ((3, 3), (5, 2), (1, 1))
             for b, bi in ((True, False), (False, True))]


def test_conv_lstm2d_counts_and_kernel_fields(new_page, harness):
    page = new_page(harness + "en.html")
    for d, u, kh, kw, use_bias, bidi in CONV_GRID:
        q = urlencode({"framework": "keras", "layer": "conv_lstm2d", "input": d, "units": u, "kh": kh, "kw": kw,
                       "use_bias": int(use_bias), "bidirectional": int(bidi)})
        page.goto(harness + "en.html?" + q)
        got, where = shown(page), f"d={d} u={u} kernel=({kh}, {kw}) bias={use_bias} bi={bidi}"
        opts = {"use_bias": use_bias, "bidirectional": bidi}
        want = formulas.count("keras", "conv_lstm2d", input_dim=d, units=u, kernel_size=(kh, kw), **opts)
        env = {"d": d, "u": u, "kh": kh, "kw": kw}
        specs = formulas.weights("keras", "conv_lstm2d", **opts)
        assert got["errors"] == [], where
        assert got["value"] == str(want) and got["total"] == format_int(want, "en"), where
        assert got["weights"] == [[s.name, str(s.evaluate_shape(env)), format_int(s.size.evaluate(env), "en")]
                                  for s in specs], where
        assert got["compare"] == [], where  # no PyTorch twin: a note instead
        assert "PyTorch has no ConvLSTM2D layer" in got["text"], where
        assert "NaN" not in got["text"] and "undefined" not in got["text"], where
    assert page.errors == []


def test_kernel_fields_show_for_conv_lstm2d_only(new_page, harness):
    page = new_page(harness + "en.html")
    root = page.locator(".lstm-calculator").first
    rows = root.get_by_label("Kernel rows", exact=True)
    assert not rows.is_visible()
    root.get_by_label("Layer", exact=True).select_option("conv_lstm2d")
    assert rows.is_visible() and root.get_by_label("Kernel columns", exact=True).is_visible()
    root.get_by_label("Input size", exact=True).fill("1")
    root.get_by_label("Units", exact=True).fill("64")
    assert shown(page)["value"] == "150016"  # ConvLSTM2D(64, (3, 3)) on 1 channel: the defaults 3x3
    rows.fill("5")
    assert shown(page)["value"] == str(formulas.count("keras", "conv_lstm2d", input_dim=1, units=64,
                                                          kernel_size=(5, 3)))
    assert "kh=5" in page.url and "kw=3" in page.url
    rows.fill("0")
    assert any("Kernel rows" in e for e in shown(page)["errors"])
    root.get_by_label("PyTorch", exact=True).check()  # PyTorch has no ConvLSTM2D: its first kind instead
    assert root.get_by_label("Layer", exact=True).input_value() == "lstm" and not rows.is_visible()
    options = root.get_by_label("Layer", exact=True).locator("option").all_text_contents()
    assert "ConvLSTM2D" not in options
    assert page.errors == []


# ---------------------------------------------------------------------------------------------
# In old answers: the same layer in the legacy layouts (lstm_docs.kinds.LEGACY)

SAME_OPTION = {"use_bias": "bias", "bias": "use_bias"}  # one option, two frameworks' names

LEGACY_SHOWN = """root => [...root.querySelectorAll('.lstm-calc__legacy li')].map(li => ({
  layout: li.dataset.layout,
  name: li.querySelector('.lstm-calc__legacy-name').textContent,
  count: li.querySelector('.lstm-calc__legacy-count').textContent,
  value: li.querySelector('.lstm-calc__legacy-count').dataset.value,
  formula: li.querySelector('.lstm-calc__legacy-formula').textContent,
  notes: [...li.querySelectorAll('.lstm-calc__legacy-note')].map(n => n.textContent),
}))"""


def legacy_shown(page) -> list[dict]:
    return on_calculator(page, LEGACY_SHOWN)


def legacy_expected(framework: str, kind: str, d: int, u: int, o: dict) -> list[dict]:
    """The rows "In old answers" must show, from lstm_docs: the reader's layer first, then each
    legacy layout that has its kind, in registry order, with the options the reader changed
    from their defaults carried over and the layout's own defaults for the rest; none for a
    stack or a projection, nor for a layout lacking an option the reader changed."""
    if o.get("num_layers", 1) > 1 or o.get("proj_size"):
        return []
    defaults = formulas.settings(framework, kind)
    changed = {k: v for k, v in o.items() if v != defaults[k]}
    key = kinds.resolve(framework, kind).key
    rows = []
    for layout in kinds.LEGACY:
        own = next((k for k in layout.kinds if k.key == key), None)
        if own is None:
            continue
        name = own.names[layout.key]
        takes = {opt.name for opt in kinds.options(layout.key, name) if opt.catalog}
        spelled = {k: k if k in takes else SAME_OPTION.get(k) for k in changed}
        if any(v not in takes for v in spelled.values()):
            continue
        values = {spelled[k]: v for k, v in changed.items()}
        f = formulas.formula(layout.key, name, **values)
        row = {"layout": layout.key, "value": str(formulas.count(layout.key, name, input_dim=d, units=u, **values)),
               "formula": f.total.latex(formulas.SYMBOLS[framework]), "options": f.options, "class": own.classes[layout.key]}
        if values.get("bidirectional"):
            row["each"] = formulas.count(layout.key, name, input_dim=d, units=u, **dict(values, bidirectional=False))
        rows.append(row)
    if not rows:
        return []
    reader = {"layout": framework, "value": str(formulas.count(framework, kind, input_dim=d, units=u, **o)),
              "formula": formulas.formula(framework, kind, **o).latex()}
    return [reader, *rows]


def _check_legacy(got: list[dict], want: list[dict], lang: str, where: str) -> None:
    assert [r["layout"] for r in got] == [r["layout"] for r in want], where
    for g, w in zip(got, want):
        assert g["value"] == w["value"] and g["count"] == format_int(int(w["value"]), lang), (where, w["layout"])
        assert g["formula"] == w["formula"].replace(" \\cdot ", " · "), (where, w["layout"])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_old_answers_gru_20_on_13_features(new_page, harness, lang):
    """GRU(20) on 13 features: Keras 3, CuDNNGRU, ONNX GRU and Keras 2's GRU, whose default
    reset_after=False (shown) gives one bias fewer per gate and unit."""
    page = new_page(harness + f"{lang}.html?" + query("keras", "gru", 13, 20, {}))
    got, want = legacy_shown(page), legacy_expected("keras", "gru", 13, 20, {})
    _check_legacy(got, want, lang, "GRU(20) on 13")
    counts = {r["layout"]: int(r["value"]) for r in want}
    assert counts["keras"] == formulas.count("keras", "gru", input_dim=13, units=20) == counts["cudnn"] == counts["onnx"]
    assert counts["keras2"] == formulas.count("keras", "gru", input_dim=13, units=20, reset_after=False) < counts["keras"]
    keras2 = next(r for r in got if r["layout"] == "keras2")
    assert keras2["name"] == f"{strings.get('calculator', 'legacy_label_keras2', lang)} GRU (reset_after=False)"
    assert next(r for r in got if r["layout"] == "cudnn")["name"].endswith(" CuDNNGRU")
    assert page.locator(".lstm-calc__legacy h3").text_content() == strings.get("calculator", "legacy", lang)
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_old_answers_bidirectional_lstm_300(new_page, harness, lang):
    """Bidirectional(LSTM(300)) on 300: CuDNNLSTM and ONNX count two biases per gate and unit;
    TF1 counts the two cells of bidirectional_dynamic_rnn, each one named in a note."""
    o = {"bidirectional": True}
    page = new_page(harness + f"{lang}.html?" + query("keras", "lstm", 300, 300, o))
    got, want = legacy_shown(page), legacy_expected("keras", "lstm", 300, 300, o)
    _check_legacy(got, want, lang, "Bidirectional(LSTM(300)) on 300")
    assert {r["layout"] for r in want} >= {"keras", "cudnn", "tf1", "onnx"}
    counts = {r["layout"]: int(r["value"]) for r in want}
    assert counts["keras"] == formulas.count("keras", "lstm", input_dim=300, units=300, bidirectional=True)
    assert counts["cudnn"] == counts["onnx"] == counts["keras"] + 2 * 4 * 300  # one more bias per gate, unit, direction
    per_cell = formulas.count("tf1", "lstm", input_dim=300, units=300)
    assert counts["tf1"] == 2 * per_cell
    tf1 = next(r for r in got if r["layout"] == "tf1")
    note = message("legacy_note_tf1_bidirectional", lang, each=format_int(per_cell, lang)).replace("`", "")
    assert tf1["notes"] == [note]
    onnx = next(r for r in got if r["layout"] == "onnx")
    assert onnx["notes"] == [strings.get("calculator", "legacy_note_onnx_bidirectional", lang).replace("`", "")]
    assert page.errors == []


HIDDEN_LEGACY = [  # (framework, kind, options): no legacy layout has the layer
    ("keras", "simple_rnn", {}), ("pytorch", "rnn", {}), ("keras", "lstm_cell", {}), ("pytorch", "gru_cell", {}),
    ("keras", "conv_lstm2d", {}), ("pytorch", "lstm", {"proj_size": 10}), ("pytorch", "gru", {"num_layers": 2}),
]


@pytest.mark.parametrize(("framework", "kind", "o"), HIDDEN_LEGACY, ids=[f"{f}-{k}-{o}" for f, k, o in HIDDEN_LEGACY])
def test_old_answers_hidden_where_no_old_layout_has_the_layer(new_page, harness, framework, kind, o):
    page = new_page(harness + "en.html?" + query(framework, kind, 13, 20, o))
    assert legacy_expected(framework, kind, 13, 20, o) == []
    box = page.locator(".lstm-calculator").first.locator(".lstm-calc__legacy")
    assert box.count() == 1 and box.is_hidden() and box.bounding_box() is None  # takes no room
    assert shown(page)["errors"] == [] and page.errors == []
    page.locator(".lstm-calculator").first.get_by_label("Layer", exact=True).select_option("gru")
    if "num_layers" in o:  # still a stack: still none
        assert box.is_hidden()
    else:  # a GRU has old layouts (and no projection)
        assert box.is_visible() and len(legacy_shown(page)) > 1


LEGACY_SIZES = [(1, 1), (13, 20), (300, 300), (BIG, 5), (3, 2**59)]
LEGACY_GRID = [("keras", "lstm", {"use_bias": b, "bidirectional": bi}) for b in (True, False) for bi in (False, True)]
LEGACY_GRID += [("keras", "gru", {"use_bias": b, "bidirectional": bi, "reset_after": r})
                for b in (True, False) for bi in (False, True) for r in (True, False)]
LEGACY_GRID += [("pytorch", k, {"bias": b, "bidirectional": bi}) for k in ("lstm", "gru")
                for b in (True, False) for bi in (False, True)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_old_answers_counts_equal_lstm_docs(new_page, harness, lang):
    page = new_page(harness + f"{lang}.html")
    for framework, kind, o in LEGACY_GRID if lang == "en" else LEGACY_GRID[::3]:
        for d, u in LEGACY_SIZES:
            page.goto(harness + f"{lang}.html?" + query(framework, kind, d, u, o))
            where = f"{lang} {framework} {kind} d={d} u={u} {o}"
            got, want = legacy_shown(page), legacy_expected(framework, kind, d, u, o)
            assert len(want) > 1, where  # every one of these has some old layout
            _check_legacy(got, want, lang, where)
            for g, w in zip(got[1:], want[1:]):
                assert w["class"] in g["name"], where
            assert "NaN" not in shown(page)["text"], where
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_old_answers_fit_a_phone(new_page, harness, lang):
    page = new_page(harness + f"{lang}.html?" + query("keras", "lstm", BIG, 2**59, {"bidirectional": True}),
                    viewport=PHONE)
    assert len(legacy_shown(page)) == len(legacy_expected("keras", "lstm", BIG, 2**59, {"bidirectional": True}))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for li in page.locator(".lstm-calc__legacy li").all():
        box = li.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_site_old_answers_with_screenshots(new_page, site, lang):
    """On the real calculator page: the block with its link to the old-answers page, at desktop
    and phone width, no sideways scrolling."""
    q = query("keras", "lstm", 300, 300, {"bidirectional": True})
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(site + page_path(lang, "calculator") + "?" + q, viewport=viewport)
        if page.locator(".lstm-calculator").count() == 0:
            pytest.skip(f"docs/{lang}/calculator.md has no calculator yet (translation pending)")
        box = page.locator(".lstm-calc__legacy")
        assert box.is_visible()
        _check_legacy(legacy_shown(page), legacy_expected("keras", "lstm", 300, 300, {"bidirectional": True}), lang, name)
        link = box.locator("a")
        assert link.text_content() == strings.get("calculator", "legacy_why", lang)
        assert link.evaluate("a => a.href") == site + page_path(lang, calculator.LEGACY_PAGE)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.add_style_tag(content=".md-header, .md-tabs { visibility: hidden; }")
        box.screenshot(path=str(ROOT / "test-output" / "screenshots" / f"calculator-legacy-{lang}-{name}.png"))
        assert page.errors == [], page.errors
