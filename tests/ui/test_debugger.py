"""The UI as the author's debugger, through its JSON API (the browser tests show the same on
screen): console lines of a failed call, schema violations with their paths and an inferred
schema, refused runs and history, masked secrets in cassettes, pages of a big cassette, facts
kept when the module does not load, the init block masked until revealed, advice in the page's
own terms, and which failure explains the others."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conformance.ui.inferred import infer
from conformance.ui.rootcause import explain
from tests.ui.conftest import ROOT, cats_copy
from tests.ui.test_api import client

PLANTED = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"  # a Stripe-shaped key, as the audit finds it


def override(folder: Path, body: str) -> Path:
    """Replace methods of the copied cats module: a subclass appended under the same name."""
    module = folder / "dataSourceApp.py"
    module.write_text(
        module.read_text() + "\n\n_Base = DataSource\n\n\nclass DataSource(_Base):\n" + body
    )
    return folder


@pytest.fixture
def cats(tmp_path: Path) -> Path:
    return cats_copy(tmp_path)


def test_what_a_call_printed_before_it_raised_is_console_output_not_stack(cats):
    override(
        cats,
        "    async def get(self, id):\n"
        "        print('looking up', id)\n"
        "        raise RuntimeError('boom')\n",
    )
    r = client(cats).post("/api/run", json={"command": "get", "block": {"id": "abc"}}).json()
    assert not r["ok"] and "RuntimeError: boom" in r["error"]
    assert "looking up abc" in r["output"]
    assert "looking up" not in r["traceback"] and "RuntimeError" in r["traceback"]


def test_a_timed_out_call_says_its_lines_were_lost_and_why(cats):
    hang = "    async def get(self, id):\n        print('waiting')\n        while True: pass\n"
    override(cats, hang)
    block = {"command": "get", "block": {"id": "abc"}, "timeout": 1}
    r = client(cats).post("/api/run", json=block).json()
    assert not r["ok"] and "did not return within 1 s" in r["error"]
    assert "raise it in the per-call timeout field" in r["error"]  # not a CLI flag
    assert "--connector-timeout" not in json.dumps(r)
    assert "lost" in r["output_note"] and "per-call timeout (1 s)" in r["output_note"]


def test_get_result_is_read_against_the_schema_with_paths_and_an_inferred_schema(cats):
    override(
        cats,
        "    async def get(self, id):\n"
        "        record = await super().get(id)\n"
        "        return record and {**record, 'lastModified': 17, 'age': 'three'}\n",
    )
    c = client(cats)
    inserted = c.post("/api/run", json={"command": "insert", "block": {"value": {"name": "Tom"}}})
    new_id = inserted.json()["value"]["id"]
    r = c.post("/api/run", json={"command": "get", "block": {"id": new_id}}).json()
    found = {v["path"]: v for v in r["schema"]["violations"]}
    assert set(found) == {"$.age", "$.lastModified"}
    assert found["$.lastModified"]["rule"] == "properties.lastModified.type = 'string'"
    assert found["$.lastModified"]["id"] == new_id
    line = r["value_text"].splitlines()[found["$.lastModified"]["line"]]
    assert line.strip().startswith('"lastModified": 17')
    assert r["schema"]["inferred"]["properties"]["lastModified"] == {"type": "integer"}
    assert r["schema"]["declared"]["properties"]["lastModified"]["type"] == "string"


def test_a_refused_run_and_the_runs_before_it_stay_listed(cats):
    c = client(cats)
    c.post("/api/run", json={"command": "get", "block": {"id": "one"}})
    (cats / "in.json").write_text('{"get": {"id": ')
    refused = c.post("/api/run", json={"command": "get", "block": {"id": "two"}})
    assert refused.status_code == 422 and "in.json:1:" in refused.json()["error"]
    runs = c.get("/api/history").json()["methods"]["get"]
    assert [run["block"]["id"] for run in runs] == ["two", "one"]
    assert runs[0]["refused"] and "in.json:1:" in runs[0]["error"]
    assert runs[1]["ok"] and runs[1]["value"] == "null"


def test_a_malformed_in_json_keeps_the_methods_and_its_message(cats):
    (cats / "in.json").write_text('{"get": {"id": ')
    c = client(cats)
    view = c.get("/api/inputs").json()
    assert view["methods"][0] == "init" and "in.json:1:" in view["error"]
    saved = c.post("/api/save", json={"command": "get", "block": {"id": "x"}})
    assert saved.status_code == 422 and "in.json:1:" in saved.json()["error"]


def test_the_init_block_is_masked_until_revealed_and_runs_as_saved(cats):
    (cats / "in.json").write_text(json.dumps({"init": {"apiToken": "from-in-json-secret-9"}}))
    c = client(cats)
    view = c.get("/api/inputs").json()
    assert view["inputs"]["init"] == {"apiToken": "***"} and view["init_masked"]
    assert "from-in-json-secret-9" not in json.dumps(view)
    ran = c.post("/api/run", json={"command": "init", "block": {"apiToken": "***"}}).json()
    assert ran["ok"], ran  # the saved block, not the mask, reached init
    revealed = c.post("/api/inputs/reveal", json={}).json()
    assert revealed["init"] == {"apiToken": "from-in-json-secret-9"}


def test_a_load_error_keeps_the_mode_mock_schema_and_account_facts(cats):
    (cats / "dataSourceApp.py").write_text("def broken(:\n")
    m = client(cats).get("/api/module").json()
    assert "SyntaxError" in m["error"]
    assert m["mode"] == "mock" and m["mock"] and m["account"]["keys"]
    assert {f["name"] for f in m["fields"]} >= {"name", "lastModified"}


def kinto_cassettes(tmp_path: Path) -> Path:
    folder = shutil.copytree(ROOT / "cassettes" / "kinto", tmp_path / "cassettes")
    path = folder / "sync.stateful.json"
    data = json.loads(path.read_text())
    first = data["interactions"][0]
    first["response"]["headers"]["x-api-key"] = [PLANTED]
    first["response"]["body"] = json.dumps({"note": f"key={PLANTED}"})
    path.write_text(json.dumps(data))
    return folder


def test_a_planted_api_key_is_masked_in_the_cassette_view_and_reported(tmp_path):
    c = client(ROOT / "examples" / "kinto", cassettes=kinto_cassettes(tmp_path))
    view = c.get("/api/cassettes/sync.stateful").json()
    text = json.dumps(view)
    assert PLANTED not in text and "x-api-key: ***" in view["interactions"][0]["response_headers"]
    assert any("x-api-key" in finding for finding in view["audit"])


def test_a_big_cassette_comes_a_page_at_a_time(tmp_path):
    c = client(ROOT / "examples" / "kinto", cassettes=ROOT / "cassettes" / "kinto")
    first = c.get("/api/cassettes/sync.stateful").json()
    assert first["offset"] == 0 and first["total"] > len(first["interactions"]) == 50
    second = c.get("/api/cassettes/sync.stateful?offset=50&limit=10").json()
    assert second["offset"] == 50 and len(second["interactions"]) == 10 and "audit" not in second


def test_the_likely_cause_of_failures_that_come_together():
    assert explain({"crud.round-trip": "failed", "sync.stateful": "failed", "interface": "passed"})
    paged = explain(
        {
            "faults.pagination": "failed",
            "updates.progression": "failed",
            "sync.stateful": "failed",
            "records.schema": "failed",
        }
    )
    assert paged == [
        {
            "cause": "faults.pagination",
            "explains": ["updates.progression", "sync.stateful"],
            "why": "their change lists cross a page too",
        }
    ]
    assert explain({"records.schema": "failed", "errors.missing-id": "failed"}) == []


def test_the_inferred_schema_merges_records_like_genson():
    schema = infer([{"a": 1, "b": "x", "t": [{"n": "y"}]}, {"a": 2.5, "t": [], "c": None}])
    assert schema["type"] == "object" and schema["required"] == ["a", "t"]
    assert schema["properties"]["a"] == {"type": "number"}
    assert schema["properties"]["t"]["items"]["properties"]["n"] == {"type": "string"}
    assert schema["properties"]["c"] == {"type": "null"}


def test_the_timeline_names_the_schema_violations_of_each_sync(cats):
    override(
        cats,
        "    async def get_updates(self, last_sync):\n"
        "        result = await super().get_updates(last_sync)\n"
        "        for entry in result['entries']:\n"
        "            if entry.get('value'):\n"
        "                entry['value']['lastModified'] = 17\n"
        "        return result\n",
    )
    c = client(cats)
    c.post("/api/run", json={"command": "insert", "block": {"value": {"name": "Tom"}}})
    item = c.post("/api/timeline/next", json={}).json()["items"][0]
    assert item["ok"] and item["violations"]
    assert item["violations"][0]["path"] == "$.entries[0].value.lastModified"


def test_the_busy_state_is_asked_so_the_page_can_clear_its_note(cats):
    assert client(cats).get("/api/status").json() == {"busy": False}


def test_a_revealed_init_block_is_not_listed_in_the_history(cats):
    c = client(cats)
    c.post("/api/run", json={"command": "init", "block": {"apiToken": "revealed-secret-77"}})
    assert "revealed-secret-77" not in c.get("/api/history").text
