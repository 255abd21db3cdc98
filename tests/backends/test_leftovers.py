"""What a live run leaves behind is findable, and `--connector-cleanup` removes it and only it.

Every record a live run writes carries the run's marker or is in a ledger, whichever check
wrote it, including one a broken connector recreated; a killed recording's temporary file is
removed by a later record run or by the cleanup, and a cassette never is.
"""

from __future__ import annotations

import json
import uuid

import httpx

from conformance.backends.guard import LiveGuard
from conformance.backends.leftovers import MARKER_PREFIX, Ledger, find_leftovers, ledger_dir
from conformance.connector.contract import Entry, Updates
from conformance.connector.load import load_connector
from conformance.recording.cassette import remove_stale_temps
from tests.helpers import ROOT
from tests.helpers.kinto import KINTO_EXAMPLE

KINTO = ROOT / "examples" / "kinto"


class Store:
    """An API in memory whose patch upserts: a deleted record comes back (a broken connector)."""

    calls: list = []
    timeout = 1

    def __init__(self):
        self.records: dict[str, dict] = {}

    def insert(self, value):
        new_id = f"r{len(self.records) + 1}"
        self.records[new_id] = dict(value)
        return new_id

    def get(self, id):
        return self.records.get(id)

    def patch(self, id, value):
        self.records[id] = {**self.records.get(id, {}), **value}

    def delete(self, id):
        self.records.pop(id, None)

    def get_updates(self, token):
        entries = tuple(Entry(i, "upsert", v) for i, v in self.records.items())
        return Updates(next_sync=1, entries=entries if token is None else ())

    def close(self):
        pass


def live_guard(tmp_path) -> LiveGuard:
    guard = LiveGuard(load_connector(str(KINTO)), check="sync.stateful", attempts=1, pause=0)
    guard.ledger = Ledger(tmp_path / "ledger.json")
    guard.marks_every_write = True  # as the live and record backends set it
    return guard


def test_a_sample_record_a_check_writes_carries_the_marker_yet_reads_back_as_written(tmp_path):
    """sync.stateful and the scripted checks write sample records (`"title": "cat-1"`) that
    never went through `ctx.example`: the guard marks them on the way out."""
    guard = live_guard(tmp_path)
    session = guard.session(Store)
    new_id = session.insert({"title": "cat-1", "done": False})
    stored = session.inner.records[new_id]["title"]
    assert stored == f"{MARKER_PREFIX}{guard.run_id} cat-1"
    assert session.get(new_id) == {"title": "cat-1", "done": False}
    session.patch(new_id, {"title": "cat-2"})
    assert session.inner.records[new_id]["title"].startswith(MARKER_PREFIX + guard.run_id)
    [entry] = session.get_updates(None).entries
    assert entry.value == {"title": "cat-2", "done": False}


def test_a_marked_example_is_not_marked_twice_nor_unmarked_on_read(tmp_path):
    guard = live_guard(tmp_path)
    session = guard.session(Store)
    example = guard.mark({"title": "from a forall"})
    new_id = session.insert(example)
    assert session.get(new_id) == example  # the check compares with what it wrote: marked


def test_a_record_a_broken_connector_recreated_goes_back_in_the_ledger_and_is_deleted(tmp_path):
    guard = live_guard(tmp_path)
    session = guard.session(Store)
    new_id = session.insert({"title": "cat-1"})
    session.delete(new_id)
    assert not guard.ledger.path.exists(), "deleted: nothing left to clean"
    session.patch(new_id, {"title": "back from the dead"})  # the store upserts: it is back
    assert new_id in json.loads(guard.ledger.path.read_text())["ids"]
    guard.cleanup(lambda: session.inner)
    assert session.inner.records == {}
    assert not guard.ledger.path.exists()


def test_a_record_run_removes_only_its_own_checks_stale_temp_files(tmp_path):
    cassette = tmp_path / "crud.delete.json"
    cassette.write_text("{}")
    mine = tmp_path / ".crud.delete.json.0123456789ab.tmp"
    other = tmp_path / ".crud.round-trip.json.0123456789ab.tmp"
    lookalike = tmp_path / ".notes.tmp"
    for path in (mine, other, lookalike):
        path.write_text("half a cassette")
    assert remove_stale_temps(tmp_path, "crud.delete") == [mine]
    assert cassette.read_text() == "{}" and other.exists() and lookalike.exists()
    assert remove_stale_temps(tmp_path) == [other]
    assert cassette.exists() and lookalike.exists()


def test_cleanup_says_there_was_nothing_to_delete(kinto, pytester, private_state):
    folder = kinto.connector_copy(
        KINTO_EXAMPLE, pytester.path / "kinto", collection=f"c{uuid.uuid4().hex[:10]}"
    )
    result = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=live", "--connector-cleanup"
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*conformance cleanup*", "*nothing to delete: no ledger of an interrupted run*"]
    )


def test_cleanup_deletes_recreated_records_and_stale_temps_and_says_so(
    kinto, pytester, private_state
):
    from conformance.runtime.session import Session

    name = f"c{uuid.uuid4().hex[:10]}"
    folder = kinto.connector_copy(KINTO_EXAMPLE, pytester.path / "kinto", collection=name)
    spec = load_connector(str(folder))
    guard = LiveGuard(spec, check="crud.delete", attempts=1, pause=0)
    guard.ledger = Ledger(ledger_dir(spec) / f"{guard.run_id}-crud.delete.json")
    guard.marks_every_write = True
    session = guard.session(lambda: Session(spec.create(), dict(spec.account)))
    gone = session.insert({"title": "deleted, then recreated"})
    session.delete(gone)
    url = f"{kinto.url}/buckets/default/collections/{name}/records/{gone}"
    auth = (kinto.username, kinto.password)
    httpx.put(url, json={"data": {"title": "recreated"}}, auth=auth).raise_for_status()
    session.patch(gone, {"title": "recreated"})  # what a broken connector's upsert does
    session.close()  # ... and the run is killed here: no cleanup ran
    assert gone in find_leftovers(spec)
    cassettes = folder / "cassettes"
    cassettes.mkdir()
    (cassettes / "crud.delete.json").write_text("{}")
    stale = cassettes / ".crud.delete.json.00aa11bb22cc.tmp"
    stale.write_text("half")

    result = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=live", "--connector-cleanup"
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            f"*deleted record {gone} (a run's ledger lists it)*",
            "*.crud.delete.json.00aa11bb22cc.tmp (a temporary file of an interrupted recording)*",
        ]
    )
    assert kinto.records(name) == []
    assert not stale.exists() and (cassettes / "crud.delete.json").read_text() == "{}"
