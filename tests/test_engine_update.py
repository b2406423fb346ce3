"""`python -m lstm_docs docs update|check`: rewrite stored outputs in place, idempotently."""

import argparse
import os

import pytest

from lstm_docs.live.commands import register

SNIPPET = "```python live\nprint(4 * 3 * (2 + 3 + 1))\n```\n\n```output\n84\n```\n"
EN = """# Units

Intro with 4 × 18 = 72.

=== "Keras"

    --8<-- "units/model.md"

```python live
print("local")
print(2 + 2)
```

Text after.

```python live
print("stale")
```

```output
old line
```
"""
FR = """# Unités

=== "Keras"

    --8<-- "units/model.md"

```python live
print("local")
print(2 + 2)
```
"""


def cli(*args):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    ns = parser.parse_args(["docs", *args])
    return ns.func(ns)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "docs/en").mkdir(parents=True)
    (tmp_path / "docs/fr").mkdir(parents=True)
    (tmp_path / "snippets/units").mkdir(parents=True)
    (tmp_path / "snippets/units/model.md").write_text(SNIPPET)
    (tmp_path / "docs/en/units.md").write_text(EN)
    (tmp_path / "docs/fr/units.md").write_text(FR)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_reports_every_problem_and_fails(project, capsys):
    assert cli("check", "--no-cache") == 1
    out = capsys.readouterr().out
    assert "snippets/units/model.md:6 (included from docs/en/units.md:7): printed 72, page says 84" in out
    assert "docs/en/units.md:9: snippet prints but has no stored output block" in out
    assert "docs/fr/units.md:7: snippet prints but has no stored output block" in out
    assert "docs/en/units.md:21: printed stale, page says old line" in out


def test_update_rewrites_only_output_blocks_and_is_idempotent(project, capsys):
    before = {p: (project / p).read_text() for p in ("docs/en/units.md", "docs/fr/units.md")}
    assert cli("update", "--no-cache") == 0
    report = capsys.readouterr().out
    assert report.splitlines() == [
        "updated docs/en/units.md: 2 output blocks",
        "updated docs/fr/units.md: 1 output block",
        "updated snippets/units/model.md: 1 output block",
    ]
    assert (project / "snippets/units/model.md").read_text() == SNIPPET.replace("84", "72")
    en = (project / "docs/en/units.md").read_text()
    assert '```\n\n```output\nlocal\n4\n```\n\nText after.' in en
    assert "```output\nstale\n```\n" in en
    # everything but output blocks is unchanged
    strip = lambda t: [l for l in t.splitlines() if l not in ("local", "4", "stale", "old line", "```output", "```", "")]
    for path, text in before.items():
        assert strip((project / path).read_text()) == strip(text)
    assert cli("check", "--no-cache") == 0
    capsys.readouterr()
    mtimes = {p: os.stat(p).st_mtime_ns for p in ("docs/en/units.md", "snippets/units/model.md")}
    assert cli("update") == 0
    assert capsys.readouterr().out == ""
    assert {p: os.stat(p).st_mtime_ns for p in mtimes} == mtimes


def test_update_keeps_indentation_of_outputs_inside_tabs(project):
    page = '# P\n\n=== "Keras"\n\n    ```python live\n    print(1)\n    print(2)\n    ```\n\n    ```output\n    9\n    ```\n'
    (project / "docs/en/tab.md").write_text(page)
    assert cli("update", "docs/en/tab.md") == 0
    assert (project / "docs/en/tab.md").read_text() == page.replace("    9\n", "    1\n    2\n")


def test_update_of_a_snippet_file_runs_the_pages_that_include_it(project, capsys):
    assert cli("update", "snippets/units/model.md") == 0
    assert "updated snippets/units/model.md: 1 output block" in capsys.readouterr().out


def test_update_leaves_failing_snippets_alone_and_says_so(project, capsys):
    (project / "docs/en/bad.md").write_text("# B\n\n```python live\nprint(1)\n1 / 0\n```\n\n```output\n7\n```\n")
    assert cli("update", "docs/en/bad.md") == 1
    captured = capsys.readouterr()
    assert "docs/en/bad.md:3: not updated, the snippet fails" in captured.err
    assert "```output\n7\n```" in (project / "docs/en/bad.md").read_text()


def test_unknown_path_is_a_clear_error(project):
    with pytest.raises(SystemExit, match="docs/en/nope.md not found"):
        cli("check", "docs/en/nope.md")


def test_check_of_a_snippet_included_through_another_snippet_runs_its_pages(project, capsys):
    (project / "snippets/units/inner.md").write_text("```python live\nprint(6 * 7)\n```\n\n```output\n41\n```\n")
    (project / "snippets/units/outer.md").write_text('Setup.\n\n--8<-- "units/inner.md"\n')
    (project / "docs/en/nested.md").write_text('# Nested\n\n--8<-- "units/outer.md"\n')
    assert cli("check", "--no-cache", "snippets/units/inner.md") == 1
    captured = capsys.readouterr()
    assert "no page includes it" not in captured.err
    assert (
        "snippets/units/inner.md:6 (included from snippets/units/outer.md:3 (included from "
        "docs/en/nested.md:3)): printed 42, page says 41"
    ) in captured.out
    assert "lstm-docs docs check: 1 files, 1 problems" in captured.err


def test_a_snippet_no_page_includes_even_indirectly_is_not_run(project, capsys):
    (project / "snippets/units/orphan.md").write_text('--8<-- "units/model.md"\n')
    assert cli("check", "--no-cache", "snippets/units/orphan.md") == 0
    assert "snippets/units/orphan.md: no page includes it; not run" in capsys.readouterr().err
