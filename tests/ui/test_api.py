"""The UI's HTTP surface without a browser: who is let in, and how bad input and bad modules end.

Each test builds the app in-process (starlette's TestClient) on a copy of a connector folder;
the browser tests (test_browser.py) cover the same paths through the page.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx is what we have
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from conformance.ui.app import build_app
from conformance.ui.security import COOKIE
from tests.helpers.cli import connector_folder
from tests.helpers.node import needs_node
from tests.ui.conftest import ROOT, cats_copy

TOKEN, PORT = "launch-token", 8123
LIVE_GET = {"command": "get", "block": {"id": "1"}, "live": True}
BASE = f"http://127.0.0.1:{PORT}"


def client(folder: Path, *, token: str | None = TOKEN, cassettes: Path | None = None) -> TestClient:
    app = build_app(folder, cassettes, token=TOKEN, port=PORT)
    c = TestClient(app, base_url=BASE, follow_redirects=False)
    if token is not None:
        c.cookies.set(COOKIE, token)
    return c


@pytest.fixture
def cats(tmp_path: Path) -> Path:
    return cats_copy(tmp_path)


def test_the_printed_url_trades_its_token_for_a_cookie_and_drops_it(cats):
    c = client(cats, token=None)
    first = c.get(f"/?token={TOKEN}")
    assert first.status_code == 303 and first.headers["location"] == "/"
    cookie = first.headers["set-cookie"]
    assert f"{COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    c.cookies.set(COOKIE, TOKEN)
    assert c.get("/api/module").json()["name"] == "cats"


@pytest.mark.parametrize("token", [None, "", "a-guess"])
def test_every_request_without_the_token_is_refused(cats, token):
    c = client(cats, token=token)
    for path in ("/", "/api/module", "/static/app.js", f"/?token={token or 'x'}"):
        refused = c.get(path)
        assert refused.status_code == 403, path
        assert "open the URL that `syncpeng ui` printed" in refused.text
    assert c.post("/api/mock/reset", json={}).status_code == 403


@pytest.mark.parametrize(
    "headers, said",
    [
        ({"host": "attacker.example:8123"}, "Host 'attacker.example:8123' is not this UI"),
        ({"host": "127.0.0.1:9999"}, "is not this UI"),
        ({"origin": "http://attacker.example"}, "another site"),
        ({"origin": "http://127.0.0.1:9999"}, "another site"),
    ],
)
def test_dns_rebinding_and_cross_site_requests_are_refused_even_with_the_cookie(
    cats, headers, said
):
    refused = client(cats).post("/api/mock/reset", json={}, headers=headers)
    assert refused.status_code == 403 and said in refused.text


def test_the_page_and_its_assets_come_from_the_package(cats):
    c = client(cats)
    page = c.get("/").text
    assert '<script src="/static/app.js"' in page and "http" not in page.split("<body>")[0]
    assert c.get("/static/app.js").status_code == 200
    assert c.get("/static/style.css").status_code == 200


def test_a_method_runs_on_the_persistent_mock_masked_like_syncpeng_v(cats):
    c = client(cats)
    inserted = c.post("/api/run", json={"command": "insert", "block": {"value": {"name": "Tom"}}})
    assert inserted.status_code == 200 and inserted.json()["ok"], inserted.text
    new_id = inserted.json()["value"]["id"]
    (exchange,) = inserted.json()["exchanges"]
    assert (exchange["method"], exchange["url"]) == ("POST", "https://api.cats.test/cats")
    assert "Authorization: ***" in exchange["request_headers"].splitlines()
    assert exchange["status"] == 201 and exchange["ms"] >= 0
    got = c.post("/api/run", json={"command": "get", "block": {"id": new_id}}).json()
    assert got["ok"] and got["value"]["name"] == "Tom"
    assert [r["id"] for r in c.get("/api/mock").json()["records"]] == [new_id]
    assert (cats / ".syncpeng-mock.json").is_file()  # the file `syncpeng --mock` uses


@pytest.mark.parametrize(
    "body, said",
    [
        (b"{not json", "the request body is not JSON"),
        (b"[1]", "must be a JSON object"),
        (json.dumps({"command": "frobnicate"}).encode(), "'frobnicate': not a method"),
        (json.dumps({"command": "get", "block": {}}).encode(), 'the "get" block has no "id"'),
        (json.dumps({"command": "get", "block": {"id": 7}}).encode(), "id"),
    ],
)
def test_malformed_input_is_one_inline_error_not_a_500(cats, body, said):
    answer = client(cats).post("/api/run", content=body)
    assert answer.status_code == 422
    assert said in answer.json()["error"] and "Traceback" not in answer.text


def test_save_to_in_json_keeps_the_other_blocks_and_writes_nowhere_else(cats):
    (cats / "in.json").write_text(json.dumps({"get": {"id": "keep-me"}}))
    before = sorted(p.name for p in cats.iterdir())
    saved = client(cats).post("/api/save", json={"command": "insert", "block": {"value": {}}})
    assert saved.json() == {"saved": "in.json"}
    assert json.loads((cats / "in.json").read_text()) == {
        "get": {"id": "keep-me"},
        "insert": {"value": {}},
    }
    assert sorted(p.name for p in cats.iterdir()) == before


def test_a_secret_the_module_returns_or_prints_is_masked(tmp_path):
    source = (
        "class DataSource:\n"
        "    async def init(self, account):\n"
        "        self.account = account\n"
        "    async def get(self, id):\n"
        "        print('token is', self.account['apiToken'])\n"
        "        return {'id': id, 'account': self.account}\n"
    )
    secret = "s3cr3t-token-value"
    folder = connector_folder(tmp_path / "echo", source, account={"apiToken": secret})
    ran = client(folder).post("/api/run", json=LIVE_GET)
    assert ran.json()["ok"] and secret not in ran.text
    assert "token is ***" in ran.json()["output"]
    assert secret not in client(folder).get("/api/module").text


def test_a_hanging_module_fails_its_run_and_the_ui_stays_up(tmp_path):
    source = (
        "import asyncio\n"
        "class DataSource:\n"
        "    async def init(self, account):\n"
        "        pass\n"
        "    async def get(self, id):\n"
        "        await asyncio.sleep(3600)\n"
    )
    folder = connector_folder(tmp_path / "slow", source, account={"apiToken": "x"})
    c = client(folder)
    app_module = c.app  # the same server answers before and after
    hung = c.post("/api/run", json={"command": "get", "block": {"id": "1"}, "live": True})
    assert hung.status_code == 200 and not hung.json()["ok"]
    assert "did not return within" in hung.json()["error"]
    assert c.app is app_module and c.get("/api/module").json()["name"] == "slow"


def test_a_crashing_module_shows_its_exception_and_stack(tmp_path):
    source = (
        "class DataSource:\n"
        "    async def init(self, account):\n"
        "        pass\n"
        "    async def get(self, id):\n"
        "        raise RuntimeError('boom in get')\n"
    )
    folder = connector_folder(tmp_path / "crash", source, account={"apiToken": "x"})
    ran = client(folder).post("/api/run", json=LIVE_GET)
    assert ran.status_code == 200 and not ran.json()["ok"]
    assert "raised RuntimeError: boom in get" in ran.json()["error"]
    assert "dataSourceApp.py" in ran.json()["traceback"]


def test_an_edit_to_the_module_is_picked_up_on_the_next_run(tmp_path):
    template = (
        "class DataSource:\n"
        "    async def init(self, account):\n"
        "        pass\n"
        "    async def get(self, id):\n"
        "        return {'id': id, 'version': VERSION}\n"
    )
    folder = connector_folder(tmp_path / "edit", template.replace("VERSION", "1"), account={})
    c = client(folder)
    first = c.post("/api/run", json={"command": "get", "block": {"id": "a"}, "live": True})
    (folder / "dataSourceApp.py").write_text(template.replace("VERSION", "2"))
    second = c.post("/api/run", json={"command": "get", "block": {"id": "a"}, "live": True})
    assert (first.json()["value"]["version"], second.json()["value"]["version"]) == (1, 2)


@needs_node
def test_a_nodejs_module_runs_from_the_ui_like_a_python_one(tmp_path):
    folder = shutil.copytree(ROOT / "examples" / "cats-js", tmp_path / "cats-js", symlinks=False)
    shutil.copy(folder / "account.example.json", folder / "account.json")
    c = client(folder)
    assert c.get("/api/module").json()["module"] == "dataSourceApp.js"
    inserted = c.post("/api/run", json={"command": "insert", "block": {"value": {"name": "Tom"}}})
    assert inserted.json()["ok"], inserted.text
    new_id = inserted.json()["value"]["id"]
    got = c.post("/api/run", json={"command": "get", "block": {"id": new_id}}).json()
    assert got["ok"] and got["value"]["name"] == "Tom"
    synced = c.post("/api/timeline/next", json={}).json()["items"][0]
    assert [e["id"] for e in synced["entries"]] == [new_id]


def test_the_checks_replay_the_cassettes_given_and_stream_each_verdict():
    c = client(ROOT / "examples" / "kinto", cassettes=ROOT / "cassettes" / "kinto")
    assert c.get("/api/module").json()["mode"] == "replay"
    assert c.post("/api/checks/run", json={"checks": ["interface", "crud"]}).json() == {
        "started": True
    }
    with c.stream("GET", "/api/checks/events") as stream:
        events = [json.loads(line[6:]) for line in stream.iter_lines() if line.startswith("data: ")]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run-started" and kinds[-3:] == ["check-finished", "run-finished", "end"]
    verdicts = {e["check"]: e["status"] for e in events if e["event"] == "check-finished"}
    assert verdicts == dict.fromkeys(
        ["interface", "crud.round-trip", "crud.patch-partial", "crud.delete", "crud.acknowledged"],
        "passed",
    )


def test_a_cassette_is_shown_with_its_placeholders_and_a_clean_audit():
    c = client(ROOT / "examples" / "kinto", cassettes=ROOT / "cassettes" / "kinto")
    assert "crud.delete" in c.get("/api/cassettes").json()["cassettes"]
    shown = c.get("/api/cassettes/crud.delete").json()
    assert shown["audit"] == []
    first = shown["interactions"][0]
    assert first["url"].startswith("<SECRET:baseUrl>/buckets/")
    assert "authorization: <SECRET:header.authorization>" in first["request_headers"]
    missing = c.get("/api/cassettes/nope")
    assert missing.status_code == 422
    assert "nope: no cassette of that name" in missing.json()["error"]
