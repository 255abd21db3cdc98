"""A mock's store survives a process boundary through a JSON file (``mock_api.state``)."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest

from mock_api import CatsAPI
from mock_api.state import FORMAT, clear_state, load_state, save_state


def test_records_and_tombstones_survive_a_save_and_a_load_into_a_fresh_api(tmp_path):
    first = CatsAPI()
    kept = first.create_as_other({"name": "Simba", "toys": [{"name": "ball"}]})
    gone = first.create_as_other({"name": "Nala"})
    first.delete_as_other(gone["id"])
    path = tmp_path / "state.json"
    save_state(first, path)

    second = CatsAPI()
    assert load_state(second, path) is True
    assert second.records() == first.records()
    assert second.tombstones() == first.tombstones()
    assert second.record(kept["id"]) == kept


def test_a_loaded_store_answers_http_listings_in_server_order(tmp_path, call, api):
    other = CatsAPI()
    for name in ("a", "b", "c"):
        other.create_as_other({"name": name})
    save_state(other, tmp_path / "s.json")
    load_state(api, tmp_path / "s.json")
    listing = call("GET", "/cats").json()
    assert listing == other.records()
    assert sorted(cat["name"] for cat in listing) == ["a", "b", "c"]


def test_no_file_means_nothing_to_load_and_the_store_is_left_alone(tmp_path):
    api = CatsAPI()
    api.create_as_other({"name": "Tom"})
    assert load_state(api, tmp_path / "absent.json") is False
    assert len(api.records()) == 1


def test_the_file_is_written_whole_with_no_temp_file_left_behind(tmp_path):
    api = CatsAPI()
    api.create_as_other({"name": "Tom"})
    save_state(api, tmp_path / "s.json")
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
    document = json.loads((tmp_path / "s.json").read_text())
    assert document["format"] == FORMAT and document["api"] == "CatsAPI"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not a saved mock state"),
        ('{"format": "other"}', "expected format"),
        (json.dumps({"format": FORMAT, "api": "DogsAPI", "state": {}}), "'DogsAPI'"),
        (json.dumps({"format": FORMAT, "api": "CatsAPI", "state": {"entries": [1]}}), "entries[0]"),
    ],
)
def test_a_damaged_file_is_refused_by_name_and_leaves_the_store_untouched(
    tmp_path, content, reason
):
    path = tmp_path / "s.json"
    path.write_text(content)
    api = CatsAPI()
    api.create_as_other({"name": "Tom"})
    with pytest.raises(ValueError, match=re.escape(reason)) as info:
        load_state(api, path)
    assert str(path) in str(info.value)
    assert [cat["name"] for cat in api.records()] == ["Tom"]


def test_clear_state_removes_the_file_and_says_whether_there_was_one(tmp_path):
    path = tmp_path / "s.json"
    save_state(CatsAPI(), path)
    assert clear_state(path) is True
    assert not path.exists()
    assert clear_state(path) is False


def test_the_state_file_gets_the_mode_any_new_file_gets_and_keeps_a_chosen_one(tmp_path):
    path = tmp_path / "state.json"
    before = os.umask(0o022)
    try:
        save_state(CatsAPI(), path)
        assert oct(stat.S_IMODE(path.stat().st_mode)) == "0o644"
        path.chmod(0o600)
        save_state(CatsAPI(), path)
        assert oct(stat.S_IMODE(path.stat().st_mode)) == "0o600"
    finally:
        os.umask(before)
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
