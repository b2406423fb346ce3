"""Each language's typography: one table of rules, and a checker over built pages.

The rules are each language's ``typography`` entry in the language registry
(``lstm_docs.languages``): its separators, and the names of the checks below its pages must
pass (an unknown check name is an import-time error):

* ``french_spacing`` (fr): a no-break space (U+00A0 or the narrow U+202F) before ``: ; ! ?`` and inside
  « guillemets » — never an ordinary space, never nothing.
* ``inverted_marks`` (es): a question or exclamation is opened as well as closed: ``¿…?``, ``¡…!``.
* ``cjk_punctuation`` (zh): full-width punctuation next to Chinese text (``，。；：？！（）``, not ``, . ; : ? ! ( )``),
  and no line starting with closing punctuation (``。，、；：？！``) — see
  :data:`NO_LINE_START`; the browser test checks the rendered lines, the build
  (``hooks/site.py``) keeps inline math and the punctuation after it together.

List separators (``,`` / ``，`` / ``、``) and the spacing between Latin and Chinese text are
here too, so the calculator (``hooks/calculator.py`` hands them to ``calculator.js``) and the
figures join their lists the way the language does.

:func:`check_text` applies the rules to plain text (code and formulas already replaced by
:data:`CODE`); :func:`page_text` turns a built HTML page into that text and its attributes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lstm_docs import languages
from lstm_docs.languages import NARROW_NBSP as NARROW_NBSP
from lstm_docs.languages import NBSP as NBSP
from lstm_docs.languages import Rules as Rules
from lstm_docs.strings import LANGUAGES

#: Stands for a code span, a code block or a formula in :func:`page_text`'s output.
CODE = "\ue000"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

#: Closing punctuation that must never begin a line of Chinese text.
NO_LINE_START = "。，、；：？！）」』"


#: ``lang -> Rules`` of every registered language (a live view of the registry).
RULES: Mapping[str, Rules] = languages.ByLanguage(lambda language: language.typography)

#: Latin letter, digit or closing code/paren directly against a Chinese character (either
#: order). The same pattern runs in Python and in calculator.js (hence no \p{...}).
LATIN_HAN = f"([A-Za-z0-9_])(?=[{HAN}])|([{HAN}])(?=[A-Za-z0-9_])"


def rules(lang: str) -> Rules:
    try:
        return RULES[lang]
    except KeyError:
        raise ValueError(f"no typography rules for {lang!r}: use one of {', '.join(LANGUAGES)}") from None


def join_list(items: list[str] | tuple[str, ...], lang: str) -> str:
    """``["i", "f"]`` -> ``"i, f"`` (en/fr/es), ``"i、f"`` (zh)."""
    return rules(lang).list_separator.join(items)


def join_clauses(items: list[str] | tuple[str, ...], lang: str) -> str:
    """Clauses of one sentence: ``"a, b"``; ``"a，b"`` in Chinese."""
    return rules(lang).clause_separator.join(items)


def join_groups(items: list[str] | tuple[str, ...], lang: str) -> str:
    """Items that hold commas themselves: ``"a (2, 12), b"``; ``"a（2, 12）；b"`` in Chinese."""
    return rules(lang).group_separator.join(items)


def space_latin_han(text: str, lang: str) -> str:
    """Put the space Chinese typography wants between Latin text and Han characters
    (``proj_size为空`` -> ``proj_size 为空``); other languages are returned unchanged."""
    if not rules(lang).latin_han_space:
        return text
    return re.sub(LATIN_HAN, lambda m: (m[1] or m[2]) + " ", text)


def browser_data(lang: str) -> dict[str, object]:
    """The rules a script needs (``calculator.js``): separators and the spacing pattern."""
    r = rules(lang)
    return {
        "list_separator": r.list_separator,
        "clause_separator": r.clause_separator,
        "latin_han": LATIN_HAN if r.latin_han_space else "",
    }


# ---------------------------------------------------------------------------------------------
# Checking text


@dataclass(frozen=True)
class Problem:
    rule: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.rule}: …{self.excerpt}…"


def _excerpt(text: str, start: int, end: int, width: int = 25) -> str:
    shown = text[max(0, start - width) : end + width].replace(CODE, "‹code›")
    return shown.replace("\n", "⏎").replace(NBSP, "⍽").replace(NARROW_NBSP, "⍽")


_FR_BEFORE = re.compile(r"(?P<before>[^\s\u00a0\u202f(«\[/])?(?P<space>[ \u00a0\u202f]?)(?P<mark>[:;!?])")
_FR_OPEN = re.compile(r"«(?P<space>[ \u00a0\u202f]?)")
_FR_CLOSE = re.compile(r"(?P<space>[ \u00a0\u202f]?)»")
_ES_END = re.compile(r"[?!]")
_ZH_ASCII = re.compile(
    # ASCII , . ; : ? ! after Chinese, , ; : ? ! before it; ( ) directly against it
    rf"(?<=[{HAN}])\s*[,.;:?!]|[,;:?!](?=\s*[{HAN}])|(?<=[{HAN}])[()]|[()](?=[{HAN}])"
)
_ZH_LINE_START = re.compile(rf"(?:^|\n)[ \t]*(?P<mark>[{NO_LINE_START}])")
_ZH_LATIN_HAN = re.compile(LATIN_HAN)


def _check_fr(text: str) -> list[Problem]:
    problems = []
    for m in _FR_BEFORE.finditer(text):
        mark, space, before = m["mark"], m["space"], m["before"]
        if space in (NBSP, NARROW_NBSP):
            continue
        start = m.start("mark")
        if mark == ":" and before and before.isdigit() and text[start + 1 : start + 2].isdigit():
            continue  # 1:2, a ratio or a time
        if mark in "!?" and text[start + 1 : start + 2] == "=":
            continue  # != is an operator
        if before is None and not space:
            continue  # the mark opens the text or follows a bracket: nothing to space
        problems.append(Problem(f"fr: no-break space before {mark!r}", _excerpt(text, start, start + 1)))
    for m in _FR_OPEN.finditer(text):
        if m["space"] not in (NBSP, NARROW_NBSP):
            problems.append(Problem("fr: no-break space after «", _excerpt(text, m.start(), m.end())))
    for m in _FR_CLOSE.finditer(text):
        if m["space"] not in (NBSP, NARROW_NBSP):
            problems.append(Problem("fr: no-break space before »", _excerpt(text, m.start(), m.end())))
    return problems


def _check_es(text: str) -> list[Problem]:
    problems = []
    for m in _ES_END.finditer(text):
        opening = "¿" if m[0] == "?" else "¡"
        start = m.start()
        if text[start + 1 : start + 2] == "=":
            continue  # != is an operator
        # the question opens after the previous sentence end (or line), possibly mid-sentence
        boundary = max(text.rfind(c, 0, start) for c in ".?!\n")
        if opening not in text[boundary + 1 : start]:
            problems.append(Problem(f"es: {m[0]!r} without an opening {opening!r}", _excerpt(text, start, start + 1)))
    return problems


def _check_zh(text: str) -> list[Problem]:
    problems = []
    for m in _ZH_ASCII.finditer(text):
        problems.append(Problem("zh: half-width punctuation next to Chinese text", _excerpt(text, m.start(), m.end())))
    for m in _ZH_LINE_START.finditer(text):
        problems.append(Problem(f"zh: a line starts with {m['mark']!r}", _excerpt(text, m.start("mark"), m.end())))
    for m in _ZH_LATIN_HAN.finditer(text):
        problems.append(Problem("zh: no space between Latin text and Chinese", _excerpt(text, m.start(), m.end() + 1)))
    return problems


#: The checks a language's ``Rules.checks`` may name.
CHECKS = {"french_spacing": _check_fr, "inverted_marks": _check_es, "cjk_punctuation": _check_zh}
_unknown = {(lang, name) for lang, r in RULES.items() for name in r.checks if name not in CHECKS}
if _unknown:  # pragma: no cover - a registry mismatch is a programming error
    raise ImportError(f"lstm_docs/languages.py names unknown typography checks {sorted(_unknown)}: use {sorted(CHECKS)}")


def check_text(text: str, lang: str) -> list[Problem]:
    """Every place where ``text`` (prose, code replaced by :data:`CODE`) breaks ``lang``'s rules."""
    return [problem for name in rules(lang).checks for problem in _named_check(name, lang)(text)]


def _named_check(name: str, lang: str) -> Callable[[str], list[Problem]]:
    try:
        return CHECKS[name]
    except KeyError:
        raise ValueError(
            f"language {lang!r} names the unknown typography check {name!r}: use one of {', '.join(CHECKS)}"
        ) from None


# ---------------------------------------------------------------------------------------------
# Built pages -> text

_DROP = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
_CODE_LIKE = re.compile(r"<(pre|code|math|kbd|samp)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|table|thead|tbody|tfoot|tr|td|th|br|hr|nav|header|"
    r"footer|main|article|section|aside|details|summary|figure|figcaption|form|fieldset|label|"
    r"legend|select|option|button|blockquote|title|desc|text|tspan|svg|g)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_ATTRIBUTE = re.compile(r'\s(?:title|aria-label|alt|placeholder)="(?P<value>[^"]*)"')
_OTHER_LANGUAGE = re.compile(r'<(?P<tag>[a-z]+)\b[^>]*\blang="(?P<lang>[a-z-]+)"[^>]*>.*?</(?P=tag)>', re.DOTALL)
_BODY = re.compile(r"<body\b.*?</body>", re.DOTALL | re.IGNORECASE)
_TITLE = re.compile(r"<title>(?P<value>.*?)</title>", re.DOTALL)


def page_text(page_html: str, lang: str) -> tuple[str, list[str]]:
    """A built page -> (its prose as text, its ``<title>`` and attribute strings).

    Code, code blocks and formulas become :data:`CODE`; scripts are dropped; block elements
    end a line; passages marked as another language (``lang="en"``) are left out.
    """
    body = _BODY.search(page_html)
    title = _TITLE.search(page_html)
    text = body[0] if body else page_html
    text = _DROP.sub("", text)
    text = _OTHER_LANGUAGE.sub(lambda m: "" if m["lang"] != lang else m[0], text)
    attributes = [html.unescape(m["value"]) for m in _ATTRIBUTE.finditer(text)]
    if title:
        attributes.insert(0, html.unescape(title["value"]).strip())
    text = _CODE_LIKE.sub(CODE, text)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    text = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", text)  # keeps no-break spaces
    text = re.sub(r"[ \t]+", " ", text)
    return text, [a for a in attributes if a.strip()]


def check_page(page_html: str, lang: str) -> list[Problem]:
    """Every typography problem of a built page in ``lang`` (its text and its attributes)."""
    text, attributes = page_text(page_html, lang)
    problems = check_text(text, lang)
    for value in attributes:
        problems += check_text(value, lang)
    return problems


_FR_SPACE_BEFORE = re.compile(r" (?=[:;!?»])")
_FR_SPACE_AFTER = re.compile(r"(?<=«) ")


def restore_spaces(text: str, lang: str) -> str:
    """Put back the no-break spaces of ``lang`` where a tool turned them into plain spaces
    (python-markdown's table of contents does): French ``Poids : noms`` -> ``Poids\\u00a0: noms``,
    ``?``, ``!``, ``;`` and ``»`` after a narrow one. Languages without the ``french_spacing``
    check: unchanged."""
    if "french_spacing" not in rules(lang).checks:
        return text
    text = _FR_SPACE_BEFORE.sub(lambda m: NBSP if text[m.end()] == ":" else NARROW_NBSP, text)
    return _FR_SPACE_AFTER.sub(NARROW_NBSP, text)
