"""Dual run: every visible snippet of every page, exactly as the reader sees it (each one is a
complete program, see CONTRIBUTING.md "Standalone snippets and the dual run"), run on the REAL Keras 3
(``KERAS_BACKEND=torch``) and the real torch 2.13.0 instead of ``lstm_docs``' mirrors, alone
in a fresh process, must print the output stored under it on the page.

The build proves that the mirror prints the stored output; this proves that the frameworks
print it too, so a page cannot state something about Keras or PyTorch that only the mirror
does.  Comparison (``snippet_runner.same_output``): exact for counts, shapes, names,
``summary()`` tables and messages; decimals to one unit of their last printed digit.

Snippets are read from the Markdown sources (every language; the shared snippet files make
them identical, which is checked, so each distinct program runs once).  Locally the test
skips with the reason when a framework is missing; with ``CI=true`` it fails
(``tests/frameworks.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import snippet_runner
from browser_support import PAGES
from lstm_docs.live import fences
from lstm_docs.live.source import expand
from lstm_docs.strings import LANGUAGES

pytestmark = pytest.mark.crosscheck

ROOT = Path(__file__).resolve().parent.parent

#: Snippets that cannot print the same under the real frameworks, each with its reason
#: (``"snippets/<page>/<name>.md": "why"``).  The goal, and the state today: empty.
KNOWN_DIFFERENCES: dict[str, str] = {}


@dataclass(frozen=True)
class Shown:
    """One visible snippet of one page as the reader sees it, with its stored output."""

    place: str  # where it is written: snippets/units/weights.md:1 (included from docs/en/units.md:27)
    file: str  # the file that holds the code (a shared snippet file, or the page)
    lang: str
    page: str
    code: str
    output: str


def shown_snippets(lang: str, page: str) -> list[Shown]:
    path = f"docs/{lang}/{page}.md"
    text = (ROOT / path).read_text(encoding="utf-8")
    source = expand(text, path, lang, read=lambda p: (ROOT / p).read_text(encoding="utf-8"))
    found = []
    for snippet in fences.snippets(source):
        if snippet.hide:
            continue
        origin = source.origins[snippet.code.start]
        output = "\n".join(snippet.output.body) + "\n" if snippet.output else ""
        found.append(Shown(str(origin), origin.path, lang, page, snippet.source, output))
    return found


ALL = [s for lang in LANGUAGES for page in PAGES for s in shown_snippets(lang, page)]
PROGRAMS = sorted({s.code for s in ALL})
FILES = sorted({s.file for s in ALL})


def test_every_language_shows_the_same_programs():
    def shown(lang: str, page: str) -> list[tuple[str, str]]:
        return [(s.code, s.output) for s in ALL if s.lang == lang and s.page == page]

    assert ALL, "no visible snippet found on any page"
    for lang in LANGUAGES[1:]:
        for page in PAGES:
            assert shown(lang, page) == shown(LANGUAGES[0], page), (
                f"docs/{lang}/{page}.md shows other snippets than docs/{LANGUAGES[0]}/{page}.md"
            )


def test_known_differences_name_real_snippet_files():
    assert set(KNOWN_DIFFERENCES) <= set(FILES), sorted(set(KNOWN_DIFFERENCES) - set(FILES))
    assert all(reason.strip() for reason in KNOWN_DIFFERENCES.values())


@pytest.fixture(scope="module")
def real_outcomes() -> dict[str, snippet_runner.Outcome]:
    snippet_runner.require_frameworks()
    return dict(zip(PROGRAMS, snippet_runner.run_programs(PROGRAMS)))


@pytest.mark.parametrize("file", FILES)
def test_snippet_prints_the_same_on_the_real_frameworks(real_outcomes, file):
    shown = [s for s in ALL if s.file == file]
    problems = []
    for s in {(s.code, s.output): s for s in shown}.values():  # one per distinct program/output
        found = snippet_runner.problem(s.place, s.output, real_outcomes[s.code],
                                       failed="on the real frameworks", differs="on the real frameworks")
        if found:
            problems.append(found)
    if file in KNOWN_DIFFERENCES:
        assert problems, f"{file} now prints the same on the real frameworks: drop it from KNOWN_DIFFERENCES"
        pytest.xfail(KNOWN_DIFFERENCES[file])
    assert not problems, "\n\n".join(problems)


# ---------------------------------------------------------------- the comparison itself


@pytest.mark.parametrize("stored,printed,same", [
    ("total: 72", "total: 72", True),
    ("total: 72", "total: 84", False),  # counts are exact
    ("x_t     (1, 2)", "x_t     (2, 1)", False),  # shapes are exact
    ("kernel (2, 12)\n\n", "kernel (2, 12)   \n", True),  # trailing spaces and blank lines
    ("Model: \"sequential\"", "Model: \"sequential_1\"", False),  # names are exact
    ("[0.674 0.698 0.72 ]", "[0.674 0.698 0.721]", True),  # numpy's padding, one unit of 0.001
    ("[0.674 0.698 0.72 ]", "[0.674 0.698 0.722]", False),
    ("h=0.52", "h=0.53", True),
    ("h=0.52", "h=0.54", False),
    ("h=0.5", "h=0.52", False),  # the finer of the two precisions
    ("Total params: 640 (2.50 KB)", "Total params: 640 (2.50 MB)", False),
    ("a\nb", "a", False),
])
def test_same_output(stored, printed, same):
    assert snippet_runner.same_output(stored, printed) is same
