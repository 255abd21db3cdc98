"""Fixtures shared by test folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.npm import install_clients


@pytest.fixture(scope="session")
def npm_clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with axios, got, node-fetch, superagent and undici installed from the registry."""
    return install_clients(tmp_path_factory.mktemp("npm-clients"))
