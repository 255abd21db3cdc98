"""`syncpeng init --ci --shards N`: a matrix of shards and a merge job that alone gates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.checks import CHECKS
from conformance.ci.workflow import WORKFLOW_PATH, render_workflow
from conformance.cli.main import main
from tests.ci.test_ci_workflow import parsed, runs
from tests.helpers.fleet import make_connector

MATRIX_SHARD = "${{ matrix.shard }}"


def test_the_gate_is_a_matrix_of_shards_each_uploading_its_report() -> None:
    gate = parsed(render_workflow(["cats"], shards=4))["jobs"]["gate"]
    assert gate["strategy"] == {"fail-fast": False, "matrix": {"shard": [1, 2, 3, 4]}}
    replay = runs(gate)[-1]
    assert f"--connector-shard={MATRIX_SHARD}/4" in replay
    assert "--connector-mode=replay" in replay and "--connector-report=conformance-report" in replay
    upload = gate["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["name"] == f"conformance-shard-{MATRIX_SHARD}"
    assert upload["with"]["path"] == "conformance-report/"
    assert upload["if"] == "${{ !cancelled() }}"


def test_the_merge_job_needs_every_shard_downloads_them_and_gates() -> None:
    merge = parsed(render_workflow(["cats"], shards=3))["jobs"]["merge"]
    assert merge["needs"] == "gate"
    assert merge["if"] == "${{ !cancelled() && github.event_name == 'pull_request' }}"
    download = next(s for s in merge["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"] == {"pattern": "conformance-shard-*", "path": "shards/"}
    gate = runs(merge)[-1]
    # each shard is named, so one that never uploaded is missing by name, not silently skipped
    folders = " ".join(f"shards/conformance-shard-{k}" for k in (1, 2, 3))
    assert f"syncpeng report merge {folders}" in gate
    assert "--baseline=conformance-baseline.json" in gate


def test_the_schedule_keeps_its_durations_and_the_shards_restore_them() -> None:
    flow = parsed(render_workflow(["cats"], shards=2))
    saved = next(s for s in flow["jobs"]["live"]["steps"] if "cache/save" in s.get("uses", ""))
    assert saved["with"]["path"] == ".conformance-durations/"
    assert saved["with"]["key"].startswith("conformance-durations-")
    gate_steps = flow["jobs"]["gate"]["steps"]
    restored = next(s for s in gate_steps if "cache/restore" in s.get("uses", ""))
    assert restored["with"]["restore-keys"] == "conformance-durations-"
    assert restored["with"]["path"] == saved["with"]["path"]
    replay = runs(flow["jobs"]["gate"])[-1]
    assert "--connector-durations=conformance-durations.json" in replay  # a committed one wins
    assert "--connector-durations=.conformance-durations/conformance.json" in replay


def test_every_run_block_of_the_sharded_workflow_is_valid_shell() -> None:
    for job in parsed(render_workflow(["cats"], shards=3))["jobs"].values():
        for script in runs(job):
            checked = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
            assert checked.returncode == 0, checked.stderr


def test_init_ci_shards_writes_the_sharded_workflow(tmp_path: Path) -> None:
    make_connector(tmp_path / "connectors", "cats")
    assert (
        main(["init", "--ci", str(tmp_path), "--shards", "3", "--install", "connector-conformance"])
        == 0
    )
    flow = parsed((tmp_path / WORKFLOW_PATH).read_text())
    assert flow["jobs"]["gate"]["strategy"]["matrix"]["shard"] == [1, 2, 3]
    assert "merge" in flow["jobs"]


def bash(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_the_shard_and_merge_steps_run_as_written_on_a_fleet(tmp_path: Path) -> None:
    """Each shard's step verbatim (matrix value filled in, as GitHub does; mock mode, no sudo),
    the artifacts laid out as download-artifact does, then the merge step verbatim."""
    make_connector(tmp_path / "connectors", "cats")
    make_connector(tmp_path / "connectors", "dogs", "nodelete")
    (tmp_path / "conformance-baseline.json").write_text('{"known_failures": []}')
    rows = [{"connector": "connectors/dogs", "check": "crud.delete", "duration": 5.0}]
    (tmp_path / "conformance-durations.json").write_text(json.dumps({"results": rows}))
    flow = parsed(render_workflow(["cats", "dogs"], shards=3))
    shard_step = runs(flow["jobs"]["gate"])[-1]
    shard_step = shard_step.replace("--connector-mode=replay", "--connector-mode=mock")
    if shutil.which("sudo") is None:
        shard_step = shard_step.replace("sudo --preserve-env ", "")
    statuses = []
    for k in (1, 2, 3):
        done = bash(shard_step.replace(MATRIX_SHARD, str(k)), tmp_path)
        if done.returncode != 0 and "Operation not permitted" in done.stderr:
            pytest.skip(f"this machine does not allow network namespaces: {done.stderr.strip()}")
        statuses.append(done.returncode)
        shutil.move(tmp_path / "conformance-report", tmp_path / "shards" / f"conformance-shard-{k}")
    # two connectors, three shards: one shard is empty and still succeeds; dogs' shard fails
    assert sorted(statuses) == [0, 0, 1]
    merge_step = runs(flow["jobs"]["merge"])[-1]
    merged = bash(merge_step, tmp_path)
    assert merged.returncode == 1, merged.stdout + merged.stderr  # the fleet fails: dogs
    assert "FAILED connectors/dogs::crud.delete" in merged.stdout
    report = json.loads((tmp_path / "conformance-report" / "conformance.json").read_text())
    assert report["summary"]["connectors"] == 2
    assert report["summary"]["checks"] == 2 * len(CHECKS)
    # an artifact that never arrived fails the merge, by name
    shutil.rmtree(tmp_path / "shards" / "conformance-shard-2")
    missing = bash(merge_step, tmp_path)
    assert missing.returncode == 2
    assert "shard report shards/conformance-shard-2: no such folder" in missing.stderr
