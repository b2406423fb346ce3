"""One diagnostics type: the engine, prose checks and translation checks report the same
``Problem``, printed ``file:line: message``."""

from pathlib import Path

from lstm_docs import translations
from lstm_docs.diagnostics import Problem
from lstm_docs.live.engine import run_page
from lstm_docs.live.source import Origin


def test_format_names_file_line_and_message_then_the_detail():
    assert Problem("docs/en/a.md", 3, "printed 84, page says 72").format() == (
        "docs/en/a.md:3: printed 84, page says 72"
    )
    problem = Problem("docs/en/a.md", 3, "differs", detail="-72\n+84")
    assert problem.format() == str(problem) == "docs/en/a.md:3: differs\n-72\n+84"


def test_a_problem_in_an_included_file_names_the_include_chain():
    origin = Origin("snippets/x.md", 2, Origin("docs/fr/a.md", 7))
    problem = Problem.at(origin, "false equation 2 + 2 = 5")
    assert (problem.path, problem.line) == ("snippets/x.md", 2)
    assert problem.format() == "snippets/x.md:2 (included from docs/fr/a.md:7): false equation 2 + 2 = 5"


def test_engine_prose_and_translations_report_the_one_type(tmp_path):
    run = run_page("# P\n\nSo 2 + 2 = 5 here.\n", "docs/en/p.md", "en", root=tmp_path)
    assert [type(p) for p in run.problems] == [Problem]
    assert run.problems[0].format().startswith("docs/en/p.md:3: false equation 2 + 2 = 5")
    found = translations.compare("# P { #p }\n\n## A { #a }\n", "# P { #p }\n", Path("docs/fr/p.md"))
    assert found and all(type(p) is Problem for p in found)
    assert found[0].format().startswith("docs/fr/p.md:1: ")
