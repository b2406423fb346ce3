"""How many wrong numbers do the checks catch?  A mutation benchmark of the pages (issue #11).

What it measures: every number a reader sees on the site (pages ``docs/<lang>/*.md`` and the
shared snippet files ``snippets/**/*.md``) is found and classified by **location** (where it
stands: ``prose``, ``heading``, ``table``, ``admonition``, ``tab``, ``front-matter``, ``figure``,
``display-math``, ``inline-math``, ``code-span``, ``code-comment``, ``stored-output``, and
``code`` for the rest of a live snippet's code, which is run rather than read) and by **kind**
(``value``: it states a size, count, shape or value; ``free``: list markers, ``{-}`` escapes,
versions after a product name, math subscripts).  A seeded sample of ``--sample N`` numbers per
(location, language) stratum is then changed, one at a time, to a different plausible value in
the same written form (its last digit moves by one: ``72`` → ``73`` or ``71``, ``4,457,472`` →
``4,457,473``, ``0,5`` → ``0,6``; never to a zero, never across a digit carry), and the affected
pages are checked in-process with the engine (``lstm_docs.live.engine.run_page``, the copy's warm
cache: only mutated snippets run again).  A mutation is **killed** when the check reports at least
one problem that the unmutated page does not have, and **survives** otherwise.

Modes: a number of a page is mutated twice, ``one`` (only in that language's file) and ``all4``
(the corresponding number in the four languages' versions of the page, found by section id,
value and occurrence: what a careless edit of all translations looks like).  A number of a
shared snippet file is mutated once (``shared``), and every page including it is checked.

How to read it: each cell of the tables is ``kill rate (killed/mutations)`` for one location ×
column, columns ``en fr es zh snippets`` for the ``one``/``shared`` mutations and ``all4`` for
the four-language ones.  A survivor is a wrong number a reader would see on a green build;
``free`` survivors are expected (nothing to check), ``value`` survivors are the checks' gaps.
``code`` is reported apart and left out of the overall rates.  ``--confirm K`` repeats K
verdicts with a real ``mkdocs build --strict`` of the copy and prints whether the build agreed
(exit 1 ⇔ killed); the strict build also fails on translation warnings (staleness, numbers
differing from English), which the in-process engine check does not include, so the line says
which of the two failed it.

Usage::

    python benchmarks/mutations.py [--sample N] [--seed S] [--confirm K] [--langs en,fr,...]
                                   [--json PATH]

A script, not a test: it prints, it asserts nothing.  The project is copied to a temporary
directory; the repository is never written.  Only the engine's public entry points are used
(``engine.run_page``, ``cache.Cache``, ``commands.collect``, ``page.read_page``,
``page.IncludeGraph``, ``numbers.number_pattern``, ``languages``), so the script keeps working
while the checking rules change.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from lstm_docs import languages  # noqa: E402
from lstm_docs.live.cache import Cache  # noqa: E402
from lstm_docs.live.commands import collect  # noqa: E402
from lstm_docs.live.engine import run_page  # noqa: E402
from lstm_docs.live.page import IncludeGraph, read_page  # noqa: E402
from lstm_docs.numbers import number_pattern, parse_number  # noqa: E402
from project_copy import copy_project, mkdocs  # noqa: E402

LOCATIONS = ("prose", "heading", "table", "admonition", "tab", "front-matter", "figure",
             "display-math", "inline-math", "code-span", "code-comment", "stored-output", "code")
READ = tuple(loc for loc in LOCATIONS if loc != "code")  # what a reader reads (code is run)
SNIPPETS = "snippets"  # the column of the shared snippet files
PRODUCTS = r"(?:keras|tensorflow|pytorch|python|torch|tf\.keras|numpy|mkdocs|cuda|cudnn|onnx)"


# ---------------------------------------------------------------- finding numbers


@dataclass
class Number:
    """One number a reader sees: in ``file`` (repo-relative) at ``line`` (1-based), characters
    ``start:end`` of that line; ``written`` as on the page, ``value`` normalised (``"4457472"``,
    ``"0.5"``, a version as written), ``section`` the heading id above it, ``occurrence`` its
    index among the numbers of the same kind and value in that section."""

    file: str
    lang: str  # the page's language; "en" conventions for a snippet file
    column: str  # lang code, or "snippets"
    line: int
    start: int
    end: int
    written: str
    value: str
    location: str
    kind: str
    section: str = ""
    occurrence: int = 0


def number_regex(lang: str) -> re.Pattern[str]:
    """A written number of ``lang`` (else a dotted version: ``2.13.0``, ``3.12`` in fr) that is
    not part of an identifier (``h1``, ``weight_ih_l0``, ``conv_64``): no ASCII letter, digit
    or ``_`` before it, no digit or ``_`` after it (a letter after it is checked by the caller:
    ``4u`` in math is a number, ``3D`` in prose is a word)."""
    return re.compile(
        rf"(?<![A-Za-z0-9_])(?<!\d[.,])(?:(?P<num>{number_pattern(lang)})|(?P<ver>\d+(?:\.\d+)+))"
        r"(?![0-9_])(?![.,]\d)"
    )


def kind_of(text: str, start: int, end: int, location: str) -> str:
    """``"free"`` or ``"value"`` for the number at ``text[start:end]`` (``text``: its line).

    Free (no value to check): an ordered-list marker (``2. Build…``); a number marked ``{-}``
    (years, versions); a version directly after a product name (``Keras 3``, ``torch 2.13.0``,
    ``Python 3.12``, but not a tied number: ``PyTorch 84{= … }``); a math subscript or index
    (``h_{t-1}``, ``W_1``).  Everything else states a size, count, shape or value: ``"value"``.
    """
    before, after = text[:start], text[end:]
    if after.startswith("{="):
        return "value"  # tied: the page says it is a value (``PyTorch 84{= … }``)
    if re.fullmatch(r"[ \t>]*", before) and re.match(r"[.)]\s", after) and location not in (
            "code", "code-comment", "stored-output", "figure"):
        return "free"
    if after.startswith("{-}"):
        return "free"
    if re.search(rf"\b{PRODUCTS}\s*(?:v|version\s*)?$", before, re.I):
        return "free"
    if location in ("display-math", "inline-math"):
        if before.endswith("_"):
            return "free"
        open_sub = before.rfind("_{")
        if open_sub >= 0 and "}" not in before[open_sub:]:
            return "free"
    return "value"


# What a reader never sees as a number, blanked before numbers are looked for (offsets kept).
_HIDDEN = re.compile("|".join((
    r"\{=[^{}\n]*\}",  # a tie's expression (the number written before it stays)
    r"\{-\}",  # the escape itself (the number before it stays, kind free)
    r"\]\((?:[^()\n]|\([^()\n]*\))*\)",  # link and image targets
    r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$",  # reference definitions
    r"<[^<>\n]+>",  # HTML tags
    r"https?://\S+",
    r"\{[:#.][^{}\n]*\}|\{ [^{}\n]*\}",  # attribute lists, heading ids
    r"&#?\w+;",  # entities
    r"\[\^[^\]\n]*\]",  # footnote references
    r":[a-z0-9_+-]+:",  # icon shortcodes
    r"^[ \t]*;?--8<--.*$",  # include lines
)), re.M)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)")
_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
_HEADING_ID = re.compile(r"^ {0,3}#{1,6}\s.*\{[^{}]*#([\w-]+)[^{}]*\}\s*$")
_TAB = re.compile(r'^\s*===[+!]?\s+"')
_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s")
_SHOWN_META = re.compile(r"^(?:title|description)\s*:\s*")


def _blank(text: str, spans: list[tuple[int, int]], filler: str = " ") -> str:
    """``text`` with every span replaced by ``filler`` characters (newlines kept: offsets stay)."""
    chars = list(text)
    for a, b in spans:
        for k in range(a, b):
            if chars[k] != "\n":
                chars[k] = filler
    return "".join(chars)


def _admonition_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of ``!!!``/``???`` blocks (the title line and its indented body)."""
    inside: set[int] = set()
    k = 0
    while k < len(lines):
        m = _ADMONITION.match(lines[k])
        if m is None:
            k += 1
            continue
        base = len(m.group(1).expandtabs())
        inside.add(k)
        k += 1
        while k < len(lines) and (not lines[k].strip() or len(lines[k]) - len(lines[k].lstrip()) > base):
            inside.add(k)
            k += 1
    return inside


def _comment_start(code: str) -> int:
    """Offset of the ``#`` starting a Python comment in one line of code, or ``len(code)``."""
    quote = ""
    for k, ch in enumerate(code):
        if quote:
            if ch == "\\":
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return k
    return len(code)


def find_numbers(path: str, text: str, lang: str, column: str) -> list[Number]:
    """Every number a reader sees in the file ``path`` (text ``text``), classified; in order."""
    regex = number_regex(lang)
    lines = text.split("\n")
    page = read_page(text, path, lang, includes=False, strict=False)
    found: list[tuple[int, int, int, str]] = []  # (line index, start, end, location)

    def scan(k: int, segment: str, offset: int, location: str, letters_ok: bool = False) -> None:
        for m in regex.finditer(segment):
            if not letters_ok and re.match(r"[A-Za-z]", segment[m.end():m.end() + 1]):
                continue
            found.append((k, offset + m.start(), offset + m.end(), location))

    hidden_lines: set[int] = set()
    for fence in page.fences:
        hidden_lines.update(range(fence.start, min(fence.end, len(lines) - 1) + 1))
        for k in range(fence.start + 1, min(fence.end, len(lines))):
            line = lines[k]
            if fence.is_output:
                scan(k, line, 0, "stored-output")
            elif fence.is_figure:  # a typed size is the figure's number; an expression is code
                typed = re.fullmatch(r"\s*\w+\s*:\s*[+-]?\d+\s*", line)
                scan(k, line, 0, "figure" if typed else "code")
            elif fence.is_live:
                cut = _comment_start(line)
                scan(k, line[:cut], 0, "code")
                scan(k, line[cut:], cut, "code-comment")
            else:
                scan(k, line, 0, "code")
    if page.front_matter is not None:
        hidden_lines.update(range(page.front_matter.end))
        for k in range(1, page.front_matter.end - 1):
            shown = _SHOWN_META.match(lines[k])
            if shown:
                scan(k, lines[k][shown.end():], shown.end(), "front-matter")

    # the prose: one text with fences and front matter blanked, so that $$ … $$ may span lines
    prose_lines = ["" if k in hidden_lines else line for k, line in enumerate(lines)]
    starts = [0]
    for line in prose_lines:
        starts.append(starts[-1] + len(line) + 1)
    prose = "\n".join(prose_lines)
    hidden = [m.span() for m in _HIDDEN.finditer(prose)]
    view = _blank(prose, hidden)  # where numbers are looked for
    # where spans are looked for: hidden text as a non-space filler, so that a tie inside math
    # (``$… = 19{= expr }$``) still closes the math span
    marks = _blank(prose, hidden, "\x01")
    spans = [(m.start(), m.end(), "code-span") for m in _CODE_SPAN.finditer(marks)]
    no_code = _blank(marks, [(a, b) for a, b, _ in spans])
    for m in _DISPLAY.finditer(no_code):
        spans.append((m.start(), m.end(), "display-math"))
    no_display = _blank(no_code, [m.span() for m in _DISPLAY.finditer(no_code)])
    spans += [(m.start(), m.end(), "inline-math") for m in _INLINE.finditer(no_display)]
    admonitions = _admonition_lines(prose_lines)
    for m in regex.finditer(view):
        span = next((s for s in spans if s[0] <= m.start() < s[1]), None)
        location = span[2] if span else ""
        if "math" not in location and re.match(r"[A-Za-z]", view[m.end():m.end() + 1]):
            continue  # 3D, 2nd: a word
        k = next(i for i in range(len(starts) - 1) if starts[i] <= m.start() < starts[i + 1])
        line = lines[k]
        if not location:
            location = ("heading" if _HEADING.match(line) else "tab" if _TAB.match(line)
                        else "table" if line.lstrip().startswith("|")
                        else "admonition" if k in admonitions else "prose")
        found.append((k, m.start() - starts[k], m.end() - starts[k], location))

    section_of = _sections(lines, hidden_lines)
    numbers = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for k, a, b, location in sorted(found):
        written = lines[k][a:b]
        numbers.append(Number(path, lang, column, k + 1, a, b, written, normal_value(written, lang),
                              location, kind_of(lines[k], a, b, location), section_of[k]))
    for number in numbers:
        number.occurrence = seen[(number.section, number.kind, number.value)]
        seen[(number.section, number.kind, number.value)] += 1
    return numbers


def _sections(lines: list[str], hidden: set[int]) -> list[str]:
    """The heading id (``{ #id }``) each line is under; ``""`` before the first heading."""
    current, out = "", []
    for k, line in enumerate(lines):
        m = None if k in hidden else _HEADING_ID.match(line)
        if m:
            current = m.group(1)
        out.append(current)
    return out


def normal_value(written: str, lang: str) -> str:
    """``written`` read in ``lang``'s format, as a language-free string (``"4457472"``); a
    version (``2.13.0``) as written."""
    try:
        return str(parse_number(written, lang))
    except ValueError:
        return written


# ---------------------------------------------------------------- mutating


def mutate(written: str, up: bool) -> str:
    """``written`` with its last digit moved by one (``up``: +1), in the same written form.

    A last digit 0 always goes up and 9 always down (no carry: the form stays), and the value
    never becomes zero (a size ``1`` becomes ``2``).
    """
    digit = int(written[-1])
    if digit == 0:
        up = True
    elif digit == 9:
        up = False
    new = written[:-1] + str(digit + (1 if up else -1))
    if not re.search(r"[1-9]", new):
        new = written[:-1] + str(digit + 1)
    return new


@dataclass
class Mutation:
    """One mutation and its verdict.  ``edits``: ``(file, line, start, end, new text)``."""

    file: str
    line: int
    column: str
    mode: str  # "one", "all4" or "shared"
    location: str
    kind: str
    original: str
    mutated: str
    text: str  # the line, as written before the mutation
    edits: list[tuple[str, int, int, int, str]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # languages with no counterpart (all4)
    killed: bool = False
    problems: list[str] = field(default_factory=list)


def apply(root: Path, edits: list[tuple[str, int, int, int, str]]) -> dict[str, str]:
    """Write ``edits`` into the files under ``root``; their original texts, to restore."""
    originals: dict[str, str] = {}
    for file, _, _, _, _ in edits:
        if file not in originals:
            originals[file] = (root / file).read_text(encoding="utf-8")
    for file in originals:
        lines = originals[file].split("\n")
        for f, line, a, b, new in edits:
            if f == file:
                lines[line - 1] = lines[line - 1][:a] + new + lines[line - 1][b:]
        (root / file).write_text("\n".join(lines), encoding="utf-8")
    return originals


def restore(root: Path, originals: dict[str, str]) -> None:
    for file, text in originals.items():
        (root / file).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- the run


class Site:
    """The copy under ``root``: its files' numbers, who includes what, each page's baseline
    problems, and an in-process check of a set of pages."""

    def __init__(self, root: Path, langs: list[str]) -> None:
        self.root = root
        self.cache = Cache(root)
        self.pages = collect(root, [])  # every page, repo-relative
        self.snippets = sorted(p.relative_to(root).as_posix() for p in (root / SNIPPETS).rglob("*.md"))
        self.graph = IncludeGraph.build(self.pages, self.read)
        self.numbers: dict[str, list[Number]] = {}
        for rel in self.pages:
            lang = languages.of_path(rel)
            self.numbers[rel] = find_numbers(rel, self.read(rel), lang, lang)
        for rel in self.snippets:
            self.numbers[rel] = find_numbers(rel, self.read(rel), languages.default().code, SNIPPETS)
        self.langs = langs
        self.baseline = {rel: set(self.problems(rel)) for rel in self.pages}

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def problems(self, rel: str) -> list[str]:
        run = run_page(self.read(rel), rel, languages.of_path(rel), root=self.root, cache=self.cache)
        return [p.format() for p in run.problems]

    def new_problems(self, pages: list[str]) -> list[str]:
        """Problems of ``pages`` that the unmutated pages do not have."""
        return [p for rel in pages for p in self.problems(rel) if p not in self.baseline[rel]]

    def counterpart(self, number: Number, lang: str) -> Number | None:
        """The number of ``lang``'s version of ``number``'s page with the same section, kind,
        value and occurrence among those (``occurrence``), or None."""
        rel = f"docs/{lang}/" + number.file.split("/", 2)[2]
        here = (number.section, number.kind, number.value, number.occurrence)
        found = (n for n in self.numbers.get(rel, []) if (n.section, n.kind, n.value, n.occurrence) == here)
        return next(found, None)


def sample(site: Site, per_stratum: int, rng: random.Random, pages: list[str] | None = None) -> list[Number]:
    """``per_stratum`` numbers (or all) of each (location, column) stratum, seeded; with
    ``pages`` (names such as ``units``), only the numbers of those pages and their snippets."""
    strata: dict[tuple[str, str], list[Number]] = defaultdict(list)
    for rel, numbers in site.numbers.items():
        if pages and rel.rsplit("/", 1)[-1].removesuffix(".md") not in pages and rel.split("/")[1] not in pages:
            continue
        for n in numbers:
            if n.column == SNIPPETS or n.column in site.langs:
                strata[(n.location, n.column)].append(n)
    chosen = []
    for key in sorted(strata):
        group = strata[key]
        chosen += rng.sample(group, min(per_stratum, len(group)))
    return chosen


def mutations_of(site: Site, number: Number, up: bool) -> list[Mutation]:
    """The ``one`` and ``all4`` mutations of a page's number; the ``shared`` one of a snippet's."""
    text = site.read(number.file).split("\n")[number.line - 1]
    new = mutate(number.written, up)

    def make(mode: str) -> Mutation:
        return Mutation(number.file, number.line, number.column, mode, number.location, number.kind,
                        number.written, new, text,
                        [(number.file, number.line, number.start, number.end, new)])

    if number.column == SNIPPETS:
        m = make("shared")
        m.pages = site.graph.including(number.file, site.pages)
        return [m]
    one, all4 = make("one"), make("all4")
    one.pages = [number.file]
    all4.edits = []
    for lang in languages.codes():
        other = number if lang == number.lang else site.counterpart(number, lang)
        if other is None:
            all4.missing.append(lang)
            continue
        all4.edits.append((other.file, other.line, other.start, other.end, mutate(other.written, up)))
        all4.pages.append(other.file)
    return [one, all4]


def check(site: Site, mutation: Mutation) -> None:
    """Apply ``mutation`` in the copy, check its pages in-process, record the verdict, restore."""
    originals = apply(site.root, mutation.edits)
    try:
        mutation.problems = site.new_problems(mutation.pages)
    finally:
        restore(site.root, originals)
    mutation.killed = bool(mutation.problems)


def confirm(site: Site, results: list[Mutation], k: int, rng: random.Random) -> list[str]:
    """Repeat ``k`` verdicts (half killed, half survived where there are) with a real
    ``mkdocs build --strict`` of the copy; one line per build."""
    killed = [m for m in results if m.killed]
    survived = [m for m in results if not m.killed]
    half = min(len(killed), k // 2)
    picks = rng.sample(survived, min(len(survived), k - half))
    picks += rng.sample(killed, min(len(killed), k - len(picks)))
    lines = []
    for m in picks:
        originals = apply(site.root, m.edits)
        try:
            build = mkdocs(site.root, "--strict")
        finally:
            restore(site.root, originals)
        log = build.stdout + build.stderr
        warnings = re.findall(r"WARNING\s+-\s+(.*)", log)  # every problem of the engine is one
        hook = sum(w.startswith("live_examples:") for w in warnings)  # live_examples warning
        other = [w for w in warnings if not w.startswith("live_examples:")]
        verdict = "killed" if m.killed else "survived"
        agree = (build.returncode != 0) == m.killed
        why = f"live-examples hook: {hook} problem(s), {'agrees' if (hook > 0) == m.killed else 'DISAGREES'}"
        if other:
            why += f"; {len(other)} other warning(s), first: {other[0][:100]}"
        lines.append(f"{'agree   ' if agree else 'DISAGREE'} build exit {build.returncode}, in-process "
                     f"{verdict}: {m.file}:{m.line} [{m.mode}/{m.location}] {m.original} → {m.mutated} "
                     f"({why})")
    return lines


# ---------------------------------------------------------------- the report


def rate(group: list[Mutation]) -> str:
    if not group:
        return "-"
    k = sum(m.killed for m in group)
    return f"{100 * k / len(group):.0f}% ({k}/{len(group)})"


def table(results: list[Mutation], rows: tuple[str, ...], key: str, langs: list[str]) -> list[str]:
    """Kill rate per ``key`` (``location`` or ``kind``) × column (languages, snippets, all4, total)."""
    columns = [*langs, SNIPPETS, "all4", "total"]
    out = [f"{key:<14}" + "".join(f"{c:>16}" for c in columns)]
    for row in rows:
        mine = [m for m in results if getattr(m, key) == row]
        if not mine:
            continue
        cells = []
        for c in columns:
            if c == "total":
                group = mine
            elif c == "all4":
                group = [m for m in mine if m.mode == "all4"]
            else:
                group = [m for m in mine if m.column == c and m.mode != "all4"]
            cells.append(rate(group))
        out.append(f"{row:<14}" + "".join(f"{c:>16}" for c in cells))
    return out


def report(results: list[Mutation], langs: list[str], seconds: float, limit: int | None) -> str:
    read = [m for m in results if m.location != "code"]
    code = [m for m in results if m.location == "code"]
    lines = ["Kill rate per location × language (killed/mutations):",
             *table(results, LOCATIONS, "location", langs), "",
             "Kill rate per kind (code left out):", *table(read, ("value", "free"), "kind", langs), "",
             f"overall kill rate (read numbers, code left out): {rate(read)}",
             f"kill rate of value numbers (code left out):     {rate([m for m in read if m.kind == 'value'])}",
             f"kill rate of code numbers (run, not read):      {rate(code)}",
             f"{len(results)} mutations in {seconds:.0f} s", ""]
    survivors = [m for m in results if not m.killed]
    shown = survivors if limit is None else survivors[:limit]
    cut = "" if len(shown) == len(survivors) else f", first {len(shown)}"
    lines.append(f"Survivors ({len(survivors)}{cut}):")
    for m in shown:
        note = " (all4)" if m.mode == "all4" else ""
        if m.missing:
            note = f" (all4; no counterpart in {','.join(m.missing)})"
        lines.append(f"{m.file}:{m.line}: [{m.location}/{m.kind}] {m.original} → {m.mutated}:"
                     f" {m.text.strip()[:140]}{note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sample", type=int, default=25, help="numbers per (location, language) stratum")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--confirm", type=int, default=10, help="verdicts to repeat with a real build")
    parser.add_argument("--langs", default=",".join(languages.codes()),
                        help="languages whose pages to sample")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument("--survivors", type=int, default=None, help="print at most this many survivors")
    parser.add_argument("--pages", default="", help="only these pages (and their snippet folders): units,gates")
    args = parser.parse_args(argv)
    langs = [lang for lang in args.langs.split(",") if lang]
    rng = random.Random(args.seed)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lstm-docs-mutations-") as tmp:
        root = copy_project(Path(tmp) / "project")
        site = Site(root, langs)  # reading the baseline warms the copy's cache
        dirty = {rel: len(p) for rel, p in site.baseline.items() if p}
        if dirty:
            print(f"note: {len(dirty)} pages have problems before any mutation (only new ones count): "
                  + ", ".join(sorted(dirty)), file=sys.stderr)
        results: list[Mutation] = []
        chosen = sample(site, args.sample, rng, [p for p in args.pages.split(",") if p])
        for number in chosen:
            for mutation in mutations_of(site, number, rng.random() < 0.5):
                check(site, mutation)
                results.append(mutation)
        confirmed = confirm(site, results, args.confirm, rng) if args.confirm else []
    seconds = time.perf_counter() - start
    counts = Counter(n.location for ns in site.numbers.values() for n in ns)
    print(f"numbers found: {sum(counts.values())} ("
          + ", ".join(f"{loc} {counts[loc]}" for loc in LOCATIONS if counts[loc]) + ")")
    print(f"sampled {len(chosen)} numbers (seed {args.seed}, {args.sample} per stratum), "
          f"languages {','.join(langs)}\n")
    print(report(results, langs, seconds, args.survivors))
    if confirmed:
        agreed = sum(line.startswith("agree") for line in confirmed)
        hook = sum("problem(s), agrees" in line for line in confirmed)
        print(f"\nConfirmed with mkdocs build --strict: the exit status agrees in {agreed}/{len(confirmed)}, "
              f"the live-examples hook's own verdict in {hook}/{len(confirmed)}")
        print("\n".join(confirmed))
    if args.json:
        args.json.write_text(json.dumps({"seconds": seconds, "seed": args.seed, "sample": args.sample,
                                         "results": [asdict(m) for m in results],
                                         "confirmed": confirmed}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
