"""`syncpeng <method> --mock` needs no account (the README's promise): the examples ship only
account.example.json, whose values the bundled mock accepts; a folder with neither file runs
with a stand-in token. Without --mock a missing account is still one clear error."""

import json
import shutil

import pytest

from tests.helpers import ROOT
from tests.helpers.cli import syncpeng
from tests.helpers.node import needs_node

CAT = {"name": "Oliver", "age": 3, "sex": "male", "fluffiness": 5, "notes": "", "toys": []}


def copied(example: str, tmp_path) -> object:
    """The example as a user has it after cloning: no account.json; an in.json of their own."""
    folder = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, folder)
    assert not (folder / "account.json").exists()
    (folder / "in.json").write_text(
        json.dumps({"insert": {"value": CAT}, "getupdates": {"lastSync": None}})
    )
    return folder


EXAMPLES = [
    pytest.param("cats", id="cats"),
    pytest.param("cats-js", id="cats-js", marks=needs_node),
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_method_runs_on_an_example_with_no_account_json(example, tmp_path):
    folder = copied(example, tmp_path)
    inserted = syncpeng("insert", "--mock", cwd=folder)
    assert inserted.code == 0, inserted.err
    new_id = inserted.json()["id"]
    got = syncpeng("get", "--mock", "--id", new_id, cwd=folder)
    assert got.code == 0, got.err
    assert got.json()["id"] == new_id
    updates = syncpeng("getupdates", "--mock", cwd=folder)
    assert updates.code == 0, updates.err
    assert [e["id"] for e in updates.json()["entries"]] == [new_id]
    deleted = syncpeng("delete", "--mock", "--id", new_id, cwd=folder)
    assert deleted.code == 0, deleted.err


def test_a_folder_with_no_account_file_at_all_runs_with_a_stand_in(tmp_path):
    folder = copied("cats", tmp_path)
    (folder / "account.example.json").unlink()
    inserted = syncpeng("insert", "--mock", cwd=folder)
    assert inserted.code == 0, inserted.err
    assert "id" in inserted.json()


def test_without_mock_a_missing_account_is_one_error_that_offers_mock(tmp_path):
    folder = copied("cats", tmp_path)
    ran = syncpeng("get", "--id", "x", cwd=folder)
    assert ran.code == 2
    assert "account.json: file not found" in ran.err
    assert "--mock" in ran.err
    assert "Traceback" not in ran.err
