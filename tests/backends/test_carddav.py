"""CardDAV against a real Radicale server these tests start: a connector that names each vCard
itself (`PUT <addressbook>/<uuid4>.vcf`) records and replays, because the uuids it drew are in
the cassette; without them, replay cannot answer its requests.

Radicale also exercises what Kinto does not: XML and vCard bodies (a sync-collection REPORT,
RFC 6578), deletions reported as 404 members, and a 403 that is not about credentials.
"""

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest

from conformance.options import ISOLATION_ENV
from conformance.outcome import Status
from conformance.recording.audit import audit
from tests.helpers import ROOT, outcomes_in, run_all, run_one
from tests.helpers.node import needs_node

CARDDAV = ROOT / "examples" / "carddav"
COMMITTED = ROOT / "cassettes" / "carddav"
BROKEN = ROOT / "tests" / "connectors" / "carddav_broken"
CARDDAV_JS = ROOT / "tests" / "connectors" / "carddav_js"  # names cards with crypto.randomUUID
FAST = {"examples": 4, "consistency": 0.5}
UUID_CARD = re.compile(r"PUT \S*?([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\.vcf")


def offline(folder: Path) -> None:
    """Point the account at a closed port: a replay that reached the network would fail."""
    account = json.loads((folder / "account.json").read_text())
    account["addressBookUrl"] = "http://127.0.0.1:9/carddav-tester/contacts/"
    (folder / "account.json").write_text(json.dumps(account))


def book_copy(radicale, tmp_path: Path, source: Path = CARDDAV) -> tuple[Path, str]:
    """A copy of a connector folder on an address book of its own."""
    book = radicale.new_addressbook(f"book-{uuid.uuid4().hex[:10]}")
    return radicale.connector_copy(source, tmp_path / source.name, addressBookUrl=book), book


@pytest.mark.parametrize("isolation", ["process", "inline"])
def test_the_committed_carddav_cassettes_replay_offline(pytester, monkeypatch, isolation):
    # the plugin writes the option into os.environ; monkeypatch puts the old value back, so
    # later tests in this process (and the subprocesses they start) keep the default isolation
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    result = pytester.runpytest(
        f"--connector={CARDDAV}",
        "--connector-mode=replay",
        f"--cassette-dir={COMMITTED}",
        f"--connector-isolation={isolation}",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(**outcomes_in("replay"))


def test_the_committed_cassettes_hold_the_uuids_the_connector_drew_and_no_secret():
    cassette = json.loads((COMMITTED / "crud.round-trip.json").read_text())
    drawn = [item["value"] for item in cassette["randomness"]]
    assert drawn and {item["kind"] for item in cassette["randomness"]} == {"uuid4"}
    requests = [i["request"] for i in cassette["interactions"]]
    created = UUID_CARD.findall(" ".join(f"{r['method']} {r['url']}" for r in requests))
    assert created and set(created) <= set(drawn), "every card the connector named was drawn"
    account = json.loads((CARDDAV / "account.json").read_text())
    assert audit([COMMITTED], account) == []


@pytest.mark.parametrize(("record_in", "replay_in"), [("inline", "process"), ("process", "inline")])
def test_record_against_radicale_then_replay_offline_gives_the_same_verdicts(
    radicale, tmp_path, monkeypatch, record_in, replay_in
):
    folder, book = book_copy(radicale, tmp_path)
    cassettes = tmp_path / "cassettes"
    monkeypatch.setenv(ISOLATION_ENV, record_in)
    recorded = run_all(folder, mode="record", cassette_dir=str(cassettes), **FAST)
    assert radicale.cards(book) == [], "the checks deleted every card they created"
    offline(folder)
    monkeypatch.setenv(ISOLATION_ENV, replay_in)
    replayed = run_all(folder, mode="replay", cassette_dir=str(cassettes), **FAST)
    verdicts = {check: outcome.status for check, outcome in recorded.items()}
    assert verdicts == {check: outcome.status for check, outcome in replayed.items()}
    assert set(verdicts.values()) == {Status.PASSED}, {  # the fault checks run here too
        c: o.message for c, o in recorded.items() if o.status is not Status.PASSED
    }


def test_without_the_recorded_uuids_replay_misses_the_connectors_own_requests(tmp_path):
    cassettes = tmp_path / "cassettes"
    shutil.copytree(COMMITTED, cassettes)
    path = cassettes / "crud.round-trip.json"
    cassette = json.loads(path.read_text())
    recorded = {item["value"] for item in cassette.pop("randomness")}  # as cassettes were before
    path.write_text(json.dumps(cassette))

    outcome = run_one(CARDDAV, "crud.round-trip", mode="replay", cassette_dir=str(cassettes))

    assert outcome.status is Status.ERROR
    assert "has no recorded answer for PUT" in outcome.message
    missed = UUID_CARD.search(outcome.message)
    assert missed and missed.group(1) not in recorded, "a fresh uuid, not the recorded one"


def test_a_connector_that_draws_more_than_recorded_is_told_so_before_the_http_misses(tmp_path):
    cassettes = tmp_path / "cassettes"
    shutil.copytree(COMMITTED, cassettes)
    path = cassettes / "crud.delete.json"
    cassette = json.loads(path.read_text())
    cassette["randomness"] = cassette["randomness"][:2]
    path.write_text(json.dumps(cassette))

    outcome = run_one(CARDDAV, "crud.delete", mode="replay", cassette_dir=str(cassettes))

    assert outcome.status is Status.ERROR
    assert f"replay: {path}: the connector drew a uuid4" in outcome.message
    assert "as draw #3, but the cassette holds only 2 draw(s)" in outcome.message
    assert "--connector-mode=record -k crud.delete" in outcome.message


def test_a_get_updates_that_ignores_404_members_fails_in_record_and_in_replay(radicale, tmp_path):
    folder, book = book_copy(radicale, tmp_path, BROKEN)
    target = folder / "ignores_deleted_members.py"
    cassettes = str(tmp_path / "cassettes")
    recorded = run_one(target, "updates.progression", mode="record", cassette_dir=cassettes, **FAST)
    assert recorded.status is Status.FAILED
    assert "was deleted but getUpdates reported" in recorded.message
    assert radicale.cards(book) == []
    offline(folder)
    replayed = run_one(target, "updates.progression", mode="replay", cassette_dir=cassettes, **FAST)
    assert (replayed.status, replayed.message) == (recorded.status, recorded.message)


def test_a_403_for_a_bad_sync_token_quotes_the_api_instead_of_blaming_credentials(
    radicale, tmp_path
):
    folder, _book = book_copy(radicale, tmp_path, BROKEN)
    outcome = run_one(folder / "garbage_sync_token.py", "updates.progression", mode="live", **FAST)
    assert outcome.status is Status.FAILED
    assert "HTTP 403" in outcome.message
    assert "valid-sync-token" in outcome.message  # what Radicale said, quoted
    assert "credentials" not in outcome.message


@needs_node
def test_the_committed_js_carddav_cassettes_replay_offline(pytester):
    result = pytester.runpytest(f"--connector={CARDDAV_JS}", "--connector-mode=replay")
    result.assert_outcomes(**outcomes_in("replay"))
    account = json.loads((CARDDAV_JS / "account.json").read_text())
    assert audit([CARDDAV_JS / "cassettes"], account) == []


@needs_node
def test_a_js_connector_naming_cards_with_randomUUID_records_and_replays(radicale, tmp_path):
    folder, book = book_copy(radicale, tmp_path, CARDDAV_JS)
    cassettes = str(tmp_path / "cassettes")
    checks = ("crud.round-trip", "crud.delete")
    recorded = {
        c: run_one(folder, c, mode="record", cassette_dir=cassettes, **FAST) for c in checks
    }
    assert radicale.cards(book) == []
    drawn = json.loads((tmp_path / "cassettes" / "crud.delete.json").read_text())["randomness"]
    assert drawn and {item["kind"] for item in drawn} == {"uuid4"}
    offline(folder)
    replayed = {
        c: run_one(folder, c, mode="replay", cassette_dir=cassettes, **FAST) for c in checks
    }
    assert {c: o.status for c, o in replayed.items()} == {c: Status.PASSED for c in checks}
    assert {c: o.status for c, o in recorded.items()} == {c: Status.PASSED for c in checks}


def test_the_harness_own_ids_are_check_draws_not_connector_randomness():
    cassette = json.loads((COMMITTED / "errors.missing-id.json").read_text())
    harness_ids = [draw["id"] for draw in cassette["draws"] if "id" in draw]  # "never existed"
    connector = [draw["value"] for draw in cassette["randomness"]]
    assert harness_ids and connector
    assert not set(harness_ids) & set(connector)


def test_ids_from_randomness_the_harness_does_not_route_record_but_cannot_replay(
    radicale, tmp_path
):
    folder, book = book_copy(radicale, tmp_path, BROKEN)
    target = folder / "unrouted_ids.py"
    cassettes = str(tmp_path / "cassettes")
    recorded = run_one(target, "crud.round-trip", mode="record", cassette_dir=cassettes, **FAST)
    assert recorded.status is Status.PASSED, recorded.message
    assert radicale.cards(book) == []
    offline(folder)
    replayed = run_one(target, "crud.round-trip", mode="replay", cassette_dir=cassettes, **FAST)
    assert replayed.status is Status.ERROR
    assert "has no recorded answer for PUT" in replayed.message
