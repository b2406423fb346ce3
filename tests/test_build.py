"""The site shell, checked on a real ``mkdocs build --strict`` of the project.

Plus unit tests of the pure transforms of ``lstm_docs.site_shell`` (math -> MathML, descriptions,
redirect maps).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from browser_support import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PAGES,
    ROOT,
    page_file,
    page_path,
)
from lstm_docs import site_shell, strings


def _head(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[: text.index("</head>")]


def _meta(head: str, attribute: str, name: str) -> list[str]:
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"'
    return [html.unescape(value) for value in re.findall(pattern, head)]


# ---------------------------------------------------------------------------------------------
# The real build


@pytest.mark.build
def test_strict_build_passes(built_site):
    assert built_site.returncode == 0 and not built_site.warnings, (
        "mkdocs build --strict failed:\n" + "\n".join(built_site.warnings or [built_site.log[-3000:]])
    )


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_built_in_the_page_language(site_dir, lang):
    for page in PAGES:
        built = page_file(site_dir, lang, page)
        assert built.exists(), f"{page_path(lang, page)} was not built (docs/{lang}/{page}.md)"
        text = built.read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in text, f"{page_path(lang, page)}: <html lang> is not {lang}"
        site_name = strings.get("site", "site_name", lang)
        assert site_name in html.unescape(text), f"{page_path(lang, page)}: site name not in {lang}"


@pytest.mark.build
def test_material_ui_speaks_the_page_language(site_dir):
    placeholders = {
        lang: re.search(r'placeholder="([^"]+)"', page_file(site_dir, lang, "index").read_text()).group(1)
        for lang in LANGUAGES
    }
    assert placeholders["en"] == "Search"
    assert len(set(placeholders.values())) == len(LANGUAGES), f"search box labels: {placeholders}"


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_head_has_hreflang_alternates_and_link_previews(site_dir, lang):
    for page in PAGES:
        where = page_path(lang, page)
        head = _head(page_file(site_dir, lang, page))
        hreflangs = set(re.findall(r'<link rel="alternate" href="[^"]+" hreflang="([^"]+)"', head))
        assert hreflangs == {*LANGUAGES, "x-default"}, f"{where}: hreflang alternates {hreflangs}"
        assert _meta(head, "property", "og:locale") == [strings.get("site", "og_locale", lang)]
        others = {strings.get("site", "og_locale", other) for other in LANGUAGES if other != lang}
        assert set(_meta(head, "property", "og:locale:alternate")) == others, where
        for name in ("og:title", "og:description", "og:url", "og:site_name"):
            values = _meta(head, "property", name)
            assert len(values) == 1 and values[0].strip(), f"{where}: no {name}"
        assert _meta(head, "property", "og:url")[0].endswith("/" + page_path(lang, page)), where
        for name in ("twitter:card", "twitter:title", "twitter:description", "description"):
            assert _meta(head, "name", name), f"{where}: no <meta name={name}>"


@pytest.mark.build
def test_the_alternate_links_lead_to_the_same_page_in_each_language(site_dir):
    head = _head(page_file(site_dir, "fr", "units"))
    links = dict(
        (lang, href)
        for href, lang in re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)"', head)
    )
    base = site_dir / "fr" / "units"
    for lang in LANGUAGES:
        target = (base / links[lang] / "index.html").resolve()
        assert target == page_file(site_dir, lang, "units").resolve(), (lang, links[lang])


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_404_page_in_each_language(site_dir, lang):
    page = site_dir / language_dir(lang) / "404.html"
    assert page.exists(), f"no 404 page for {lang}: {page}"
    text = page.read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in text
    for key in ("not_found_title", "not_found_text"):
        assert strings.get("site", key, lang) in html.unescape(text), f"{lang} 404: no {key}"
    # a link to each language's home, in that language; the switcher leads to the homes too
    homes = re.findall(r'<li><a href="([^"]+)" hreflang="([a-z]+)" lang="[a-z]+">([^<]+)</a>', text)
    assert {(hreflang, html.unescape(label)) for _, hreflang, label in homes} == {
        (other, strings.get("site", "not_found_home", other)) for other in LANGUAGES
    }
    expected = {other: "/" + (language_dir(other) + "/" if language_dir(other) else ".") for other in LANGUAGES}
    assert {hreflang: href for href, hreflang, _ in homes} == expected
    switcher = dict((b, a) for a, b in re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)" class="md-select__link"', text))
    assert switcher == expected, f"{lang} 404: language switcher leads to {switcher}"


def language_dir(lang: str) -> str:
    return "" if lang == DEFAULT_LANGUAGE else lang


@pytest.mark.build
def test_sitemap_lists_every_page_of_every_language(site_dir):
    tree = ET.parse(site_dir / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {loc.text for loc in tree.getroot().iterfind("s:url/s:loc", ns)}
    urls |= {link.get("href") for link in tree.getroot().iterfind("s:url/x:link", ns)}
    paths = {re.sub(r"^[a-z]+://[^/]+/", "", url) for url in urls}
    missing = [page_path(lang, page) for lang in LANGUAGES for page in PAGES]
    missing = [path for path in missing if path not in paths]
    assert not missing, f"sitemap.xml does not list {missing}"


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_redirect_alias_leads_to_the_page_in_the_same_language(site_dir, lang):
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    redirects = next(p["redirects"] for p in config["plugins"] if isinstance(p, dict) and "redirects" in p)
    assert redirects["redirect_maps"], "mkdocs.yml: keep at least one redirect"
    for old, new in redirects["redirect_maps"].items():
        alias = site_dir / language_dir(lang) / old.removesuffix(".md") / "index.html"
        assert alias.exists(), f"redirect {old} not written for {lang}"
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', alias.read_text()).group(1)
        landed = (alias.parent / target / "index.html").resolve()
        assert landed == page_file(site_dir, lang, new.removesuffix(".md")).resolve(), (lang, old)


@pytest.mark.build
def test_no_page_loads_anything_from_another_host(site_dir):
    """Static check (the browser test checks real requests): no src/href to another host."""
    loaded = re.compile(r'<(?:script|img|iframe|source)[^>]+src="(?P<a>[^"]+)"|<link[^>]+href="(?P<b>[^"]+)"')
    offenders = []
    for built in site_dir.rglob("*.html"):
        for match in loaded.finditer(built.read_text(encoding="utf-8")):
            url = match.group("a") or match.group("b")
            tag = match.group(0)
            if re.match(r"^(https?:)?//", url) and 'rel="canonical"' not in tag and "alternate" not in tag:
                offenders.append(f"{built.relative_to(site_dir)}: {url}")
    assert not offenders, "loads from another host:\n" + "\n".join(offenders[:20])


@pytest.mark.build
def test_math_is_mathml_and_no_tex_is_left(site_dir):
    pages_with_math = 0
    for built in site_dir.rglob("*.html"):
        text = built.read_text(encoding="utf-8")
        where = built.relative_to(site_dir)
        assert 'class="arithmatex"' not in text, f"{where}: math left for a script to render"
        pages_with_math += "<math " in text
    assert pages_with_math, "no page has a formula: the MathML conversion is untested"


# ---------------------------------------------------------------------------------------------
# lstm_docs.site_shell transforms


def test_inline_and_block_math_become_mathml():
    page = (
        '<p>Count <span class="arithmatex">\\(4u(d + u + 1)\\)</span>.</p>\n'
        '<div class="arithmatex">\\[\nx &lt; y\n\\]</div>'
    )
    out = site_shell.math_to_mathml(page)
    assert "arithmatex" not in out and "\\(" not in out and "\\[" not in out
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in out
    assert '<div class="lstm-math"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in out
    assert "<mo>&#x0003C;</mo>" in out  # the escaped < reached latex2mathml as <


def test_aligned_equations_become_a_table():
    page = '<div class="arithmatex">\\[\\begin{aligned}\na &amp;= b \\\\\nc &amp;= d\n\\end{aligned}\\]</div>'
    out = site_shell.math_to_mathml(page)
    assert out.startswith('<div class="lstm-math"><math')
    assert out.count("<mtr>") == 2 and '<mtd columnalign="right">' in out and "&<" not in out


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        ("x^", "MissingSuperScriptOrSubscriptError"),
        ("\\madeup{x}", "\\\\madeup is not supported"),
        ("a &= b", "& is not supported"),
    ],
)
def test_bad_tex_is_reported_with_the_formula(tex, reason):
    with pytest.raises(site_shell.MathError, match=re.escape(repr(tex)) + ".*" + reason):
        site_shell.math_to_mathml(f'<span class="arithmatex">\\({tex}\\)</span>')


@pytest.mark.parametrize(
    ("html_in", "html_out"),
    [
        ("a $M$ b", "a $M$ b"),  # nothing touches it: left alone
        ("($M$)。", '<span class="lstm-nowrap">($M$)。</span>'),
        ("（「$M$」）", '<span class="lstm-nowrap">（「$M$」）</span>'),
        ("x $M$, y", 'x <span class="lstm-nowrap">$M$,</span> y'),
        # two formulas with one bracket between them: the closing run of the first is ")",
        # the opening run of the second "(" -- neither reaches into the other
        ("$M$)($M$.", '<span class="lstm-nowrap">$M$)</span><span class="lstm-nowrap">($M$.</span>'),
        ("($B$)", "($B$)"),  # display math is a block: never wrapped
    ],
)
def test_inline_math_keeps_the_punctuation_that_touches_it(html_in, html_out):
    inline, block = '<math display="inline"><mi>x</mi></math>', '<math display="block"><mi>y</mi></math>'
    spell = lambda text: text.replace("$M$", inline).replace("$B$", block)  # noqa: E731
    assert site_shell.keep_math_with_punctuation(spell(html_in)) == spell(html_out)


def test_description_is_the_first_paragraph_in_plain_text():
    page = '<h1>T</h1><p></p><p>An <code>LSTM</code> has <span>four</span> gates &amp; more.</p><p>x</p>'
    assert site_shell.first_paragraph_text(page) == "An LSTM has four gates & more."
    long = "<p>" + "word " * 100 + "</p>"
    cut = site_shell.first_paragraph_text(long, max_chars=30)
    assert len(cut) <= 30 and cut.endswith("word…")
    assert site_shell.first_paragraph_text("<h1>only a title</h1>") == ""


def test_redirects_are_rekeyed_per_language():
    aliases = {"params.md": "parameters.md"}
    assert site_shell.localized_redirects(aliases, "en", default="en") == {"params.md": "en/parameters.md"}
    assert site_shell.localized_redirects(aliases, "zh", default="en") == {"zh/params.md": "zh/parameters.md"}


def test_every_shell_string_exists_in_every_language():
    for key, entry in strings.table("site").items():
        assert set(entry) == set(LANGUAGES), f"lstm_docs/strings/site.json: {key} lacks a language"
        assert all(text.strip() for text in entry.values()), key


def test_alternate_links_become_absolute_when_the_real_address_is_known():
    head = '<link rel="alternate" href="../../fr/units/" hreflang="fr">'
    assert site_shell.absolute_alternates(head, "https://example.org/lstm/es/units/") == (
        '<link rel="alternate" href="https://example.org/lstm/fr/units/" hreflang="fr">'
    )


def test_every_page_directory_answers_materials_sitemap_probe(site_dir):
    """Material fetches sitemap.xml beside each hreflang URL: each must be a valid sitemap."""
    for lang in LANGUAGES:
        for page in PAGES:
            probe = page_file(site_dir, lang, page).parent / "sitemap.xml"
            assert probe.exists(), f"{probe} is missing: the page would make a failing request"
            assert ET.parse(probe).getroot().tag.endswith("urlset")
