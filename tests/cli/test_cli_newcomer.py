"""The newcomer's loop, end to end through the real command: scaffold, try each method against
the mock with no account, then run the conformance suite on the result."""

from __future__ import annotations

import json

from conformance.checks import CHECKS
from tests.helpers.cli import edit_json, scaffolded, syncpeng


def test_scaffold_then_every_method_against_the_mock_then_the_suite(tmp_path):
    made = syncpeng("init", "-d", "cats", cwd=tmp_path)
    assert made.code == 0, made.err
    folder = tmp_path / "cats"
    in_json = folder / "in.json"

    inserted = syncpeng("insert", "--mock", cwd=folder)
    assert inserted.code == 0, inserted.err
    new_id = inserted.json()["id"]

    edit_json(in_json, get={"id": new_id}, patch={"id": new_id, "value": {"age": 9}})
    got = syncpeng("get", "--mock", cwd=folder)  # a second process: the record is still there
    assert got.code == 0, got.err
    assert got.json()["name"] == "Oliver" and got.json()["age"] == 4

    patched = syncpeng("patch", "--mock", cwd=folder)
    assert patched.code == 0, patched.err
    assert syncpeng("get", "--mock", cwd=folder).json()["age"] == 9

    updates = syncpeng("getupdates", "--mock", cwd=folder)
    assert updates.code == 0, updates.err
    entries = updates.json()["entries"]
    assert [(e["id"], e["type"], e["value"]["age"]) for e in entries] == [(new_id, "upsert", 9)]

    edit_json(in_json, getupdates={"lastSync": updates.json()["nextSync"]})
    assert syncpeng("getupdates", "--mock", cwd=folder).json()["entries"] == []

    edit_json(in_json, delete={"id": new_id})
    deleted = syncpeng("delete", "--mock", cwd=folder)
    assert (deleted.code, deleted.out) == (0, "")
    gone = syncpeng("get", "--mock", cwd=folder)
    assert (gone.code, gone.json()) == (0, None)
    after_delete = syncpeng("getupdates", "--mock", cwd=folder).json()["entries"]
    assert [(e["id"], e["type"]) for e in after_delete] == [(new_id, "delete")]

    tested = syncpeng("test", "--examples", "5", cwd=folder)
    assert tested.code == 0, tested.out + tested.err
    assert f"{len(CHECKS)} checks: {len(CHECKS)} passed" in tested.out


def test_init_runs_the_connectors_init_and_has_no_output(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    ran = syncpeng("init", "--mock", cwd=folder)
    assert (ran.code, ran.out) == (0, "")
    assert "init: done" in ran.err


def test_mock_reset_forgets_the_records_kept_between_commands(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    new_id = syncpeng("insert", "--mock", cwd=folder).json()["id"]
    assert syncpeng("get", "--mock", "--id", new_id, cwd=folder).json()["id"] == new_id
    assert (folder / ".syncpeng-mock.json").exists()

    reset = syncpeng("get", "--mock-reset", "--id", new_id, cwd=folder)
    assert (reset.code, reset.json()) == (0, None)


def test_connector_option_runs_a_folder_from_elsewhere_and_o_writes_the_response(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    out = tmp_path / "response.json"
    ran = syncpeng("insert", "--mock", "--connector", "cats", "-o", str(out), cwd=tmp_path)
    assert (ran.code, ran.out) == (0, "")
    assert set(json.loads(out.read_text())) == {"id"}
    assert (folder / ".syncpeng-mock.json").exists()  # the state lives with the connector


def test_the_mock_also_serves_on_loopback_for_clients_other_than_httpx(tmp_path):
    folder = scaffolded(tmp_path / "cats")
    ran = syncpeng("insert", "--mock", "--transport", "loopback", cwd=folder)
    assert ran.code == 0, ran.err
    new_id = ran.json()["id"]
    assert syncpeng("get", "--mock", "--id", new_id, cwd=folder).json()["id"] == new_id
