"""The page reader: one read of a page gives its lines' origins, front matter, fences, math,
includes (the include graph), and figure fences located in the file the writer edits."""

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from lstm_docs.figures import FigureFenceError, render_figure_fences
from lstm_docs.live.engine import check_and_render
from lstm_docs.live.page import IncludeGraph, load_page, read_page
from lstm_docs.live.source import EngineError

FILES = {
    "snippets/a/outer.md": 'Outer $x$.\n\n--8<-- "a/inner.md"\n',
    "snippets/a/inner.md": "```python\nprint(1)\n```\n",
    "snippets/b.md": "plain\n",
}
PAGE = (
    "---\ntitle: T $9$\n---\n# Page\n\n"
    "Inline $4 \\cdot 18$ and a price of $5 or \\$6.\n\n"
    "$$\n72 = 4 (3 + 3 + 12)\n$$\n\n"
    '=== "Keras"\n\n    --8<-- "a/outer.md"\n\n'
    "````markdown\n```figure\nkind: cell\n```\n$shown$\n````\n\n"
    "```figure\nkind: cell\n```\n"
    '--8<-- "b.md"\n'
)


def page(text=PAGE, path="docs/en/p.md", files=FILES, **kw):
    return read_page(text, path, "en", read=files.__getitem__, **kw)


def test_lines_remember_their_file_and_line_through_nested_includes():
    p = page()
    k = p.lines.index("    print(1)")
    assert str(p.origins[k]) == (
        "snippets/a/inner.md:2 (included from snippets/a/outer.md:3 (included from docs/en/p.md:14))"
    )
    assert p.origins[k].page.line == 14


def test_includes_are_transitive_in_first_include_order():
    assert page().includes == ["snippets/a/outer.md", "snippets/a/inner.md", "snippets/b.md"]


def test_front_matter_fences_and_figure_fences():
    p = page()
    assert p.front_matter is not None and p.front_matter.body == ["title: T $9$"]
    assert [f.info for f in p.fences] == ["python", "markdown", "figure"]
    inner = p.fences[0]
    assert inner.indent == "    " and inner.body == ["print(1)"]
    (figure,) = p.figure_fences  # the one shown inside ````markdown is content
    assert str(p.origins[figure.start]) == "docs/en/p.md:23"
    assert p.fences[1].body == ["```figure", "kind: cell", "```", "$shown$"]


def test_math_spans_outside_fences_and_front_matter():
    spans = [(m.tex, m.display, m.start, m.end) for m in page().math]
    assert spans == [
        ("4 \\cdot 18", False, 5, 5),
        ("\n72 = 4 (3 + 3 + 12)\n", True, 7, 9),
        ("x", False, 13, 13),
    ]


def test_unclosed_fence_is_an_error_naming_its_line_unless_not_strict():
    with pytest.raises(EngineError, match=r"^docs/en/p.md:3: fence ``` is never closed"):
        page("# P\n\n```python\nx\n")
    loose = page("# P\n\n```python\nx\n", strict=False)
    assert (loose.fences[0].start, loose.fences[0].end) == (2, 4)


def test_missing_include_and_include_loop_name_the_including_line():
    with pytest.raises(EngineError, match=r"^docs/en/p.md:2: included file snippets/nope.md not found"):
        page('# P\n--8<-- "nope.md"\n')
    loop = {"snippets/l.md": '--8<-- "l.md"\n'}
    with pytest.raises(EngineError, match="include loop docs/en/p.md -> snippets/l.md -> snippets/l.md"):
        page('--8<-- "l.md"\n', files=loop)


def test_include_graph_finds_pages_through_snippets_and_survives_missing_files():
    files = {
        "docs/en/p.md": '--8<-- "a/outer.md"\n',
        "docs/fr/p.md": '--8<-- "a/inner.md"\n--8<-- "missing.md"\n',
        "docs/en/q.md": "no includes\n",
        **FILES,
    }
    pages = ["docs/en/p.md", "docs/en/q.md", "docs/fr/p.md"]
    graph = IncludeGraph.build(pages, files.__getitem__)
    assert graph.including("snippets/a/inner.md", pages) == ["docs/en/p.md", "docs/fr/p.md"]
    assert graph.including("snippets/a/outer.md", pages) == ["docs/en/p.md"]
    assert graph.including("snippets/b.md", pages) == []


BAD_SNIPPET = "Picture:\n\n```figure\nkind: units\nunits: zero\n```\n"
BAD_PAGE = (
    "---\ntitle: Figures\n---\n# Figures\n\n"
    "```python live hide\nimport math\n```\n\n"
    "```python live\nprint(1)\nprint(2)\n```\n\n```output\n1\n2\n```\n\n"
    "Four = 4{= 2 + 2 }.\n\n"
    "```figure\nkind: cell\n```\n\n"
    "{bad}"
)


def _locate(tmp_path, text):
    """What the build reports: the engine renders the page, figures find the bad fence in
    the rendered Markdown, the message names the fence's line in the source."""
    (tmp_path / "docs/en").mkdir(parents=True, exist_ok=True)
    (tmp_path / "snippets").mkdir(exist_ok=True)
    (tmp_path / "snippets/bad.md").write_text(BAD_SNIPPET)
    (tmp_path / "docs/en/f.md").write_text(text)
    rendered, problems = check_and_render(text, "docs/en/f.md", "en", root=tmp_path)
    assert problems == []
    with pytest.raises(FigureFenceError) as caught:
        render_figure_fences(rendered, "en")
    return caught.value.located(load_page("docs/en/f.md", "en", tmp_path, strict=False))


def test_a_bad_figure_fence_is_reported_at_its_line_in_the_page(tmp_path):
    text = BAD_PAGE.replace("{bad}", "```figure\nkind: cell\nsize big\n```\n")
    assert _locate(tmp_path, text) == "docs/en/f.md:28: figure fence line 'size big' is not 'key: value'"


def test_a_bad_figure_fence_in_a_snippet_is_reported_at_the_snippet_line(tmp_path):
    """A figure's sizes are expressions the engine evaluates: a bad one is named at its line in
    the snippet file the writer edits, and the figure is left out of the page."""
    text = BAD_PAGE.replace("{bad}", '=== "Keras"\n\n    --8<-- "bad.md"\n')
    (tmp_path / "docs/en").mkdir(parents=True)
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/bad.md").write_text(BAD_SNIPPET)
    rendered, problems = check_and_render(text, "docs/en/f.md", "en", root=tmp_path)
    assert problems == ["snippets/bad.md:5 (included from docs/en/f.md:28): figure units: zero: "
                        "NameError: name 'zero' is not defined"]
    assert "kind: units" not in rendered


def test_figure_fence_errors_alone_keep_naming_the_markdown_line():
    with pytest.raises(FigureFenceError, match=r"^figure fence at line 3 is never closed: add ```$"):
        render_figure_fences("a\n\n```figure\nkind: cell\n", "en")


HOOK = Path(__file__).resolve().parent.parent / "hooks" / "live_examples.py"


@pytest.mark.build
@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ("```figure\nkind: cell\nsize big\n```\n", "docs/f.md:28: figure fence line 'size big' is not"),
        ('=== "Keras"\n\n    --8<-- "bad.md"\n', "snippets/bad.md:5 (included from docs/f.md:28): figure units: "
         "zero: NameError: name 'zero' is not defined"),
    ],
)
def test_a_real_build_names_the_bad_figure_fence_in_the_file_the_writer_edits(
    tmp_path, monkeypatch, caplog, bad, where
):
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/bad.md").write_text(BAD_SNIPPET)
    (tmp_path / "docs/f.md").write_text(BAD_PAGE.replace("{bad}", bad))
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\ndocs_dir: docs\nhooks:\n  - {HOOK}\nmarkdown_extensions:\n  - admonition\n"
        "  - pymdownx.highlight\n  - pymdownx.superfences\n  - pymdownx.tabbed:\n      alternate_style: true\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LSTM_DOCS_NO_CACHE", "1")
    caplog.set_level(logging.WARNING)
    cfg = load_config(str(tmp_path / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        with pytest.raises(Abort):
            build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    warnings = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.live_examples"]
    assert len(warnings) == 1 and warnings[0].startswith(f"live_examples: {where}"), warnings
