"""The replay engine: recorded order for identical requests, a blocked network, atomic files."""

import asyncio
import json
import os
from contextlib import contextmanager

import httpx
import pytest

from conformance.backends.draws import RecordedDraws, ReplayedDraws
from conformance.errors import InputError
from conformance.http.pipeline import Pipeline
from conformance.http.tape import Tape
from conformance.recording.cassette import Cassette, load_cassette, save_cassette
from tests.helpers import mode, umask
from tests.helpers.http import caught

ACCOUNT = {"baseUrl": "http://127.0.0.1:9/v1", "apiToken": "token-of-the-replay-account"}


def interaction(method, url, status, body, headers=None):
    return {
        "request": {"method": method, "url": url, "headers": {}, "body": ""},
        "response": {"status": status, "headers": headers or {}, "body": body},
    }


@contextmanager
def replaying(interactions):
    """An httpx client in this process, answered by a cassette through the request pipeline."""
    tape = Tape(interactions, account=ACCOUNT)
    with caught(Pipeline([], tape, offline=True, in_memory=True)):
        yield tape


def fetch_all(requests):
    async def go():
        async with httpx.AsyncClient(
            headers={"Authorization": f"Bearer {ACCOUNT['apiToken']}"}
        ) as client:
            return [(await client.request(m, u)).text for m, u in requests]

    return asyncio.run(go())


def test_identical_requests_get_their_answers_in_recorded_order():
    polled = "<SECRET:baseUrl>/updates?since=5"
    tape = [
        interaction("GET", polled, 200, '{"entries": ["first"]}'),
        interaction("GET", polled, 200, '{"entries": ["second"]}'),
        interaction("GET", polled, 200, '{"entries": []}'),
    ]
    url = "http://127.0.0.1:9/v1/updates?since=5"
    with replaying(tape) as cassette:
        answers = fetch_all([("GET", url)] * 3)
    assert answers == ['{"entries": ["first"]}', '{"entries": ["second"]}', '{"entries": []}']
    assert cassette.played == 3 and cassette.misses == []


def test_account_placeholders_are_restored_in_replayed_responses():
    tape = [
        interaction(
            "GET", "<SECRET:baseUrl>/items", 200, "[]",
            headers={"next-page": ["<SECRET:baseUrl>/items?page=2"]},
        ),
        interaction("GET", "<SECRET:baseUrl>/items?page=2", 200, '["last"]'),
    ]  # fmt: skip

    async def follow():
        async with httpx.AsyncClient() as client:
            first = await client.get("http://127.0.0.1:9/v1/items")
            return (await client.get(first.headers["next-page"])).text

    with replaying(tape):
        assert asyncio.run(follow()) == '["last"]'


def test_a_request_not_in_the_cassette_never_reaches_the_network_and_is_named():
    tape = [interaction("GET", "<SECRET:baseUrl>/known", 200, "ok")]
    with (
        replaying(tape) as cassette,
        pytest.raises(httpx.ConnectError, match="no recorded answer"),
    ):
        fetch_all([("DELETE", "http://127.0.0.1:9/v1/unknown?x=1")])
    assert cassette.misses == ["DELETE <SECRET:baseUrl>/unknown?x=1"]


def test_a_request_replayed_more_often_than_recorded_is_a_miss_not_a_stale_answer():
    tape = [interaction("GET", "<SECRET:baseUrl>/once", 200, "only")]
    with replaying(tape) as cassette:
        assert fetch_all([("GET", "http://127.0.0.1:9/v1/once")]) == ["only"]
        with pytest.raises(httpx.ConnectError, match="no recorded answer"):
            fetch_all([("GET", "http://127.0.0.1:9/v1/once")])
    assert cassette.misses == ["GET <SECRET:baseUrl>/once"]


def test_a_failed_write_leaves_the_previous_cassette_intact(tmp_path, monkeypatch):
    path = tmp_path / "crud.delete.json"
    save_cassette(path, Cassette("kinto", "v1", "crud.delete", 1.0))
    before = path.read_text()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_cassette(path, Cassette("kinto", "v2", "crud.delete", 2.0))
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["crud.delete.json"], "no temporary file left"


def test_loading_names_the_problem_and_the_re_record_command(tmp_path):
    path = tmp_path / "crud.delete.json"
    kwargs = {"connector": "kinto", "version": "v1", "target": "examples/kinto"}
    with pytest.raises(InputError, match="no cassette for this check.*--connector-mode=record"):
        load_cassette(path, **kwargs)
    path.write_text('{"format": ')
    with pytest.raises(InputError, match=r"crud.delete.json:1:\d+: corrupt cassette"):
        load_cassette(path, **kwargs)
    save_cassette(path, Cassette("kinto", "v0", "crud.delete", 1.0))
    with pytest.raises(InputError, match="recorded for connector kinto v0, but kinto is now v1"):
        load_cassette(path, **kwargs)
    data = json.loads(path.read_text())
    del data["interactions"]
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="missing or malformed 'interactions'"):
        load_cassette(path, connector="kinto", version="v0", target="examples/kinto")


def test_draws_replay_in_order_and_a_changed_check_is_told_to_re_record():
    recorded = RecordedDraws()
    recorded.start_forall()
    assert recorded.example(({"title": "a"}, {"done": True})) == [{"title": "a"}, {"done": True}]
    recorded.value("id", "never-existed")
    replayed = ReplayedDraws(json.loads(json.dumps(recorded.items)), "c.json", "pytest ...")
    assert replayed.forall() == [[{"title": "a"}, {"done": True}]]
    assert replayed.value("id") == "never-existed"
    with pytest.raises(InputError, match="drew more inputs than the cassette holds"):
        replayed.value("id")
    with pytest.raises(InputError, match="asked for 'id' where the cassette recorded 'forall'"):
        ReplayedDraws(recorded.items, "c.json", "pytest ...").value("id")


def test_a_cassette_gets_the_mode_any_new_file_gets(tmp_path):
    path = tmp_path / "crud.delete.json"
    with umask(0o022):
        save_cassette(path, Cassette("kinto", "v1", "crud.delete", 1.0))
    assert oct(mode(path)) == "0o644"
