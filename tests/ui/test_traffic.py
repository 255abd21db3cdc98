"""HTTP traffic in the UI, through its JSON API (test_browser_traffic.py shows it on screen): each
exchange as the request pipeline saw it, a sync step's traffic by page, a failed check's
reproduction stepped through on the mock, and sync.stateful replayed from its blob."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conformance.ui.reproduction import last_call, parse
from conformance.ui.traffic import paged
from tests.helpers.node import needs_node
from tests.ui.conftest import ROOT, cats_copy
from tests.ui.test_api import client
from tests.ui.test_debugger import override

# examples/cats asking for pages of 2, so three records make two pages.
PAGED = (
    "    async def _send(self, method, url, **kwargs):\n"
    "        if method == 'GET' and url == '/cats':\n"
    "            kwargs['params'] = {**kwargs.get('params', {}), 'limit': '2'}\n"
    "        return await super()._send(method, url, **kwargs)\n"
)
# The same, with a paging bug: the last record of every page that has a next one is dropped.
# Only a sync of three records or more shows it, so its reproduction crosses pages.
DROPS_LAST = (
    "    async def _send(self, method, url, **kwargs):\n"
    "        import httpx\n"
    "        if method == 'GET' and url == '/cats':\n"
    "            kwargs['params'] = {**kwargs.get('params', {}), 'limit': '2'}\n"
    "        response = await super()._send(method, url, **kwargs)\n"
    "        if method != 'GET' or 'next' not in response.links:\n"
    "            return response\n"
    "        kept = {k: v for k, v in response.headers.items()\n"
    "                if k.lower() not in ('content-length', 'content-encoding')}\n"
    "        return httpx.Response(response.status_code, headers=kept,\n"
    "                              json=response.json()[:-1], request=response.request)\n"
)


@pytest.fixture
def cats(tmp_path: Path) -> Path:
    return cats_copy(tmp_path)


def checks_run(c, checks: list[str], **extra) -> dict[str, dict]:
    """Start a check run and follow its events to the end; each check's last message."""
    started = c.post("/api/checks/run", json={"checks": checks, **extra})
    assert started.status_code == 200, started.text
    finished = {}
    with c.stream("GET", "/api/checks/events") as events:
        for line in events.iter_lines():
            if line.startswith("data:"):
                event = json.loads(line[5:])
                if event["event"] == "check-finished":
                    finished[event["check"]] = event
    return finished


def test_an_exchange_has_both_sides_headers_bodies_client_source_and_duration(cats):
    c = client(cats)
    ran = c.post("/api/run", json={"command": "insert", "block": {"value": {"name": "Tom"}}})
    (x,) = ran.json()["exchanges"]
    assert (x["method"], x["client"], x["source"], x["status"]) == ("POST", "httpx", "mock", 201)
    assert x["ms"] >= 0
    assert "Authorization: ***" in x["request_headers"].splitlines()
    assert json.loads(x["request_body"]) == {"name": "Tom"}
    assert any(line.startswith("X-Server-Time: 20") for line in x["response_headers"].splitlines())
    assert json.loads(x["response_body"])["name"] == "Tom"
    token = json.loads((cats / "account.json").read_text())["apiToken"]
    assert token not in ran.text  # the account's token is nowhere in what reaches the page


def test_a_sync_step_lists_its_traffic_by_page_with_the_link_to_the_next(cats):
    c = client(override(cats, PAGED))
    for name in ("Tom", "Kit", "Max"):
        c.post(
            "/api/timeline/write",
            json={"who": "other", "action": "insert", "fields": {"name": name}},
        )
    (sync,) = [
        i for i in c.post("/api/timeline/next", json={}).json()["items"] if i["kind"] == "sync"
    ]
    assert sync["lastSync"] is None and sync["nextSync"]["since"]
    first, second = sync["pages"]
    assert "limit=2" in first["asked"] and first["next"] == second["asked"]
    assert second["next"] == ""
    assert 'rel="next"' in first["exchanges"][0]["response_headers"]
    names = [
        r["name"] for p in sync["pages"] for r in json.loads(p["exchanges"][0]["response_body"])
    ]
    assert sorted(names) == ["Kit", "Max", "Tom"]


def test_pages_start_at_each_listing_request_and_a_token_fetch_joins_the_first():
    def x(method: str, url: str) -> dict:
        return {"method": method, "url": url, "response_headers": ""}

    items = [
        x("POST", "https://api.test/oauth/token"),
        x("GET", "https://api.test/items?since=1"),
        x("GET", "https://api.test/items/7"),
        x("GET", "https://api.test/items?cursor=b"),
    ]
    pages = paged(items)
    assert [len(p["exchanges"]) for p in pages] == [3, 1]
    assert [p["asked"] for p in pages] == [items[1]["url"], items[3]["url"]]


def test_a_reproduction_reads_back_as_calls_notes_and_another_clients_writes():
    script = "\n".join(
        [
            'init("<account.json>")  # -> null',
            'insert({"name": "Tom"})  # -> "a1"',
            '# another client patches a1: {"name": "Kit"}',
            'getUpdates(null)  # -> {"entries": [], "nextSync": 5}',
            "getUpdates(5)  # -> {...}  (× 3: the same call and answer 3 times in a row)",
            "# fault: 503 on the next GET of a record",
            'get("a1")  # raised KeyError',
            'patch("a1", {"notes": "abc... [cut: 9,000 characters in all]"})',
        ]
    )
    steps = parse(script)
    kinds = [(s["kind"], s.get("command") or s.get("action")) for s in steps]
    assert kinds == [
        ("note", None),
        ("call", "insert"),
        ("other", "patch"),
        ("call", "getupdates"),
        ("call", "getupdates"),
        ("note", None),
        ("call", "get"),
        ("call", "patch"),
    ]
    assert steps[2]["fields"] == {"name": "Kit"} and steps[2]["id"] == "a1"
    assert steps[4]["args"] == [5] and steps[6]["outcome"] == "raised KeyError"
    assert "args" not in steps[7] and "cut" in steps[7]["why"]
    assert last_call(script)["line"] == 'get("a1")  # raised KeyError'


def test_a_failed_checks_reproduction_steps_through_on_the_mock_and_replays(cats):
    c = client(override(cats, DROPS_LAST))
    (failed,) = checks_run(c, ["sync.stateful"]).values()
    assert failed["status"] == "failed", failed["message"]
    assert failed["replay"] and "--connector-replay" not in failed["message"]
    assert 'its "Replay this example" button' in failed["message"]
    loaded = c.post("/api/repro/load", json={"check": "sync.stateful"}).json()
    assert loaded["position"] == 0 and loaded["steps"]
    assert c.get("/api/mock").json()["records"] == []  # the check began on an empty mock
    view = loaded
    while not view["done"]:
        view = c.post("/api/repro/step", json={}).json()
    calls = [s for s in view["steps"] if s["kind"] == "call" and "ran" in s]
    assert calls and all(s["ran"]["ok"] for s in calls), calls
    syncs = [s for s in calls if s["command"] == "getupdates"]
    for page in (p for s in syncs for p in s["ran"]["pages"]):
        assert page["exchanges"][0]["status"] == 200 and page["exchanges"][0]["response_body"]
    # an id the check's insert (or another client's create) got is never sent: the replay's is
    checks_ids = {json.loads(s["outcome"][3:])["id"] for s in calls if s["command"] == "insert"}
    checks_ids |= {s["id"] for s in view["steps"] if s["kind"] == "other"}
    sent = {s["block"]["id"] for s in calls if s["command"] in ("get", "patch", "delete")}
    assert not sent & checks_ids
    # "Replay this example": the check again, on that one example (whether it fails again may
    # depend on timing: the shrunk example often has writes made while a call was in flight)
    (again,) = checks_run(c, ["sync.stateful"], replay=failed["replay"]).values()
    assert again["replayed"] and again["status"] in ("failed", "passed"), again["message"]
    # the blob is what runs: one that is not hypothesis' is refused by the check itself
    (bad,) = checks_run(c, ["sync.stateful"], replay="AXicnotablob").values()
    assert bad["status"] == "error" and "this blob does not replay here" in bad["message"]


def test_a_pasted_reproduction_shows_the_paging_bug_page_by_page(cats):
    c = client(override(cats, DROPS_LAST))
    script = "\n".join(
        [
            'init("<account.json>")  # -> null',
            'insert({"name": "Tom"})  # -> {"id": "t"}',
            'insert({"name": "Kit"})  # -> {"id": "k"}',
            'insert({"name": "Max"})  # -> {"id": "m"}',
            "getUpdates(null)",
            'get("k")',
        ]
    )
    view = c.post("/api/repro/load", json={"script": script}).json()
    while not view["done"]:
        view = c.post("/api/repro/step", json={}).json()
    ids = [json.loads(s["ran"]["value_text"])["id"] for s in view["steps"][1:4]]
    sync, get = view["steps"][4], view["steps"][5]
    first, second = sync["ran"]["pages"]  # three records, pages of 2
    listed = [
        r["id"] for p in (first, second) for r in json.loads(p["exchanges"][0]["response_body"])
    ]
    assert sorted(listed) == sorted(ids)  # the API listed all three...
    delivered = [e["id"] for e in json.loads(sync["ran"]["value_text"])["entries"]]
    assert len(delivered) == 2 and set(delivered) < set(ids)  # ...the connector delivered two
    assert get["block"] == {"id": ids[1]}  # "k" was the check's id for Kit: the replay's is sent
    assert json.loads(get["ran"]["value_text"])["name"] == "Kit"


def test_a_replay_blob_runs_sync_stateful_alone_and_a_passing_check_has_no_reproduction(cats):
    c = client(cats)
    refused = c.post("/api/checks/run", json={"checks": ["crud.insert-get"], "replay": "AXic"})
    assert refused.status_code == 422 and "sync.stateful" in refused.json()["error"]
    said = c.post("/api/repro/load", json={"check": "sync.stateful"})
    assert said.status_code == 422 and "no reproduction" in said.json()["error"]


@needs_node
def test_a_nodejs_modules_exchanges_name_their_client_and_its_reproduction_says_getupdates(
    tmp_path,
):
    folder = shutil.copytree(ROOT / "examples" / "cats-js", tmp_path / "cats-js", symlinks=False)
    shutil.copy(folder / "account.example.json", folder / "account.json")
    c = client(folder)
    c.post("/api/run", json={"command": "insert", "block": {"value": {"name": "Tom"}}})
    synced = c.post("/api/timeline/next", json={}).json()["items"][0]
    ((x,),) = [p["exchanges"] for p in synced["pages"]]
    assert (x["method"], x["client"], x["source"]) == ("GET", "this.httpClient", "mock")
    assert "X-Server-Time" in x["response_headers"] and "Authorization: ***" in x["request_headers"]
    steps = parse('getUpdates(null)  # -> {"entries": [], "nextSync": 1}')
    assert steps[0]["command"] == "getupdates" and steps[0]["line"].startswith("getUpdates(")
