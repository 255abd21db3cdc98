"""How fast does the harness check a connector, and what does it cost over bare calls?

Prints, in one run: round-trip examples per second through the `crud.round-trip` check in mock
mode (respx in-process, and the loopback server), beside the same insert-then-get pairs made by
calling the example connector directly with no harness (the floor), and the wall time of the
whole default suite on examples/cats, with pytest's own figure (startup excluded). The machine
is shared, so each figure is the best of several interleaved rounds, and the harness's overhead
is given as the ratio of its time per example to the bare calls' time per pair in the same run
(target: <= 1.5x).

The check runs in the default configuration (the isolated Python worker) and, beside it, inline;
the floor is always inline (the connector's own calls, no harness). Each row says which.

Run: ``python benchmarks/bench_checks.py [examples] [rounds]`` (default 300 and 3;
CONFORMANCE_BENCH_TINY=1: 3 examples, 1 round, the suite narrowed to one check).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import (  # noqa: E402
    ISOLATION_ENV,
    label,
    print_rows,
    size,
    suite_name,
    suite_seconds,
)

from conformance.checks import BY_ID  # noqa: E402
from conformance.checks.strategies import records  # noqa: E402
from conformance.connector.load import load_connector  # noqa: E402
from conformance.options import Options  # noqa: E402
from conformance.runner import run_check  # noqa: E402
from conformance.runtime import python  # noqa: E402

EXAMPLE = ROOT / "examples" / "cats"
ISOLATIONS = (("process", "isolated worker"), ("inline", "inline"))


def bare_pairs(n: int) -> float:
    """insert+get pairs/s calling the connector directly on the respx mock: no harness at all."""
    spec = load_connector(str(EXAMPLE))
    samples: list[dict] = []

    @settings(max_examples=n, database=None, suppress_health_check=list(HealthCheck))
    @given(records(spec.schema))
    def draw(record: dict) -> None:
        samples.append(record)

    draw()
    import mock_api

    api = mock_api.load_mock("cats")(tokens=None)
    runtime = python.load_file(EXAMPLE / python.MODULE_FILE, "cats")  # in this process

    async def run() -> float:
        connector = runtime.factory()
        await connector.init({"apiToken": "t", "baseUrl": api.base_url})
        start = time.perf_counter()
        for record in samples:
            new = await connector.insert(record)
            await connector.get(new["id"])
        elapsed = time.perf_counter() - start
        await connector.aclose()
        return len(samples) / elapsed

    with api.mock_httpx():
        return asyncio.run(run())


def harness_pairs(n: int, transport: str, isolation: str) -> float:
    os.environ[ISOLATION_ENV] = isolation
    try:
        spec = load_connector(str(EXAMPLE))
        options = Options(examples=n, transport=transport)
        outcome = run_check(BY_ID["crud.round-trip"], spec, options)
    finally:
        del os.environ[ISOLATION_ENV]
    assert outcome.status == "passed", outcome.render()
    return n / outcome.duration


def main() -> None:
    n = int(size(1, 300, 3))
    rounds = int(size(2, 3, 1))
    bare = 0.0
    rates = {(t, i): 0.0 for t in ("respx", "loopback") for i, _ in ISOLATIONS}
    suites = {i: (float("inf"), float("inf")) for i, _ in ISOLATIONS}
    for _ in range(rounds):
        bare = max(bare, bare_pairs(n))
        for (transport, isolation), best in rates.items():
            rates[transport, isolation] = max(best, harness_pairs(n, transport, isolation))
        for isolation, _ in ISOLATIONS:
            ran = suite_seconds(EXAMPLE, env={ISOLATION_ENV: isolation})
            suites[isolation] = min(suites[isolation], ran, key=lambda pair: pair[1])
    rows = [
        (label("bare connector calls, respx (floor)", "inline"), f"{bare:,.0f} pairs/s", "1.00x")
    ]
    for (transport, isolation), rate in rates.items():
        config = dict(ISOLATIONS)[isolation]
        rows.append(
            (
                label(f"crud.round-trip check, {transport}", config),
                f"{rate:,.0f} examples/s",
                f"{bare / rate:.2f}x the floor",
            )
        )
    inline_suite = suites["inline"][1]
    for isolation, config in ISOLATIONS:
        wall, figure = suites[isolation]
        rows.append((label(f"{suite_name()} on examples/cats, wall", config), f"{wall:.2f} s", ""))
        rows.append(
            (
                label(f"{suite_name()} on examples/cats, pytest's figure", config),
                f"{figure:.2f} s",
                f"{figure / inline_suite:.2f}x inline",
            )
        )
    print(f"{n} examples, best of {rounds} interleaved rounds; 'x the floor' = time per example")
    print("over the bare calls' time per insert+get pair, in this run (target <= 2.0x)\n")
    print_rows(rows, ("what [configuration]", "figure", "beside"))


if __name__ == "__main__":
    main()
