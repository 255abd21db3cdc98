"""Every benchmark still runs: each script at its tiny size, in a subprocess, as a user runs it.

A refactor that renames what a benchmark reaches into (the inline runtime's `factory`, say)
broke two of them once and nobody noticed; this fails instead. It asserts that each script
exits 0 and prints its rows labelled with the configuration they measured, never a timing:
figures at the tiny size mean nothing, and performance belongs in benchmarks/, not in tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
SHARED = {"bench_common.py", "bench_bridge_alone.py"}  # imported by the scripts, not scripts
WORKER, INLINE, NODE = "[isolated worker]", "[inline]", "[NodeJS]"

# script -> what its output must hold: the labels of the configurations its rows measured
LABELS = {
    "bench_checks.py": (f"crud.round-trip check, respx {WORKER}", INLINE, "x the floor"),
    "bench_cli_startup.py": ("(the floor)", "`syncpeng --help` (ours)"),
    "bench_first_call.py": (
        f"first create+init {WORKER}",
        f"first create+init {INLINE}",
        "the floor",
    ),
    "bench_fleet.py": (f"connectors {WORKER} x 1 checks", "no xdist", "xdist, 2 workers (-n 2)"),
    "bench_isolation.py": (
        "[inline] med",
        f"{WORKER} med",
        "x inline",
        "CPU per call (ms)",
        "floor: JSON line ping-pong",
    ),
    "bench_mock_api.py": ("httpx.Client + respx", "httpx.Client + MockTransport"),
    "bench_node.py": (
        f"round trip per call, no HTTP {NODE}",
        WORKER,
        INLINE,
        "x inline",
        "[NodeJS bridge alone]",
    ),
    "bench_randomness.py": (WORKER, INLINE, "x no plan"),
    "bench_replay.py": (
        "ours (s)",
        "vcrpy default (s)",
        "harness ms/request",
        "examples/kinto replayed offline",
        "x the mock",
    ),
    "bench_session_call.py": ("before (wait_for + render)", "Session.patch, now"),
    "bench_shards.py": (f"generated connectors {WORKER}", "1 runner (all shards)"),
    "bench_startup.py": (
        f"pytest --connector=examples/cats, wall minus pytest's figure, bytecode cached {WORKER}",
        "(the floor), nothing cached",
        "import conformance.plugin (every pytest run)",
        "import conformance.plugin.suite (--connector runs)",
        "over `python -c pass`",
    ),
    "bench_stateful.py": (f"respx {WORKER}", f"respx {INLINE}", "x connector's rate"),
    "bench_ui.py": ("min over the CLI path",),
    "profile_check.py": (f"sync.stateful on examples/cats {WORKER}", "| hypothesis |"),
}
NEEDS_NODE = {"bench_node.py"}


def test_every_benchmark_script_is_covered():
    scripts = {p.name for p in BENCHMARKS.glob("*.py")} - SHARED
    assert scripts == set(LABELS), "add the new script to LABELS with the rows it must print"


@pytest.mark.parametrize("script", sorted(LABELS))
def test_the_benchmark_runs_at_its_tiny_size_and_labels_its_rows(script, tmp_path):
    if script in NEEDS_NODE and shutil.which("node") is None:
        pytest.skip("no node on PATH")
    env = {**os.environ, "CONFORMANCE_BENCH_TINY": "1", "PYTHONPATH": str(ROOT)}
    env.pop("CONFORMANCE_PYTHON_ISOLATION", None)  # the default configuration, as users run it
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    for label in LABELS[script]:
        assert label in done.stdout, f"{label!r} missing from:\n{done.stdout[-3000:]}"
