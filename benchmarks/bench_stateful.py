"""How fast does the stateful sync test drive a connector, and how long is the default suite?

Runs `sync.stateful` on the example cats connector in mock mode, once with the mock reached
in-process through respx and once over the loopback server, counting connector operations
(init and the six calls, the final sync and the gets of the invariant included) per second of
check time; then times the whole default suite (`pytest --connector=examples/cats`) through
each transport. Figures go side by side in one table.

Run: ``python benchmarks/bench_stateful.py [examples]`` (default 20, the fast profile's count).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conformance.checks import BY_ID  # noqa: E402
from conformance.checks.api import DEFAULT_STEPS  # noqa: E402
from conformance.connector import session as session_module  # noqa: E402
from conformance.connector.load import load_connector  # noqa: E402
from conformance.runner import Options, run_check  # noqa: E402

EXAMPLE = ROOT / "examples" / "cats"


def stateful_rate(transport: str, examples: int) -> tuple[int, float, float, str]:
    """(connector operations, check seconds, seconds inside init, status) of one run."""
    counted = 0
    in_init = 0.0
    original = session_module.Session._run

    def counting(self, method, coro, args):
        nonlocal counted, in_init
        counted += 1
        started = time.perf_counter()
        try:
            return original(self, method, coro, args)
        finally:
            if method == "init":
                in_init += time.perf_counter() - started

    session_module.Session._run = counting
    try:
        spec = load_connector(str(EXAMPLE))
        options = Options(examples=examples, transport=transport)
        outcome = run_check(BY_ID["sync.stateful"], spec, options)
    finally:
        session_module.Session._run = original
    return counted, outcome.duration, in_init, outcome.status


def suite_seconds(transport: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", f"--connector={EXAMPLE}", "-q", "-p", "no:cacheprovider",
         f"--connector-transport={transport}"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-200:]
    return elapsed, summary


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    rows = []
    for transport in ("respx", "loopback"):
        ops, seconds, in_init, status = stateful_rate(transport, examples)
        suite, summary = suite_seconds(transport)
        rows.append((transport, ops, seconds, in_init, ops / seconds, status, suite, summary))
    print(f"sync.stateful on examples/cats, {examples} examples x {DEFAULT_STEPS} steps\n")
    header = (
        "transport", "operations", "check s", "of which init s", "ops/s", "status", "suite s",
        "suite result",
    )  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for transport, ops, seconds, in_init, rate, status, suite, summary in rows:
        print(
            f"| {transport} | {ops} | {seconds:.2f} | {in_init:.2f} | {rate:.0f} | {status} | "
            f"{suite:.1f} | {summary} |"
        )


if __name__ == "__main__":
    main()
