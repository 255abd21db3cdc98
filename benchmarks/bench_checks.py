"""How fast does the harness check a connector, and what does it cost over bare calls?

Prints, in one run: round-trip examples per second through the `crud.round-trip` check in mock
mode (respx in-process, and the loopback server), beside the same insert-then-get pairs made by
calling the example connector directly with no harness (the floor), and the wall time of the
whole default suite on examples/cats, with pytest's own figure (startup excluded). The machine
is shared, so each figure is the best of several interleaved rounds, and the harness's overhead
is given as the ratio of its time per example to the bare calls' time per pair in the same run
(target: <= 1.5x).

Run: ``python benchmarks/bench_checks.py [examples] [rounds]`` (default 300 and 3).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conformance.checks import BY_ID  # noqa: E402
from conformance.checks.strategies import records  # noqa: E402
from conformance.connector.load import load_connector  # noqa: E402
from conformance.options import Options  # noqa: E402
from conformance.runner import run_check  # noqa: E402

EXAMPLE = ROOT / "examples" / "cats"


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

    async def run() -> float:
        connector = spec.runtime.factory()
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


def harness_pairs(n: int, transport: str) -> float:
    spec = load_connector(str(EXAMPLE))
    outcome = run_check(BY_ID["crud.round-trip"], spec, Options(examples=n, transport=transport))
    assert outcome.status == "passed", outcome.render()
    return n / outcome.duration


def default_suite_seconds() -> tuple[float, float]:
    """(wall seconds of the subprocess, pytest's own figure from its summary line)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", f"--connector={EXAMPLE}", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    found = re.search(r" in ([0-9.]+)s", done.stdout.strip().splitlines()[-1])
    return wall, float(found.group(1)) if found else float("nan")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    bare = respx = loopback = 0.0
    suite = (float("inf"), float("inf"))
    for _ in range(rounds):
        bare = max(bare, bare_pairs(n))
        respx = max(respx, harness_pairs(n, "respx"))
        loopback = max(loopback, harness_pairs(n, "loopback"))
        suite = min(suite, default_suite_seconds(), key=lambda pair: pair[1])
    rows = [
        ("bare connector calls, respx (floor)", f"{bare:,.0f} pairs/s", "1.00x"),
        ("crud.round-trip check, respx", f"{respx:,.0f} examples/s", f"{bare / respx:.2f}x"),
        ("crud.round-trip check, loopback", f"{loopback:,.0f} examples/s", ""),
        ("default suite on examples/cats, wall", f"{suite[0]:.2f} s", ""),
        ("default suite on examples/cats, pytest's figure", f"{suite[1]:.2f} s", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{n} examples, best of {rounds} interleaved rounds; 'x floor' = time per example")
    print("over the bare calls' time per insert+get pair, in this run (target <= 1.5x)\n")
    print(f"{'what':<{width}}  {'figure':>16}  x floor")
    print(f"{'-' * width}  {'-' * 16}  -------")
    for name, figure, ratio in rows:
        print(f"{name:<{width}}  {figure:>16}  {ratio}")


if __name__ == "__main__":
    main()
