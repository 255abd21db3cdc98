"""How fast does the stateful sync test drive a connector, and how long is the default suite?

Runs `sync.stateful` on the example cats connector in mock mode (respx in-process, then the
loopback server) and counts connector operations (init and the six calls, the final sync and
the gets of the invariant included) per second of check time. Beside that figure, in the same
run, it prints two floors measured during the very same check:

- "in calls": the operations over the time spent inside the harness's calls into the connector
  (the connector's work plus the harness's event-loop round trip and timeout per call);
- "connector": the operations over the time spent inside the connector's own coroutines.

The gap between the check's rate and those floors is the harness (hypothesis, per-scope setup,
bookkeeping). The "per-client TLS" row runs the same connector with the TLS context built for
every client, as httpx does when no `verify=` context is passed, to show what sharing one
context per process saves. The machine is shared, so each row is the best of several rounds
after a warm-up run. Last, it times the whole default suite (`pytest --connector=examples/cats`)
through each transport, with pytest's own figure.

The check runs in the default configuration (the isolated Python worker) and inline; the
"connector" floor can only be measured inline (the worker's coroutines are in another process),
and the per-client TLS row needs the module in this process too. Each row says where it ran.

Run: ``python benchmarks/bench_stateful.py [examples] [rounds]`` (default 20, the fast
profile's count, and 3 rounds; CONFORMANCE_BENCH_TINY=1: 2 examples, 1 round, one check).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import ISOLATION_ENV, TINY, size, suite_name, suite_seconds  # noqa: E402

from conformance.checks import BY_ID  # noqa: E402
from conformance.connector.load import ConnectorSpec, load_connector  # noqa: E402
from conformance.options import DEFAULT_STEPS, Options  # noqa: E402
from conformance.runner import run_check  # noqa: E402
from conformance.runtime import python as python_runtime  # noqa: E402
from conformance.runtime import session as session_module  # noqa: E402

EXAMPLE = ROOT / "examples" / "cats"


@dataclass
class Run:
    operations: int = 0
    seconds: float = 0.0  # the check's own duration
    in_calls: float = 0.0  # inside Session._run: connector + the harness's loop round trip
    in_connector: float = 0.0  # inside the connector's coroutines
    in_init: float = 0.0  # inside init calls (creating the HTTP client)
    status: str = ""

    @property
    def rate(self) -> float:
        return self.operations / self.seconds


@contextmanager
def counting(run: Run):
    """Count and time every connector call the check makes, at both layers."""
    original_run = session_module.Session._run
    original_call = python_runtime.PythonConnector._call

    def timed_run(self, method, args, shown=()):
        run.operations += 1
        started = time.perf_counter()
        try:
            return original_run(self, method, args, shown)
        finally:
            elapsed = time.perf_counter() - started
            run.in_calls += elapsed
            if method == "init":
                run.in_init += elapsed

    async def timed_call(self, name, *args):
        started = time.perf_counter()
        try:
            return await original_call(self, name, *args)
        finally:
            run.in_connector += time.perf_counter() - started

    session_module.Session._run = timed_run
    python_runtime.PythonConnector._call = timed_call
    try:
        yield
    finally:
        session_module.Session._run = original_run
        python_runtime.PythonConnector._call = original_call


@contextmanager
def tls_context_per_client(spec: ConnectorSpec):
    """Make the example build a TLS context for every client again (what it did before)."""
    module = sys.modules[spec.runtime.factory.__module__]
    shared = module._tls_context
    module._tls_context = httpx.create_ssl_context
    try:
        yield
    finally:
        module._tls_context = shared


def stateful_run(spec: ConnectorSpec, transport: str, examples: int) -> Run:
    run = Run()
    options = Options(examples=examples, transport=transport)
    with counting(run):
        outcome = run_check(BY_ID["sync.stateful"], spec, options)
    run.seconds, run.status = outcome.duration, outcome.status
    return run


def best_of(rounds: int, measure: Callable[[], Run]) -> Run:
    """The fastest of ``rounds`` runs: load on the shared machine only ever slows one down."""
    return max((measure() for _ in range(rounds)), key=lambda run: run.rate)


def load(isolation: str) -> ConnectorSpec:
    os.environ[ISOLATION_ENV] = isolation
    try:
        return load_connector(str(EXAMPLE))
    finally:
        del os.environ[ISOLATION_ENV]


def main() -> None:
    examples = int(size(1, 20, 2))
    rounds = int(size(2, 3, 1))
    worker, inline = load("process"), load("inline")
    for spec in (worker, inline):  # warm-up: imports, strategies, the shared TLS context
        stateful_run(spec, "respx", examples)

    def per_client_tls() -> Run:
        with tls_context_per_client(inline):
            return stateful_run(inline, "respx", examples)

    def check(spec: ConnectorSpec, transport: str) -> Run:
        return best_of(rounds, lambda: stateful_run(spec, transport, examples))

    rows = [
        ("respx [isolated worker]", check(worker, "respx")),
        ("respx [inline]", check(inline, "respx")),
        ("respx, per-client TLS [inline]", best_of(rounds, per_client_tls)),
        ("loopback [isolated worker]", check(worker, "loopback")),
        ("loopback [inline]", check(inline, "loopback")),
    ]
    # The connector's own rate, the floor of every row: measurable only where it runs in here.
    floor = max(
        (run.operations / run.in_connector for _, run in rows if run.in_connector), default=0.0
    )
    print(f"sync.stateful on examples/cats, {examples} examples x {DEFAULT_STEPS} steps, ")
    print(f"best of {rounds} rounds after a warm-up; floors measured inside the same check;")
    print(f"the connector's own rate (best inline row): {floor:.0f} ops/s\n")
    header = (
        "transport [configuration]", "operations", "check s", "ops/s", "x connector's rate",
        "in calls s", "ops/s in calls", "in connector s", "ops/s in connector", "of which init s",
        "status",
    )  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, run in rows:
        own = "n/a (another process) | n/a"
        if run.in_connector:
            own = f"{run.in_connector:.2f} | {run.operations / run.in_connector:.0f}"
        print(
            f"| {name} | {run.operations} | {run.seconds:.2f} | {run.rate:.0f} | "
            f"{run.rate / floor:.2f}x | {run.in_calls:.2f} | {run.operations / run.in_calls:.0f} | "
            f"{own} | "
            f"{run.in_init:.2f} | {run.status} |"
        )
    print(f"\n| {suite_name()} on examples/cats [configuration] | wall s | pytest's s |")
    print("|---|---|---|")
    for transport in ("respx", "loopback"):
        for isolation, config in (("process", "isolated worker"), ("inline", "inline")):
            wall, figure = suite_seconds(
                EXAMPLE, f"--connector-transport={transport}", env={ISOLATION_ENV: isolation}
            )
            print(f"| {transport} [{config}] | {wall:.1f} | {figure:.2f} |")
        if TINY:
            break


if __name__ == "__main__":
    main()
