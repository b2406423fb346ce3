"""The hook in real mkdocs builds: warnings name file:line and fail --strict; serve shows boxes.

The first tests build a tiny site in-process (so ``caplog`` sees the hook's WARNINGs); the
last ones build a copy of the whole project with ``mkdocs build --strict`` and change one
stored number per language that has pages.
"""

import logging
from html import unescape
import subprocess
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

import project_copy
from lstm_docs import strings

REPO = Path(__file__).resolve().parent.parent
HOOK = REPO / "hooks" / "live_examples.py"
pytestmark = pytest.mark.build

CONFIG = f"""site_name: tiny
docs_dir: docs
hooks:
  - {HOOK}
markdown_extensions:
  - admonition
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""

PAGE = """---
title: Paramètres
---
# Paramètres

Une couche a 4 × 3 × (2 + 3 + 1) = 72 paramètres.

```python live
print(4 * 3 * (2 + 3 + 2))
```

```output
72
```
"""


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    (tmp_path / "docs/fr").mkdir(parents=True)
    (tmp_path / "docs/index.md").write_text("# Home\n")
    (tmp_path / "docs/fr/parameters.md").write_text(PAGE)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LSTM_DOCS_NO_CACHE", "1")
    return tmp_path


def _build(root, command="build", strict=True, config_text=None):
    if config_text is not None:
        (root / "mkdocs.yml").write_text(config_text)
    cfg = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(root / "site"))
    cfg.plugins.on_startup(command=command, dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()


def test_wrong_output_is_a_warning_with_file_line_and_strict_fails(tiny, caplog):
    caplog.set_level(logging.WARNING)
    with pytest.raises(Abort):
        _build(tiny)
    warnings = [r for r in caplog.records if r.name == "mkdocs.plugins.live_examples"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    # line 13 of the file: front matter counted, so the editor jumps to the stored 72
    message = warnings[0].getMessage()
    assert message.startswith("live_examples: docs/fr/parameters.md:13: printed 84, page says 72")
    assert "-72\n+84" in message


def test_a_correct_page_builds_strict_and_renders_code_and_output(tiny):
    (tiny / "docs/fr/parameters.md").write_text(PAGE.replace("2 + 3 + 2))", "2 + 3 + 1))"))
    _build(tiny)
    html = (tiny / "site/fr/parameters/index.html").read_text()
    assert 'class="no-copy live-output highlight"><span class="filename">Résultat affiché</span>' in html
    assert "python live" not in html and "live-example" not in html


def test_serve_renders_an_error_box_and_does_not_stop(tiny, caplog):
    _build(tiny, command="serve", strict=False)
    html = unescape((tiny / "site/fr/parameters/index.html").read_text())
    assert 'class="admonition failure live-problems"' in html
    assert strings.get("engine", "error_title", "fr") in html
    assert "docs/fr/parameters.md:13: printed 84, page says 72" in html


def test_missing_superfences_is_reported_with_the_fix(tiny, caplog):
    with pytest.raises(Abort):
        _build(tiny, config_text=CONFIG.replace("  - pymdownx.superfences\n", ""))
    assert (
        "hooks/live_examples.py needs the 'pymdownx.superfences' Markdown extension (code and "
        "output blocks (and fences inside content tabs)): add '- pymdownx.superfences' under "
        "markdown_extensions in mkdocs.yml"
    ) in caplog.text


# ------------------------------------------------------------------ the whole project

LANGS = ("en", "fr", "es", "zh")


def _copy_project(dest: Path) -> Path:
    return project_copy.copy_project(dest)


def _mkdocs_build(root: Path, strict: bool = True) -> subprocess.CompletedProcess:
    return project_copy.mkdocs(root, *(["--strict"] if strict else []))


_mutate_one_tie = project_copy.mutate_one_tie
_mutate_one_shared_output = project_copy.mutate_one_shared_output


def test_project_builds_strict(tmp_path):
    root = _copy_project(tmp_path / "project")
    result = _mkdocs_build(root)
    assert result.returncode == 0, result.stderr[-4000:]


def test_changing_one_stored_number_per_language_fails_naming_file_and_line(tmp_path):
    """A tied number changed in each language that has one, and a digit of a shared
    snippet's stored output: --strict fails, and every change is reported at its file and
    line (checked on a non-strict build: with --strict, mkdocs-static-i18n stops after the
    first language that has warnings; the hook's own abort lists every problem)."""
    root = _copy_project(tmp_path / "project")
    expected = [m for lang in LANGS if (m := _mutate_one_tie(root, lang))]
    expected += [m for m in [_mutate_one_shared_output(root)] if m]
    if not expected:
        pytest.skip("no page has a tied number yet")
    assert _mkdocs_build(root).returncode != 0
    result = _mkdocs_build(root, strict=False)
    for prefix in expected:
        assert prefix in result.stderr, f"{prefix!r} not reported:\n{result.stderr[-3000:]}"


# A count, its formula and the weights the mirror allocates have ONE definition, the weight
# layouts of the layer-kind registry (lstm_docs/kinds.py): a change there moves the formula a
# page writes and every count a snippet prints, and the build fails on both.
FORMULA_MUTATIONS = {
    # a Keras bias with two rows per gate and unit instead of one: LSTM is 4u(d + u + 2)
    "layout": (
        'WeightTemplate("{direction}bias", "bias", ("B", "S"), when="use_bias")',
        'WeightTemplate("{direction}bias", "bias", (2, "B", "S"), when="use_bias")',
        ('docs/en/index.md:27: page says $4u(d + u + 1)$, but formula("keras", "lstm") is 4u(d + u + 2)',
         "docs/en/index.md:"),
    ),
    # GRU's reset_after=True binds three bias rows instead of two: 3u(d + u + 3)
    "option": (
        'binds={"B": (as_expr(1), as_expr(2))}',
        'binds={"B": (as_expr(1), as_expr(3))}',
        ('docs/en/index.md:28: page says $3u(d + u + 2)$, but formula("keras", "gru") is 3u(d + u + 3)',),
    ),
}


@pytest.mark.parametrize("mutation", sorted(FORMULA_MUTATIONS))
def test_changing_a_formula_in_lstm_docs_fails_the_build(tmp_path, mutation):
    old, new, expected = FORMULA_MUTATIONS[mutation]
    root = _copy_project(tmp_path / "project")
    registry = root / "lstm_docs" / "kinds.py"
    text = registry.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"lstm_docs/kinds.py no longer contains {old!r}"
    registry.write_text(text.replace(old, new), encoding="utf-8")
    assert _mkdocs_build(root).returncode != 0
    result = _mkdocs_build(root, strict=False)
    for message in expected:
        assert message in result.stderr, result.stderr[-3000:]
