"""The results cache: hits re-run nothing, misses on any change, never changes results."""

import json
import os

from lstm_docs.live import cache as cache_mod
from lstm_docs.live.engine import run_page

PAGE = """# P

```python live
import numpy as np
print(np.random.rand(2))
```

```output
[0.5488135  0.71518937]
```

Tie: 72{= 4 * 18 }.
"""


def results(run):
    return [str(p) for p in run.problems], run.outputs


def test_second_run_is_a_cache_hit_with_the_same_result(tmp_path):
    cache = cache_mod.Cache(tmp_path)
    first = run_page(PAGE, "docs/en/p.md", "en", cache=cache)
    second = run_page(PAGE, "docs/en/p.md", "en", cache=cache)
    assert (first.cached, second.cached) == (False, True)
    assert results(first) == results(second) == ([], ["[0.5488135  0.71518937]"])
    assert len(list((tmp_path / ".cache/live-examples").glob("*.json"))) == 1


def test_no_cache_gives_the_same_result(tmp_path, monkeypatch):
    cached = run_page(PAGE, "docs/en/p.md", "en", cache=cache_mod.Cache(tmp_path))
    off = cache_mod.Cache(tmp_path, enabled=False)
    fresh = run_page(PAGE, "docs/en/p.md", "en", cache=off)
    assert not fresh.cached and results(fresh) == results(cached)
    monkeypatch.setenv("LSTM_DOCS_NO_CACHE", "1")
    env_off = cache_mod.Cache(tmp_path)
    assert not env_off.read
    assert not run_page(PAGE, "docs/en/p.md", "en", cache=env_off).cached


def test_a_changed_snippet_or_tie_misses(tmp_path):
    cache = cache_mod.Cache(tmp_path)
    run_page(PAGE, "docs/en/p.md", "en", cache=cache)
    changed = run_page(PAGE.replace("rand(2)", "rand(3)"), "docs/en/p.md", "en", cache=cache)
    assert not changed.cached and changed.problems[0].message.startswith("printed [0.5488135  0.71518937 0.60276338], page says")
    tie = run_page(PAGE.replace("4 * 18", "4 * 19"), "docs/en/p.md", "en", cache=cache)
    assert not tie.cached and "but 4 * 19 is 76" in tie.problems[0].message


def test_prose_edits_do_not_rerun_snippets_but_are_still_checked(tmp_path):
    cache = cache_mod.Cache(tmp_path)
    run_page(PAGE, "docs/en/p.md", "en", cache=cache)
    edited = run_page(PAGE + "\nAnd 2 + 2 = 5.\n", "docs/en/p.md", "en", cache=cache)
    assert edited.cached
    assert [p.message for p in edited.problems] == [
        "false equation 2 + 2 = 5: the left side is 4, the right side 5"
    ]


def test_cache_files_are_written_only_when_their_content_changes(tmp_path):
    cache = cache_mod.Cache(tmp_path)
    cache.put("k", {"a": 1})
    path = tmp_path / ".cache/live-examples/k.json"
    os.utime(path, ns=(1, 1))
    cache.put("k", {"a": 1})
    assert path.stat().st_mtime_ns == 1
    cache.put("k", {"a": 2})
    assert path.stat().st_mtime_ns != 1


def test_a_changed_lstm_docs_source_changes_the_key(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "formulas.py").write_text("N = 4\n")
    before = cache_mod.sources_hash(package)
    (package / "formulas.py").write_text("N = 3\n")
    after = cache_mod.sources_hash(package)
    assert before != after
    steps = [type("S", (), {"kind": "code", "source": "x", "timeout": 10.0})()]
    assert cache_mod.key(steps, before, 1) != cache_mod.key(steps, after, 1)


def test_whole_page_answers_are_cached_and_keyed_on_the_expanded_page(tmp_path):
    from lstm_docs.live.engine import check_and_render

    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/a.md").write_text("```python live\nprint(72)\n```\n\n```output\n72\n```\n")
    page = '# P\n\n--8<-- "a.md"\n\nAnd 2 + 2 = 5.\n'
    cache = cache_mod.Cache(tmp_path)
    first = check_and_render(page, "docs/en/p.md", "en", root=tmp_path, cache=cache)
    hits = cache.hits
    again = check_and_render(page, "docs/en/p.md", "en", root=tmp_path, cache=cache)
    assert again == first and cache.hits == hits + 1
    assert first[1] == ["docs/en/p.md:5: false equation 2 + 2 = 5: the left side is 4, the right side 5"]
    (tmp_path / "snippets/a.md").write_text("```python live\nprint(72)\n```\n\n```output\n73\n```\n")
    changed = check_and_render(page, "docs/en/p.md", "en", root=tmp_path, cache=cache)
    assert changed[1][0].startswith("snippets/a.md:6 (included from docs/en/p.md:3): printed 72, page says 73")
    served = check_and_render(page, "docs/en/p.md", "en", root=tmp_path, cache=cache, serve=True)
    assert "admonition failure live-problems" in served[0] and "admonition failure" not in changed[0]
    off = check_and_render(page, "docs/en/p.md", "en", root=tmp_path, cache=cache_mod.Cache(tmp_path, enabled=False))
    assert off == changed


def _entries(tmp_path):
    return sorted((tmp_path / cache_mod.CACHE_DIR).glob("*.json"))


def test_an_entry_made_in_another_environment_is_a_miss(tmp_path):
    import json

    cache = cache_mod.Cache(tmp_path)
    run_page(PAGE, "docs/en/p.md", "en", cache=cache)
    (path,) = _entries(tmp_path)
    entry = json.loads(path.read_text())
    entry["env"] = "another-machine"
    path.write_text(json.dumps(entry))
    again = cache_mod.Cache(tmp_path)
    assert not run_page(PAGE, "docs/en/p.md", "en", cache=again).cached
    assert again.stale == 1
    assert json.loads(path.read_text())["env"] == cache_mod.fingerprint()  # rewritten


def test_an_entry_whose_imported_distribution_changed_version_is_a_miss(tmp_path):
    import json

    page = PAGE.replace("import numpy as np", "import numpy as np\nimport yaml")
    cache = cache_mod.Cache(tmp_path)
    first = run_page(page, "docs/en/p.md", "en", cache=cache)
    assert "PyYAML" in first.imported and first.imported["PyYAML"]
    (path,) = _entries(tmp_path)
    entry = json.loads(path.read_text())
    assert entry["deps"] == first.imported
    entry["deps"]["PyYAML"] = "0.0"
    path.write_text(json.dumps(entry))
    again = cache_mod.Cache(tmp_path)
    assert not run_page(page, "docs/en/p.md", "en", cache=again).cached and again.stale == 1


def test_the_environment_fingerprint_sees_numpy_print_options():
    import numpy as np

    before = cache_mod.environment()
    with np.printoptions(precision=2):
        cache_mod.environment.cache_clear()
        changed = cache_mod.environment()
    cache_mod.environment.cache_clear()
    assert changed != before and cache_mod.environment() == before
    assert before["python"][0] == "cpython" and before["numpy"][0] == np.__version__


def test_the_environment_fingerprint_sees_interpreter_flags():
    import subprocess
    import sys

    code = "from lstm_docs.live import cache; print(cache.fingerprint())"
    plain, optimised, digits = (
        subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True,
                       check=True).stdout
        for flags in ([], ["-O"], ["-X", "int_max_str_digits=640"])
    )
    assert len({plain, optimised, digits}) == 3


def test_step_results_survive_the_json_round_trip_of_a_real_run(tmp_path):
    from lstm_docs.live.worker import Step, StepResult, run_steps

    steps = [
        Step("code", "import numpy as np\nx = np.arange(3)\nprint(x.sum())\n"),
        Step("expr", "x.shape"),
        Step("code", "x.nosuch()\n"),  # an error, with its line
        Step("code", "print('x' * 50)\n"),
    ]
    done = run_steps(steps, cap=20)
    kinds = [(r.stdout, r.value, r.error and r.error.type, r.truncated) for r in done.results]
    assert kinds == [("3\n", None, None, False), ("", ("tuple", "(3,)"), None, False),
                     ("", None, "AttributeError", False), ("x" * 20, None, None, True)]
    assert done.results[2].error.line == 1
    for result in done.results:
        assert StepResult.from_json(json.loads(json.dumps(result.to_json()))) == result
    cache = cache_mod.Cache(tmp_path)
    cache.put_steps("k", done)
    again = cache_mod.Cache(tmp_path).get_steps("k")
    assert again is not None and again.results == done.results and again.imported == done.imported
    assert "numpy" in again.imported


def test_a_cache_entry_of_another_format_is_a_miss(tmp_path):
    cache = cache_mod.Cache(tmp_path)
    cache.put("k", {"results": [{"out": "3\n"}], "imported": {}})
    assert cache.get_steps("k") is None and cache.hits == 0 and cache.misses == 1
