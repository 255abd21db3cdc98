"""How fast is the cats mock through each way of reaching it?

Conformance suites make thousands of requests, so the mock's transport must not dominate run
time. This runs one request mix (POST, GET, PATCH, list with q) through the bare ``handle()``
core, respx-mocked httpx (async and sync), a bare ``httpx.MockTransport`` calling the very
handler respx routes to (the no-respx floor for in-process httpx), and httpx over the loopback
server, and prints them side by side.

The machine is shared and its load changes from second to second, so respx and its floor are
measured in small interleaved batches (a few dozen requests each, in turn, until each has had
its time budget): both see the same load, and the share of the floor they print (target:
>= 75 %) holds for the run, whatever the absolute figures. The core and loopback rows are
measured on their own, before and after.

Run: ``python benchmarks/bench_mock_api.py [seconds-per-transport]`` (default 1 s;
CONFORMANCE_BENCH_TINY=1: 0.05 s). No connector runs: the rows are the mock's transports
[no connector].
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import httpx
from bench_common import TINY

try:
    from mock_api import CatsAPI
    from mock_api.respx_transport import handler_for
    from mock_api.wire import encode_json
except ImportError:  # run from a checkout without installing: python benchmarks/...
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from mock_api import CatsAPI
    from mock_api.respx_transport import handler_for
    from mock_api.wire import encode_json

AUTH = {"Authorization": "Bearer bench"}
BASE = "https://api.cats.test"
MIX = 4  # requests per round: POST, GET, PATCH, list
BATCH = 8  # rounds per interleaved batch
TLS = httpx.create_ssl_context()  # one for every client below: building one per client is slow

Send = Callable[[str, str, Any], tuple[int, Any]]
AsyncSend = Callable[[str, str, Any], Awaitable[tuple[int, Any]]]
Batch = Callable[[int], float]  # run n rounds, return the seconds they took


def _round(send: Send, i: int) -> None:
    status, cat = send("POST", "/cats", {"name": f"cat{i}", "age": i % 30, "toys": []})
    assert status == 201, status
    assert send("GET", f"/cats/{cat['id']}", None)[0] == 200
    assert send("PATCH", f"/cats/{cat['id']}", {"fluffiness": i % 100})[0] == 200
    listing = f"/cats?q=lastModified%20ge%20{cat['lastModified']}&limit=10"
    assert send("GET", listing, None)[0] == 200


async def _async_round(send: AsyncSend, i: int) -> None:
    status, cat = await send("POST", "/cats", {"name": f"cat{i}", "age": i % 30, "toys": []})
    assert status == 201, status
    assert (await send("GET", f"/cats/{cat['id']}", None))[0] == 200
    assert (await send("PATCH", f"/cats/{cat['id']}", {"fluffiness": i % 100}))[0] == 200
    listing = f"/cats?q=lastModified%20ge%20{cat['lastModified']}&limit=10"
    assert (await send("GET", listing, None))[0] == 200


def sync_batch(client: httpx.Client, active: Callable[[], AbstractContextManager[Any]]) -> Batch:
    def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        resp = client.request(method, path, json=body)
        return resp.status_code, resp.json() if resp.content else None

    def run(rounds: int) -> float:
        with active():
            start = time.perf_counter()
            for i in range(rounds):
                _round(send, i)
            return time.perf_counter() - start

    return run


def async_batch(
    loop: asyncio.AbstractEventLoop,
    client: httpx.AsyncClient,
    active: Callable[[], AbstractContextManager[Any]],
) -> Batch:
    async def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        resp = await client.request(method, path, json=body)
        return resp.status_code, resp.json() if resp.content else None

    async def rounds_of(rounds: int) -> float:
        start = time.perf_counter()
        for i in range(rounds):
            await _async_round(send, i)
        return time.perf_counter() - start

    def run(rounds: int) -> float:
        with active():
            return loop.run_until_complete(rounds_of(rounds))

    return run


def interleaved(ways: dict[str, Batch], budget: float) -> Iterator[tuple[str, int, float]]:
    """Run the ways in turn, a batch each, until every one has spent ``budget`` seconds."""
    spent = dict.fromkeys(ways, 0.0)
    done = dict.fromkeys(ways, 0)
    while min(spent.values()) < budget:
        for label, run in ways.items():
            spent[label] += run(BATCH)
            done[label] += BATCH * MIX
    for label in ways:
        yield label, done[label], spent[label]


def alone(run: Batch, budget: float) -> tuple[int, float]:
    spent, done = 0.0, 0
    while spent < budget:
        spent += run(BATCH)
        done += BATCH * MIX
    return done, spent


def main(budget: float) -> list[tuple[str, int, float]]:
    api = CatsAPI(tokens={"bench"})

    def bare(method: str, path: str, body: Any) -> tuple[int, Any]:
        headers = dict(AUTH, **({"Content-Type": "application/json"} if body else {}))
        resp = api.handle(method, BASE + path, headers, encode_json(body) if body else b"")
        return resp.status, resp.json() if resp.body else None

    def core(rounds: int) -> float:
        start = time.perf_counter()
        for i in range(rounds):
            _round(bare, i)
        return time.perf_counter() - start

    results = [("handle() core", *alone(core, budget))]
    floor = httpx.MockTransport(handler_for(api, BASE))  # the handler respx routes to
    loop = asyncio.new_event_loop()
    common: dict[str, Any] = {"base_url": BASE, "headers": AUTH, "verify": TLS}
    with (
        httpx.Client(**common) as sync_client,
        httpx.Client(transport=floor, **common) as sync_floor,
    ):
        async_client = httpx.AsyncClient(**common)
        async_floor = httpx.AsyncClient(transport=floor, **common)
        ways = {
            "httpx.AsyncClient + respx": async_batch(loop, async_client, api.mock_httpx),
            "httpx.AsyncClient + MockTransport": async_batch(loop, async_floor, nullcontext),
            "httpx.Client + respx": sync_batch(sync_client, api.mock_httpx),
            "httpx.Client + MockTransport": sync_batch(sync_floor, nullcontext),
        }
        results += interleaved(ways, budget)
        loop.run_until_complete(async_client.aclose())
        loop.run_until_complete(async_floor.aclose())
    loop.close()
    with api.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as client:
        results.append(
            ("httpx.Client -> loopback server", *alone(sync_batch(client, nullcontext), budget))
        )
    return results


FLOOR_OF = {
    "httpx.AsyncClient + respx": "httpx.AsyncClient + MockTransport",
    "httpx.Client + respx": "httpx.Client + MockTransport",
}


def print_table(results: list[tuple[str, int, float]]) -> None:
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
    print(f"mix per round: POST, GET, PATCH, list(q ge, limit=10); python {sys.version.split()[0]}")
    print(f"respx and MockTransport rows interleaved in batches of {BATCH * MIX} requests;")
    print("'of floor': respx's rate over the bare MockTransport's, same client class (target 75 %)")


if __name__ == "__main__":
    print_table(main(float(sys.argv[1]) if len(sys.argv) > 1 else (0.05 if TINY else 1.0)))
