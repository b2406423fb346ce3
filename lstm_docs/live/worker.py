"""Run one page's steps (snippet code, tie expressions) in a forked worker process.

The fork isolates everything a snippet can change: cwd (the worker runs in a fresh temp
dir), numpy print options, RNG state, ``sys.modules`` aliases, ``SystemExit``.

Faults are contained (see ``run_steps``):

* **CPU time** decides a step's limit (``step.timeout`` seconds of CPU, all threads): the
  same loop stops at the same point whatever the machine's load.  A wall-clock backstop
  (``WALL_FACTOR`` × the limit + ``GRACE``) stops a step that waits without computing.
* **Memory**: the worker may allocate ``MEMORY_LIMIT`` bytes of address space beyond what it
  inherited; past that, ``MemoryError`` names the limit.
* **Its own session**: ``os.kill`` may signal only the worker and its children (anything
  else is a ``PermissionError`` naming the call) and ``os.killpg`` is refused; what gets
  past that (ctypes) meets a sacrificial supervisor: the worker runs below it in a new
  session, so killing its parent or its process group ends the worker's group, never the
  build or ``serve``.  Its file descriptors 0-2 are ``/dev/null``.
* A page's steps that timed out are remembered for the rest of the build
  (``forget_timeouts`` starts afresh): another language with the same snippets is answered
  at once.

Each step's result is a ``StepResult`` (its ``StepError`` if it failed), which the cache
stores as JSON (``to_json`` / ``from_json``); ``StepsRun`` adds the distributions the steps
imported (``imported_distributions``).
"""

from __future__ import annotations

import ast
import errno
import functools
import hashlib
import io
import logging
import multiprocessing
import os
import resource
import select
import shutil
import signal
import sys
import tempfile
import traceback
import warnings
from collections import ChainMap
from dataclasses import dataclass, replace
from typing import Any

from lstm_docs import facts, formulas

DEFAULT_TIMEOUT = 10.0  # seconds of CPU time per step
OUTPUT_CAP = 20_000  # characters of stdout kept per snippet
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space a worker may add to what it inherited
WALL_FACTOR = 3.0  # wall-clock backstop: this many times the CPU limit, plus GRACE
SEED = 0
GRACE = 2.0  # seconds the parent waits beyond a step's limit before killing the worker
BLAS_THREADS = 1  # OpenBLAS threads in a worker (see _single_blas_thread)


def settings() -> dict[str, Any]:
    """The engine's limits: part of the cache key (a result depends on them)."""
    return {"timeout": DEFAULT_TIMEOUT, "cap": OUTPUT_CAP, "memory": MEMORY_LIMIT,
            "wall": [WALL_FACTOR, GRACE], "seed": SEED, "blas_threads": BLAS_THREADS}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """``kind`` is ``"code"`` (exec, capture stdout), ``"expr"`` (eval, return value) or
    ``"bind"`` (``source`` is ``name\nexpression``: eval, return the value and name it for the
    later ties, never for the snippets)."""

    kind: str
    source: str
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class StepError:
    """Why a step failed: the exception's ``type`` name (or "Timeout", "Crash", "NotRun"), a
    one-line ``message``, the 1-based ``line`` in the step (None: unknown) and the library
    ``frames`` below it (``"numpy/linalg.py:12 in inv"``, at most three)."""

    type: str
    message: str
    line: int | None = None
    frames: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepResult:
    """What one step did: its ``stdout`` (capped: ``truncated``), a tie's ``value`` as
    ``encode_value`` gives it (``["int", "72"]``, None for code), its ``error`` (None: it ran),
    whether it hit its time limit (``timeout``), and whether that limit was ``remembered``
    from an earlier page of this build rather than paid again."""

    stdout: str = ""
    value: tuple[str, str] | None = None
    error: StepError | None = None
    timeout: bool = False
    truncated: bool = False
    remembered: bool = False
    framework: str | None = None  # a tie's value read from Keras or PyTorch objects (or formula("keras", ...))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data; ``from_json`` gives an equal result back (``remembered`` is not
        kept: it describes one build)."""
        error = self.error
        return {
            "stdout": self.stdout,
            "value": list(self.value) if self.value is not None else None,
            "error": None if error is None else {"type": error.type, "message": error.message,
                                                 "line": error.line, "frames": list(error.frames)},
            "timeout": self.timeout,
            "truncated": self.truncated,
            "framework": self.framework,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepResult:
        """The result ``to_json`` wrote (``KeyError``/``TypeError`` on anything else)."""
        error = data["error"]
        value = data["value"]
        return cls(
            stdout=data["stdout"],
            value=None if value is None else (value[0], value[1]),
            error=None if error is None else StepError(error["type"], error["message"], error["line"],
                                                       tuple(error["frames"])),
            timeout=bool(data["timeout"]),
            truncated=bool(data["truncated"]),
            framework=data["framework"],
        )  # fmt: skip


@dataclass(frozen=True)
class _Imported:
    """The worker's last message: the top-level modules its steps imported."""

    modules: list[str]


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


#: Code-chain hashes of steps that hit their limit in this build -> that step's result.
_timed_out: dict[str, StepResult] = {}


#: how many times this process ran steps in a worker (the build's report counts pages that ran)
runs = [0]


def forget_timeouts() -> None:
    """Start a new build: steps that timed out before are run again."""
    _timed_out.clear()


def _chain_keys(steps: list[Step]) -> list[str]:
    """For each step, a hash of the code steps up to it (what decides its state) and itself."""
    digest = hashlib.sha256()
    keys = []
    for step in steps:
        if step.kind == "code":
            digest.update(repr((step.source, step.timeout)).encode())
        own = digest.copy()
        own.update(repr((step.kind, step.source, step.timeout)).encode())
        keys.append(own.hexdigest())
    return keys


@dataclass
class StepsRun:
    """``results``: one per step; ``imported``: distribution -> version of what the steps
    imported beyond the worker's start (so the cache can tell when one is upgraded)."""

    results: list[StepResult]
    imported: dict[str, str | None]


def run_steps(steps: list[Step], cap: int = OUTPUT_CAP) -> StepsRun:
    """Run ``steps`` in order in one fresh worker; one result per step.

    After a timeout or a crash the worker is gone: the later steps get a "not run" result.
    A step whose chain timed out earlier in this build is not run again.
    """
    keys = _chain_keys(steps)
    known = next((k for k, key in enumerate(keys) if key in _timed_out), None)
    to_run = steps if known is None else steps[:known]
    runs[0] += bool(to_run)
    started = _ahead.pop(_ahead_key(to_run, cap), None) if to_run else None
    if started is not None:
        results, modules = _collect(started)
    else:
        results, modules = _run_supervised(to_run, cap) if to_run else ([], None)
    imported = imported_distributions(modules) if modules is not None else {}
    if known is not None and len(results) == known:
        results.append(replace(_timed_out[keys[known]], remembered=True))
    for k, result in enumerate(results):
        if result.timeout and k < len(keys):
            _timed_out.setdefault(keys[k], replace(result, remembered=False))
    while len(results) < len(steps):
        results.append(_not_run_result())
    return StepsRun(results, imported)


@dataclass
class _Started:
    """A supervised worker forked by ``_start``: what ``_collect`` needs to wait for it."""

    steps: list[Step]
    supervisor: int
    conn: Any
    status_read: int
    workdir: str


def _run_supervised(steps: list[Step], cap: int) -> tuple[list[StepResult], list[str] | None]:
    """Fork a supervisor S in a new session; S forks the worker W and reports how W ended.

    Returns one result per step run, and the modules the steps imported (None when the
    worker did not get to report them).

    W sends its results straight to this process; whatever W does to S or to its own
    process group, this process survives, reaps S and kills the group.
    """
    return _collect(_start(steps, cap))


def _start(steps: list[Step], cap: int) -> _Started:
    """Fork S (and below it W, which starts on ``steps`` at once); return without waiting."""
    ctx = multiprocessing.get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    status_read, status_write = os.pipe()
    workdir = tempfile.mkdtemp(prefix="live-example-")
    sys.stdout.flush()
    sys.stderr.flush()
    supervisor = os.fork()
    if supervisor == 0:  # S: new session, then the worker below it
        code = 0
        try:
            os.setsid()
            _die_with_parent()
            parent_conn.close()
            os.close(status_read)
            for other in _ahead.values():  # the parent's other workers are not S's business
                other.conn.close()
                os.close(other.status_read)
            worker = os.fork()
            if worker == 0:  # W
                wcode = 0
                try:
                    _die_with_parent()
                    os.close(status_write)
                    _worker(steps, child_conn, cap, workdir)
                except BaseException:  # noqa: BLE001 - the worker must never return into the caller
                    wcode = 1
                finally:
                    os._exit(wcode)
            child_conn.close()
            _, status = os.waitpid(worker, 0)
            os.write(status_write, str(status).encode())
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    child_conn.close()
    os.close(status_write)
    return _Started(steps, supervisor, parent_conn, status_read, workdir)


def _collect(started: _Started) -> tuple[list[StepResult], list[str] | None]:
    """Wait for the worker ``started`` (each step within its wall-clock backstop), then end
    its group and clean up."""
    parent_conn, status_read, supervisor = started.conn, started.status_read, started.supervisor
    results: list[StepResult] = []
    modules: list[str] | None = None
    try:
        for step in started.steps:
            wall = step.timeout * WALL_FACTOR + GRACE
            if not parent_conn.poll(wall):
                results.append(_timeout_result(step, wall=wall))
                break
            try:
                results.append(parent_conn.recv())
            except EOFError:
                results.append(_crash_result(_worker_status(status_read)))
                break
            if results[-1].timeout:
                break
        else:
            if parent_conn.poll(GRACE):  # the imported modules, then the end
                try:
                    modules = parent_conn.recv().modules
                except EOFError:
                    pass
    finally:
        _end(started)
    return results, modules


def _end(started: _Started) -> None:
    started.conn.close()
    try:  # the group: S, W and whatever W started (W dies with S in any case)
        os.killpg(started.supervisor, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    os.waitpid(started.supervisor, 0)
    os.close(started.status_read)
    shutil.rmtree(started.workdir, ignore_errors=True)


#: workers started ahead of their page (``run_ahead``), by ``_ahead_key``
_ahead: dict[str, _Started] = {}


def _ahead_key(steps: list[Step], cap: int) -> str:
    return hashlib.sha256(repr((cap, [(s.kind, s.source, s.timeout) for s in steps])).encode()).hexdigest()


def run_ahead(steps: list[Step], cap: int = OUTPUT_CAP) -> bool:
    """Start ``steps`` in a worker now, on the other core, while this process renders; the
    ``run_steps`` call for the same steps collects the results (the same results: the worker
    is the same fork, started earlier).  False when they are running already or a step of
    theirs timed out in this build."""
    key = _ahead_key(steps, cap)
    if not steps or key in _ahead or any(k in _timed_out for k in _chain_keys(steps)):
        return False
    _ahead[key] = _start(steps, cap)
    return True


def cancel_ahead() -> None:
    """End every worker started ahead and not collected (a build that ended or failed)."""
    while _ahead:
        _end(_ahead.popitem()[1])


def _worker_status(status_read: int) -> int | None:
    """The worker's wait status as its supervisor reported it (None if the supervisor died)."""
    ready, _, _ = select.select([status_read], [], [], GRACE)
    if not ready:
        return None
    text = os.read(status_read, 64).decode() or "x"
    return int(text) if text.isdigit() else None


def _not_run_result() -> StepResult:
    return StepResult(error=StepError("NotRun", "not run: an earlier step on this page stopped the worker"))


def _timeout_result(step: Step, wall: float | None = None, line: int | None = None) -> StepResult:
    if wall is None:
        message = (f"stopped after {step.timeout:g} s of CPU time (limit): make it faster "
                   f"or raise the limit with `python live timeout=<seconds>`")
    else:
        message = (f"stopped after {wall:g} s of wall-clock time with no answer (it waits rather "
                   f"than computes): remove the wait, or raise the limit with "
                   f"`python live timeout=<seconds>`")
    return StepResult(error=StepError("Timeout", message, line), timeout=True)


def _crash_result(status: int | None = None) -> StepResult:
    if status is None:
        how = "the worker process died (its supervisor was killed too)"
    elif os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        why = {"SIGXCPU": "CPU limit", "SIGSEGV": "a crash in native code",
               "SIGKILL": "killed, e.g. by os.kill or out of memory"}.get(name, "a signal")  # fmt: skip
        how = f"the worker process died of {name} ({why})"
    else:
        how = f"the worker process ended with os._exit({os.WEXITSTATUS(status)})"
    return StepResult(error=StepError("Crash", f"{how}: a snippet must not end or kill its process"))


# ---------------------------------------------------------------- inside the worker

#: Names a tie may use besides the page's own: ``$4u(d + u + 1)${= formula("keras", "lstm") }``
#: checks a formula written in a page against its one definition in ``lstm_docs.formulas``.
def _framework_of(expr: str, names: Any) -> str | None:
    """The one framework a tie's expression reads: from the modules of the objects it names
    (``keras_model.count_params()``) and from ``formula("pytorch", ...)``; None if none or both."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(expr.strip(), mode="eval")):
        if isinstance(node, ast.Name) and node.id in names:
            module = type(names[node.id]).__module__
            for framework in ("keras", "pytorch"):
                if module.startswith(f"lstm_docs.{framework}"):
                    found.add(framework)
        elif isinstance(node, ast.Constant) and node.value in ("keras", "pytorch"):
            found.add(str(node.value))
    return found.pop() if len(found) == 1 else None


def figure_layer(layer: Any) -> tuple[str, int, int | None, str]:
    """``(kind, units, input_dim, framework)`` of a layer a figure fence names
    (``layer: model.layers[0]``): the sizes a picture draws, read from the object itself."""
    from lstm_docs import kinds

    module = type(layer).__module__
    framework = "keras" if module.startswith("lstm_docs.keras") else "pytorch" if module.startswith(
        "lstm_docs.pytorch") else ""
    kind = next((k.key for k in kinds.of(framework) if k.classes.get(framework) == type(layer).__name__), "")
    if not kind:
        raise TypeError(f"a figure draws a recurrent layer of lstm_docs.keras or lstm_docs.pytorch, "
                        f"not {type(layer).__name__}")
    if framework == "keras":
        kernel = layer.weights[0] if layer.weights else None
        input_dim = int(kernel.shape[0]) if kernel is not None else None
        return kind, int(layer.units), input_dim, framework
    return kind, int(layer.hidden_size), int(layer.input_size), framework


TIE_NAMES: dict[str, Any] = {"formula": formulas.formula, "count": formulas.count, "gates": facts.gates, "gate_count": facts.gate_count,
                              "definition": facts.definition, "output_range": facts.output_range,
                              "default": facts.default, "biases": facts.biases, "figure_layer": figure_layer}


def _worker(steps: list[Step], conn: Any, cap: int, workdir: str) -> None:
    os.chdir(workdir)
    _detach_descriptors()
    sys.stdin = io.StringIO()  # input() gets EOF instead of waiting for a terminal
    _prepare()
    _limit_memory(MEMORY_LIMIT)
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    bindings: dict[str, Any] = {}  # $u = 3${= ... } in the prose: names for later ties only
    tie_names = ChainMap(bindings, namespace, TIE_NAMES)  # the prose's names, then the page's
    imported = _record_imports()

    def on_limit(signum: int, frame: Any) -> None:
        raise SnippetTimeout()

    signal.signal(signal.SIGPROF, on_limit)  # ITIMER_PROF: CPU time of the whole process
    for k, step in enumerate(steps):
        out = _CappedWriter(cap)
        value: tuple[str, str] | None = None
        error: StepError | None = None
        framework: str | None = None
        timed_out = False
        real_stdout, real_stderr = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, io.StringIO()
        filename = f"<live-step-{k}>"
        try:
            signal.setitimer(signal.ITIMER_PROF, step.timeout)
            if step.kind == "code":
                exec(compile(step.source, filename, "exec"), namespace)
            else:
                name, _, source = step.source.partition("\n") if step.kind == "bind" else ("", "", step.source)
                got = eval(compile(source.strip(), filename, "eval"), namespace, tie_names)
                if name:
                    bindings[name] = got
                framework = _framework_of(source, tie_names)
                if callable(getattr(got, "latex", None)):  # a formula tied to math: its TeX
                    got = got.latex()
                kind, text = encode_value(got)
                value = (kind, text)
        except SnippetTimeout as exc:
            error, timed_out = _timeout_result(step, line=_describe(exc, filename).line).error, True
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
            error = _describe(exc, filename)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            sys.stdout, sys.stderr = real_stdout, real_stderr
        conn.send(StepResult(out.getvalue(), value, error, timed_out, out.truncated, framework=framework))
        if timed_out:
            return
    conn.send(_Imported(sorted(imported)))


def _record_imports() -> set[str]:
    """Wrap ``__import__``: the top-level names of every import the steps make (their own and
    those of the libraries they call), already imported or not."""
    import builtins

    names: set[str] = set()
    real = builtins.__import__

    def recording(name: str, *args: Any, **kwargs: Any) -> Any:
        if name and kwargs.get("level", args[3] if len(args) > 3 else 0) == 0:
            names.add(name.partition(".")[0])
        return real(name, *args, **kwargs)

    builtins.__import__ = recording
    return names


@functools.cache
def _owners() -> dict[str, list[str]]:
    """Top-level module -> distributions (computed once per process, only when needed)."""
    import importlib.metadata

    return importlib.metadata.packages_distributions()


@functools.cache
def _distributions_of(top: str) -> dict[str, str | None]:
    """The distribution(s) providing the top-level module ``top``, with their versions."""
    import importlib.metadata

    try:  # most distributions are named as their module (numpy): no scan of every package
        return {top: importlib.metadata.version(top)}
    except importlib.metadata.PackageNotFoundError:
        pass
    found: dict[str, str | None] = {}
    for dist in _owners().get(top, []):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = None
    return found


def imported_distributions(modules: set[str] | list[str]) -> dict[str, str | None]:
    """Distribution -> version for the third-party top-level packages among ``modules``."""
    tops = set(modules) - set(sys.stdlib_module_names) - {"lstm_docs", "keras", "torch", "__main__"}
    found: dict[str, str | None] = {}
    for top in sorted(t for t in tops if not t.startswith("_")):
        found.update(_distributions_of(top))
    return found


def _detach_descriptors() -> None:
    """fds 0-2 → /dev/null: a snippet writing to them directly (``os.write(1, ...)``,
    C code) cannot flood the build's log or read the terminal; ``print`` is captured."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)


def _limit_memory(extra: int) -> None:
    """Allow ``extra`` bytes of address space beyond what this process has now."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return  # no /proc: no memory limit (not Linux)
    limit = current + extra
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _own_kill(kill: Any) -> Any:
    """``os.kill`` that signals only this worker and its own children: a snippet that signals
    its parent (``os.kill(os.getppid(), 9)``) gets a clear error instead (the supervisor
    contains what gets past this, e.g. through ctypes)."""

    def guarded(pid: int, sig: int) -> None:
        if pid != os.getpid() and not _is_child(pid):
            raise PermissionError(f"os.kill({pid}, {sig}) refused: a live snippet may signal "
                                  "only its own process and the processes it started")
        kill(pid, sig)

    return guarded


def _own_killpg(killpg: Any) -> Any:
    def guarded(pgid: int, sig: int) -> None:
        raise PermissionError(f"os.killpg({pgid}, {sig}) refused: a live snippet may not signal "
                              "a process group (it would stop the page's worker)")

    return guarded


def _refused(call: str) -> Any:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(f"{call}() refused: a live snippet's processes stay in its "
                              "worker's process group (so that they end with it)")

    return refused


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (``PR_SET_PDEATHSIG``): a
    worker whose supervisor is gone, or a supervisor whose build is gone, never lingers."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _is_child(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    except (OSError, ValueError, IndexError):
        return False


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                  line: Any = None) -> None:
    """Python's plain warning display, to the snippet's stderr (mkdocs replaces the default)."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _single_blas_thread() -> None:
    """Run OpenBLAS on ``BLAS_THREADS`` thread(s) in this worker.  The limit is CPU time of all
    threads, and on a busy 2-core machine (the build rendering, a second worker running ahead,
    pytest -n 2) OpenBLAS's threads spin waiting for a core: a QR that takes 0.1 s of CPU alone
    took seconds, and a page hit its limit.  Best effort: numpy's bundled OpenBLAS is found
    among the loaded libraries; another BLAS is left as it is."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line and line.rstrip().endswith(".so")
                     or "openblas" in line and ".so." in line}
    except OSError:
        return
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                     "openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(BLAS_THREADS)
                break


def _prepare() -> None:
    """Aliases (``keras``/``torch`` → our mirrors) and seeded randomness."""
    import random

    import numpy as np

    random.seed(SEED)
    np.random.seed(SEED)
    _single_blas_thread()
    os.kill, os.killpg = _own_kill(os.kill), _own_killpg(os.killpg)
    for name in ("setsid", "setpgid", "setpgrp", "daemon"):  # leaving the worker's group
        if hasattr(os, name):
            setattr(os, name, _refused(f"os.{name}"))
    # A warning a snippet raises goes to its own (captured) stderr, like in a terminal; not to
    # the logging handlers of the process that forked us (mkdocs routes warnings there).
    logging.captureWarnings(False)
    warnings.showwarning = _show_warning
    from lstm_docs import aliases

    mirrors = aliases.install_aliases()  # keras and torch are lstm_docs' mirrors from here on
    mirrors["keras.utils"].clear_session()
    mirrors["keras.utils"].set_random_seed(SEED)
    mirrors["torch"].manual_seed(SEED)


def _describe(exc: BaseException, filename: str) -> StepError:
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
    elif isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
        message = (f"{type(exc).__name__}: {_capped(str(exc)) or 'out of memory'} (a page's "
                   f"snippets may allocate {MEMORY_LIMIT / 1024**3:g} GiB): use smaller arrays, "
                   f"or count with lstm_docs.formulas.count instead of allocating")
    else:
        message = f"{type(exc).__name__}: {_capped(str(exc))}"
        if isinstance(exc, SyntaxError):
            message = f"SyntaxError: {exc.msg}"
    return StepError(type(exc).__name__, message, line, tuple(frames))


MESSAGE_CAP = 500  # characters of an exception's text kept in a problem (log, box, cache)


def _capped(text: str) -> str:
    if len(text) <= MESSAGE_CAP:
        return text
    return f"{text[:MESSAGE_CAP]}… ({len(text) - MESSAGE_CAP:,} more characters)"


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


def decode_value(encoded: tuple[str, str] | list[str]) -> Any:
    """The tie value ``encode_value`` gave as ``(kind, text)``."""
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
