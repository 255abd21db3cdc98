"""Fixtures shared by test folders, and the bytecode cache of the suite's own subprocesses."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers.npm import install_clients

# The project's tests explore the same examples on every run, CI or not: hypothesis derandomizes
# only under its "ci" profile (CI set), and a broken connector whose defect only some random
# programs reach must not pass one run in six on a developer's machine.
settings.load_profile("ci")

PYCACHE = "PYTHONPYCACHEPREFIX"


def pytest_configure(config: pytest.Config) -> None:
    """One bytecode cache for every Python process this run starts, in a folder of its own.

    The suite starts a few hundred processes (`pytest --connector=...`, `syncpeng`, the
    connector's worker, the benchmarks). Where PYTHONDONTWRITEBYTECODE is set, as in this
    project's CI environment, each of them compiled our modules and pytest re-wrote the asserts
    of every plugin package (hypothesis, conformance, anyio, ...) from source: 3-4 s of a 7 s
    one-check run. A run's processes now share one cache, as any install where Python writes
    bytecode does: it is made fresh for the run and removed after (nothing is written into the
    checkout or the venv, and no run reads another's), so what the processes do is unchanged.
    A cache prefix the caller set is theirs and kept; xdist workers inherit the controller's.

    Nothing under the temporary folder is cached: the connector modules tests write (and
    rewrite) live there, and Python trusts a cached .pyc whose source has the same whole-second
    mtime and size, so a same-size edit within a second (tests/ui: an edit picked up on the
    next run) would import the old code. A file where that part of the cache would go makes
    Python skip writing it, silently, as it does for any unwritable cache folder.
    """
    if hasattr(config, "workerinput") or os.environ.get(PYCACHE):
        return
    if config.getoption("--connector", default=None):
        # `pytest --connector=...` in this checkout (the README's main job, a benchmark) also
        # loads this file: a fresh cache there would recompile every installed package.
        return
    prefix = tempfile.mkdtemp(prefix="conformance-tests-pycache-")
    temporary = {tempfile.gettempdir(), os.path.realpath(tempfile.gettempdir())}
    if config.option.basetemp:
        temporary.add(os.path.realpath(config.option.basetemp))
    for folder in temporary:
        blocked = Path(prefix, folder.lstrip(os.sep))
        blocked.parent.mkdir(parents=True, exist_ok=True)
        blocked.touch()
    os.environ[PYCACHE] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    def forget() -> None:
        os.environ.pop(PYCACHE, None)
        shutil.rmtree(prefix, ignore_errors=True)

    config.add_cleanup(forget)


@pytest.fixture(scope="session")
def npm_clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with axios, got, node-fetch, superagent and undici installed from the registry."""
    return install_clients(tmp_path_factory.mktemp("npm-clients"))
