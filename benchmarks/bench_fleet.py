"""How a fleet of connectors scales over pytest-xdist workers: one process vs 1 and 2 workers.

Makes 20 copies of examples/cats in a temporary directory and runs the whole conformance suite
on them with `pytest --connector='<tmp>/*'`, once per configuration, printing the wall times
side by side. Connectors run in the default configuration (the isolated Python worker); the
header says so and how many checks the suite holds. Run: `python benchmarks/bench_fleet.py
[--copies N] [--examples N] [--repeat N]` (CONFORMANCE_BENCH_TINY=1: 2 copies, 2 examples, one
run each, the suite narrowed to one check, no -n 1 row).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import TINY, TINY_SUITE, python_config  # noqa: E402

from conformance.checks import CHECKS  # noqa: E402

CONFIGS = (
    ("no xdist (-p no:xdist)", ["-p", "no:xdist"]),
    ("xdist, 1 worker (-n 1)", ["-n", "1"]),
    ("xdist, 2 workers (-n 2)", ["-n", "2"]),
)


def _spin(_: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(50_000 if TINY else 5_000_000):
        total += i
    return time.perf_counter() - started


def parallel_capacity() -> float:
    """How many CPU-bound processes this machine really runs at once (2.0 = two cores free).

    Printed with the table: on a loaded or throttled machine xdist cannot beat one process,
    and the figures only make sense next to this.
    """
    from concurrent.futures import ProcessPoolExecutor

    one = _spin(0)
    with ProcessPoolExecutor(2) as pool:
        started = time.perf_counter()
        list(pool.map(_spin, [0, 1]))
        both = time.perf_counter() - started
    return 2 * one / both


def make_fleet(root: Path, copies: int) -> None:
    for index in range(copies):
        shutil.copytree(
            ROOT / "examples" / "cats",
            root / f"cats{index:02d}",
            ignore=shutil.ignore_patterns("__pycache__"),
        )


def run(fleet: Path, extra: list[str], examples: int) -> tuple[float, float]:
    """Wall time of one run, and the sum of its checks' own durations (from conformance.json).

    When workers really run in parallel the sum stays put and the wall time drops; when they
    fight over the same core the sum grows instead.
    """
    command = [
        sys.executable,
        "-m",
        "pytest",
        f"--connector={fleet}/*",
        f"--connector-examples={examples}",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--connector-report={fleet.parent / 'report'}",
        *(TINY_SUITE if TINY else []),
        *extra,
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=fleet.parent, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    report = json.loads((fleet.parent / "report" / "conformance.json").read_text())
    return elapsed, sum(r["duration"] for r in report["results"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2 if TINY else 20)
    parser.add_argument("--examples", type=int, default=2 if TINY else 20)
    parser.add_argument(
        "--repeat", type=int, default=1 if TINY else 3, help="runs per configuration (best)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        fleet = Path(temp) / "fleet"
        make_fleet(fleet, args.copies)
        checks = 1 if TINY else len(CHECKS)  # tiny: -k interface
        items = args.copies * checks
        print(
            f"{args.copies} connectors [{python_config()}] x {checks} checks = {items} items, "
            f"{args.examples} examples per property check, {os.cpu_count()} CPUs, "
            f"best of {args.repeat}"
        )
        print(f"parallel capacity: {parallel_capacity():.2f} of 2 CPU-bound processes at once")
        times = {
            name: min(run(fleet, extra, args.examples) for _ in range(args.repeat))
            for name, extra in CONFIGS
            if not TINY or extra != ["-n", "1"]  # tiny: one process beside two workers
        }
    base = times[CONFIGS[0][0]][0]
    print(f"parallel capacity after: {parallel_capacity():.2f}")
    print(
        f"\n| {'configuration':<26} | wall time | per connector | speed-up | sum of check times |"
    )
    print(f"| {'-' * 26} | --------: | ------------: | -------: | -----------------: |")
    for name, (seconds, busy) in times.items():
        print(
            f"| {name:<26} | {seconds:7.2f} s | {seconds / args.copies:11.3f} s "
            f"| {base / seconds:7.2f}x | {busy:16.2f} s |"
        )


if __name__ == "__main__":
    main()
