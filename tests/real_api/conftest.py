"""Fixtures for live, record and replay tests: a real Kinto server, private ledgers."""

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from kinto_server import KintoServer, kinto_available  # noqa: E402


@pytest.fixture(scope="session")
def kinto(tmp_path_factory):
    """One Kinto server per test process, started and stopped by the tests themselves."""
    if not kinto_available():
        pytest.skip("kinto is not installed (pip install -e '.[kinto]')")
    server = KintoServer(tmp_path_factory.mktemp("kinto")).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Ledgers of crashed runs go to a folder of this test, never the user's state dir."""
    state = tmp_path / "state"
    monkeypatch.setenv("CONNECTOR_CONFORMANCE_STATE_DIR", str(state))
    return state
