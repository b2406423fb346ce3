"""Import the REAL frameworks the cross-checks compare ``lstm_docs`` against.

One rule, defined once here: when Keras or PyTorch cannot be imported, a cross-check
SKIPS with the reason on a developer's machine, but FAILS when the environment variable
``CI`` is ``true`` (CI installs the ``crosscheck`` extra, so a missing framework there is a
broken setup, not a reason to go green without checking anything).

The same rule holds for ``onnx``, whose reference evaluator checks the ONNX layout of the
legacy cross-checks (``import_onnx``).

Keras 3 picks its backend at import time; the cross-checks always run it on PyTorch, so
``KERAS_BACKEND=torch`` is set before the first ``import keras``.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

import pytest

KERAS_BACKEND = "torch"
INSTALL_HINT = "install them with: pip install -e '.[crosscheck]'"


def in_ci() -> bool:
    """True when the environment variable ``CI`` is ``true`` (any case)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def missing(what: str, error: BaseException) -> None:
    """Skip (locally) or fail (``CI=true``) because ``what`` cannot be used."""
    reason = f"{what} is not importable ({type(error).__name__}: {error}); {INSTALL_HINT}"
    if in_ci():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def import_torch() -> ModuleType:
    """The real ``torch`` module (skip locally / fail in CI when absent)."""
    try:
        return importlib.import_module("torch")
    except Exception as error:  # ImportError, or a broken wheel raising OSError
        missing("torch", error)
        raise  # unreachable: missing() always raises


def import_keras() -> ModuleType:
    """The real ``keras`` module running on the PyTorch backend.

    ``KERAS_BACKEND`` is forced to ``torch`` before the import.  If keras was already
    imported in this process with another backend, that is a setup error (fail, never
    compare against a different backend silently).
    """
    already = "keras" in sys.modules
    if not already:
        os.environ["KERAS_BACKEND"] = KERAS_BACKEND
    import_torch()  # the backend itself: same skip/fail rule, clearer reason
    try:
        keras = importlib.import_module("keras")
    except Exception as error:
        missing(f"keras (KERAS_BACKEND={KERAS_BACKEND})", error)
        raise
    backend = keras.backend.backend()
    if backend != KERAS_BACKEND:
        pytest.fail(
            f"keras was imported with backend {backend!r}, the cross-checks need {KERAS_BACKEND!r}: "
            f"set KERAS_BACKEND={KERAS_BACKEND} before anything imports keras",
            pytrace=False,
        )
    return keras


def import_onnx() -> ModuleType:
    """The real ``onnx`` package (its reference evaluator runs the ONNX operators; the legacy
    cross-checks use it for the ONNX layout), with the same skip/fail rule."""
    try:
        return importlib.import_module("onnx")
    except Exception as error:
        missing("onnx", error)
        raise
