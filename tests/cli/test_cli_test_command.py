"""`syncpeng test`: the plugin's checks on one connector, summarised, with a usable exit code."""

from __future__ import annotations

import re
from pathlib import Path

from conformance.checks import CHECKS
from tests.helpers.cli import scaffolded, syncpeng

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "connectors" / "broken"


def test_a_broken_connector_fails_with_the_harm_and_the_reproduction():
    ran = syncpeng("test", str(BROKEN / "entires.py"), "--examples", "3", cwd=ROOT)
    assert ran.code == 1
    assert "  FAIL  updates.shape" in ran.out and "  PASS  crud.round-trip" in ran.out
    assert 'returned the key "entires"' in ran.out
    assert "Reproduce with these calls" in ran.out
    passed, failed = re.search(
        rf"{len(CHECKS)} checks: (\d+) passed, (\d+) failed", ran.out
    ).groups()
    assert int(passed) + int(failed) == len(CHECKS) and int(failed) >= 2


def test_it_runs_every_check_the_plugin_registers_in_registry_order(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    ran = syncpeng("test", "--examples", "2", cwd=folder)
    assert ran.code == 0, ran.out
    listed = [line.split()[1] for line in ran.out.splitlines() if line.startswith("  PASS ")]
    assert listed == [check.id for check in CHECKS]


def test_check_selects_by_id_or_family(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    ran = syncpeng("test", "--check", "crud", "--examples", "3", cwd=folder)
    assert ran.code == 0, ran.out
    assert "4 checks: 4 passed" in ran.out and "updates" not in ran.out.split("\n", 1)[1]
    unknown = syncpeng("test", "--check", "nope", cwd=folder)
    assert unknown.code == 2 and "matches no check" in unknown.err


def test_checks_that_cannot_run_for_bad_settings_exit_2(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    (folder / "conformance.toml").write_text("")
    ran = syncpeng("test", "--examples", "3", cwd=folder)
    assert ran.code == 2
    assert "names no mock API" in ran.out


def test_a_folder_that_is_not_a_connector(tmp_path):
    ran = syncpeng("test", str(tmp_path), cwd=tmp_path)
    assert ran.code == 2 and "has no dataSourceApp.py" in ran.err
