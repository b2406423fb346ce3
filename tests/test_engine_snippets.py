"""Live snippets on Markdown strings: outputs, faults, isolation, determinism, rendering."""

import os
import random
import sys
import time

import numpy as np
import pytest

from lstm_docs import strings
from lstm_docs.live.engine import render, run_page

FILES = {
    "snippets/units/model.md": "```python live\nunits = 3\nprint(4 * units * (2 + units + 1))\n```\n\n```output\n72\n```\n",
    "snippets/units/boom.md": "```python live\nx = 1\ny = [1, 2][x + 1]\n```\n",
}


def run(text, path="docs/en/units.md", lang="en", files=FILES, **kw):
    return run_page(text, path, lang, read=files.__getitem__, **kw)


def messages(page_run):
    return [str(p) for p in page_run.problems]


def test_matching_output_passes_and_renders_code_then_output():
    page = run('# Units\n\n=== "Keras"\n\n    --8<-- "units/model.md"\n')
    assert messages(page) == []
    out = render(page)
    assert '    ```python\n    units = 3\n' in out
    assert '    ``` { .text .no-copy .live-output title="Output" }\n    72\n    ```' in out
    assert "--8<--" not in out and "python live" not in out


def test_output_title_is_in_the_page_language():
    page = run('# Unités\n\n--8<-- "units/model.md"\n', path="docs/fr/units.md", lang="fr")
    # "Résultat affiché", not "Sortie": the page's prose uses "sortie" for the layer's output
    assert 'title="Résultat affiché"' in render(page)
    page = run('# 单元\n\n--8<-- "units/model.md"\n', path="docs/zh/units.md", lang="zh")
    assert 'title="运行结果"' in render(page)


def test_wrong_stored_output_names_the_stored_line_and_shows_a_diff():
    text = "# P\n\n```python live\nprint(84)\n```\n\n```output\n72\n```\n"
    found = messages(run(text, path="docs/fr/parameters.md", lang="fr"))
    assert len(found) == 1
    assert found[0].startswith("docs/fr/parameters.md:8: printed 84, page says 72")
    assert "--- page says\n+++ printed" in found[0] and "-72\n+84" in found[0]


def test_wrong_output_in_an_included_snippet_names_the_snippet_file_and_the_page():
    files = {"snippets/p/a.md": "```python live\nprint(1)\nprint(84)\n```\n\n```output\n1\n72\n```\n"}
    found = messages(run('# P\n\n--8<-- "p/a.md"\n', path="docs/es/parameters.md", lang="es", files=files))
    assert found[0].startswith(
        "snippets/p/a.md:8 (included from docs/es/parameters.md:3): printed output differs"
    )


def test_missing_output_block_is_reported():
    found = messages(run("# P\n\n```python live\nprint(72)\n```\n\nText.\n"))
    assert found[0].startswith("docs/en/units.md:3: snippet prints but has no stored output block")


def test_no_stdout_needs_no_output_block_and_hide_shows_nothing():
    page = run("# P\n\n```python live hide\nimport math as secret\n```\n\n```python live\nx = secret.floor(41.5) + 1\n```\n")
    assert messages(page) == []
    out = render(page)
    assert "import math as secret" not in out and "x = secret.floor(41.5) + 1" in out


def test_output_block_without_a_snippet_is_an_error():
    found = messages(run("# P\n\n```python\nprint(72)\n```\n\n```output\n72\n```\n"))
    assert found == [
        "docs/en/units.md:7: output block follows no ```python live snippet: make the code "
        "above it a live snippet, or drop the block"
    ]


def test_exception_reports_the_markdown_line_of_the_failing_statement():
    found = messages(run('# P\n\n--8<-- "units/boom.md"\n', path="docs/fr/units.md", lang="fr"))
    assert found == [
        "snippets/units/boom.md:3 (included from docs/fr/units.md:3): "
        "IndexError: list index out of range\n    y = [1, 2][x + 1]"
    ]


def test_exception_in_a_called_function_keeps_a_trimmed_traceback():
    text = "# P\n\n```python live\nimport json\n\njson.loads('{')\n```\n"
    (found,) = messages(run(text))
    assert found.startswith("docs/en/units.md:6: JSONDecodeError: Expecting property name")
    assert "    json.loads('{')" in found
    assert found.count("\n    in ") == 3 and "    in json/decoder.py:" in found


def test_syntax_error_names_its_line():
    (found,) = messages(run("# P\n\n```python live\nx = 1\nx = = 2\n```\n"))
    assert found.startswith("docs/en/units.md:5: SyntaxError: invalid syntax")


def test_timeout_stops_the_snippet_and_later_snippets_are_reported_not_run():
    text = (
        "# P\n\n```python live timeout=0.5\nwhile True:\n    pass\n```\n\n"
        "```python live\nprint(1)\n```\n\n```output\n1\n```\n"
    )
    start = time.monotonic()
    found = messages(run(text))
    assert time.monotonic() - start < 5
    assert found[0].startswith("docs/en/units.md:4: stopped after 0.5 s of CPU time (limit)")
    assert found[1].startswith("docs/en/units.md:8: 1 later step on this page not run")
    assert len(found) == 2


def test_timeout_kills_a_worker_that_ignores_the_alarm():
    text = (
        "# P\n\n```python live timeout=0.3\nimport signal\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})\nwhile True:\n    pass\n```\n"
    )
    start = time.monotonic()
    (found,) = messages(run(text))
    assert time.monotonic() - start < 6
    assert found.startswith("docs/en/units.md:3: stopped after 2.9 s of wall-clock time")


def test_default_timeout_is_configurable():
    (found,) = messages(run("# P\n\n```python live\nx = 0\nwhile True: x += 1\n```\n", timeout=0.3))
    assert "stopped after 0.3 s of CPU time" in found and found.startswith("docs/en/units.md:5:")


def test_a_snippet_that_only_waits_is_stopped_by_the_wall_clock_backstop():
    start = time.monotonic()
    (found,) = messages(run("# P\n\n```python live\nimport time\ntime.sleep(60)\n```\n", timeout=0.3))
    assert time.monotonic() - start < 6
    assert found.startswith("docs/en/units.md:3: stopped after 2.9 s of wall-clock time")


def test_system_exit_is_reported_and_the_page_goes_on():
    text = (
        "# P\n\n```python live\nimport sys\nsys.exit(3)\n```\n\n"
        "```python live\nprint('still here')\n```\n\n```output\nstill here\n```\n"
    )
    assert messages(run(text)) == [
        "docs/en/units.md:5: SystemExit(3): a snippet must not exit; remove sys.exit/exit()\n"
        "    sys.exit(3)"
    ]


def test_huge_output_is_capped_and_reported():
    page = run("# P\n\n```python live\nfor _ in range(10**5):\n    print('x' * 100)\n```\n")
    (found,) = messages(page)
    assert "printed more than 20000 characters (output capped)" in found
    assert len(page.outputs[0]) <= 20_000


GLOBAL_MESS = """# Mess

```python live
import os, random, sys
import numpy as np
open("junk-from-a-snippet.txt", "w").write("x")
os.chdir("/tmp")
np.set_printoptions(precision=1)
np.random.seed(123)
random.seed(123)
sys.modules["keras"] = None
sys.path.insert(0, "/nowhere")
```
"""

CLEAN = """# Clean

```python live
import os, random, sys
import numpy as np
print(np.array([1 / 3]), round(np.random.rand(), 6), round(random.random(), 6))
print(os.getcwd() != "/tmp", sys.modules.get("keras", "absent") is not None, "/nowhere" in sys.path)
```

```output
[0.33333333] 0.548814 0.844422
True True False
```
"""


def test_global_state_changes_do_not_leak_to_other_pages_or_the_builder():
    cwd, printopts, state = os.getcwd(), np.get_printoptions(), np.random.get_state()
    py_state = random.getstate()
    assert messages(run(GLOBAL_MESS)) == []
    assert messages(run(CLEAN)) == []
    assert os.getcwd() == cwd and np.get_printoptions() == printopts
    assert np.array_equal(np.random.get_state()[1], state[1]) and random.getstate() == py_state
    assert "/nowhere" not in sys.path
    assert not os.path.exists("junk-from-a-snippet.txt")


def test_input_gets_end_of_file_instead_of_waiting():
    (found,) = messages(run("# P\n\n```python live\nname = input()\n```\n"))
    assert found.startswith("docs/en/units.md:4: EOFError")


def test_outputs_are_deterministic_across_runs():
    text = "# R\n\n```python live\nimport numpy as np\nprint(np.random.normal(size=3))\n```\n"
    assert run(text).outputs == run(text).outputs


def test_snippets_share_one_namespace_in_page_order_and_pages_start_fresh():
    first = run("# A\n\n```python live\nshared = 41\n```\n\n```python live\nprint(shared + 1)\n```\n\n```output\n42\n```\n")
    assert messages(first) == []
    (found,) = messages(run("# B\n\n```python live\nprint(shared)\n```\n"))
    assert "NameError: name 'shared' is not defined" in found


@pytest.mark.parametrize(
    "text, message",
    [
        ("```python live fast\nx = 1\n```\n", "docs/en/units.md:1: unknown option 'fast' on a live snippet"),
        ("```python live timeout=soon\nx = 1\n```\n", "docs/en/units.md:1: bad option 'timeout=soon'"),
        ("```python live\nx = 1\n", "docs/en/units.md:1: fence ``` is never closed"),
        ('# P\n\n--8<-- "units/nope.md"\n', "docs/en/units.md:3: included file snippets/units/nope.md not found"),
    ],
    ids=["unknown-option", "bad-timeout", "unclosed-fence", "missing-include"],
)
def test_markdown_mistakes_are_clear(text, message):
    (found,) = messages(run(text))
    assert found.startswith(message)


def test_serve_mode_renders_an_error_box_inside_the_tab():
    page = run('# P\n\n=== "Keras"\n\n    --8<-- "units/boom.md"\n')
    out = render(page, serve=True)
    assert '    <div class="admonition failure live-problems"><p class="admonition-title">Live example failed</p>' in out
    assert "<code>snippets/units/boom.md:3 (included from docs/en/units.md:5): IndexError" in out
    fr = run_page("# P\n\n2 + 2 = 5\n", "docs/fr/units.md", "fr")
    title = strings.get("engine", "error_title", "fr")
    assert render(fr, serve=True).startswith(
        f'<div class="admonition failure live-problems"><p class="admonition-title">{title}</p>')
    assert "admonition failure" not in render(page)


def test_error_boxes_show_their_text_literally_and_page_level_boxes_survive_front_matter():
    """The box is raw HTML escaped once: no Markdown escapes (``lstm\\_docs``) or entities
    (``&lt;seconds>``) reach the reader, and a page-level box is placed after the blank lines
    the hook pads the front matter with (the hook cuts exactly those lines)."""
    import markdown

    text = "\n\n\n# P\n\n```python live timeout=0.2\nwhile True: pass\n```\n\nSo 2 + 2 = 5 in lstm_docs.\n"
    out = render(run(text), serve=True)
    assert out.startswith("\n\n\n<div class=\"admonition failure live-problems\">")
    html_out = markdown.markdown(out.split("\n", 3)[-1], extensions=["admonition", "md_in_html"])
    assert "lstm\\_docs" not in html_out and "&amp;lt;" not in html_out
    assert "&lt;seconds&gt;" in html_out  # shown as <seconds>
    assert html_out.count("false equation 2 + 2 = 5") == 1


def test_unchecked_rendering_shows_stored_outputs_and_runs_nothing():
    from lstm_docs.live.engine import render_unchecked

    page = '# P\n\n```python live\nraise SystemExit\n```\n\n```output\n72\n```\n'
    out = render_unchecked(page, "docs/en/p.md", "en")
    assert "```python\nraise SystemExit\n```" in out and 'title="Output" }\n72\n```' in out


@pytest.mark.parametrize("option", ["timeout=inf", "timeout=1e400", "timeout=nan", "timeout=-1",
                                    "timeout=0", "timeout=601", "timeout=ten"])
def test_a_timeout_outside_its_range_is_a_problem_on_its_line(option):
    (found,) = messages(run(f"# P\n\n```python live {option}\nprint(1)\n```\n"))
    assert found.startswith(f"docs/en/units.md:3: bad option '{option}': write timeout=<seconds of CPU time>")


def test_a_snippet_may_not_leave_its_workers_process_group():
    text = "# P\n\n```python live\nimport os\nos.setsid()\n```\n"
    (found,) = messages(run(text))
    assert found.startswith("docs/en/units.md:5: PermissionError: os.setsid() refused")


def test_a_huge_exception_message_is_capped():
    (found,) = messages(run('# P\n\n```python live\nraise ValueError("9" * 10**6)\n```\n'))
    assert len(found) < 1000 and "(999,500 more characters)" in found


def test_memory_errors_name_the_limit_even_without_a_message():
    (found,) = messages(run("# P\n\n```python live\nx = bytearray(3 * 1024**3)\n```\n"))
    assert found.startswith("docs/en/units.md:4: MemoryError: out of memory (a page's snippets may allocate 2 GiB)")
