"""Make ``import keras`` / ``import torch`` in a doc snippet load lstm_docs' mirrors.

``install_aliases()`` registers every name in ``MODULE_ALIASES`` in ``sys.modules`` (the
snippet engine calls it inside its worker process, before running a page's snippets; the
worker ends with its page, so nothing is ever uninstalled).
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

#: real module name -> lstm_docs module that stands in for it
MODULE_ALIASES: dict[str, str] = {
    "keras": "lstm_docs.keras",
    "keras.layers": "lstm_docs.keras.layers",
    "keras.models": "lstm_docs.keras.models",
    "keras.utils": "lstm_docs.keras.utils",
    "keras.initializers": "lstm_docs.keras.initializers",
    "keras.backend": "lstm_docs.keras.backend",
    "torch": "lstm_docs.pytorch",
    "torch.nn": "lstm_docs.pytorch.nn",
    "torch.nn.utils": "lstm_docs.pytorch.nn.utils",
    "torch.nn.utils.rnn": "lstm_docs.pytorch.nn.utils.rnn",
}


def install_aliases() -> dict[str, ModuleType]:
    """Register the mirrors under their real names; returns {real name: module}."""
    installed = {}
    for real, ours in MODULE_ALIASES.items():
        module = importlib.import_module(ours)
        sys.modules[real] = module
        installed[real] = module
    return installed

