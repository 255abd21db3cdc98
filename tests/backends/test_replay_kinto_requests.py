"""The requests Kinto connector (examples/kinto-requests) replays its committed cassettes: its
requests, caught by the stubs and answered from the tape, never reach a server, even one that is
up at the very address and with the very account the connector was given."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from conformance.recording.audit import audit
from tests.backends.test_replay_kinto_axios import strict_outcomes
from tests.helpers import ROOT
from tests.helpers.kinto import KintoServer, kinto_available

KINTO_REQUESTS = ROOT / "examples" / "kinto-requests"
COMMITTED = ROOT / "cassettes" / "kinto-requests"
REQUEST_LINE = re.compile(r'"(GET|HEAD|POST|PUT|PATCH|DELETE)\s+/v1/')


def test_the_committed_kinto_requests_cassettes_replay_strictly_with_no_server(pytester):
    result = pytester.runpytest(
        f"--connector={KINTO_REQUESTS}",
        "--connector-mode=replay",
        "--connector-strict",
        f"--cassette-dir={COMMITTED}",
    )
    result.assert_outcomes(**strict_outcomes())


def test_the_kinto_requests_cassettes_hold_no_secret_of_its_account():
    account = json.loads((KINTO_REQUESTS / "account.json").read_text())
    assert sorted(p.name for p in COMMITTED.iterdir())
    assert audit([COMMITTED], account) == []


def test_every_cassette_of_a_check_that_calls_the_connector_holds_interactions():
    for cassette in COMMITTED.glob("*.json"):
        if cassette.stem != "interface":  # the load check calls no method that sends
            assert json.loads(cassette.read_text())["interactions"], cassette.name


@pytest.fixture
def logging_kinto(tmp_path, monkeypatch):
    """A Kinto of this test whose access log is written as each request is served."""
    if not kinto_available():
        pytest.skip("kinto is not installed (pip install -e '.[kinto]')")
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    server = KintoServer(tmp_path / "kinto").start()
    yield server
    server.stop()


def _served(server: KintoServer) -> int:
    return len(REQUEST_LINE.findall((server.workdir / "kinto.log").read_text(errors="replace")))


def _until_logged(server: KintoServer, count: int) -> int:
    """The log is written by another process: wait (generously) until it shows `count`."""
    deadline = time.monotonic() + 60
    while _served(server) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return _served(server)


def test_a_replay_with_the_api_up_sends_it_nothing(pytester, logging_kinto):
    connector = logging_kinto.connector_copy(KINTO_REQUESTS, pytester.path / "kinto-requests")
    logging_kinto.records()  # a request of ours: the log is live before the replay starts
    before = _until_logged(logging_kinto, _served(logging_kinto))
    assert before >= 3  # the health check, the account, the listing above

    result = pytester.runpytest(
        f"--connector={connector}",
        "--connector-mode=replay",
        "--connector-strict",
        f"--cassette-dir={COMMITTED}",
    )
    result.assert_outcomes(**strict_outcomes())

    tombstones_too = httpx.get(
        f"{logging_kinto.url}/buckets/default/collections/tasks/records",
        params={"_since": 0},
        auth=(logging_kinto.username, logging_kinto.password),
        timeout=10,
    )
    assert _until_logged(logging_kinto, before + 1) == before + 1  # that listing alone
    assert tombstones_too.status_code in (200, 404)
    assert tombstones_too.status_code == 404 or tombstones_too.json()["data"] == []
