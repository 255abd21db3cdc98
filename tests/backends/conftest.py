"""Fixtures for live, record and replay tests: real Kinto and Radicale servers, private ledgers."""

import pytest

from tests.helpers.kinto import KintoServer, kinto_available
from tests.helpers.radicale import RadicaleServer, radicale_available


@pytest.fixture(scope="session")
def kinto(tmp_path_factory):
    """One Kinto server per test process, started and stopped by the tests themselves."""
    if not kinto_available():
        pytest.skip("kinto is not installed (pip install -e '.[kinto]')")
    server = KintoServer(tmp_path_factory.mktemp("kinto")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    """One Radicale (CardDAV) server per test process, started and stopped by the tests."""
    if not radicale_available():
        pytest.skip("radicale is not installed (pip install -e '.[dev]')")
    server = RadicaleServer(tmp_path_factory.mktemp("radicale")).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Ledgers of crashed runs go to a folder of this test, never the user's state dir."""
    state = tmp_path / "state"
    monkeypatch.setenv("CONNECTOR_CONFORMANCE_STATE_DIR", str(state))
    return state
