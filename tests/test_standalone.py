"""Standalone: every visible snippet of the BUILT site, in every language, taken as the copy
button gives it (the text of material's code block; the "Output" blocks, ``no-copy
live-output``, are what the reader compares with), runs alone in a fresh process on the real
Keras 3 and torch 2.13.0 and prints its output block.

A reader who lands on ``parameters/#seed-13-5`` from a Q&A link and copies that one snippet
must get a program that runs.  The identical snippet in four languages runs once, after
checking that it is identical in all four.  Uses the session's one built site
(``site_dir``, ``tests/browser_support.py``); skips locally / fails with ``CI=true`` without
the frameworks (``tests/frameworks.py``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import snippet_runner
from browser_support import PAGES, page_file, page_path
from lstm_docs.strings import LANGUAGES

pytestmark = [pytest.mark.crosscheck, pytest.mark.build]

_BLOCK = re.compile(r'<div class="(?P<cls>[^"]*\bhighlight\b[^"]*)"[^>]*>(?P<body>.*?)</div>', re.S)
_CODE = re.compile(r"<code[^>]*>(?P<code>.*?)</code>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Copied:
    """One code block as the copy button gives it, and the output block under it."""

    where: str  # fr/units/ #3
    code: str
    output: str


def _text(fragment: str) -> str:
    match = _CODE.search(fragment)
    assert match, f"a highlight block without <code>: {fragment[:200]!r}"
    return html.unescape(_TAG.sub("", match["code"]))


def copied_snippets(site: Path, lang: str, page: str) -> list[Copied]:
    """Code blocks of a built page, in order, each paired with the output block right after it."""
    blocks = [(m["cls"].split(), _text(m["body"])) for m in _BLOCK.finditer(page_file(site, lang, page).read_text("utf-8"))]
    found = []
    for k, (classes, text) in enumerate(blocks):
        if "live-output" in classes or "no-copy" in classes:
            continue
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        output = nxt[1] if nxt and "live-output" in nxt[0] else ""
        found.append(Copied(f"{page_path(lang, page) or './'} #{len(found) + 1}", text, output))
    return found


def test_output_blocks_have_no_copy_button_and_code_blocks_do(site_dir):
    page = page_file(site_dir, LANGUAGES[0], "units").read_text("utf-8")
    classes = [m["cls"].split() for m in _BLOCK.finditer(page)]
    outputs = [c for c in classes if "live-output" in c]
    assert outputs and all("no-copy" in c for c in outputs)  # material skips .no-copy blocks
    assert any("live-output" not in c for c in classes)


def test_every_snippet_on_the_site_runs_alone_on_the_real_frameworks(site_dir):
    per_page = {(lang, page): copied_snippets(site_dir, lang, page) for lang in LANGUAGES for page in PAGES}
    # the same snippets, in the same order, in every language: each distinct one runs once
    for (lang, page), copied in per_page.items():
        en = per_page[LANGUAGES[0], page]
        assert [(c.code, c.output) for c in copied] == [(c.code, c.output) for c in en], (
            f"{page_path(lang, page)}: its code or output blocks differ from {page_path(LANGUAGES[0], page) or './'}"
        )
    everything = [c for copied in per_page.values() for c in copied]
    assert len(everything) >= len(LANGUAGES) * 40, f"only {len(everything)} code blocks found on the built site"
    snippet_runner.require_frameworks()
    programs = sorted({c.code for c in everything})
    outcomes = dict(zip(programs, snippet_runner.run_programs(programs)))
    failures = []
    shown_once = [c for (lang, _), copied in per_page.items() if lang == LANGUAGES[0] for c in copied]
    for c in shown_once:  # identical in every language (checked above)
        found = snippet_runner.problem(c.where, c.output, outcomes[c.code],
                                       failed="when run alone", differs="than its output block")
        if found:
            failures.append(found)
    assert not failures, (
        f"{len(failures)} of {len(shown_once)} snippets fail when run alone:\n\n" + "\n\n".join(failures)
    )
