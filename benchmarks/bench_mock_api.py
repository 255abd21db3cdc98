"""How fast is the cats mock through each way of reaching it?

Conformance suites make thousands of requests, so the mock's transport must not dominate run
time. This runs one request mix (POST, GET, PATCH, list with q) through the bare ``handle()``
core, respx-mocked httpx (async and sync), plain ``httpx.MockTransport`` (the no-respx floor
for in-process httpx), and httpx over the loopback server, and prints them side by side.

The machine is shared, so every transport is measured in each of several rounds, interleaved,
and the best round counts (load only ever slows a round down). Each respx row is also given
as a share of the bare ``MockTransport`` floor measured in the same run (target: >= 75 %).

Run: ``python benchmarks/bench_mock_api.py [seconds-per-transport] [rounds]`` (default 0.5 s,
capped at 3000 requests each, 3 rounds).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

AUTH = {"Authorization": "Bearer bench"}
BASE = "https://api.cats.test"
MAX_REQUESTS = 3000
MIX = 4  # requests per round: POST, GET, PATCH, list

Send = Callable[[str, str, Any], tuple[int, Any]]


def _round(send: Send, i: int) -> None:
    status, cat = send("POST", "/cats", {"name": f"cat{i}", "age": i % 30, "toys": []})
    assert status == 201, status
    assert send("GET", f"/cats/{cat['id']}", None)[0] == 200
    assert send("PATCH", f"/cats/{cat['id']}", {"fluffiness": i % 100})[0] == 200
    listing = f"/cats?q=lastModified%20ge%20{cat['lastModified']}&limit=10"
    assert send("GET", listing, None)[0] == 200


def _run_sync(send: Send, budget: float) -> tuple[int, float]:
    start = time.perf_counter()
    n = 0
    while n < MAX_REQUESTS and time.perf_counter() - start < budget:
        _round(send, n)
        n += MIX
    return n, time.perf_counter() - start


async def _run_async(
    send: Callable[[str, str, Any], Awaitable[tuple[int, Any]]], budget: float
) -> tuple[int, float]:
    start = time.perf_counter()
    n = 0
    while n < MAX_REQUESTS and time.perf_counter() - start < budget:
        status, cat = await send("POST", "/cats", {"name": f"cat{n}", "age": 3, "toys": []})
        assert status == 201
        assert (await send("GET", f"/cats/{cat['id']}", None))[0] == 200
        assert (await send("PATCH", f"/cats/{cat['id']}", {"fluffiness": 5}))[0] == 200
        listing = f"/cats?q=lastModified%20ge%20{cat['lastModified']}&limit=10"
        assert (await send("GET", listing, None))[0] == 200
        n += MIX
    return n, time.perf_counter() - start


def _httpx_send(client: httpx.Client) -> Send:
    def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        resp = client.request(method, path, json=body)
        return resp.status_code, resp.json() if resp.content else None

    return send


def _async_httpx_send(
    client: httpx.AsyncClient,
) -> Callable[[str, str, Any], Awaitable[tuple[int, Any]]]:
    async def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        resp = await client.request(method, path, json=body)
        return resp.status_code, resp.json() if resp.content else None

    return send


def main(budget: float, rounds: int = 3) -> list[tuple[str, int, float]]:
    """The best of ``rounds`` interleaved rounds, per transport."""
    best: dict[str, tuple[str, int, float]] = {}
    for _ in range(rounds):
        for label, count, seconds in one_round(budget):
            if label not in best or count / seconds > best[label][1] / best[label][2]:
                best[label] = (label, count, seconds)
    return list(best.values())


def one_round(budget: float) -> list[tuple[str, int, float]]:
    try:
        from mock_api import CatsAPI
        from mock_api.respx_transport import handler_for
        from mock_api.wire import encode_json
    except ImportError:  # run from a checkout without installing: python benchmarks/...
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from mock_api import CatsAPI
        from mock_api.respx_transport import handler_for
        from mock_api.wire import encode_json

    api = CatsAPI(tokens={"bench"})
    results: list[tuple[str, int, float]] = []

    def bare(method: str, path: str, body: Any) -> tuple[int, Any]:
        headers = dict(AUTH, **({"Content-Type": "application/json"} if body else {}))
        resp = api.handle(method, BASE + path, headers, encode_json(body) if body else b"")
        return resp.status, resp.json() if resp.body else None

    # The floor: the very handler respx routes to, installed as the client's transport.
    via_mock_transport = handler_for(api, BASE)

    def measure(label: str, run: Callable[[], tuple[int, float]]) -> None:
        api.reset()
        results.append((label, *run()))

    measure("handle() core", lambda: _run_sync(bare, budget))

    async def respx_async() -> tuple[int, float]:
        async with httpx.AsyncClient(base_url=BASE, headers=AUTH) as client:
            return await _run_async(_async_httpx_send(client), budget)

    with api.mock_httpx():
        measure("httpx.AsyncClient + respx", lambda: asyncio.run(respx_async()))
        with httpx.Client(base_url=BASE, headers=AUTH) as client:
            measure("httpx.Client + respx", lambda: _run_sync(_httpx_send(client), budget))

    async def mock_transport_async() -> tuple[int, float]:
        transport = httpx.MockTransport(via_mock_transport)
        async with httpx.AsyncClient(base_url=BASE, headers=AUTH, transport=transport) as client:
            return await _run_async(_async_httpx_send(client), budget)

    measure("httpx.AsyncClient + MockTransport", lambda: asyncio.run(mock_transport_async()))
    transport = httpx.MockTransport(via_mock_transport)
    with httpx.Client(base_url=BASE, headers=AUTH, transport=transport) as client:
        measure("httpx.Client + MockTransport", lambda: _run_sync(_httpx_send(client), budget))

    with api.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as client:
        measure("httpx.Client -> loopback server", lambda: _run_sync(_httpx_send(client), budget))
    return results


FLOOR_OF = {
    "httpx.AsyncClient + respx": "httpx.AsyncClient + MockTransport",
    "httpx.Client + respx": "httpx.Client + MockTransport",
}


def print_table(results: list[tuple[str, int, float]], rounds: int) -> None:
    rates = {label: count / seconds for label, count, seconds in results}
    core_rate = results[0][1] / results[0][2]
    print(
        f"{'transport':<36}{'requests':>9}{'seconds':>9}{'req/s':>10}{'us/req':>9}{'x core':>8}"
        f"{'of floor':>10}"
    )
    for label, count, seconds in results:
        rate = rates[label]
        floor = f"{rate / rates[FLOOR_OF[label]]:>9.0%}" if label in FLOOR_OF else f"{'':>9}"
        print(
            f"{label:<36}{count:>9}{seconds:>9.2f}{rate:>10.0f}{1e6 / rate:>9.0f}"
            f"{core_rate / rate:>8.1f} {floor}"
        )
    print(f"best of {rounds} interleaved rounds; 'of floor': respx's rate over the bare")
    print("MockTransport's with the same client class, in this run (target >= 75 %)")
    print(f"mix per round: POST, GET, PATCH, list(q ge, limit=10); python {sys.version.split()[0]}")


if __name__ == "__main__":
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print_table(main(budget, rounds), rounds)
