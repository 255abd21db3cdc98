"""A hostile connector never takes the run down: each case ends as a named failure of its call.

Every case runs the real `pytest --connector=...` (or `syncpeng`) in a subprocess, as a user
would, and asserts what the user sees: the exit code, the one line naming the call, no
traceback of ours, and that the run went on to its other checks. The connectors are in
tests/connectors/hostile/, one behaviour each. Hangs never return: the per-call timeout
(HANG_TIMEOUT for the connectors that hang, the default for every other) is what ends them, never
how fast the machine is. A correct call is never run under the short one alone: the worker's
start (spawn, imports, TLS) is not charged to it, and the cases that do not hang keep the default.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HANG_TIMEOUT
from tests.helpers.cli import syncpeng

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "connectors" / "hostile"
# The checks that call get once on a fresh record, and one that never calls get: the run must
# report the first as failed and still run the second.
ONE_FAILING_ONE_PASSING = "crud.round-trip or interface"
# The connectors whose get never returns: only the per-call timeout ends their run.
HANGS = ("sleeps_in_async_get.py", "busy_async_get.py")
HANG_LINE = f"did not return within {HANG_TIMEOUT:g} s"


def run_pytest(connector: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`pytest --connector=HOSTILE/connector ARGS` (or, given `--connector=...` options instead
    of a name, those connectors)."""
    timeout = [f"--connector-timeout={HANG_TIMEOUT:g}"] if connector in HANGS else []
    target = connector if connector.startswith("--") else f"--connector={HOSTILE / connector}"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            target,
            "-p",
            "no:cacheprovider",
            "-q",
            *timeout,
            *args,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_no_harness_trouble(output: str) -> None:
    assert "INTERNALERROR" not in output
    assert "Traceback (most recent call last)" not in output
    assert "conformance/" not in output.replace(str(HOSTILE), "")  # no frame of ours


# connector -> the line naming what its get did. Each runs under the process isolation (the
# default); the ones that never return in a run of their own, under HANG_TIMEOUT, so that no call
# of the others runs under the short timeout.
HOSTILE_GETS = {
    "exit_in_get.py": "called sys.exit(3)",
    "exit_in_async_get.py": "called sys.exit(3)",
    "interrupt_in_get.py": "raised KeyboardInterrupt",
    "os_exit_in_get.py": "the process running the connector died during",
    "repr_raises.py": "got <Weird object whose repr raised RuntimeError>",
    "deep_json.py": "returned JSON nested too deeply to encode",
    "sleeps_in_async_get.py": HANG_LINE,
    "busy_async_get.py": HANG_LINE,
}


def assert_each_get_is_a_named_failure_and_the_run_goes_on(
    lines: dict[str, str], *options: str, tmp_path: Path
) -> str:
    """One `pytest --connector=A --connector=B ...` over several hostile connectors, as a user
    checking a folder of them would run it: each connector's get fails with its own line (read
    from the run's JSON report, so a line is never credited to another connector), each one's
    check that never calls get still passes, and the run ends with exit 1, not a crash.
    One process for the lot instead of one each: what the user sees of each case is unchanged,
    and that a hostile connector leaves the next connector's checks alone is shown as well."""
    reports = tmp_path / "reports"
    targets = [f"--connector={HOSTILE / name}" for name in lines]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *targets, "-p", "no:cacheprovider", "-q", *options,
         "-k", ONE_FAILING_ONE_PASSING, f"--connector-report={reports}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert f"{len(lines)} failed, {len(lines)} passed" in output, output
    rows = json.loads((reports / "conformance.json").read_text())["results"]
    found = {(Path(row["connector"]).name, row["check"]): row for row in rows}
    for name, line in lines.items():
        failed, passed = found[(name, "crud.round-trip")], found[(name, "interface")]
        assert failed["status"] == "failed" and line in failed["message"], (name, failed)
        assert passed["status"] == "passed", (name, passed)
        assert line in output, (name, output)
    assert_no_harness_trouble(output)
    return output


@pytest.mark.parametrize("hangs", [False, True], ids=["returns", "hangs"])
def test_a_hostile_get_is_a_named_failure_of_that_call_and_the_run_goes_on(hangs, tmp_path):
    lines = {name: line for name, line in HOSTILE_GETS.items() if (name in HANGS) == hangs}
    timeout = [f"--connector-timeout={HANG_TIMEOUT:g}"] if hangs else []
    output = assert_each_get_is_a_named_failure_and_the_run_goes_on(
        lines, *timeout, tmp_path=tmp_path
    )
    if not hangs:  # os._exit: the same get, or a call after it on that scope
        assert "get: it died (exit 3)" in output, output


def test_a_thread_that_never_ends_does_not_keep_the_run_open(tmp_path):
    done = run_pytest("thread_from_init.py", "-k", "crud.round-trip", tmp_path=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "1 passed" in output
    assert_no_harness_trouble(output)


@pytest.mark.parametrize("isolation", ["process", "inline"])
def test_a_close_that_never_returns_is_a_named_failure_and_the_run_goes_on(isolation, tmp_path):
    """Only the close that blocks forever fails (HANG_TIMEOUT is far above any other call's
    need), in each check that ends a scope (the load check too), and the run goes on."""
    done = run_pytest(
        "blocking_close.py",
        f"--connector-timeout={HANG_TIMEOUT:g}",
        f"--connector-isolation={isolation}",
        "-k",
        ONE_FAILING_ONE_PASSING,
        tmp_path=tmp_path,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "2 failed" in output, output
    assert output.count(f"close() {HANG_LINE}") >= 2, output
    assert f"close()  # no answer within {HANG_TIMEOUT:g} s" in output, output
    assert_no_harness_trouble(output)


# connector -> the line its one load failure says
UNLOADABLE = {
    "exit_at_import.py": "exit_at_import.py: importing it called sys.exit(0)",
    "init_needs_arguments.py": (
        "DataSource() raised TypeError: DataSource.__init__() missing 1 required positional "
        "argument: 'region'; the platform creates it with no arguments"
    ),
    "sleeps_at_import.py": "did not finish within 15 s; does the module block at import",
}


def test_a_module_that_cannot_be_loaded_is_one_load_failure(tmp_path):
    """All three in one run: each is its own load failure, with its own line, and no check of
    theirs runs (the JSON report holds each one's load row and nothing else)."""
    reports = tmp_path / "reports"
    targets = [f"--connector={HOSTILE / name}" for name in UNLOADABLE]
    done = run_pytest(*targets, f"--connector-report={reports}", tmp_path=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(rf"^{len(UNLOADABLE)} failed in ", output, re.MULTILINE), output
    rows = json.loads((reports / "conformance.json").read_text())["results"]
    assert sorted((Path(r["connector"]).name, r["check"]) for r in rows) == [
        (name, "load") for name in sorted(UNLOADABLE)
    ], rows
    for row in rows:
        line = UNLOADABLE[Path(row["connector"]).name]
        assert line in row["message"] and line in output, (row, output)
    assert output.count("::load") >= len(UNLOADABLE), output
    assert_no_harness_trouble(output)


def test_a_20_mb_value_is_cut_in_every_output_and_its_size_said(tmp_path):
    reports = tmp_path / "reports"
    done = run_pytest(
        "huge_string.py",
        "-k",
        "crud.round-trip",
        f"--junitxml={reports / 'junit.xml'}",
        f"--connector-report={reports}",
        "--connector-timeout=120",  # sending 20 MB must not be what fails
        tmp_path=tmp_path,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[:2000]
    assert len(output) < 100_000
    assert "[cut: 20,000,000 characters in all]" in output
    for name in ("junit.xml", "conformance.json", "conformance.md", "conformance.html"):
        written = (reports / name).read_text()
        assert len(written) < 100_000, name
        if name != "conformance.md":  # the table holds each finding's first line only
            assert "20,000,000 characters" in written, name


@pytest.mark.parametrize(
    ("connector", "line"),
    [
        ("exit_in_get.py", 'syncpeng: error: get("abc") called sys.exit(3)'),
        ("os_exit_in_get.py", "connector died during get: it died (exit 3)"),
        ("deep_json.py", "returned JSON nested too deeply to encode"),
        ("repr_raises.py", "got <Weird object whose repr raised RuntimeError>"),
    ],
)
def test_syncpeng_names_what_the_connector_did_in_one_line(connector, line, tmp_path):
    ran = syncpeng(
        "get", "--mock", "--id", "abc", f"--connector={HOSTILE / connector}", cwd=tmp_path
    )
    assert ran.code == 1, ran
    assert line in ran.err
    assert "Traceback" not in ran.err + ran.out
    assert "internal error" not in ran.err


def test_inline_isolation_still_names_what_it_can(tmp_path):
    """Inline, in pytest's own process: all but os._exit (the documented limit, below)."""
    inline = ("exit_in_get.py", "exit_in_async_get.py", "interrupt_in_get.py")
    lines = {name: HOSTILE_GETS[name] for name in (*inline, "repr_raises.py", "deep_json.py")}
    assert_each_get_is_a_named_failure_and_the_run_goes_on(
        lines, "--connector-isolation=inline", tmp_path=tmp_path
    )


def test_inline_isolation_cannot_survive_os_exit_the_documented_limit(tmp_path):
    done = run_pytest(
        "os_exit_in_get.py",
        "--connector-isolation=inline",
        "-k",
        "crud.round-trip",
        tmp_path=tmp_path,
    )
    assert done.returncode == 3  # the connector's own exit code: pytest is gone, as documented
    assert "passed" not in done.stdout and "failed" not in done.stdout


def test_what_a_failing_call_printed_is_shown_with_its_failure(tmp_path):
    done = run_pytest("prints_then_raises.py", "-k", "crud.round-trip", tmp_path=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "raised RuntimeError: lookup failed" in output
    assert "stdout: looking up " in output
