"""api.delays: a slow response, whose work is done before the client hears about it.

The harness uses it for "a slow response beyond a timeout" and for writes that land between a
request and its (late) response; the wait must not block an async client's event loop, or a
timeout around the call could never fire.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

AUTH = {"Authorization": "Bearer good-token"}
BASE = "https://api.cats.test"


def _slow_listing(seconds: float):
    return lambda request, response: (
        seconds if request.method == "GET" and request.path == "/cats" else None
    )


def test_async_client_awaits_the_delay_so_a_timeout_around_the_call_fires(api):
    # A minute's delay against a 0.05 s timeout: if the delay blocked the event loop the timeout
    # could fire only after the minute; the bound below holds on any machine, however busy.
    api.delays.append(_slow_listing(60))

    async def main() -> float:
        async with httpx.AsyncClient(base_url=BASE, headers=AUTH) as client:
            started = time.perf_counter()
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.get("/cats"), 0.05)
            return time.perf_counter() - started

    with api.mock_httpx():
        assert asyncio.run(main()) < 30


def test_async_client_gets_the_full_response_after_the_delay(api):
    api.delays.append(_slow_listing(0.1))

    async def main() -> tuple[httpx.Response, float]:
        async with httpx.AsyncClient(base_url=BASE, headers=AUTH) as client:
            await client.post("/cats", json={"name": "Tom"})
            started = time.perf_counter()
            response = await client.get("/cats")
            return response, time.perf_counter() - started

    with api.mock_httpx():
        response, elapsed = asyncio.run(main())
    assert elapsed >= 0.1
    assert [cat["name"] for cat in response.json()] == ["Tom"]


def test_the_write_is_done_before_the_late_response_arrives(api):
    """A POST held back is already committed: the state a retrying client must not duplicate."""
    api.delays.append(lambda request, response: 0.3 if request.method == "POST" else None)

    async def main() -> None:
        async with httpx.AsyncClient(base_url=BASE, headers=AUTH) as client:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.post("/cats", json={"name": "Tom"}), 0.05)

    with api.mock_httpx():
        asyncio.run(main())
    assert [cat["name"] for cat in api.records()] == ["Tom"]


def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record every time.sleep (and still sleep): which calls were held back, not how long a
    busy machine took, is what a test can assert on."""
    slept: list[float] = []
    real = time.sleep

    def spy(seconds: float) -> None:
        slept.append(seconds)
        real(seconds)

    monkeypatch.setattr(time, "sleep", spy)
    return slept


def test_sync_client_via_respx_sleeps(api, monkeypatch):
    slept = sleeps(monkeypatch)
    api.delays.append(_slow_listing(0.1))
    with api.mock_httpx(), httpx.Client(base_url=BASE, headers=AUTH) as client:
        started = time.perf_counter()
        assert client.get("/cats").status_code == 200
        assert time.perf_counter() - started >= 0.1
        assert slept == [0.1]
        client.post("/cats", json={"name": "Tom"})
        assert slept == [0.1], "only responses the hook names are late"


def test_loopback_delay_trips_the_clients_own_timeout(api):
    api.delays.append(_slow_listing(0.5))
    with (
        api.serve() as url,
        httpx.Client(base_url=url, headers=AUTH, timeout=0.1) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.get("/cats")


def test_the_longest_requested_delay_wins_and_reset_clears_delays(api, call, monkeypatch):
    slept = sleeps(monkeypatch)
    api.delays.append(lambda request, response: 0.05)
    api.delays.append(lambda request, response: 0.12)
    api.delays.append(lambda request, response: None)
    started = time.perf_counter()
    assert call("GET", "/cats").status == 200
    assert time.perf_counter() - started >= 0.12
    assert slept == [0.12]
    api.reset()
    assert api.delays == []
    call("GET", "/cats")
    assert slept == [0.12]
