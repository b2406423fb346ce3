"""The rendering cache (``lstm_docs.render_cache``, issue #17) changes no byte of the site,
answers only for the package versions that made it, and misses when its input changes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest

from lstm_docs import render_cache
from project_copy import copy_project, environment, mkdocs


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_a_build_from_the_render_cache_is_byte_for_byte_the_uncached_build(tmp_path):
    root = copy_project(tmp_path / "project")
    sites = {}
    for name, extra in (("uncached", {"LSTM_DOCS_NO_CACHE": "1"}), ("filling", {}), ("warm", {})):
        env = environment(root, **extra)
        env.pop(render_cache.DIR_ENV, None)  # the project's own cache, filled from empty
        done = mkdocs(root, "--strict", env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        sites[name] = _files(root / "site")
    assert (root / render_cache.CACHE_DIR / "highlight.json").is_file()
    assert (root / render_cache.CACHE_DIR / "search.json").is_file()
    assert (root / render_cache.CACHE_DIR / "page.json").is_file()
    for name in ("filling", "warm"):
        differ = sorted(k for k in sites["uncached"].keys() | sites[name].keys()
                        if sites["uncached"].get(k) != sites[name].get(k))
        assert not differ, f"{name} build differs from the uncached one in {differ[:5]}"


@pytest.mark.build
def test_the_nothing_run_baseline_builds_the_same_pages(tmp_path):
    """``LSTM_DOCS_NO_LIVE=1`` (the benchmarks' baseline) renders every page, figures included
    (at stand-in sizes: nothing runs to give the real ones)."""
    root = copy_project(tmp_path / "project")
    env = environment(root, LSTM_DOCS_NO_LIVE="1")
    env.pop(render_cache.DIR_ENV, None)
    done = mkdocs(root, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (root / render_cache.CACHE_DIR).exists()  # the baseline caches nothing
    pages = sorted(p.relative_to(root / "site") for p in (root / "site").rglob("index.html"))
    assert len(pages) >= 14 * 4
    gates = (root / "site" / "gates" / "index.html").read_text(encoding="utf-8")
    assert gates.count("<svg") >= 3 and "```figure" not in gates


def _render(text: str) -> str:
    return markdown.markdown(text, extensions=["pymdownx.superfences", "pymdownx.highlight"])


@pytest.fixture
def store(tmp_path, monkeypatch):
    """The rendering cache installed on ``tmp_path`` for this test, uninstalled after it."""
    monkeypatch.delenv(render_cache.DIR_ENV, raising=False)
    monkeypatch.delenv("LSTM_DOCS_NO_LIVE", raising=False)
    monkeypatch.delenv("LSTM_DOCS_NO_CACHE", raising=False)
    installed = render_cache.install(tmp_path)
    assert installed is not None
    yield installed
    render_cache._store[0] = None


def test_highlighting_is_cached_on_the_code_and_never_answers_for_other_code(tmp_path, store):
    first = _render("```python\nlayer = LSTM(3)\n```\n")
    assert store.misses == 1 and store.hits == 0
    assert _render("```python\nlayer = LSTM(3)\n```\n") == first
    assert store.hits == 1
    other = _render("```python\nlayer = LSTM(4)\n```\n")
    assert "4" in other and other != first
    render_cache.save()
    data = json.loads((tmp_path / render_cache.CACHE_DIR / "highlight.json").read_text(encoding="utf-8"))
    assert data["namespace"] == render_cache.namespace() and len(data["entries"]) == 2


def test_entries_made_with_other_package_versions_are_not_believed(tmp_path, store):
    html = _render("```python\nx = 1\n```\n")
    key = next(iter(store.entries["highlight"]))
    (tmp_path / render_cache.CACHE_DIR).mkdir(parents=True)
    (tmp_path / render_cache.CACHE_DIR / "highlight.json").write_text(
        json.dumps({"namespace": "pygments 1.0", "entries": {key: "<p>poisoned</p>"}}), encoding="utf-8")
    render_cache._store[0] = render_cache.Store(tmp_path.resolve())
    assert _render("```python\nx = 1\n```\n") == html


def test_the_cache_is_off_for_the_nothing_run_baseline(tmp_path, monkeypatch):
    monkeypatch.delenv(render_cache.DIR_ENV, raising=False)
    monkeypatch.setenv("LSTM_DOCS_NO_LIVE", "1")
    assert render_cache.install(tmp_path) is None
    assert _render("```python\nx = 1\n```\n")  # the wrapped step still renders
    assert not (tmp_path / render_cache.CACHE_DIR).exists()


def _ran(stderr: str) -> dict[str, tuple[int, int]]:
    """language -> (pages from cache, pages run) from the build's report."""
    found = re.findall(r"live examples \((\w+)\): \d+ pages \((\d+) from cache\), (\d+) run", stderr)
    return {lang: (int(cached), int(ran)) for lang, cached, ran in found}


@pytest.mark.build
def test_a_build_redoes_only_what_changed(tmp_path):
    """A prose edit runs no snippet; an edit to a snippet file runs the page that includes it
    (once: the other languages' pages share its results); an edit to lstm_docs runs every
    page again, and the log says so."""
    root = copy_project(tmp_path / "project")
    first = mkdocs(root, env=environment(root))
    assert first.returncode == 0, first.stderr[-3000:]
    pages_with_steps = _ran(first.stderr)["en"][1]
    assert pages_with_steps >= 10

    page = root / "docs" / "en" / "units.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Four words get mixed up", "Four words get confused"),
                    encoding="utf-8")
    prose = mkdocs(root, env=environment(root))
    assert _ran(prose.stderr) == {"en": (14, 0), "fr": (14, 0), "es": (14, 0), "zh": (14, 0)}, prose.stderr[-2000:]

    snippet = root / "snippets" / "units" / "weights.md"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace(
        "layer = LSTM(3)\n", "layer = LSTM(3)  # the layer\n", 1), encoding="utf-8")
    edited = mkdocs(root, env=environment(root))
    assert edited.returncode == 0, edited.stderr[-3000:]
    assert sum(ran for _, ran in _ran(edited.stderr).values()) == 1, edited.stderr[-2000:]

    formulas = root / "lstm_docs" / "formulas.py"
    formulas.write_text(formulas.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    package = mkdocs(root, env=environment(root))
    assert package.returncode == 0, package.stderr[-3000:]
    assert "lstm_docs changed since the last build: every page ran again" in package.stderr
    assert _ran(package.stderr)["en"][1] == pages_with_steps


def _mini_site(root: Path, pages: dict[str, str]) -> None:
    """A two-page mkdocs project with mkdocs' own theme, its links checked as ours are."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: mini\nvalidation:\n  links: {not_found: warn, anchors: warn}\n", encoding="utf-8")


def _build_mini(root: Path) -> tuple[dict[str, bytes], list[str]]:
    """Build in this process (the store persists, as under serve): (site files, warnings)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    heard: list[str] = []

    class Listen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                heard.append(record.getMessage())

    handler = Listen()
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return _files(root / "site"), heard


def test_a_page_comes_from_the_cache_only_while_its_text_and_its_links_targets_are_unchanged(tmp_path, store, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the build date in every page's footer
    root = tmp_path / "mini"
    _mini_site(root, {"index.md": "# Home\n\nSee [the other page](other.md#part).\n",
                      "other.md": "# Other\n\n## Part\n\nText.\n"})
    first, warned = _build_mini(root)
    assert not warned and store.hits == 0
    again, warned = _build_mini(root)
    assert again == first and not warned and store.hits >= 2  # both pages from the cache
    # the target loses its anchor: index.md's text is unchanged, and its link is still checked
    (root / "docs" / "other.md").write_text("# Other\n\nText.\n", encoding="utf-8")
    _, warned = _build_mini(root)
    assert any("does not contain an anchor '#part'" in w for w in warned)
    # the target goes: the link no longer resolves, and the page says so again
    (root / "docs" / "other.md").unlink()
    _, warned = _build_mini(root)
    assert any("other.md#part" in w and "not found" in w for w in warned), warned


def test_a_page_whose_render_warns_is_rendered_and_warns_on_every_build(tmp_path, store):
    root = tmp_path / "mini"
    _mini_site(root, {"index.md": "# Home\n\nSee [nowhere](missing.md).\n"})
    for _ in range(2):
        _, warned = _build_mini(root)
        assert any("missing.md" in w for w in warned), warned
    assert not store.entries.get("page")  # never stored: a cached page would be silent
