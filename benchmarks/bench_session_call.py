"""The per-call wrapper alone: `Session._run`'s way of running one connector call, old and new.

Runs a trivial coroutine (no I/O, so only the wrapper is measured) through
`loop.run_until_complete(asyncio.wait_for(coro, t))` (before: a second Task per call) and
through `loop.run_until_complete(_within(coro, t))` (now: `asyncio.timeout` in the one Task),
and through a `Session` of a stub connector, with the result's rendering deferred. Interleaved
rounds, best of each. No connector runs [stub connector, in process]. Run:
`python benchmarks/bench_session_call.py [calls] [rounds]`
(CONFORMANCE_BENCH_TINY=1: 200 calls, 1 round).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import size  # noqa: E402

from conformance.runtime.session import Session, _short, _within  # noqa: E402

RESULT = {"entries": [{"id": str(i), "name": "Tom", "notes": "x" * 40} for i in range(20)]}


async def call() -> dict:
    return RESULT


class Stub:
    async def init(self, account: dict) -> None:
        return None

    async def patch(self, id: str, value: dict) -> dict:
        return RESULT

    async def close(self) -> None:
        return None


def per_call(run, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        run()
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    n = int(size(1, 20_000, 200))
    rounds = int(size(2, 5, 1))
    loop = asyncio.new_event_loop()
    session = Session(Stub(), {}, timeout=10)  # type: ignore[arg-type]

    def old() -> None:  # before: wait_for's Task, and the result rendered for the log
        _short(loop.run_until_complete(asyncio.wait_for(call(), 10)), 120)

    def new() -> None:
        loop.run_until_complete(_within(call(), 10))

    def whole() -> None:
        session.patch("1", {})
        session.calls.clear()

    best = {"before (wait_for + render)": [], "now (_within)": [], "Session.patch, now": []}
    for _ in range(rounds):
        for times, fn in zip(best.values(), (old, new, whole), strict=True):
            times.append(per_call(fn, n))
    print(f"{n} calls x {rounds} interleaved rounds, best round, µs per call\n")
    print("| wrapper | µs/call |\n| --- | ---: |")
    for name, times in best.items():
        print(f"| {name} | {min(times):.1f} |")
    session.close()
    loop.close()


if __name__ == "__main__":
    main()
