"""How long does `syncpeng --help` take to start, against the floor and a careless CLI?

Every `syncpeng` command starts a Python process, and authors run it in a tight loop. The CLI
imports only the standard library until it knows which command runs; this script shows what
that saves. It times, in fresh processes, side by side:

- `python -c pass`: the interpreter alone, the floor no CLI can beat;
- `syncpeng --help` and `python -m conformance --help`: our startup path;
- `python -c "import conformance.plugin.suite"`: what a CLI importing the harness up front would pay
  (hypothesis, pytest, httpx) before printing a line.

Run: ``python benchmarks/bench_cli_startup.py [runs]`` (default 20 runs each;
CONFORMANCE_BENCH_TINY=1: 1). No connector is loaded [CLI start-up only]. The minimum is
the steadier figure on a shared machine (other load only ever adds time), so the overhead column
compares minimums; the median is shown beside it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import TINY

PYTHON = sys.executable
SCRIPT = Path(PYTHON).parent / "syncpeng"

CASES = [  # (command as typed, what it stands for, argv)
    ("python -c pass", "the floor", [PYTHON, "-c", "pass"]),
    ("syncpeng --help", "ours", [str(SCRIPT), "--help"]),
    ("python -m conformance --help", "ours", [PYTHON, "-m", "conformance", "--help"]),
    (
        'python -c "import conformance.plugin.suite"',
        "a careless CLI",
        [PYTHON, "-c", "import conformance.plugin.suite"],
    ),
]


def wall_times(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else (1 if TINY else 20)
    if not SCRIPT.exists():
        sys.exit(f"{SCRIPT} not found: pip install -e . in this environment first")
    for _, _, command in CASES:  # warm the OS file cache and .pyc files before measuring
        wall_times(command, 2)
    results = [(f"`{typed}` ({what})", wall_times(argv, runs)) for typed, what, argv in CASES]
    floor = min(results[0][1])
    print(f"Python {sys.version.split()[0]}, {runs} runs each\n")
    print("| command | median ms | min ms | min over the floor |")
    print("| --- | --- | --- | --- |")
    for label, times in results:
        median = statistics.median(times)
        over = "—" if times is results[0][1] else f"+{(min(times) - floor) * 1000:.0f} ms"
        print(f"| {label} | {median * 1000:.0f} | {min(times) * 1000:.0f} | {over} |")


if __name__ == "__main__":
    main()
