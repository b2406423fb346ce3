"""mkdocs hook: cache the deterministic rendering steps of a build (highlighting, the search
index's reading of each page, Jinja's compiled templates).  The logic is in
``lstm_docs.render_cache``; this only wires it.  The cache changes no byte of the site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from lstm_docs import render_cache

_root: list[Path] = []


def on_config(config: Any) -> Any:
    _root[:] = [Path(config.config_file_path or ".").resolve().parent]
    render_cache.install(_root[0])
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    cache = render_cache.bytecode_cache(env)
    if cache is not None:
        env.bytecode_cache = cache
    return env


@event_priority(-120)  # after mkdocs-static-i18n's on_post_build (-100) built the other languages
def on_post_build(config: Any) -> None:
    render_cache.save()
