"""What every benchmark shares: its size, the configuration it measured, and the suite timer.

`CONFORMANCE_BENCH_TINY=1` makes every script run at a tiny size (a few calls, one round, the
suite narrowed to one check) so tests/test_benchmarks.py can run them all and a refactor that
breaks one fails CI; figures at that size mean nothing. A size given on the command line wins.
Each row names the configuration it measured, because the harness has three: the connector in
the harness's process (inline), in the isolated Python worker (the default), or in NodeJS.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conformance.options import ISOLATION_ENV

ROOT = Path(__file__).resolve().parents[1]
TINY_ENV = "CONFORMANCE_BENCH_TINY"
TINY = os.environ.get(TINY_ENV) == "1"
# The check a tiny run narrows the suite to: it still starts pytest, loads and runs a connector.
TINY_SUITE = ["-k", "interface"]


def size(position: int, default: float, tiny: float) -> float:
    """sys.argv[position] if given, else the tiny size under CONFORMANCE_BENCH_TINY=1."""
    if len(sys.argv) > position:
        return float(sys.argv[position])
    return tiny if TINY else default


def python_config() -> str:
    """The configuration a Python connector runs in here, as a row label."""
    isolation = os.environ.get(ISOLATION_ENV) or "process"
    return "inline" if isolation == "inline" else "isolated worker"


def label(what: str, config: str) -> str:
    return f"{what} [{config}]"


def suite_seconds(
    target: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall seconds, pytest's own figure) of `pytest --connector=target`, the whole default
    suite (one check under CONFORMANCE_BENCH_TINY=1)."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"--connector={target}",
            "-q",
            "-p",
            "no:cacheprovider",
            *(TINY_SUITE if TINY else []),
            *extra,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    wall = time.perf_counter() - start
    found = re.search(r" in ([0-9.]+)s", done.stdout.strip().splitlines()[-1])
    return wall, float(found.group(1)) if found else float("nan")


def suite_name() -> str:
    return "suite (tiny: -k interface)" if TINY else "default suite"


def print_rows(rows: list[tuple[str, str, str]], headers: tuple[str, str, str]) -> None:
    """A table of (what [configuration], figure, beside what)."""
    width = max(len(r[0]) for r in [headers, *rows])
    figure = max(len(r[1]) for r in [headers, *rows])
    print(f"{headers[0]:<{width}}  {headers[1]:>{figure}}  {headers[2]}")
    print(f"{'-' * width}  {'-' * figure}  {'-' * len(headers[2])}")
    for name, value, beside in rows:
        print(f"{name:<{width}}  {value:>{figure}}  {beside}")
