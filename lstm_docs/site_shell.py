"""The site shell per language: what ``hooks/site.py`` applies to every page and build.

* Math: pymdownx.arithmatex (generic mode) leaves ``<span class="arithmatex">\\(...\\)</span>``
  and ``<div class="arithmatex">\\[...\\]</div>``; each is converted to MathML here with
  ``latex2mathml``, so no math script or font is ever fetched from another host.
* Shell strings in the page's language (``lstm_docs/strings/site.json``): site name and
  description, palette toggle titles, the 404 page, the permalinks' tooltip, the footer's
  credit and previous/next labels, the redirect stubs (``site_t`` in templates); material's
  own strings reworded in ``lstm_docs/strings/theme.json`` (``theme_t``, read first by
  ``overrides/partials/language.html``).
* Typography (``lstm_docs/typography.py``): inline math is kept on one line with the
  punctuation touching it; French no-break spaces that the table of contents drops are put
  back in titles (and ``plain`` replaces jinja's ``striptags``, which drops them too).
* Link previews: a page without a ``description`` in its front matter gets its first
  paragraph (plain text, shortened) as description, used by ``<meta name="description">``
  and the OpenGraph/Twitter tags in ``overrides/main.html``.
* Redirects (mkdocs-redirects) and the 404 page, made to work in every language.
* hreflang: material's JS fetches ``sitemap.xml`` beside every ``<link rel="alternate">`` URL
  (made for language roots; ours name the same page in each language). Every page directory
  gets a valid, empty ``sitemap.xml`` so a page view makes no failing request; the real
  sitemap, with every page and its alternates, stays at the site root. When the site's real
  address is known (``SITE_URL``, set by the Pages workflow), the alternate links are made
  absolute, as search engines expect.

The transforms are plain ``str -> str`` functions; the functions taking a mkdocs config or
page only read and set their attributes (no mkdocs import here).
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import urljoin
from pathlib import Path
from typing import Any

from latex2mathml.converter import convert as latex_to_mathml

from lstm_docs import languages, strings, typography

CONSUMER = "site"
THEME = "theme"  # material's own strings, reworded: lstm_docs/strings/theme.json
DESCRIPTION_MAX_CHARS = 200

# arithmatex generic output; the TeX inside is HTML-escaped (&lt; &amp;).
_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
_BLOCK_MATH = re.compile(
    r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>'
    r'|<div class="arithmatex">(?P<env>\\begin\{(?P<name>[a-z*]+)\}.*?\\end\{(?P=name)\})</div>',
    re.DOTALL,
)
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+|&)<")
# latex2mathml lays out `split` (not `aligned`) as a table; they mean the same here.
_ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")
_FIRST_PARAGRAPH = re.compile(r"<p>(?P<body>.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class MathError(ValueError):
    """A formula latex2mathml cannot convert; the message names the TeX."""


@functools.lru_cache(maxsize=8192)  # a pure function; the four languages share their formulas
def tex_to_mathml(tex: str, *, display: str) -> str:
    """One TeX formula (HTML-escaped, as arithmatex writes it) -> a ``<math>`` element.

    ``display`` is ``"inline"`` or ``"block"``.
    """
    source = html.unescape(tex).strip()
    try:
        mathml = latex_to_mathml(_ALIGNED.sub(r"\\\1{split}", source), display=display)
    except Exception as exc:  # latex2mathml raises many types; report them the same way
        raise MathError(
            f"cannot convert formula {source!r} to MathML ({type(exc).__name__} {exc}); "
            "fix the TeX or use a construct latex2mathml supports"
        ) from exc
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:  # latex2mathml prints what it does not know as text: raw TeX on the page
        raise MathError(
            f"cannot convert formula {source!r} to MathML: {unknown.group(1)} is not supported "
            "by latex2mathml here; use supported commands (& only inside \\begin{aligned})"
        )
    return mathml


def math_to_mathml(page_html: str) -> str:
    """Replace every arithmatex span/div of a rendered page by MathML.

    Block math is wrapped in ``<div class="lstm-math">`` (centred, scrolls horizontally on a
    narrow screen, see ``docs/assets/site.css``).
    """

    def block(match: re.Match[str]) -> str:
        tex = match.group("tex") if match.group("tex") is not None else match.group("env")
        return f'<div class="lstm-math">{tex_to_mathml(tex, display="block")}</div>'

    def inline(match: re.Match[str]) -> str:
        return tex_to_mathml(match.group("tex"), display="inline")

    return _INLINE_MATH.sub(inline, _BLOCK_MATH.sub(block, page_html))


# Inline math and the punctuation written right after it (or the opening bracket right before
# it): the browser may break a line between a <math> box and a following "。" or "." (a
# formula is an atomic box to line breaking), leaving the punctuation alone at the start of
# the next line. One no-wrap span keeps them together.
_CLOSING = frozenset(typography.NO_LINE_START + ".,;:!?)]»")
_OPENING = frozenset("（「『([«")
_INLINE_MATHML = re.compile(r'<math\b[^>]*display="inline"[^>]*>.*?</math>', re.DOTALL)


def keep_math_with_punctuation(page_html: str) -> str:
    """Wrap inline MathML with the punctuation that touches it in ``<span class="lstm-nowrap">``
    (``docs/assets/site.css``), so no line starts with the punctuation after a formula.

    The punctuation is the run of opening brackets right before the ``<math>`` (not reaching
    back into the previous wrapped formula) and the run of closing marks right after it.  The
    formulas are found by their literal ``<math``; the runs are read around each one."""
    parts: list[str] = []
    done = 0  # page_html[:done] is in parts
    for match in _INLINE_MATHML.finditer(page_html):
        start, end = match.start(), match.end()
        if start < done:  # inside the closing run taken with the previous formula
            continue
        while start > done and page_html[start - 1] in _OPENING:
            start -= 1
        while end < len(page_html) and page_html[end] in _CLOSING:
            end += 1
        if start == match.start() and end == match.end():
            continue
        parts += [page_html[done:start], '<span class="lstm-nowrap">', page_html[start:end], "</span>"]
        done = end
    return "".join(parts) + page_html[done:] if parts else page_html


_REDIRECT_URL = re.compile(r'<link rel="canonical" href="(?P<url>[^"]*)">')


def redirect_page(url: str, lang: str) -> str:
    """A redirect stub (what mkdocs-redirects writes) in ``lang``: ``<html lang>``, title, text."""
    target = html.escape(url, quote=True)
    link = f'<a href="{target}">{html.escape(site_text("redirect_link", lang))}</a>'
    text = html.escape(site_text("redirect_text", lang)).replace("{link}", link)
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n<head>\n    <meta charset="utf-8">\n'
        f"    <title>{html.escape(site_text('redirect_title', lang))}</title>\n"
        f'    <link rel="canonical" href="{target}">\n'
        f'    <script>var anchor=window.location.hash.substr(1);location.href="{target}"+(anchor?"#"+anchor:"")</script>\n'
        f'    <meta http-equiv="refresh" content="0; url={target}">\n'
        f"</head>\n<body>\n<p>{text}</p>\n</body>\n</html>\n"
    )


def first_paragraph_text(page_html: str, max_chars: int = DESCRIPTION_MAX_CHARS) -> str:
    """Plain text of the first non-empty ``<p>`` of a rendered page, cut at a word boundary.

    Returns ``""`` when the page has no paragraph.
    """
    for match in _FIRST_PARAGRAPH.finditer(page_html):
        text = " ".join(html.unescape(_TAG.sub("", match.group("body"))).split())
        if not text:
            continue
        if len(text) <= max_chars:
            return text
        cut = text[: max_chars - 1]
        if " " in cut:
            cut = cut[: cut.rindex(" ")]
        return cut.rstrip(" ,;:") + "…"
    return ""


def page_language(config: Any) -> str:
    """The language being built: mkdocs-static-i18n sets ``theme.language`` per language."""
    lang = config.theme["language"]
    if lang not in strings.LANGUAGES:
        raise ValueError(
            f"theme.language is {lang!r}, not one of {strings.LANGUAGES}: "
            "set theme.language per language in mkdocs.yml's i18n plugin"
        )
    return lang


def site_text(key: str, lang: str) -> str:
    """A shell string from ``lstm_docs/strings/site.json``."""
    return strings.get(CONSUMER, key, lang)



# ---------------------------------------------------------------------------------------------
# The build's configuration and templates, per language


def prerequisite_warnings(config: Any) -> list[str]:
    """What ``mkdocs.yml`` lacks for the math conversion, each with the fix (``[]``: nothing)."""
    extensions = config["markdown_extensions"]
    if "pymdownx.arithmatex" not in extensions:
        return ["hooks/site.py needs 'pymdownx.arithmatex' in markdown_extensions of mkdocs.yml"]
    options = config["mdx_configs"].get("pymdownx.arithmatex", {})
    if not options.get("generic"):
        return [
            "hooks/site.py converts math to MathML only in arithmatex generic mode: "
            "set 'pymdownx.arithmatex: {generic: true}' in mkdocs.yml"
        ]
    return []


def apply_shell_strings(config: Any, lang: str) -> None:
    """Set the config's site name and description, palette toggle titles and the permalinks'
    tooltip to their ``lang`` wording."""
    config["site_name"] = site_text("site_name", lang)
    config["site_description"] = site_text("site_description", lang)
    for palette in config.theme.get("palette", []) or []:
        toggle = palette.get("toggle")
        if toggle is None:
            continue
        key = "palette_to_light" if palette.get("scheme") == "slate" else "palette_to_dark"
        toggle["name"] = site_text(key, lang)
    # the heading permalinks' tooltip (python-markdown's toc extension)
    toc = config["mdx_configs"].setdefault("toc", {})
    if toc.get("permalink"):
        toc["permalink_title"] = site_text("permalink_title", lang)


def theme_text(key: str, lang: str) -> str:
    """material's string ``key`` in this site's wording, or "" (material's own then)."""
    if key not in strings.table(THEME):
        return ""
    return strings.get(THEME, key, lang)


_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def plain_text(value: Any) -> str:
    """Jinja's ``striptags``, keeping no-break spaces (``striptags`` turns them into spaces):
    tags removed, runs of ASCII white space made one space; HTML-escaped for the template."""
    text = html.unescape(_TAG.sub("", str(value)))
    return html.escape(_ASCII_SPACES.sub(" ", text).strip(), quote=True)


def retypeset_titles(page: Any, lang: str) -> None:
    """Put ``lang``'s no-break spaces back in a page's title and table of contents.

    python-markdown's toc (and so the page title, the navigation and the table of contents)
    turns every run of white space into one space: French loses its no-break spaces there.
    """
    if getattr(page, "_title_from_render", None):
        page._title_from_render = typography.restore_spaces(page._title_from_render, lang)
    stack = list(page.toc or [])
    while stack:
        item = stack.pop()
        item.title = typography.restore_spaces(item.title, lang)
        stack.extend(item.children)


def finish_page(page_html: str, page: Any, lang: str) -> str:
    """A rendered page's HTML (math already MathML) with inline math kept with its
    punctuation; also puts ``lang``'s spaces back in the page's titles and, when its front
    matter has none, sets its ``description`` to its first paragraph."""
    page_html = keep_math_with_punctuation(page_html)
    retypeset_titles(page, lang)
    if not page.meta.get("description"):
        description = first_paragraph_text(page_html)
        if description:
            page.meta["description"] = description
    return page_html


# ---------------------------------------------------------------------------------------------
# Redirects in every language
#
# mkdocs-redirects knows nothing of languages: with the folder structure, the map in mkdocs.yml
# (``params.md: parameters.md``, language-agnostic) would point at no file. Once
# mkdocs-static-i18n has chosen this build's files, the map is re-keyed for the language being
# built: ``fr/params.md -> fr/parameters.md`` (en, the default, stays at the root).

def localized_redirects(redirect_map: dict[str, str], lang: str, default: str) -> dict[str, str]:
    """Language-agnostic ``{old.md: new.md}`` -> ``{old path in the site: source file}``."""
    prefix = "" if lang == default else f"{lang}/"
    return {f"{prefix}{old}": f"{lang}/{new}" for old, new in redirect_map.items()}


def localize_redirect_stubs(site_dir: Path, old_pages: Any, lang: str) -> None:
    """Rewrite the English stubs mkdocs-redirects wrote for ``old_pages`` (``"fr/params.md"``,
    written at ``fr/params/index.html``) in ``lang``."""
    for old in old_pages:
        stub = Path(site_dir) / old.removesuffix(".md") / "index.html"
        if not stub.exists():
            continue
        found = _REDIRECT_URL.search(stub.read_text(encoding="utf-8"))
        if found:
            stub.write_text(redirect_page(html.unescape(found["url"]), lang), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# A 404 page in every language
#
# mkdocs renders the theme's 404.html at the root of site_dir in every language build, so the
# last language built would win. Each build's 404 is moved to ``<lang>/404.html``; the default
# language's is put back at the root after each build (GitHub Pages serves the root one).

NOT_FOUND = "404.html"


class NotFoundPages:
    """The default language's 404 page, kept while the other languages' builds overwrite it."""

    def __init__(self) -> None:
        self.default_404: str | None = None

    def split(self, site_dir: Path, lang: str) -> None:
        """After ``lang``'s build: keep its root 404 (default language) or copy it to ``<lang>/``."""
        root_page = Path(site_dir) / NOT_FOUND
        if not root_page.exists():
            return
        if lang == languages.default().code:
            self.default_404 = root_page.read_text(encoding="utf-8")
        else:
            target = Path(site_dir) / lang / NOT_FOUND
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(root_page.read_text(encoding="utf-8"), encoding="utf-8")

    def restore(self, site_dir: Path) -> None:
        """Put the default language's 404 back at the root, if one was kept."""
        if self.default_404 is not None:
            (Path(site_dir) / NOT_FOUND).write_text(self.default_404, encoding="utf-8")


def language_homes(i18n_languages: Any) -> list[dict[str, str]]:
    """Material's ``extra.alternate`` pointing at each language's home page.

    Links are relative to the site root (``fr/``), so the ``url`` filter of a 404 page (whose
    base is the site's path, e.g. ``/lstm-docs/``) makes them right on a project site too.
    """
    homes = []
    for language in i18n_languages:
        if not language.build:
            continue
        link = language.link.strip("/")
        homes.append({"name": language.name, "lang": language.locale, "link": f"{link}/" if link else "."})
    return homes


# ---------------------------------------------------------------------------------------------
# hreflang: absolute alternates and an empty sitemap beside every page

EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)
_ALTERNATE = re.compile(r'(<link rel="alternate" href=")(?P<href>[^"]*)(" hreflang=)')


def absolute_alternates(page_html: str, page_url: str) -> str:
    """``<link rel="alternate" href="../fr/units/" hreflang=...>`` -> an absolute ``href``."""
    return _ALTERNATE.sub(lambda m: m[1] + urljoin(page_url, m["href"]) + m[3], page_html)


def write_empty_sitemaps(directories: Any) -> None:
    """An empty ``sitemap.xml`` in each existing directory of ``directories`` that has none."""
    for directory in sorted(directories):
        target = Path(directory) / "sitemap.xml"
        if Path(directory).is_dir() and not target.exists():
            target.write_text(EMPTY_SITEMAP, encoding="utf-8")
