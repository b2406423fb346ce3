"""Shared pytest fixtures.

``real_keras`` / ``real_torch``: the real frameworks for the cross-checks (skip locally when
absent, fail when ``CI=true``; the rule lives in ``tests/frameworks.py``).
"""

from __future__ import annotations

import pytest

import frameworks

# built_site, site_dir, site_url, browser, open_page: one of each per test session
pytest_plugins = ["browser_support"]


@pytest.fixture(scope="session")
def real_torch():
    """The real ``torch`` module."""
    return frameworks.import_torch()


@pytest.fixture(scope="session")
def real_keras():
    """The real ``keras`` module on the PyTorch backend (``KERAS_BACKEND=torch``)."""
    return frameworks.import_keras()



@pytest.fixture
def float64_keras(real_keras):
    """Real keras computing in float64 for the duration of one test."""
    real_keras.config.set_floatx("float64")
    real_keras.config.set_dtype_policy("float64")
    yield real_keras
    real_keras.config.set_floatx("float32")
    real_keras.config.set_dtype_policy("float32")


@pytest.fixture(scope="session", autouse=True)
def shared_render_cache(tmp_path_factory):
    """The builds of the suite's project copies share one rendering cache (it changes no byte
    of a site: tests/test_render_cache.py proves it on a cache of the project's own), so each
    copy does not highlight and index the same pages afresh.  Shared by the xdist workers."""
    import os

    from lstm_docs import render_cache

    directory = tmp_path_factory.getbasetemp().parent / "render-cache"
    os.environ[render_cache.DIR_ENV] = str(directory)
    yield directory


@pytest.fixture(scope="session", autouse=True)
def shared_builds(tmp_path_factory):
    """Under xdist, the workers of one run share the project's strict build (made once, by
    the first worker that needs it; ``browser_support.SHARED_BUILDS``).  The directory is
    named after the run, so a later run never reads an earlier run's site."""
    import os

    import browser_support

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        yield None
        return
    directory = tmp_path_factory.getbasetemp().parent / f"builds-{run}"
    os.environ[browser_support.SHARED_BUILDS] = str(directory)
    yield directory

