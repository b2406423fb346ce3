"""mkdocs hook: fail the build on a missing, partial or stale translation.

mkdocs-static-i18n silently copies the English page where a translation is missing; this
hook reports it instead. All logic lives in ``lstm_docs.translations``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from lstm_docs import translations

log = get_plugin_logger("translations")


def on_pre_build(config) -> None:  # type: ignore[no-untyped-def]
    if config.theme.get("language", "en") != translations.SOURCE_LANGUAGE:
        return  # mkdocs-static-i18n builds once per language: report once, in the English pass
    docs_dir = Path(config["docs_dir"])
    root = Path(config.config_file_path or ".").resolve().parent
    for problem in translations.check_tree(docs_dir) + translations.stale_translations(docs_dir):
        log.warning(problem.format().replace(f"{root}/", ""))
