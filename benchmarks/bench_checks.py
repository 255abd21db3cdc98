"""How fast does the harness check a connector, and what does it cost over bare calls?

Prints, in one run: round-trip examples per second through the `crud.round-trip` check in mock
mode (respx in-process, and the loopback server), beside the same insert-then-get pairs made by
calling the example connector directly with no harness (the floor), and the wall time of the
whole default suite on examples/cats.

Run: ``python benchmarks/bench_checks.py [examples]`` (default 300).
"""

from __future__ import annotations

import asyncio
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
from conformance.runner import Options, run_check  # noqa: E402

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


def default_suite_seconds() -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", f"--connector={EXAMPLE}", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rows = [
        ("bare connector calls, respx (floor)", f"{bare_pairs(n):,.0f} pairs/s"),
        ("crud.round-trip check, respx", f"{harness_pairs(n, 'respx'):,.0f} examples/s"),
        ("crud.round-trip check, loopback", f"{harness_pairs(n, 'loopback'):,.0f} examples/s"),
        ("default suite on examples/cats (subprocess)", f"{default_suite_seconds():.2f} s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  figure   ({n} examples)")
    print(f"{'-' * width}  ------")
    for name, figure in rows:
        print(f"{name:<{width}}  {figure}")


if __name__ == "__main__":
    main()
