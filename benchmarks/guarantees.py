"""Print how every way of building treats a wrong number, and what each fault costs.

    python benchmarks/guarantees.py

On a copy of the project (its cache warmed by one strict build):

1. one tied number changed in English; each build invocation: exit status, whether the
   ``file:line`` is listed, whether the wrong page was left in ``site/``, seconds;
2. a page of each fault in all four languages: whether every language reports it, and the
   seconds of the whole build (the CPU loop is paid once, not once per language);
3. the cache: a hidden start-up change (numpy prints 2 decimals) with a warm and a cold
   cache, and a cache filled under it then copied to a clean environment.

Figures for the closing note; the tests assert the same behaviour without timings.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from project_copy import copy_project, environment, mkdocs, mutate_one_tie  # noqa: E402

INVOCATIONS = [
    ("mkdocs build", "mkdocs", []),
    ("mkdocs build --strict", "mkdocs", ["--strict"]),
    ("mkdocs build -q", "mkdocs", ["-q"]),
    ("mkdocs build --strict -q", "mkdocs", ["--strict", "-q"]),
    ("mkdocs build -v", "mkdocs", ["-v"]),
    ("strict: true, -q", "mkdocs", ["-q", "-f", "strict.yml"]),
    ("properdocs build -q", "properdocs", ["-q"]),
    ("properdocs build --strict", "properdocs", ["--strict"]),
]
FAULTS = {
    "5 MB output": "print('x' * 5_000_000)",
    "4 GiB allocation": "import numpy as np\nbig = np.ones(2**29)",
    "sys.exit(3)": "import sys\nsys.exit(3)",
    "os.kill the parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    "os.killpg its group": "import os, signal\nos.killpg(0, signal.SIGKILL)",
    "ctypes: kill the parent, then its group": (
        "import ctypes, os, signal\nlibc = ctypes.CDLL(None)\nlibc.kill(os.getppid(), signal.SIGKILL)\n"
        "libc.killpg(0, signal.SIGKILL)"),
    "os._exit(3)": "import os\nos._exit(3)",
    "endless loop (10 s limit)": "while True: pass",
    "sleep 60 s": "import time\ntime.sleep(60)",
}
LANGS = ("en", "fr", "es", "zh")


def timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="guarantees-"))
    warm = copy_project(work / "warm")
    done, seconds = timed(lambda: mkdocs(warm, "--strict"))
    assert done.returncode == 0, done.stderr[-2000:]
    print(f"warm-up strict build: {seconds:.1f} s\n")

    wrong = copy_project(work / "wrong", cache_from=warm)
    expected = mutate_one_tie(wrong, "en")
    assert expected
    (wrong / "strict.yml").write_text("INHERIT: mkdocs.yml\nstrict: true\n", encoding="utf-8")
    page = expected.split(":", 1)[0].removeprefix("docs/en/").removesuffix(".md")
    built = wrong / "site" / (f"{page}/index.html" if page != "index" else "index.html")
    print(f"1. one wrong number ({expected})")
    print(f"   {'invocation':<28} {'exit':>4}  listed  page left  seconds")
    refused = 0
    for name, tool, flags in INVOCATIONS:
        built.unlink(missing_ok=True)
        done, seconds = timed(lambda: mkdocs(wrong, *flags, tool=tool))
        listed = expected in done.stdout + done.stderr
        refused += done.returncode != 0 and listed and not built.exists()
        print(f"   {name:<28} {done.returncode:>4}  {'yes' if listed else 'NO':>6}  "
              f"{'YES' if built.exists() else 'no':>9}  {seconds:7.1f}")
    print(f"   refused: {refused}/{len(INVOCATIONS)} (gh-deploy: see tests/test_build_guarantees.py)\n")

    faulty = copy_project(work / "faulty", cache_from=warm)
    for lang in LANGS:
        for k, code in enumerate(FAULTS.values()):
            (faulty / "docs" / lang / f"fault-{k}.md").write_text(
                f"# Fault {k}\n\n```python live\n{code}\n```\n", encoding="utf-8")
    done, seconds = timed(lambda: mkdocs(faulty))
    output = done.stdout + done.stderr
    listed = re.findall(r"^  ((?:docs|snippets)/\S+)", output, re.M)  # the abort's list
    print(f"2. faults, one page each, in {len(LANGS)} languages: build exit {done.returncode}, "
          f"{seconds:.1f} s in all, {'no' if 'Traceback' not in output else 'a'} traceback")
    survived = 0
    for k, name in enumerate(FAULTS):
        reported = sum(any(p.startswith(f"docs/{lang}/fault-{k}.md:") for p in listed) for lang in LANGS)
        survived += reported == len(LANGS)
        print(f"   {name:<40} reported in {reported}/{len(LANGS)} languages")
    remembered = output.count("timed out on an earlier page of this build") // 2
    print(f"   survived: {survived}/{len(FAULTS)}; time limits paid once, remembered "
          f"{remembered} times\n")

    print("3. the cache and a hidden environment (numpy prints 2 decimals at start-up)")
    startup = work / "startup"
    startup.mkdir()
    (startup / "sitecustomize.py").write_text(
        "import numpy\nnumpy.set_printoptions(precision=2, floatmode='fixed')\n", encoding="utf-8")
    hidden = copy_project(work / "hidden", cache_from=warm)
    env = environment(hidden, PYTHONPATH=f"{hidden}:{startup}")
    warm_run = mkdocs(hidden, "-q", env=env)
    cold_run = mkdocs(hidden, "-q", env={**env, "LSTM_DOCS_NO_CACHE": "1"})
    count = lambda r: len(re.findall(r"^  (?:docs|snippets)/", r.stderr, re.M))  # noqa: E731
    print(f"   warm cache: exit {warm_run.returncode}, {count(warm_run)} problems; "
          f"cold: exit {cold_run.returncode}, {count(cold_run)} problems")
    other = copy_project(work / "other")  # no cache: all it gets is made under the hidden change
    mkdocs(other, "-q", env=environment(other, PYTHONPATH=f"{other}:{startup}"))
    clean = copy_project(work / "clean", cache_from=other)
    done = mkdocs(clean, "-v")
    hits = dict(re.findall(r"live examples \((\w+)\): \d+ pages \((\d+) from cache\)", done.stderr))
    print(f"   a cache filled under it, copied to a clean environment: exit {done.returncode}, "
          f"English pages answered from it: {hits.get('en')}")
    print(f"\n(work files in {work})")


if __name__ == "__main__":
    main()
