"""The command's surface: help for every command, a version, usage errors exit 2, and a startup
path that does not pay for the harness before it knows what to do."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.helpers.cli import scaffolded, syncpeng

COMMANDS = ["init", "get", "insert", "patch", "delete", "getupdates", "test"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(tmp_path, command):
    ran = syncpeng(*([command] if command else []), "--help", cwd=tmp_path)
    assert ran.code == 0
    assert ran.out.startswith("usage: syncpeng")


def test_version(tmp_path):
    ran = syncpeng("--version", cwd=tmp_path)
    assert ran.code == 0 and ran.out.startswith("syncpeng ")


def test_python_m_conformance_is_the_same_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "getupdates" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["get", "--timeout", "0"],
        ["test", "--examples", "none"],
        ["get", "--no-such-option"],
    ],
)
def test_bad_usage_exits_2(tmp_path, args):
    assert syncpeng(*args, cwd=tmp_path).code == 2


def test_startup_imports_nothing_heavy():
    """`syncpeng --help` must not import hypothesis, pytest, httpx or the mock (see
    benchmarks/bench_cli_startup.py for what that would cost)."""
    probe = (
        "import sys, conformance.cli\n"
        "heavy = {'hypothesis', 'pytest', 'httpx', 'respx', 'mock_api', 'pygments', '_pytest'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_colour_is_for_terminals_only_unless_asked(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    plain = syncpeng("get", "--mock", "--id", "x", cwd=folder)  # piped: auto means plain
    assert (plain.code, plain.out) == (0, "null\n")
    coloured = syncpeng("insert", "--mock", "--color", "always", cwd=folder)
    assert coloured.code == 0 and "\x1b[" in coloured.out
    assert json.loads(re.sub(r"\x1b\[[0-9;]*m", "", coloured.out))["id"]
