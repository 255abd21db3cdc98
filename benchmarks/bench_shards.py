"""A fleet checked in shards, as a CI job matrix would: balance, merge time, projected wall time.

Generates a fleet of connectors (tests/helpers/fleet.py: good ones and broken ones, which cost
different amounts), runs the suite on it as N shards one after another (each shard a fresh
`pytest --connector-shard=K/N` process, as one runner would run it), first balanced by count,
then by the durations of that first pass (`--connector-durations`, as the next scheduled run's
report feeds the next pull request), merges the shards with `syncpeng report merge` and prints:
per pass, the slowest shard against the mean (target <= 1.15x), the merge time, and the
projected wall time on N runners (slowest shard + merge) against one runner (all shards back to
back, the same work in one place).

Run: `python benchmarks/bench_shards.py [--connectors 200] [--shards 4] [--examples 3]
[-k EXPR]`; -k narrows the checks (default: all) to keep a 200-connector run short.
Connectors run in the default configuration (the isolated Python worker), as the header says.
CONFORMANCE_BENCH_TINY=1: 4 connectors, 2 shards, 1 example, -k interface.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import TINY, python_config  # noqa: E402

from tests.helpers.fleet import make_connector  # noqa: E402

# one in ten broken: one cannot even be imported (instant), one loses deletes, one re-delivers
KINDS = ("good",) * 7 + ("nodelete", "redeliver", "noimport")


def make_fleet(root: Path, count: int) -> None:
    for index in range(count):
        make_connector(root, f"c{index:03d}", KINDS[index % len(KINDS)])


def run_shard(
    work: Path, k: int, n: int, args: argparse.Namespace, durations: Path | None
) -> float:
    command = [
        sys.executable, "-m", "pytest", "--connector=connectors/*", f"--connector-shard={k}/{n}",
        f"--connector-examples={args.examples}", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
        f"--connector-report=shards/{k}",
    ]  # fmt: skip
    if durations:
        command.append(f"--connector-durations={durations}")
    if args.k:
        command += ["-k", args.k]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the fleet has broken connectors, as intended
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def merge(work: Path, n: int) -> tuple[float, int]:
    command = [sys.executable, "-m", "conformance", "report", "merge"]
    command += [f"shards/{k}" for k in range(1, n + 1)] + ["-o", "merged"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"merge failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    rows = json.loads((work / "merged" / "conformance.json").read_text())["results"]
    return elapsed, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connectors", type=int, default=4 if TINY else 200)
    parser.add_argument("--shards", type=int, default=2 if TINY else 4)
    parser.add_argument("--examples", type=int, default=1 if TINY else 3)
    parser.add_argument(
        "-k", default="interface" if TINY else "", help="pytest -k over check IDs (default: all)"
    )
    args = parser.parse_args()
    n = args.shards
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        make_fleet(work / "connectors", args.connectors)
        print(
            f"{args.connectors} generated connectors [{python_config()}] "
            f"({', '.join(sorted(set(KINDS)))}), "
            f"{n} shards, {args.examples} examples per property check"
            + (f", -k {args.k!r}" if args.k else "")
        )
        print(
            "\n| balanced by | shard wall times (s) | slowest / mean | merge | "
            f"{n} runners (slowest + merge) | 1 runner (all shards) | speed-up |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        durations = None
        for label in ("count", "durations of the first pass"):
            times = [run_shard(work, k, n, args, durations) for k in range(1, n + 1)]
            merged, rows = merge(work, n)
            mean = sum(times) / n
            wide, one = max(times) + merged, sum(times)
            print(
                f"| {label} | {' / '.join(f'{t:.1f}' for t in times)} | {max(times) / mean:.2f}x "
                f"| {merged:.2f} s | {wide:.1f} s | {one:.1f} s | {one / wide:.2f}x |"
            )
            durations = work / "earlier.json"
            durations.write_text((work / "merged" / "conformance.json").read_text())
        print(f"\n({rows} merged rows; wall times include each shard's pytest startup)")


if __name__ == "__main__":
    main()
