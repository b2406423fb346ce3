"""The promise holds however the site is built, served or cached.

Every test works on a copy of the whole project (its own ``lstm_docs``, pages and cache) and
runs the real tools as subprocesses: ``mkdocs build`` in every spelling a deploy script uses,
``mkdocs gh-deploy`` to a local bare repository, ``properdocs``, ``python -m lstm_docs docs``,
and a real ``mkdocs serve`` answering HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest

from project_copy import copy_project, docs_cli, environment, mkdocs, mutate_one_tie, run

pytestmark = pytest.mark.build

SITECUSTOMIZE = "import numpy\nnumpy.set_printoptions(precision=2, floatmode='fixed')\n"


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    """A correct copy of the project whose cache a strict build has filled."""
    root = copy_project(tmp_path_factory.mktemp("warm") / "project")
    done = mkdocs(root, "--strict")
    assert done.returncode == 0, done.stderr[-4000:]
    return root


@pytest.fixture(scope="module")
def wrong(warm, tmp_path_factory) -> tuple[Path, str]:
    """A copy with one tied number changed in English, its cache warm; and the message."""
    root = copy_project(tmp_path_factory.mktemp("wrong") / "project", cache_from=warm)
    expected = mutate_one_tie(root, "en")
    assert expected, "no English page has a tied number"
    return root, expected


def _built_page(root: Path, expected: str) -> Path:
    """``docs/en/parameters.md:116: ...`` → ``site/parameters/index.html``."""
    page = expected.split(":", 1)[0].removeprefix("docs/en/").removesuffix(".md")
    return root / "site" / ("index.html" if page == "index" else f"{page}/index.html")


def _problems(output: str) -> list[str]:
    """The ``file:line: message`` lines the hook's abort lists."""
    head = output.find("live examples: ")  # the abort: "live examples: N problem(s); ..."
    block = output[head:].split("\n")[1:] if head >= 0 else []
    return [line.strip() for line in block if line.startswith("  ")]


def _remove_site(root: Path) -> None:
    subprocess.run(["rm", "-rf", str(root / "site")], check=True)


# ---------------------------------------------------------------- a wrong number never builds

INVOCATIONS = {
    "mkdocs build": ("mkdocs", []),
    "mkdocs build --strict": ("mkdocs", ["--strict"]),
    "mkdocs build -q": ("mkdocs", ["-q"]),
    "mkdocs build --strict -q": ("mkdocs", ["--strict", "-q"]),
    "mkdocs build -v": ("mkdocs", ["-v"]),
    "mkdocs build --strict -v": ("mkdocs", ["--strict", "-v"]),
    "strict: true in the config, -q": ("mkdocs", ["-q", "-f", "strict.yml"]),
    "properdocs build -q": ("properdocs", ["-q"]),
    "properdocs build --strict": ("properdocs", ["--strict"]),
}


@pytest.mark.parametrize("invocation", list(INVOCATIONS))
def test_every_build_invocation_refuses_a_wrong_number(wrong, invocation):
    root, expected = wrong
    tool, flags = INVOCATIONS[invocation]
    (root / "strict.yml").write_text("INHERIT: mkdocs.yml\nstrict: true\n", encoding="utf-8")
    _remove_site(root)
    done = mkdocs(root, *flags, tool=tool)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert expected in output, output[-3000:]
    assert any(line.startswith(expected) for line in _problems(output)), output[-3000:]
    assert not _built_page(root, expected).exists(), "the page with the wrong number was left in site/"
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    page_url = _built_page(root, expected).parent.relative_to(root / "site").as_posix() + "/"
    assert not [d for d in index["docs"] if d["location"].split("#")[0] == page_url.lstrip("./")]
    assert (root / "site" / "fr" / "index.html").exists()  # the rest of the site was built


def test_gh_deploy_refuses_a_wrong_number_and_pushes_nothing(wrong, tmp_path):
    root, expected = wrong
    remote = tmp_path / "remote.git"
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", "--bare", str(remote)], check=True)
    if not (root / ".git").exists():
        subprocess.run([*git, "init", "-q"], cwd=root, check=True)
        subprocess.run([*git, "add", "-A"], cwd=root, check=True)
        subprocess.run([*git, "commit", "-qm", "copy"], cwd=root, check=True)
    subprocess.run([*git, "remote", "add", "deploy", str(remote)], cwd=root, check=True)
    done = run(root, sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "-q",
               "--remote-name", "deploy", "-d", str(root / "site"))
    output = done.stdout + done.stderr
    assert done.returncode == 1 and expected in output, output[-3000:]
    branches = subprocess.run(["git", "--git-dir", str(remote), "branch", "--list"],
                              capture_output=True, text=True, check=True).stdout
    assert branches.strip() == "", f"gh-deploy pushed {branches!r}"


def test_drafts_may_build_with_problems_only_when_asked_and_are_told_loudly(wrong):
    root, expected = wrong
    done = mkdocs(root, "-q", env=environment(root, LSTM_DOCS_ALLOW_PROBLEMS="1"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "LSTM_DOCS_ALLOW_PROBLEMS is set" in done.stderr and "Do not publish it" in done.stderr
    assert expected in done.stderr


def test_properdocs_builds_the_same_site(warm, tmp_path):
    """properdocs (the maintained continuation of mkdocs 1.x) and mkdocs write the same
    files, byte for byte, apart from the generator's name in each page's meta tag."""
    sites = {}
    for tool in ("mkdocs", "properdocs"):
        _remove_site(warm)
        done = mkdocs(warm, "--strict", tool=tool)
        assert done.returncode == 0, done.stderr[-3000:]
        sites[tool] = tmp_path / tool
        (warm / "site").rename(sites[tool])
    generator = re.compile(rb'<meta name="generator" content="[^"]*">')
    files = {tool: sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
             for tool, site in sites.items()}
    assert files["mkdocs"] == files["properdocs"]
    differ = [str(rel) for rel in files["mkdocs"]
              if generator.sub(b"", (sites["mkdocs"] / rel).read_bytes())
              != generator.sub(b"", (sites["properdocs"] / rel).read_bytes())]
    assert not differ, f"{len(differ)} files differ: {differ[:5]}"


# ---------------------------------------------------------------- the cache answers for its environment only


def _hidden_environment(root: Path, tmp_path: Path) -> dict[str, str]:
    """Start-up code the cache key cannot see in the page: numpy prints 2 decimals, fixed."""
    startup = tmp_path / "startup"
    startup.mkdir(exist_ok=True)
    (startup / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return environment(root, PYTHONPATH=f"{root}{os.pathsep}{startup}")


def test_a_hidden_environment_fails_the_warm_build_as_it_fails_the_cold_one(warm, tmp_path):
    root = copy_project(tmp_path / "project", cache_from=warm)
    hidden = _hidden_environment(root, tmp_path)
    warm_build = mkdocs(root, "-q", env=hidden)
    cold_build = mkdocs(root, "-q", env={**hidden, "LSTM_DOCS_NO_CACHE": "1"})
    assert cold_build.returncode == 1, "the hidden environment changes no output: pick another"
    assert warm_build.returncode == 1, warm_build.stderr[-3000:]
    assert _problems(warm_build.stderr) == _problems(cold_build.stderr) != []
    assert any("printed output differs" in p for p in _problems(warm_build.stderr))
    check = docs_cli(root, "check", env=hidden)  # the CLI's warm check too
    assert check.returncode == 1 and "printed output differs" in check.stdout


def test_a_cache_made_in_another_environment_is_not_used(tmp_path):
    other = copy_project(tmp_path / "other")
    mkdocs(other, "-q", env=_hidden_environment(other, tmp_path))  # fails; fills the cache
    assert list((other / ".cache/live-examples").glob("*.json"))
    fresh = copy_project(tmp_path / "fresh", cache_from=other)
    done = mkdocs(fresh, "--strict")
    assert done.returncode == 0, done.stderr[-3000:]
    figures = dict(re.findall(r"live examples \((\w+)\): \d+ pages \((\d+) from cache\)", done.stderr))
    assert figures.get("en") == "0", figures  # English, built first: nothing was believed
    check = docs_cli(copy_project(tmp_path / "fresh2", cache_from=other), "check")
    assert check.returncode == 0, check.stdout[-3000:]


def _corrupt_cache(root: Path) -> int:
    """Make every cache entry say something false (as a stale entry would); how many."""
    count = 0
    for path in (root / ".cache/live-examples").glob("*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        data = entry["data"]
        if "results" in data:
            for result in data["results"]:
                if result["stdout"]:
                    result["stdout"] += "stale\n"
        else:
            data["problems"] = ["docs/en/index.md:1: a stale cache entry"]
        path.write_text(json.dumps(entry), encoding="utf-8")
        count += 1
    return count


def test_no_cache_rewrites_the_entries_it_recomputes(warm, tmp_path):
    root = copy_project(tmp_path / "project", cache_from=warm)
    assert _corrupt_cache(root)
    assert docs_cli(root, "check").returncode == 1  # the corrupted entries are read...
    assert docs_cli(root, "check", "--no-cache").returncode == 0
    assert docs_cli(root, "check").returncode == 0  # ...and were rewritten by --no-cache
    assert _corrupt_cache(root)
    assert mkdocs(root, "-q", env=environment(root, LSTM_DOCS_NO_CACHE="1")).returncode == 0
    done = mkdocs(root, "--strict")
    assert done.returncode == 0, done.stderr[-3000:]


def test_docs_update_never_takes_an_output_from_the_cache(warm, tmp_path):
    root = copy_project(tmp_path / "project", cache_from=warm)
    before = {p: p.read_bytes() for p in root.rglob("*.md") if ".cache" not in p.parts}
    assert _corrupt_cache(root)
    done = docs_cli(root, "update")
    assert done.returncode == 0, done.stderr[-3000:]
    changed = [str(p) for p, text in before.items() if p.read_bytes() != text]
    assert not changed, f"docs update wrote cached (stale) outputs into {changed}"


# ---------------------------------------------------------------- faults are contained

FAULT_PAGES = {
    "faults-output.md": "# Output\n\n```python live\nprint('x' * 5_000_000)\n```\n",
    "faults-memory.md": "# Memory\n\n```python live\nimport numpy as np\nbig = np.ones(2**29)\n```\n",
    "faults-exit.md": "# Exit\n\n```python live\nimport sys\nsys.exit(3)\n```\n",
    "faults-parent.md": (
        "# Parent\n\n```python live\nimport os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n```\n\n"
        "```python live\nimport ctypes, os, signal, time\nctypes.CDLL(None).kill(os.getppid(), signal.SIGKILL)\n"
        "time.sleep(5)\n```\n\n"
        "```python live\nprint(1)\n```\n\n```python live\nprint(2)\n```\n\n```python live\nprint(3)\n```\n"
    ),
    "faults-group.md": (
        "# Group\n\n```python live\nimport ctypes, signal\nctypes.CDLL(None).killpg(0, signal.SIGKILL)\n```\n\n"
        "```python live\nprint(1)\n```\n"
    ),
    "faults-os-exit.md": "# Os exit\n\n```python live\nimport os\nos._exit(3)\n```\n",
    "faults-cpu.md": (
        "# CPU\n\n```python live timeout=1\nwhile True: pass\n```\n\n"
        "```python live\nprint(1)\n```\n\nAnd 12{= 3 * 4 } more.\n"
    ),
}
FAULT_MESSAGES = {
    "faults-output.md": "docs/{lang}/faults-output.md:3: printed more than 20000 characters (output capped)",
    "faults-memory.md": "docs/{lang}/faults-memory.md:5: MemoryError: Unable to allocate 4.00 GiB",
    "faults-exit.md": "docs/{lang}/faults-exit.md:5: SystemExit(3): a snippet must not exit",
    # ctypes gets past the guard: the worker dies with its supervisor (PR_SET_PDEATHSIG)
    "faults-parent.md": "docs/{lang}/faults-parent.md:8: the worker process died",
    "faults-group.md": "docs/{lang}/faults-group.md:3: the worker process died",
    "faults-parent.md:5": "docs/{lang}/faults-parent.md:5: PermissionError: os.kill(",
    "faults-os-exit.md": "docs/{lang}/faults-os-exit.md:3: the worker process ended with os._exit(3)",
    "faults-cpu.md": "docs/{lang}/faults-cpu.md:4: stopped after 1 s of CPU time (limit)",
}
LANGS = ("en", "fr", "es", "zh")


@pytest.fixture(scope="module")
def faulty(warm, tmp_path_factory) -> Path:
    """A copy with six pages of faults in every language."""
    root = copy_project(tmp_path_factory.mktemp("faulty") / "project", cache_from=warm)
    for lang in LANGS:
        for name, text in FAULT_PAGES.items():
            (root / "docs" / lang / name).write_text(text, encoding="utf-8")
    return root


def test_build_survives_every_fault_and_reports_each_once(faulty, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = mkdocs(faulty, env=environment(faulty, TMPDIR=str(tmp)))
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-4000:]  # an orderly abort: not killed, not a traceback
    assert "Traceback" not in output
    problems = _problems(output)
    for lang in LANGS:
        for message in FAULT_MESSAGES.values():
            assert any(p.startswith(message.format(lang=lang)) for p in problems), (message, lang)
        # after a fault, one line for the rest of the page
        later = [p for p in problems if p.startswith(f"docs/{lang}/faults-parent.md:")]
        assert later[-1].startswith(f"docs/{lang}/faults-parent.md:14: 3 later steps on this page not run")
        assert sum(p.startswith(f"docs/{lang}/faults-cpu.md:") for p in problems) == 2
    assert "(a page's snippets may allocate 2 GiB)" in output
    # the loop ran once: the other three languages were told it timed out, without waiting
    assert sum("it timed out on an earlier page of this build: not run again" in p for p in problems) == 3
    left = [p.name for p in tmp.iterdir() if p.name.startswith("live-example-")]
    assert left == [], "a worker left its temporary directory behind"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 120.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")


def test_serve_survives_every_fault_and_shows_each_on_its_page(faulty):
    originals = {p: p.read_text(encoding="utf-8") for p in (faulty / "docs/fr").glob("*.md")}
    wrong_fr = mutate_one_tie(faulty, "fr", skip="faults-")
    assert wrong_fr
    wrong_page = wrong_fr.split(":", 1)[0].removeprefix("docs/fr/").removesuffix(".md")
    wrong_url = "fr/" if wrong_page == "index" else f"fr/{wrong_page}/"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=faulty, env=environment(faulty), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, start_new_session=True, text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, server.stderr.read()[-3000:]
            try:
                _get(f"{base}/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "mkdocs serve never answered"
                time.sleep(0.5)
        for lang in LANGS:
            prefix = "" if lang == "en" else f"{lang}/"
            for name, message in FAULT_MESSAGES.items():
                page = unescape(_get(f"{base}/{prefix}{name.split(':')[0].removesuffix('.md')}/"))
                assert 'class="admonition failure live-problems"' in page, (lang, name)
                assert message.format(lang=lang) in page, (lang, name)
        fr = unescape(_get(f"{base}/{wrong_url}"))  # the page with the wrong number shows it
        assert wrong_fr in fr and "live-problems" in fr
        assert _get(f"{base}/").lstrip().startswith("<!doctype html>")
        assert server.poll() is None  # still serving
        for path, text in originals.items():  # the writer fixes the number: the box goes away
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        deadline = time.monotonic() + 300
        while True:  # a request waits while serve rebuilds
            assert server.poll() is None and time.monotonic() < deadline, "the fix never showed"
            try:
                page = unescape(_get(f"{base}/{wrong_url}", timeout=60))
            except OSError:
                continue
            if wrong_fr not in page:
                break
            time.sleep(0.5)
        assert "live-problems" not in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
