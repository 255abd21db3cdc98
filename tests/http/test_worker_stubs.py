"""The same clients in the isolated worker (the default): their requests cross the channel to
the harness and back, and each behaves as inline (tests/http/test_python_stubs.py), binary
bodies included (they travel base64-encoded)."""

from __future__ import annotations

import pytest

from conformance.http.message import Request
from tests.helpers import ROOT
from tests.helpers.http import caught
from tests.helpers.node import call, session
from tests.http.terminal import BASE, BIG, BINARY, Scripted

PROBE = ROOT / "tests" / "connectors" / "http_probe"


@pytest.fixture
def probe():
    api = Scripted()
    with caught(api.pipeline()):
        scope = session(PROBE, {"baseUrl": BASE}, timeout=60)
        try:
            yield scope, api
        finally:
            scope.close()


def test_redirects_are_followed_in_the_worker(probe):
    scope, api = probe
    expected = {"body": {"moved": True}, "history": [302]}
    assert call(scope, "get", "requests-redirect") == expected
    assert call(scope, "get", "aiohttp-redirect") == expected
    assert [r.url for r in api.seen] == [f"{BASE}/old", f"{BASE}/new"] * 2
    assert {r.client for r in api.seen} == {"requests", "aiohttp"}


def test_streamed_and_binary_bodies_cross_the_channel_intact(probe):
    scope, api = probe
    streamed = call(scope, "get", "requests-stream")
    assert streamed["length"] == len(BIG) and streamed["chunks"] > 1
    assert call(scope, "get", "aiohttp-stream") == {"length": len(BIG)}
    assert call(scope, "get", "binary") == {"status": 200, "answer": True}
    assert any(r.body == BINARY for r in api.seen)


def test_client_timeouts_and_retries_work_in_the_worker(probe):
    scope, api = probe
    assert call(scope, "get", "requests-timeout") == {"error": "ReadTimeout"}
    assert call(scope, "get", "aiohttp-timeout")["error"] is not None
    api.busy = 2
    assert call(scope, "get", "retry") == {"ok": True}
    assert [r.method for r in api.seen if r.url.endswith("/busy")] == ["POST"] * 3


@pytest.mark.parametrize("kind", ["connect", "timeout", "blocked"])
def test_harness_failures_reach_each_client_as_its_own_error_in_the_worker(probe, kind):
    scope, _ = probe
    seen = call(scope, "get", f"fail:{kind}")
    assert set(seen) == {"requests", "urllib", "aiohttp"}
    for client, (_, message) in seen.items():
        assert f"harness says {kind}" in message, (client, message)
    expected = "ReadTimeout" if kind == "timeout" else "ConnectionError"
    assert seen["requests"][0] == expected


def test_what_the_worker_sent_is_a_request_of_the_pipeline(probe):
    scope, api = probe
    call(scope, "get", "requests-redirect")
    assert all(isinstance(r, Request) for r in api.seen)
