"""What does a connector's first call pay for the runtime being new, beside a later call?

A correct connector must never be reported as hanging because the harness's own start-up
(spawning the worker, its imports, the first TLS context) was charged to its first call's
per-call timeout. This starts a fresh runtime in a fresh process and times, for the example
cats connector: the runtime's start (outside any timeout), loading the module (outside), the
first scope's `create()` + `init` (inside init's timeout: what a user's --connector-timeout
must cover), and a second scope's `create()` + `init` beside it (the floor: nothing is new).
The first init still builds the connector's own TLS context (its own work, as inline).

Run: ``python benchmarks/bench_first_call.py [rounds]`` (default 5, each in a new process;
CONFORMANCE_BENCH_TINY=1: 1). Rows: [isolated worker] (the default) and [inline].
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import ISOLATION_ENV, size  # noqa: E402

ACCOUNT = {"apiToken": "t", "baseUrl": "http://127.0.0.1:9"}  # init makes no request
PROBE = """
import json, sys, time
started = time.perf_counter()
from conformance.runtime import python_process
from conformance.connector.load import load_connector
from conformance.runtime.session import Session
imported = time.perf_counter()
if python_process.isolated():
    python_process.worker()
ready = time.perf_counter()
spec = load_connector(sys.argv[1])
loaded = time.perf_counter()
first = Session(spec.create(), json.loads(sys.argv[2]), timeout=60)
first_done = time.perf_counter()
second = Session(spec.create(), json.loads(sys.argv[2]), timeout=60)
second_done = time.perf_counter()
print(json.dumps({"runtime start": ready - imported, "module load": loaded - ready,
                  "first create+init": first_done - loaded,
                  "second create+init": second_done - first_done}))
"""
CONFIGS = (("isolated worker", "process"), ("inline", "inline"))


def one(isolation: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "examples" / "cats"), json.dumps(ACCOUNT)],
        cwd=ROOT,
        env={**os.environ, ISOLATION_ENV: isolation, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    rounds = int(size(1, 5, 1))
    runs: dict[str, list[dict[str, float]]] = {config: [] for config, _ in CONFIGS}
    for _ in range(rounds):  # interleaved: load drifts over both alike
        for config, isolation in CONFIGS:
            runs[config].append(one(isolation))
    print(f"examples/cats, a fresh process per round, median of {rounds} (ms)\n")
    print(f"{'what [configuration]':<44} {'median ms':>10}  beside")
    for config, _ in CONFIGS:
        medians = {k: statistics.median(r[k] for r in runs[config]) * 1000 for k in runs[config][0]}
        floor = medians["second create+init"]
        for what, ms in medians.items():
            beside = "(outside any call's timeout)"
            if what == "first create+init":
                beside = f"{ms / floor:.1f}x the second: within init's timeout"
            elif what == "second create+init":
                beside = "the floor: nothing new"
            print(f"{f'{what} [{config}]':<44} {ms:>10.1f}  {beside}")


if __name__ == "__main__":
    main()
