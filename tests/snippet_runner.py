"""Run the site's snippets as a reader does: each one alone, in a fresh process, on the REAL
Keras 3 (``KERAS_BACKEND=torch``) and the real PyTorch, with no ``lstm_docs.aliases``.

Used by ``tests/test_dual_run.py`` (snippets read from the pages' Markdown) and
``tests/test_standalone.py`` (snippets read from the built site's HTML, as the copy button
gives them).

Fast but still fresh: a few worker processes import numpy, torch and keras once, then FORK
one child per snippet; the child runs the snippet as ``__main__`` in its own empty temporary
directory and exits, so nothing a snippet does (Keras's name counters, random state, cwd,
modules) reaches the next one, exactly as in a new interpreter -- without paying the imports
47 times.  ``lstm_docs`` stays importable (``PYTHONPATH`` is the checkout), which the one
snippet that uses the package itself needs.

``same_output(stored, printed)`` is the comparison: exact, line by line (trailing spaces and
trailing blank lines ignored, as the engine does), except that a number written with a decimal
point may differ by one unit in its last printed digit (floats compared at the printed
precision); counts, shapes, names, ``summary()`` tables and messages stay exact.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import frameworks

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # seconds per snippet (the build allows 10 s on the mirror; real frameworks are slower)
TORCH_VERSION = "2.13.0"
KERAS_MAJOR = "3"

_RUNNER = r'''
import json, os, signal, sys, tempfile, traceback
os.environ["KERAS_BACKEND"] = "torch"
import numpy, torch, keras  # imported once; every snippet runs in a forked child
if keras.backend.backend() != "torch":
    raise SystemExit(f"keras backend is {keras.backend.backend()!r}, not 'torch'")
programs = json.load(open(sys.argv[1], encoding="utf-8"))
timeout = int(sys.argv[3])
results = []
for code in programs:
    work = tempfile.mkdtemp(prefix="snippet-")
    out_path, err_path = os.path.join(work, ".stdout"), os.path.join(work, ".stderr")
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            os.chdir(work)
            out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(out, 1); os.dup2(err, 2)
            sys.stdin = open(os.devnull)
            signal.alarm(timeout)
            exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os._exit(status)
    _, wait_status = os.waitpid(pid, 0)
    code_ = os.waitstatus_to_exitcode(wait_status)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    results.append({"returncode": code_, "stdout": stdout, "stderr": stderr[-4000:]})
versions = {"torch": torch.__version__, "keras": keras.__version__}
json.dump({"versions": versions, "results": results}, open(sys.argv[2], "w", encoding="utf-8"))
'''


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def environment() -> dict[str, str]:
    """A reader's fresh interpreter: real frameworks, plain 80-column pipe, no colours."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "PYTHONSTARTUP")}
    env.update(KERAS_BACKEND="torch", PYTHONPATH=str(ROOT), COLUMNS="80", LINES="24", NO_COLOR="1",
               PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")  # no thread storms
    return env


def require_frameworks() -> None:
    """Skip locally / fail with ``CI=true`` (``tests/frameworks.py``) unless the real Keras 3 and
    torch 2.13.0 are importable here."""
    torch = frameworks.import_torch()
    keras = frameworks.import_keras()
    if not torch.__version__.startswith(TORCH_VERSION):
        frameworks.missing(f"torch=={TORCH_VERSION}", RuntimeError(f"found torch {torch.__version__}"))
    if not keras.__version__.startswith(KERAS_MAJOR + "."):
        frameworks.missing("keras 3", RuntimeError(f"found keras {keras.__version__}"))


def run_programs(programs: list[str], workers: int | None = None) -> list[Outcome]:
    """Run every program alone (fresh forked process each), in parallel batches."""
    if not programs:
        return []
    workers = max(1, min(workers or os.cpu_count() or 2, 4, len(programs)))
    batches = [list(range(k, len(programs), workers)) for k in range(workers)]
    outcomes: list[Outcome | None] = [None] * len(programs)
    scratch = Path(tempfile.mkdtemp(prefix="lstm-docs-dual-"))

    def run(batch_no: int) -> None:
        indexes = batches[batch_no]
        inp, out = scratch / f"in-{batch_no}.json", scratch / f"out-{batch_no}.json"
        inp.write_text(json.dumps([programs[i] for i in indexes]), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", _RUNNER, str(inp), str(out), str(TIMEOUT)],
            cwd=scratch, env=environment(), capture_output=True, text=True,
            timeout=TIMEOUT * len(indexes) + 120,
        )
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"snippet runner failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
        versions = report["versions"]
        assert versions["torch"].startswith(TORCH_VERSION) and versions["keras"].startswith(KERAS_MAJOR + "."), versions
        for i, result in zip(indexes, report["results"]):
            outcomes[i] = Outcome(result["returncode"], result["stdout"], result["stderr"])

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(workers)))
    return [o for o in outcomes if o is not None]


# ------------------------------------------------------------------------------ comparison

_DECIMAL = re.compile(r"[-+]?\d+\.\d+(?:[eE][-+]?\d+)?")


def normalise(text: str) -> list[str]:
    """Output lines as the engine stores them: trailing spaces and blank lines dropped."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _same_line(stored: str, printed: str) -> bool:
    if stored == printed:
        return True
    a, b = _DECIMAL.findall(stored), _DECIMAL.findall(printed)
    if not a or len(a) != len(b):
        return False
    # numpy pads arrays to the widest number: '0.72 ]' vs '0.721]'; compare the text between
    # the decimals without its spaces, and each decimal to one unit of its last printed digit
    if [s.replace(" ", "") for s in _DECIMAL.split(stored)] != [s.replace(" ", "") for s in _DECIMAL.split(printed)]:
        return False
    for x, y in zip(a, b):  # numpy drops trailing zeros ('0.72' is 0.720): the finer of the two
        digits = max(_digits(x), _digits(y))
        if abs(float(x) - float(y)) > 10.0 ** -digits * 1.000001:
            return False
    return True


def _digits(number: str) -> int:
    return len(re.split(r"[eE]", number)[0].split(".")[1])


def same_output(stored: str, printed: str) -> bool:
    a, b = normalise(stored), normalise(printed)
    return len(a) == len(b) and all(_same_line(x, y) for x, y in zip(a, b))


def diff(stored: str, printed: str) -> str:
    import difflib

    return "\n".join(difflib.unified_diff(normalise(stored), normalise(printed), "stored output",
                                          "printed by the real frameworks", lineterm=""))


def problem(place: str, expected: str, got: Outcome, *, failed: str, differs: str) -> str | None:
    """Why ``got`` (a program's run) is not what the page shows at ``place``, or None:
    ``f"{place}: exit N {failed}"`` with its stderr, or ``f"{place}: prints something else
    {differs}"`` with the diff."""
    if got.returncode != 0:
        return f"{place}: exit {got.returncode} {failed}:\n{got.stderr[-2500:]}"
    if not same_output(expected, got.stdout):
        return f"{place}: prints something else {differs}:\n" + diff(expected, got.stdout)
    return None

