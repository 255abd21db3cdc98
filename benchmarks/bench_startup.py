"""What does `pytest --connector=examples/cats` cost beyond the checks, and how much is ours?

The figure users wait for on top of pytest's own "in X s" is the process's start-up and
tear-down: importing pytest and its plugins, assertion rewriting, loading the connector,
starting the worker. Each row is a fresh process, median of `runs`, interleaved:
- ours: `pytest --connector=examples/cats -k interface` (one cheap check, so what is measured
  is the start-up), as wall time minus pytest's own figure;
- the floor: `pytest` on a file holding one empty test, in the same environment (pytest's own
  start with the same installed plugins, hypothesis' among them): what no change of ours can cut;
- the plugin's import, which every pytest run in the environment pays (`python -c "import
  conformance.plugin"`), and the harness's, which only a run with --connector pays (`import
  conformance.plugin.suite`), each beside `python -c pass`.

Each twice: with bytecode cached, what any installed environment gives after its first run
(`PYTHONPYCACHEPREFIX` in a temporary folder, filled by one run first), and with nothing cached
(`PYTHONDONTWRITEBYTECODE=1`: every module compiled, every test module rewritten, every run).

Run: ``python benchmarks/bench_startup.py [runs]`` (default 7; CONFORMANCE_BENCH_TINY=1: 1).
Rows measure the default configuration [isolated worker].
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import ISOLATION_ENV, label, print_rows, size  # noqa: E402

FIGURE = re.compile(r" in ([0-9.]+)s")


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, pytest's own figure or 0) of one fresh process."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    found = FIGURE.search(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None
    return wall, float(found.group(1)) if found else 0.0


def main() -> None:
    runs = int(size(1, 7, 1))
    config = "isolated worker"  # the default: the children run without the isolation variable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_floor.py").write_text("def test_nothing():\n    pass\n")
        base = {k: v for k, v in os.environ.items() if k != ISOLATION_ENV}
        envs = {
            "bytecode cached": {
                **{k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"},
                "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
            },
            "nothing cached": {**base, "PYTHONDONTWRITEBYTECODE": "1"},
        }
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        cases = {
            "ours": [*pytest, f"--connector={ROOT / 'examples' / 'cats'}", "-k", "interface"],
            "floor": [*pytest, str(folder / "test_floor.py")],
            "plugin": [sys.executable, "-c", "import conformance.plugin"],
            "harness": [sys.executable, "-c", "import conformance.plugin.suite"],
            "python": [sys.executable, "-c", "pass"],
        }
        for argv in cases.values():  # fills the bytecode cache
            timed(argv, envs["bytecode cached"], ROOT)
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(runs):
            for env_name, env in envs.items():
                for case, argv in cases.items():
                    wall, figure = timed(argv, env, ROOT)
                    samples.setdefault((env_name, case), []).append(wall - figure)
    rows = []
    for env_name in envs:
        ours, floor, plugin, harness, bare = (
            statistics.median(samples[(env_name, case)]) for case in cases
        )
        rows += [
            (
                label(
                    f"pytest --connector=examples/cats, wall minus pytest's figure, {env_name}",
                    config,
                ),
                f"{ours:.2f} s",
                f"{ours - floor:+.2f} s over the floor (target: at most 1.0 s in all)",
            ),
            (
                label(f"pytest on one empty test (the floor), {env_name}", "no connector"),
                f"{floor:.2f} s",
                "",
            ),
            (
                label(f"import conformance.plugin (every pytest run), {env_name}", "no connector"),
                f"{plugin:.2f} s",
                f"{plugin - bare:+.2f} s over `python -c pass`",
            ),
            (
                label(
                    f"import conformance.plugin.suite (--connector runs), {env_name}",
                    "no connector",
                ),
                f"{harness:.2f} s",
                f"{harness - bare:+.2f} s over `python -c pass`",
            ),
        ]
    print(f"median of {runs} fresh processes per row, interleaved")
    print_rows(rows, ("what [configuration]", "figure", "beside"))


if __name__ == "__main__":
    main()
