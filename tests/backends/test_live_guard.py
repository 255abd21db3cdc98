"""The live guard: only the harness's own records, judged after eventual consistency settles."""

import pytest

from conformance.backends.guard import LiveGuard, LiveSafetyError
from conformance.connector.contract import Entry, Updates
from conformance.connector.load import load_connector
from tests.helpers import ROOT

KINTO = ROOT / "examples" / "kinto"


def test_the_guard_refuses_to_touch_a_record_the_harness_did_not_create():
    spec = load_connector(str(KINTO))
    guard = LiveGuard(spec, check="x", attempts=1, pause=0)

    class Offline:
        calls: list = []
        timeout = 1

        def get(self, id):
            raise AssertionError("the guard must refuse before the connector is called")

        patch = delete = get

    session = guard.session(Offline)
    for action, call in [
        ("read", lambda: session.get("customer-1")),
        ("patch", lambda: session.patch("customer-1", {"title": "x"})),
        ("delete", lambda: session.delete("customer-1")),
    ]:
        with pytest.raises(LiveSafetyError, match=f"refused to {action} 'customer-1'"):
            call()


def test_reads_wait_for_the_harness_own_write_within_the_consistency_budget():
    """A store that shows a write only on the third read: waited for, not a failure."""
    spec = load_connector(str(KINTO))

    class EventuallyConsistent:
        calls: list = []
        timeout = 1

        def __init__(self):
            self.reads = 0

        def insert(self, value):
            return "new-1"

        def get(self, id):
            self.reads += 1
            return {"id": id, "title": "t"} if self.reads >= 3 else None

    patient = LiveGuard(spec, check="x", attempts=5, pause=0)
    session = patient.session(EventuallyConsistent)
    session.insert({"title": "t"})
    assert session.get("new-1") == {"id": "new-1", "title": "t"}
    assert session.inner.reads == 3

    hasty = LiveGuard(spec, check="x", attempts=1, pause=0)
    session = hasty.session(EventuallyConsistent)
    session.insert({"title": "t"})
    assert session.get("new-1") is None, "with no budget the check sees the stale read"


def test_get_updates_is_judged_on_own_ids_and_waits_for_an_unreported_own_change():
    """Other records never reach the check; an own insert not yet listed is polled for."""
    spec = load_connector(str(KINTO))

    class LaggingFeed:
        calls: list = []
        timeout = 1

        def __init__(self):
            self.polls = 0

        def insert(self, value):
            return "mine-1"

        def get_updates(self, token):
            self.polls += 1
            foreign = Entry("customer-7", "upsert", {"title": "not ours"})
            mine = Entry("mine-1", "upsert", {"title": "t"})
            entries = (foreign, mine) if self.polls == 3 else (foreign,)
            return Updates(next_sync={"since": self.polls}, entries=entries)

    guard = LiveGuard(spec, check="x", attempts=5, pause=0)
    session = guard.session(LaggingFeed)
    session.insert({"title": "t"})
    result = session.get_updates(None)
    assert [e.id for e in result.entries] == ["mine-1"]
    assert session.inner.polls == 3
    assert session.get_updates(result.next_sync).entries == (), "nothing pending: no waiting"
    assert session.inner.polls == 4


def test_a_record_whose_delete_returned_but_still_reads_back_is_deleted_at_cleanup():
    """A delete that swallowed a refusal (stale revision, 412) must not leave the record in the
    customer's account: the get that finds it puts it back on the cleanup list."""
    spec = load_connector(str(KINTO))

    class SwallowsTheRefusal:
        calls: list = []
        timeout = 1
        store: dict = {}

        def insert(self, value):
            self.store["kept-1"] = value
            return "kept-1"

        def delete(self, id):
            return None  # "done", and nothing happened

        def get(self, id):
            return self.store.get(id)

        def close(self):
            pass

    guard = LiveGuard(spec, check="x", attempts=1, pause=0)
    session = guard.session(SwallowsTheRefusal)
    session.insert({"title": "t"})
    session.delete("kept-1")
    assert guard.alive() == []
    assert session.get("kept-1") is not None
    assert guard.alive() == ["kept-1"]

    deleted = []

    class Cleaner(SwallowsTheRefusal):
        def delete(self, id):
            deleted.append(id)

    guard.cleanup(Cleaner)
    assert deleted == ["kept-1"]


def test_the_guard_announces_every_connector_call_before_it_is_made():
    """The page counter of a real backend starts a new call there (backends/pages.py)."""
    spec = load_connector(str(KINTO))
    order = []

    class Logged:
        calls: list = []
        timeout = 1

        def get_updates(self, token):
            order.append("get_updates")
            return Updates(next_sync=1, entries=())

        def get(self, id):
            order.append("get")

    guard = LiveGuard(spec, check="x", attempts=1, pause=0)
    guard.before_call = lambda: order.append("new call")
    session = guard.session(Logged)
    session.get_updates(None)
    guard.probe_id("never-1")
    session.get("never-1")
    assert order == ["new call", "get_updates", "new call", "get"]
