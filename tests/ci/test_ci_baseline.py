"""The baseline file: validated on load, written atomically, reasons kept across rewrites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.ci.baseline import WRITTEN_REASON, Entry, load_baseline, write_baseline
from conformance.errors import InputError
from tests.helpers import mode, umask


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_entries_are_keyed_by_connector_and_check(tmp_path: Path) -> None:
    entry = {"connector": "connectors/a", "check": "crud.delete", "reason": "vendor bug #1"}
    baseline = load_baseline(write(tmp_path / "b.json", {"known_failures": [entry]}))
    assert baseline.get("connectors/a", "crud.delete") == Entry(
        "connectors/a", "crud.delete", "vendor bug #1"
    )
    assert baseline.get("connectors/a", "crud.round-trip") is None


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"known": []}, "unknown key 'known'"),
        ({"known_failures": {}}, "known_failures must be a list"),
        ({"known_failures": ["x"]}, r"known_failures\[0\]: must be an object"),
        (
            {"known_failures": [{"connector": "c", "check": "crud.delete", "reason": " "}]},
            r"known_failures\[0\]: reason must be a non-empty string; say why",
        ),
        (
            {"known_failures": [{"connector": "c", "check": "crud.nope", "reason": "r"}]},
            "unknown check 'crud.nope'; known checks: interface, crud.round-trip",
        ),
        (
            {"known_failures": [{"connector": "c", "check": "load", "reason": "r", "x": 1}]},
            "unknown field 'x'",
        ),
        (
            {"known_failures": [{"connector": "c", "check": "load", "reason": "r"}] * 2},
            r"known_failures\[1\]: c / load is listed twice",
        ),
    ],
)
def test_a_bad_baseline_names_the_entry_and_the_fix(
    tmp_path: Path, data: object, complaint: str
) -> None:
    with pytest.raises(InputError, match=complaint):
        load_baseline(write(tmp_path / "b.json", data))


def test_a_missing_baseline_says_how_to_write_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--connector-write-baseline"):
        load_baseline(tmp_path / "absent.json")


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('{"known_failures": [\n  {,}\n]}')
    with pytest.raises(InputError, match=r"b.json:2:4: invalid JSON"):
        load_baseline(tmp_path / "b.json")


def test_rewriting_keeps_reasons_and_quotes_new_findings(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    old = {"connector": "c/a", "check": "crud.delete", "reason": "vendor bug #1"}
    previous = load_baseline(write(path, {"known_failures": [old]}))
    write_baseline(
        path,
        [("c/b", "updates.shape", "nextSync is not JSON"), ("c/a", "crud.delete", "ignored")],
        previous,
    )
    again = load_baseline(path)
    assert again.get("c/a", "crud.delete").reason == "vendor bug #1"
    assert again.get("c/b", "updates.shape").reason == WRITTEN_REASON + "nextSync is not JSON"
    listed = json.loads(path.read_text())["known_failures"]
    assert [e["connector"] for e in listed] == ["c/a", "c/b"]  # sorted: diffs stay small
    assert not list(tmp_path.glob(".b.json.*"))  # no temporary file left behind


def test_a_written_baseline_gets_the_mode_any_new_file_gets(tmp_path: Path) -> None:
    with umask(0o022):
        path = write_baseline(tmp_path / "baseline.json", [("c/a", "crud.delete", "x")])
    assert oct(mode(path)) == "0o644"
