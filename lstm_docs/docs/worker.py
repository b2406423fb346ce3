"""Run one page's steps (snippet code, tie expressions) in a forked worker process.

The fork isolates everything a snippet can change: cwd (the worker runs in a fresh temp
dir), numpy print options, RNG state, ``sys.modules`` aliases, ``SystemExit``.  Each step
has a time limit (``SnippetTimeout`` raised inside the worker by an interval timer; the
parent kills the worker if it does not answer shortly after) and an output cap.

Results are plain data (``dict``) so they can be cached as JSON:

``{"stdout": str, "value": [kind, text] | None, "error": {...} | None,
"timeout": bool, "truncated": bool}``; an error is
``{"type", "message", "line" (1-based line in the step, or None), "frames": [str]}``.
"""

from __future__ import annotations

import ast
import io
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import traceback
import warnings
from collections import ChainMap
from dataclasses import dataclass
from typing import Any

from lstm_docs import formulas

DEFAULT_TIMEOUT = 10.0
OUTPUT_CAP = 20_000  # characters of stdout kept per snippet
SEED = 0
GRACE = 2.0  # seconds the parent waits beyond a step's limit before killing the worker


@dataclass(frozen=True)
class Step:
    """``kind`` is ``"code"`` (exec, capture stdout) or ``"expr"`` (eval, return value)."""

    kind: str
    source: str
    timeout: float = DEFAULT_TIMEOUT


class SnippetTimeout(BaseException):
    """Raised inside the worker when a step runs past its limit (not catchable by ``except Exception``)."""


class _CappedWriter(io.TextIOBase):
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        room = self.cap - self.size
        if len(s) > room:
            self.truncated = True
            s = s[: max(room, 0)]
        self.parts.append(s)
        self.size += len(s)
        return len(s)

    def getvalue(self) -> str:
        return "".join(self.parts)


def run_steps(steps: list[Step], cap: int = OUTPUT_CAP) -> list[dict[str, Any]]:
    """Run ``steps`` in order in one fresh forked worker; one result per step.

    After a timeout the worker is gone: later steps get an error saying they were not run.
    """
    ctx = multiprocessing.get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    workdir = tempfile.mkdtemp(prefix="live-example-")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # worker
        code = 0
        try:
            parent_conn.close()
            _worker(steps, child_conn, cap, workdir)
        except BaseException:  # noqa: BLE001 - the worker must never return into the caller
            code = 1
        finally:
            os._exit(code)
    child_conn.close()
    results: list[dict[str, Any]] = []
    try:
        for step in steps:
            if not parent_conn.poll(step.timeout + GRACE):
                os.kill(pid, signal.SIGKILL)
                results.append(_timeout_result(step))
                break
            try:
                results.append(parent_conn.recv())
            except EOFError:
                results.append(_crash_result())
                break
            if results[-1]["timeout"]:
                break
    finally:
        parent_conn.close()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        shutil.rmtree(workdir, ignore_errors=True)
    while len(results) < len(steps):
        results.append(
            {
                "stdout": "",
                "value": None,
                "error": {
                    "type": "NotRun",
                    "message": "not run: an earlier snippet on this page stopped the worker",
                    "line": None,
                    "frames": [],
                },
                "timeout": False,
                "truncated": False,
            }
        )
    return results


def _timeout_result(step: Step) -> dict[str, Any]:
    return {
        "stdout": "",
        "value": None,
        "error": {
            "type": "Timeout",
            "message": f"stopped after {step.timeout:g} s (limit): make it faster "
            f"or raise the limit with `python live timeout=<seconds>`",
            "line": None,
            "frames": [],
        },
        "timeout": True,
        "truncated": False,
    }


def _crash_result() -> dict[str, Any]:
    return {
        "stdout": "",
        "value": None,
        "error": {
            "type": "Crash",
            "message": "the worker process died (os._exit or a crash in native code)",
            "line": None,
            "frames": [],
        },
        "timeout": False,
        "truncated": False,
    }


# ---------------------------------------------------------------- inside the worker

#: Names a tie may use besides the page's own: ``$4u(d + u + 1)${= formula("keras", "lstm") }``
#: checks a formula written in a page against its one definition in ``lstm_docs.formulas``.
TIE_NAMES: dict[str, Any] = {"formula": formulas.formula}


def _worker(steps: list[Step], conn: Any, cap: int, workdir: str) -> None:
    os.chdir(workdir)
    sys.stdin = io.StringIO()  # input() gets EOF instead of waiting for a terminal
    _prepare()
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    tie_names = ChainMap(namespace, TIE_NAMES)  # the page's names first

    def on_alarm(signum: int, frame: Any) -> None:
        raise SnippetTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    for k, step in enumerate(steps):
        out = _CappedWriter(cap)
        result: dict[str, Any] = {"stdout": "", "value": None, "error": None, "timeout": False}
        real_stdout, real_stderr = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, io.StringIO()
        filename = f"<live-step-{k}>"
        try:
            signal.setitimer(signal.ITIMER_REAL, step.timeout)
            if step.kind == "code":
                exec(compile(step.source, filename, "exec"), namespace)
            else:
                value = eval(compile(step.source.strip(), filename, "eval"), namespace, tie_names)
                if callable(getattr(value, "latex", None)):  # a formula tied to math: its TeX
                    value = value.latex()
                result["value"] = encode_value(value)
        except SnippetTimeout as exc:
            result.update(_timeout_result(step))
            result["error"]["line"] = _describe(exc, filename)["line"]
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
            result["error"] = _describe(exc, filename)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = real_stdout, real_stderr
        result["stdout"] = out.getvalue()
        result["truncated"] = out.truncated
        conn.send(result)
        if result["timeout"]:
            return


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                  line: Any = None) -> None:
    """Python's plain warning display, to the snippet's stderr (mkdocs replaces the default)."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _prepare() -> None:
    """Aliases (``keras``/``torch`` → our mirrors) and seeded randomness."""
    import random

    import numpy as np

    random.seed(SEED)
    np.random.seed(SEED)
    # A warning a snippet raises goes to its own (captured) stderr, like in a terminal; not to
    # the logging handlers of the process that forked us (mkdocs routes warnings there).
    logging.captureWarnings(False)
    warnings.showwarning = _show_warning
    try:
        from lstm_docs import aliases
    except ImportError:
        sys.meta_path.insert(0, _RefuseRealFrameworks())
        return
    aliases.install_aliases()
    import importlib

    calls = (("keras.utils", "clear_session", ()), ("keras.utils", "set_random_seed", (SEED,)),
             ("torch", "manual_seed", (SEED,)))  # fmt: skip
    for module, func, args in calls:
        try:
            top = importlib.import_module(module.split(".")[0])
            if not getattr(top, "__name__", "").startswith("lstm_docs"):
                continue  # never touch the real framework
            target = getattr(importlib.import_module(module), func, None)
        except ImportError:
            continue
        if callable(target):
            target(*args)


class _RefuseRealFrameworks:
    """Without ``lstm_docs.aliases`` a snippet must not silently import the real Keras/PyTorch."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.split(".")[0] in ("keras", "torch"):
            raise ImportError(
                f"cannot import {name!r} in a live snippet: lstm_docs.aliases is missing, "
                "so keras/torch cannot be mapped to lstm_docs' mirrors"
            )


def _describe(exc: BaseException, filename: str) -> dict[str, Any]:
    line = None
    frames: list[str] = []
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    tb = traceback.extract_tb(exc.__traceback__)
    own = [k for k, frame in enumerate(tb) if frame.filename == filename]
    if own:
        line = line or tb[own[-1]].lineno
        for frame in tb[own[-1] + 1 :]:  # library frames below the snippet line, trimmed
            if frame.filename.startswith("<frozen") or frame.filename == __file__:
                continue
            frames.append(f"{_short(frame.filename)}:{frame.lineno} in {frame.name}")
    frames = frames[-3:]
    if isinstance(exc, SystemExit):
        message = f"SystemExit({exc.code!r}): a snippet must not exit; remove sys.exit/exit()"
    else:
        message = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, SyntaxError):
            message = f"SyntaxError: {exc.msg}"
    return {"type": type(exc).__name__, "message": message, "line": line, "frames": frames}


def _short(path: str) -> str:
    """``.../site-packages/numpy/linalg.py`` → ``numpy/linalg.py``; ``lstm_docs/...`` kept."""
    parts = path.replace(os.sep, "/").split("/")
    for marker in ("lstm_docs", "site-packages", "dist-packages"):
        if marker in parts:
            k = len(parts) - 1 - parts[::-1].index(marker)
            return "/".join(parts[k + (marker != "lstm_docs") :])
    return "/".join(parts[-2:])


def encode_value(value: Any) -> list[str]:
    """``[kind, text]`` for a tie's value: ``["int", "72"]``, ``["tuple", "(None, 3)"]``, ..."""
    plain = _plain(value)
    if isinstance(plain, bool):
        return ["str", repr(plain)]
    if isinstance(plain, int):
        return ["int", repr(plain)]
    if isinstance(plain, float):
        return ["float", repr(plain)]
    if isinstance(plain, str):
        return ["str", plain]
    if isinstance(plain, (tuple, list)):
        try:
            ast.literal_eval(repr(plain))
            return [type(plain).__name__, repr(plain)]
        except (ValueError, SyntaxError):
            pass
    return ["str", str(value)]


def decode_value(encoded: list[str]) -> Any:
    kind, text = encoded
    if kind in ("int", "float", "tuple", "list"):
        return ast.literal_eval(text)
    return text


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # numpy scalar or array
        value = value.tolist()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
