"""Where does one check's time go? A cProfile of one run, summed into the harness's layers.

The benchmarks say how fast a check is beside its floor; this says what the gap is made of, so
work on the harness starts from measurements. It runs the check once to warm up (imports,
strategies, the example's TLS context), then once under cProfile, and prints two tables:

1. inclusive time of the frames that bound the layers (the connector's coroutines, the harness's
   call wrapper, per-scope setup and teardown, validation, the check's own body), as a share of
   the check, and what is left to hypothesis' engine;
2. self time summed by package (hypothesis, httpx, respx, mock_api, the harness, asyncio, ...).

cProfile slows small Python functions more than large ones, so shares are indicative, not exact.

The check runs in the configuration the environment picks: the isolated Python worker by
default, inline with CONFORMANCE_PYTHON_ISOLATION=inline; the tables say which. In the worker the
connector's own time is in another process: here it shows as the time spent waiting for the
worker's answers (a lock, the event loop's selector), counted as such, not as "builtins".

Run: ``python benchmarks/profile_check.py [check-id] [examples] [transport]``
(default ``sync.stateful 20 respx``; CONFORMANCE_BENCH_TINY=1: 2 examples).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import python_config, size  # noqa: E402

from conformance.checks import BY_ID  # noqa: E402
from conformance.connector.load import load_connector  # noqa: E402
from conformance.options import Options  # noqa: E402
from conformance.runner import run_check  # noqa: E402

EXAMPLE = ROOT / "examples" / "cats"

# (label, file path suffix, function names): inclusive time of each, summed over the names.
LAYERS = [
    ("check, total", "conformance/runner.py", ("run_check",)),
    ("calls into the connector (Session._run)", "conformance/runtime/session.py", ("_run",)),
    ("  inside the connector's coroutines [inline]", "conformance/runtime/python.py", ("_call",)),
    ("  a call to the worker and back [worker]", "conformance/runtime/remote.py", ("_ask",)),
    (
        "  the worker's HTTP requests, relayed [worker]",
        "conformance/runtime/remote.py",
        ("_perform",),
    ),
    ("    of which the mock's handle_timed", "mock_api/base.py", ("handle_timed",)),
    ("    of which init (client creation)", "examples/cats/dataSourceApp.py", ("init",)),
    ("new execution scope (Session.__init__)", "conformance/runtime/session.py", ("__init__",)),
    ("closing scopes (Session.close)", "conformance/runtime/session.py", ("close",)),
    ("result validation (Session._validated)", "conformance/runtime/session.py", ("_validated",)),
    ("mock reset per example", "mock_api/cats.py", ("reset",)),
    ("forall body (crud, updates checks)", "conformance/checks/api.py", ("run",)),
    ("stateful: machine __init__", "conformance/checks/stateful.py", ("__init__",)),
    (
        "stateful: rules",
        "conformance/checks/stateful.py",
        ("start", "insert", "patch", "delete", "sync"),
    ),
    ("stateful: teardown (final sync, invariant)", "conformance/checks/stateful.py", ("teardown",)),
    ("replica apply/differences", "conformance/checks/replica.py", ("apply", "differences")),
]

# Built-ins whose self time is this process waiting: for the worker, an idle event loop, or the
# GIL after a socket call to the worker (the reader thread holds it while it handles the answer).
WAITS = ("acquire", "poll", "select", "wait", "sendall", "recv")
PACKAGES = ("hypothesis", "httpx", "httpcore", "respx", "mock_api", "conformance", "asyncio")


def inclusive(stats: pstats.Stats, suffix: str, names: tuple[str, ...]) -> float:
    """Summed cumulative time of the named functions in files ending with ``suffix``.

    A name that calls itself (or another listed name) would be counted twice; the listed
    frames do not nest within one file.
    """
    return sum(
        entry[3]
        for (path, _line, name), entry in stats.stats.items()  # type: ignore[attr-defined]
        if path.endswith(suffix) and name in names
    )


def package_of(path: str) -> str:
    if "examples/" in path:
        return "connector code"
    for package in PACKAGES:
        if f"/{package}/" in path:
            return package
    if path.startswith("~") or path.startswith("<"):
        return "builtins"
    return "other stdlib"


def category(path: str, name: str) -> str:
    if path.startswith("~") and any(wait in name for wait in WAITS):
        return "waiting (socket to the worker and the GIL back, the worker's answer, idle loop)"
    return package_of(path)


def main() -> None:
    check_id = sys.argv[1] if len(sys.argv) > 1 else "sync.stateful"
    examples = int(size(2, 20, 2))
    transport = sys.argv[3] if len(sys.argv) > 3 else "respx"
    spec = load_connector(str(EXAMPLE))
    options = Options(examples=examples, transport=transport)
    run_check(BY_ID[check_id], spec, options)  # warm-up
    profiler = cProfile.Profile()
    profiler.enable()
    outcome = run_check(BY_ID[check_id], spec, options)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = inclusive(stats, "conformance/runner.py", ("run_check",))
    print(
        f"{check_id} on examples/cats [{python_config()}], {examples} examples, {transport}: "
        f"{outcome.status},"
    )
    print(f"{total:.2f} s under cProfile\n")
    print("| layer (inclusive) | s | share |")
    print("|---|---|---|")
    for label, suffix, names in LAYERS:
        seconds = inclusive(stats, suffix, names)
        if seconds:
            print(f"| {label} | {seconds:.3f} | {seconds / total:.0%} |")
    print("\n| package (self time) | s | share |")
    print("|---|---|---|")
    by_package: Counter[str] = Counter()
    for (path, _line, name), entry in stats.stats.items():  # type: ignore[attr-defined]
        by_package[category(path, name)] += entry[2]
    for package, seconds in by_package.most_common():
        print(f"| {package} | {seconds:.3f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
