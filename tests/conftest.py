"""Fixtures shared by test folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers.npm import install_clients

# The project's tests explore the same examples on every run, CI or not: hypothesis derandomizes
# only under its "ci" profile (CI set), and a broken connector whose defect only some random
# programs reach must not pass one run in six on a developer's machine.
settings.load_profile("ci")


@pytest.fixture(scope="session")
def npm_clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with axios, got, node-fetch, superagent and undici installed from the registry."""
    return install_clients(tmp_path_factory.mktemp("npm-clients"))
