"""Translation parity and staleness: every language says the same things as English.

A translation ``docs/<lang>/<page>.md`` must have, section by section (a section is the text
under one heading, keyed by the heading's explicit ``{ #id }``), the same

* heading ids, in the same order and at the same levels;
* snippets: include lines (``--8<-- "..."``), live fences, output fences, figure fences and
  the code of every other fence (comments in code may be translated and are ignored);
* anchors outside headings (``**forget gate**{ #forget-gate }`` in the glossary);
* the multi-digit numbers of the text, read in each language's number format (their order
  within a section may differ: sentences move in translation);
* checked numbers: the expressions of the ties (``72{= model.count_params() }``) and the
  values written in front of them, read in each language's number format, and the numbers
  inside math (``$...$``), which is the same in every language.

Staleness: a translation records in its front matter the hash of the English file it was
translated from (``source_hash: 0123456789ab``). When the English file changes, the hash no
longer matches and the translation is reported stale until a translator updates it and runs
``python -m lstm_docs translations stamp docs/<lang>/<page>.md``.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lstm_docs import languages
from lstm_docs.diagnostics import Problem
from lstm_docs.live.page import read_page
from lstm_docs.live.prose import tie_pattern
from lstm_docs.live import free
from lstm_docs.numbers import any_number_pattern, convention, number_pattern, parse_number

SOURCE_LANGUAGE = languages.default().code
#: Every registered language but the default one (a live view of ``lstm_docs.languages``).
TRANSLATIONS: Sequence[str] = languages.CodesView(languages.translations)

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
_HEADING_ID = re.compile(r"\{[^}]*#(?P<id>[A-Za-z0-9_.:-]+)[^}]*\}\s*$")
_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"(?P<path>[^"]+)"')
# the engine's ties, with a number written in any of the languages
_TIE = tie_pattern(any_number_pattern())
_MATH = re.compile(r"\$\$(?P<block>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S)
_MATH_NUMBER = re.compile(r"\d+(?:(?:\\,|\{,\}|,)\d{3})*(?:\.\d+)?")
_NOT_PROSE = re.compile(r"\]\([^)]*\)|\{[^{}]*\}|<[^<>]*>|https?://\S+")
_INLINE_ID = re.compile(r"\{\s*#(?P<id>[A-Za-z0-9_.:-]+)\s*\}")
_FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.S)
_HASH_LINE = re.compile(r"^source_hash:\s*(?P<hash>\S*)\s*$", re.M)
_CODE_SPAN = re.compile(r"`[^`]*`")
_GROUPING = re.compile(r"[\s\u00a0\u202f]|\\,|\{,\}")  # 150\,016 is 150016
_DIGITS = re.compile(r"[\d.,]+")
_MARKS = re.compile(r"[.,]")
_MATH_GROUPING = re.compile(r"\\,|\{,\}|,")
_VERSION = free.version_pattern()


def _prose_number(lang: str) -> re.Pattern[str]:
    """A number of ``lang`` standing alone in prose."""
    return _standing_alone(number_pattern(lang))


@functools.cache
def _standing_alone(number: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.,]){number}(?![\w])")


@dataclass
class Section:
    """What one section of a page says that must be the same in every language."""

    id: str
    level: int
    line: int
    snippets: list[str] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)
    math_numbers: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # ids outside headings: `**term**{ #id }`
    prose_numbers: list[str] = field(default_factory=list)  # values of multi-digit numbers


def source_hash(text: str) -> str:
    """The hash a translation records of the English text it was translated from.

    White space does not count: re-wrapping a paragraph or adding a blank line leaves every
    translation current; any change of a word, number or code makes them stale.
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def _strip_code_comments(code: str) -> str:
    kept = []
    for line in code.splitlines():
        stripped = line.split("  #", 1)[0].rstrip() if "  #" in line else line.rstrip()
        if stripped.lstrip().startswith("#"):
            continue
        kept.append(stripped)
    return "\n".join(kept).strip()


def sections(text: str, lang: str = SOURCE_LANGUAGE) -> list[Section]:
    """Split a page into sections keyed by heading id, collecting what must match.

    The page is read as written (include lines stay lines) by the page reader, which finds
    its front matter and fences; an unclosed fence runs to the end and counts for nothing.
    """
    return copy.deepcopy(list(_sections(text, lang, convention(lang))))


# A pure function of the text and the language's number format (part of the key, so a
# language registered anew is read anew): each English page is read once, not once per language.
@functools.lru_cache(maxsize=1024)
def _sections(text: str, lang: str, _format: object) -> tuple[Section, ...]:
    page = read_page(text, "<page>", lang, includes=False, strict=False)
    lines = page.lines
    fences = {fence.start: fence for fence in page.fences}
    result = [Section(id="", level=0, line=1)]
    math_block: list[str] | None = None
    number = page.front_matter.end if page.front_matter else 0
    while number < len(lines):
        line = lines[number]
        number += 1  # 1-based number of ``line``; the index of the next line
        if math_block is not None:
            if _DISPLAY_END.search(line):  # $$, or $${= formula(...) }: tied display math
                _collect_numbers("$$" + "\n".join(math_block) + line.strip(), result[-1])
                math_block = None
            else:
                math_block.append(line)
            continue
        fence = fences.get(number - 1)
        if fence is not None:
            if fence.end < len(lines):  # closed
                code = "\n".join(fence.body)
                if fence.words[:1] == ["python"]:
                    code = _strip_code_comments(code)
                result[-1].snippets.append(f"```{fence.info.strip()}\n{code.strip()}")
            number = fence.end + 1
            continue
        if line.strip() == "$$" or (line.strip().startswith("$$") and line.count("$$") == 1):
            math_block = [line.strip()[2:]]
            continue
        include = _INCLUDE.match(line)
        if include:
            result[-1].snippets.append(f"--8<-- {include['path']}")
            continue
        heading = _HEADING.match(line)
        if heading:
            id_match = _HEADING_ID.search(heading["text"])
            result.append(
                Section(
                    id=id_match["id"] if id_match else f"(no id: {heading['text']})",
                    level=len(heading["hashes"]),
                    line=number,
                )
            )
            continue
        _collect_numbers(line, result[-1], lang)
    for section in result:
        section.prose_numbers.sort()
    return tuple(result)


_DISPLAY_END = re.compile(r"\$\$(?:\{=[^{}\n]*\})?\s*$")


def _collect_numbers(line: str, section: Section, lang: str = SOURCE_LANGUAGE) -> None:
    section.anchors.extend(_INLINE_ID.findall(_CODE_SPAN.sub("", line)))
    for tie in _TIE.finditer(line):  # before code spans go: a tie may check a code span
        written = _GROUPING.sub("", tie["written"])
        if _DIGITS.fullmatch(written):  # a count in any language's grouping
            written = _MARKS.sub("", written)
        section.ties.append(f"{written} = {tie['expr'].strip()}")
    prose = _CODE_SPAN.sub("", _TIE.sub("", line))
    text = _NOT_PROSE.sub(" ", _MATH.sub(" ", prose))
    # a version after a product name (Keras 2.3) is a name, written alike in every language
    text = _VERSION.sub(lambda m: m[0][: m.start("v") - m.start()], text)
    for written in _prose_number(lang).findall(text):
        if sum(c.isdigit() for c in written) >= 2:
            section.prose_numbers.append(str(parse_number(written, lang)))
    for math in _MATH.finditer(prose):
        formula = math["block"] or math["inline"] or ""
        for number in _MATH_NUMBER.findall(formula):
            section.math_numbers.append(_MATH_GROUPING.sub("", number))


def compare(source: str, translation: str, path: Path) -> list[Problem]:
    """Every way ``translation`` (at ``path``) says something other than ``source``."""
    lang = languages.of_path(path)
    return list(_compare(source, translation, path, lang, convention(SOURCE_LANGUAGE), convention(lang)))


@functools.lru_cache(maxsize=1024)  # a pure function: under serve, unchanged pairs cost nothing
def _compare(source: str, translation: str, path: Path, lang: str,
             source_format: object, translation_format: object) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    english = {s.id: s for s in _sections(source, SOURCE_LANGUAGE, source_format)}
    translated = _sections(translation, lang, translation_format)
    translated_ids = [s.id for s in translated]
    missing = [s for s in english.values() if s.id not in translated_ids]
    for section in missing:
        problems.append(
            Problem(path, 1, f"section #{section.id or '(top)'} of the English page is missing")
        )
    english_order = [s.id for s in english.values() if s.id in translated_ids]
    for section in translated:
        source_section = english.get(section.id)
        where = f"section #{section.id or '(top)'}"
        if source_section is None:
            problems.append(Problem(path, section.line, f"{where} is not in the English page"))
            continue
        if section.level != source_section.level:
            problems.append(
                Problem(
                    path,
                    section.line,
                    f"{where} is a level-{section.level} heading; English has level "
                    f"{source_section.level}",
                )
            )
        for label, ours, theirs in (
            ("snippets and code", section.snippets, source_section.snippets),
            ("tied expressions", section.ties, source_section.ties),
            ("numbers in math", section.math_numbers, source_section.math_numbers),
            ("anchors", section.anchors, source_section.anchors),
            ("numbers in the text", section.prose_numbers, source_section.prose_numbers),
        ):
            if ours != theirs:
                problems.append(
                    Problem(
                        path,
                        section.line,
                        f"{where}: {label} differ from English: {_first_difference(ours, theirs)}",
                    )
                )
    translated_order = [i for i in translated_ids if i in english]
    if not missing and translated_order != english_order:
        problems.append(Problem(path, 1, "sections are not in the English order"))
    return tuple(problems)


def _first_difference(ours: list[str], theirs: list[str]) -> str:
    for index, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"item {index + 1}: {_short(a)!r} here, {_short(b)!r} in English"
    if len(ours) > len(theirs):
        return f"extra item here: {_short(ours[len(theirs)])!r}"
    return f"missing item: {_short(theirs[len(ours)])!r}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def recorded_hash(text: str) -> str | None:
    """The ``source_hash`` in a translation's front matter, if any."""
    front = _FRONT_MATTER.match(text)
    if not front:
        return None
    found = _HASH_LINE.search(front["body"])
    return found["hash"] if found else None


def stale(source: str, translation: str) -> bool:
    """True when the English text changed after the translation was last stamped."""
    return recorded_hash(translation) != source_hash(source)


def stamp(translation_path: Path, docs_dir: Path) -> bool:
    """Record the current English hash in a translation's front matter; True if it changed."""
    lang = translation_path.relative_to(docs_dir).parts[0]
    source_path = docs_dir / SOURCE_LANGUAGE / translation_path.relative_to(docs_dir / lang)
    wanted = source_hash(source_path.read_text(encoding="utf-8"))
    text = translation_path.read_text(encoding="utf-8")
    if recorded_hash(text) == wanted:
        return False
    front = _FRONT_MATTER.match(text)
    if front is None:
        new = f"---\nsource_hash: {wanted}\n---\n{text}"
    elif _HASH_LINE.search(front["body"]):
        body = _HASH_LINE.sub(f"source_hash: {wanted}", front["body"])
        new = f"---\n{body}\n---\n{text[front.end():]}"
    else:
        new = f"---\n{front['body']}\nsource_hash: {wanted}\n---\n{text[front.end():]}"
    temporary = translation_path.with_suffix(".md.tmp")
    temporary.write_text(new, encoding="utf-8")
    temporary.replace(translation_path)
    return True


def check_tree(docs_dir: Path, languages: Sequence[str] = TRANSLATIONS) -> list[Problem]:
    """Parity of every translation with English under ``docs_dir`` (missing pages included)."""
    problems: list[Problem] = []
    for source_path in sorted((docs_dir / SOURCE_LANGUAGE).rglob("*.md")):
        relative = source_path.relative_to(docs_dir / SOURCE_LANGUAGE)
        source = source_path.read_text(encoding="utf-8")
        for lang in languages:
            path = docs_dir / lang / relative
            if not path.exists():
                problems.append(
                    Problem(path, 1, f"missing translation of {SOURCE_LANGUAGE}/{relative}")
                )
                continue
            problems.extend(compare(source, path.read_text(encoding="utf-8"), path))
    return problems


def stale_translations(
    docs_dir: Path, languages: Sequence[str] = TRANSLATIONS
) -> list[Problem]:
    """Translations whose English source changed since they were stamped."""
    problems = []
    for source_path in sorted((docs_dir / SOURCE_LANGUAGE).rglob("*.md")):
        relative = source_path.relative_to(docs_dir / SOURCE_LANGUAGE)
        source = source_path.read_text(encoding="utf-8")
        for lang in languages:
            path = docs_dir / lang / relative
            if path.exists() and stale(source, path.read_text(encoding="utf-8")):
                problems.append(
                    Problem(
                        path,
                        1,
                        f"stale translation: {SOURCE_LANGUAGE}/{relative} changed since it was "
                        f"translated; update it, then run `python -m lstm_docs translations "
                        f"stamp {path}`",
                    )
                )
    return problems


def register(subparsers) -> None:  # type: ignore[no-untyped-def]
    """Add ``translations check|stale|stamp`` to the ``lstm-docs`` command line."""
    parser = subparsers.add_parser(
        "translations", help="check translations against English; stamp updated ones"
    )
    parser.add_argument("action", choices=("check", "stale", "stamp"))
    parser.add_argument("paths", nargs="*", type=Path, help="translations to stamp")
    parser.add_argument("--docs-dir", type=Path, default=Path("docs"))
    parser.set_defaults(func=_run)


def _run(args) -> int:  # type: ignore[no-untyped-def]
    docs_dir: Path = args.docs_dir
    if not (docs_dir / SOURCE_LANGUAGE).is_dir():
        print(f"lstm-docs: no {docs_dir / SOURCE_LANGUAGE}/ here; pass --docs-dir", file=sys.stderr)
        return 2
    if args.action == "stamp":
        if not args.paths:
            print("lstm-docs: stamp needs the translations to stamp, e.g. docs/fr/units.md",
                  file=sys.stderr)
            return 2
        for path in args.paths:
            changed = stamp(path, docs_dir)
            print(f"{path}: {'stamped' if changed else 'already current'}")
        return 0
    problems = check_tree(docs_dir) if args.action == "check" else stale_translations(docs_dir)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0
