"""The workflow `syncpeng init --ci` writes: parsed as YAML, its shell checked, written safely."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conformance.checks import CHECKS
from conformance.ci.workflow import OFFLINE, WORKFLOW_PATH, render_workflow, write_workflow
from conformance.errors import InputError
from tests.helpers import mode, umask
from tests.helpers.fleet import make_connector


def parsed(text: str) -> dict:
    data = yaml.safe_load(text)
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on"
    data["on"] = data.pop(True)
    return data


def runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_pull_requests_replay_offline_and_upload_the_reports() -> None:
    flow = parsed(render_workflow(["cats"]))
    assert set(flow["on"]) == {"pull_request", "schedule", "workflow_dispatch"}
    assert flow["permissions"] == {"contents": "read"}
    gate = flow["jobs"]["gate"]
    assert gate["if"] == "github.event_name == 'pull_request'"
    replay = runs(gate)[-1]
    assert replay.lstrip().startswith("baseline=")
    assert OFFLINE in replay and "--connector-mode=replay" in replay
    assert "--connector='connectors/*'" in replay and "-n auto" in replay
    assert "--connector-report=conformance-report" in replay
    assert "--junitxml=conformance-report/junit.xml" in replay
    assert "--connector-baseline=conformance-baseline.json" in replay
    assert "CONFORMANCE_ACCOUNT" not in yaml.safe_dump(gate)  # no secrets on pull requests
    upload = gate["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "conformance-report/"
    assert upload["if"] == "${{ !cancelled() }}"  # reports are uploaded when the gate fails


def test_the_schedule_re_records_and_explores_randomized_with_secrets() -> None:
    flow = parsed(render_workflow(["cats", "hub-spot"]))
    live = flow["jobs"]["live"]
    assert live["if"] == "github.event_name != 'pull_request'"
    assert live["env"] == {
        "CONFORMANCE_ACCOUNT_CATS": "${{ secrets.CONFORMANCE_ACCOUNT_CATS }}",
        "CONFORMANCE_ACCOUNT_HUB_SPOT": "${{ secrets.CONFORMANCE_ACCOUNT_HUB_SPOT }}",
    }
    cleanup, record, explore = runs(live)[-3:]
    assert "--connector-mode=live --connector-cleanup" in cleanup
    assert "--connector-mode=record" in record and OFFLINE not in record
    assert "--connector-mode=live" in explore
    assert "--hypothesis-profile=conformance-randomized" in explore
    assert "--connector-examples=200" in explore
    assert "**/cassettes/" in live["steps"][-1]["with"]["path"]


def test_every_run_block_is_valid_shell() -> None:
    flow = parsed(render_workflow(["cats"]))
    for job in flow["jobs"].values():
        for script in runs(job):
            checked = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
            assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_the_offline_wrapper_leaves_loopback_and_cuts_everything_else(tmp_path: Path) -> None:
    probe = (
        "import socket, sys\n"
        "server = socket.create_server(('127.0.0.1', 0))\n"
        "socket.create_connection(server.getsockname(), timeout=2).close()\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
        "except OSError as exc:\n"
        "    print('outside blocked:', exc.errno)\n"
        "else:\n"
        "    sys.exit('reached the outside')\n"
    )
    command = (
        OFFLINE.replace("sudo --preserve-env ", "") if shutil.which("sudo") is None else OFFLINE
    )
    done = subprocess.run(
        f'{command} "{shutil.which("python3")}" -c "$PROBE"',
        shell=True,
        env={"PROBE": probe, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip(f"this machine does not allow network namespaces: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert "outside blocked" in done.stdout


def test_write_never_overwrites_without_force(tmp_path: Path) -> None:
    make_connector(tmp_path / "connectors", "cats")
    make_connector(tmp_path / "connectors", "dogs")
    path = write_workflow(tmp_path)
    assert path == tmp_path / WORKFLOW_PATH
    written = parsed(path.read_text())
    assert set(written["jobs"]["live"]["env"]) == {
        "CONFORMANCE_ACCOUNT_CATS",
        "CONFORMANCE_ACCOUNT_DOGS",
    }
    path.write_text("# my edits\n")
    with pytest.raises(InputError, match="already exists; edit it, or pass --force"):
        write_workflow(tmp_path)
    assert path.read_text() == "# my edits\n"
    write_workflow(tmp_path, force=True)
    assert path.read_text().startswith("# Connector conformance.")
    assert not list(path.parent.glob(".conformance.yml.*"))  # the temp file was renamed away


def test_without_connectors_the_env_block_shows_the_pattern() -> None:
    text = render_workflow([])
    assert "# CONFORMANCE_ACCOUNT_<NAME>: ${{ secrets.CONFORMANCE_ACCOUNT_<NAME> }}" in text
    assert parsed(text)["jobs"]["live"]["env"] is None


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_the_gate_step_runs_as_written_on_a_fleet(tmp_path: Path) -> None:
    """The gate's shell, verbatim but for sudo (we are root here) and the mode (no cassettes)."""
    make_connector(tmp_path / "connectors", "cats")
    make_connector(tmp_path / "connectors", "dogs")
    (tmp_path / "conformance-baseline.json").write_text('{"known_failures": []}')
    script = runs(parsed(render_workflow(["cats", "dogs"]))["jobs"]["gate"])[-1]
    script = script.replace("--connector-mode=replay", "--connector-mode=mock")
    if shutil.which("sudo") is None:
        script = script.replace("sudo --preserve-env ", "")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip(f"this machine does not allow network namespaces: {done.stderr.strip()}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((tmp_path / "conformance-report" / "conformance.json").read_text())
    assert report["summary"]["connectors"] == 2
    assert report["summary"]["passed"] == 2 * len(CHECKS)
    assert (tmp_path / "conformance-report" / "junit.xml").is_file()
    assert "created: " in done.stdout  # -n auto really started xdist workers


def test_writing_the_workflow_loads_neither_pytest_nor_hypothesis() -> None:
    # `syncpeng init --ci` writes a file: it must not pay for (or depend on) the test harness.
    probe = (
        "import sys, conformance.ci.workflow; "
        "print(sorted(m for m in ('pytest', '_pytest', 'hypothesis') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_workflow_gets_the_mode_any_new_file_gets(tmp_path: Path) -> None:
    make_connector(tmp_path / "connectors", "cats")
    with umask(0o022):
        path = write_workflow(tmp_path)
    assert oct(mode(path)) == "0o644"
