"""Safety for runs against a real account: touch only what the harness created, and clean up.

`LiveGuard` stands between the checks and the connector in live, record and replay modes:
- it remembers every id the harness created (insert results, and ids it made up itself for
  "never existed" probes) and refuses to get, patch or delete any other id: a harness bug
  cannot modify or judge a customer's record;
- getUpdates results are judged on the harness's own ids only, so other activity in the account
  neither fails nor confuses a check;
- reads wait for eventual consistency: a get that does not yet show the harness's own last
  write, or a getUpdates that does not yet report it, is retried within a time budget before
  the check sees it. The number of attempts is derived from the budget once and stored in the
  cassette, so replay retries exactly as the recording did;
- every id created is written to a ledger file before the check goes on, and everything still
  alive is deleted at the end of the check, also when it fails or is interrupted. A run killed
  outright leaves its ledger behind: `--connector-cleanup` deletes what ledgers list, and
  records carrying the harness's marker (conformance/backends/leftovers.py);
- with `marks_every_write`, every record the harness writes carries the run's marker, whichever
  check built it (a `forall` example is marked by `mark` already; a sample record of a scripted
  check or a sync.stateful rule is marked here, on its way out, and the marker is taken off
  again on the way back so the check compares what it wrote). A record killed between the API
  creating it and the ledger write is therefore still found. And a patch that returns normally
  on a record the check deleted may have brought it back (a broken connector upserts): the id
  goes back in the ledger and is deleted again at cleanup. Cassettes recorded before this
  (their settings lack `marks_every_write`) replay without it, request for request.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from typing import Any

from conformance.backends.leftovers import MARKER_PREFIX, Ledger, marker_field
from conformance.checks.diff import same_json
from conformance.connector.contract import Entry, Updates
from conformance.connector.load import ConnectorSpec
from conformance.errors import ConnectorCallError
from conformance.http.faults import STAGED
from conformance.runtime.session import Session

POLL_INTERVAL = 0.25


class LiveSafetyError(Exception):
    """The harness was about to touch a record it did not create: a bug, stopped in time."""


class LiveGuard:
    """Ownership, consistency waits and cleanup for one check against a real (or replayed) API."""

    def __init__(
        self,
        spec: ConnectorSpec,
        *,
        check: str,
        attempts: int,
        pause: float,
        ledger: Ledger | None = None,
        run_id: str | None = None,
    ) -> None:
        self.spec = spec
        self.check = check
        self.attempts = max(1, attempts)
        self.pause = pause
        self.ledger = ledger
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.marker = f"{MARKER_PREFIX}{self.run_id} "
        self.marker_field = marker_field(spec.schema)
        self.created: dict[str, None] = {}  # insertion-ordered set of ids made by us
        self.probes: set[str] = set()  # ids we made up that never existed
        self.deleted: set[str] = set()
        self.expected: dict[str, Any] = {}  # id -> "exists" | "gone" | fields last written
        self.unreachable: list[ConnectorCallError] = []  # calls the network refused
        self.pending: set[str] = set()  # own changes getUpdates has not reported yet
        self.deletes_reported = spec.settings.capabilities.deletes_in_updates
        self.cleanup_problems: list[str] = []
        # ids the run saw in the account (API answers, getUpdates results): a write that names
        # one not in `created` is refused at the request (backends/request_guard.py)
        self.seen: set[str] = set()
        self.marks_every_write = False
        self.stamped: dict[str, bool] = {}  # id -> its marker field was last marked by us
        # told before each connector call (the backend's page counter starts a new call)
        self.before_call: Callable[[], None] = lambda: None
        # how many times the fault stage has acted so far (conformance/http/faults.py): a
        # getUpdates that met a staged fault is not retried for consistency, which would hand
        # the platform a second answer instead of the one the fault shaped
        self.staged: Callable[[], int] = lambda: 0

    def stamp(self, value: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """`value` as written to the API: marked when every write must be, and whether the
        marker is ours to take off again when the record is read back."""
        if not self.marks_every_write or not isinstance(value, dict):
            return value, False
        marked = self.mark(value)
        return marked, marked is not value

    def unmark(self, id: str, record: Any) -> Any:
        """A record read back without the marker `stamp` added to it."""
        name = self.marker_field
        if not self.stamped.get(id) or name is None or not isinstance(record, dict):
            return record
        text = record.get(name)
        if isinstance(text, str) and text.startswith(self.marker):
            return {**record, name: text[len(self.marker) :]}
        return record

    def _stamped(self, id: str, value: dict[str, Any], added: bool) -> None:
        if self.marker_field in value:
            self.stamped[id] = added

    @staticmethod
    def attempts_for(budget: float) -> int:
        return 1 + math.ceil(max(0.0, budget) / POLL_INTERVAL)

    # --- what the harness may touch ------------------------------------------------------

    def probe_id(self, value: str | None = None) -> str:
        """An id that never existed, which the harness may therefore ask about."""
        value = value or str(uuid.uuid4())
        self.probes.add(value)
        return value

    def require_own(self, id: str, action: str) -> None:
        if id not in self.created and id not in self.probes:
            raise LiveSafetyError(
                f"refused to {action} {id!r}: the harness did not create it, and in live mode "
                "it never touches or judges records it did not create"
            )

    def mark(self, example: Any) -> Any:
        """Prefix the marker field of generated records so leftovers can be recognised."""
        name = self.marker_field
        if name is None:
            return example
        if isinstance(example, dict):
            value = example.get(name)
            if isinstance(value, str) and not value.startswith(MARKER_PREFIX):
                return {**example, name: self.marker + value}
            return example
        if isinstance(example, (list, tuple)):
            return type(example)(self.mark(item) for item in example)
        return example

    def session(self, make: Callable[[], Session]) -> GuardedSession:
        return GuardedSession(self, make)

    # --- cleanup ------------------------------------------------------------------------

    def alive(self) -> list[str]:
        return [i for i in self.created if i not in self.deleted]

    def cleanup(self, session_factory: Callable[[], Session]) -> None:
        """Delete every record this check created and did not delete; note what could not be."""
        alive = self.alive()
        if not alive:
            return
        try:
            session = session_factory()
        except Exception as exc:  # noqa: BLE001 - reported, never masks the finding
            self.cleanup_problems.append(f"could not open a session to clean up: {exc}")
            return
        try:
            for id in alive:
                try:
                    session.delete(id)
                except Exception as exc:  # noqa: BLE001
                    self.cleanup_problems.append(f"delete({id!r}) failed: {exc}")
                    continue
                self.deleted.add(id)
                if self.ledger:
                    self.ledger.discard(id)
        finally:
            session.close()


class GuardedSession:
    """A Session whose calls go through the guard: ownership, marker, consistency waits."""

    def __init__(self, guard: LiveGuard, make: Callable[[], Session]) -> None:
        self.guard = guard
        self.inner = make()
        self.calls = self.inner.calls
        self.timeout = self.inner.timeout

    def insert(self, value: dict[str, Any]) -> str:
        guard = self.guard
        sent, added = guard.stamp(value)
        new_id = self._reaching(self.inner.insert, sent)
        guard._stamped(new_id, value, added)
        guard.created[new_id] = None
        if guard.ledger:
            guard.ledger.add(new_id, guard.check)
        guard.expected[new_id] = dict(value)
        guard.pending.add(new_id)
        return new_id

    def get(self, id: str) -> dict[str, Any] | None:
        self.guard.require_own(id, "read")
        result = self.guard.unmark(id, self._reaching(self.inner.get, id))
        for _ in range(self.guard.attempts - 1):
            if self._settled(id, result):
                break
            self._wait()
            result = self.guard.unmark(id, self._reaching(self.inner.get, id))
        guard = self.guard
        if result is not None and id in guard.deleted:
            # a delete returned, yet the record is still there (a refusal swallowed): it is
            # alive again as far as cleanup is concerned
            guard.deleted.discard(id)
            if guard.ledger:
                guard.ledger.add(id, guard.check)
        return result

    def patch(self, id: str, value: dict[str, Any]) -> Any:
        guard = self.guard
        guard.require_own(id, "patch")
        sent, added = guard.stamp(value)
        result = self._reaching(self.inner.patch, id, sent)
        guard._stamped(id, value, added)
        if guard.marks_every_write and id in guard.deleted:
            # the connector accepted a patch of a deleted record: it may have recreated it
            guard.deleted.discard(id)
            if guard.ledger:
                guard.ledger.add(id, guard.check)
        expected = guard.expected.get(id)
        if isinstance(expected, dict):
            guard.expected[id] = {**expected, **value}
        guard.pending.add(id)
        return result

    def delete(self, id: str) -> Any:
        self.guard.require_own(id, "delete")
        result = self._reaching(self.inner.delete, id)
        guard = self.guard
        if id in guard.created:
            guard.deleted.add(id)
            guard.expected[id] = "gone"
            if guard.ledger:
                guard.ledger.discard(id)
            if guard.deletes_reported:
                guard.pending.add(id)
            else:
                guard.pending.discard(id)
        return result

    def get_updates(self, last_sync: Any) -> Updates:
        staged = self.guard.staged()
        result = self._own(self._reaching(self.inner.get_updates, last_sync))
        for _ in range(self.guard.attempts - 1):
            if result.entries or not self.guard.pending:
                break
            if self.guard.staged() != staged:
                break  # a fault met this call: its answer is the platform's, not a lagging read
            self._wait()
            result = self._own(self._reaching(self.inner.get_updates, last_sync))
        return result

    def close(self) -> ConnectorCallError | None:
        return self.inner.close()

    # --- helpers ------------------------------------------------------------------------

    def _reaching(self, call: Callable[..., Any], *args: Any) -> Any:
        """Make the call; remember it if it failed because the network refused it, since a
        check that accepts "the call raised" would otherwise pass on an API that is down."""
        self.guard.before_call()
        try:
            return call(*args)
        except ConnectorCallError as exc:
            if unreachable(exc):
                self.guard.unreachable.append(exc)
            raise

    def _own(self, updates: Updates) -> Updates:
        guard = self.guard
        guard.seen.update(e.id for e in updates.entries)
        own = tuple(
            Entry(e.id, e.type, guard.unmark(e.id, e.value)) if guard.stamped.get(e.id) else e
            for e in updates.entries
            if e.id in guard.created
        )
        for entry in own:
            if entry.is_delete == (entry.id in guard.deleted):
                guard.pending.discard(entry.id)
        return Updates(next_sync=updates.next_sync, entries=own)

    def _settled(self, id: str, result: dict[str, Any] | None) -> bool:
        expected = self.guard.expected.get(id)
        if id in self.guard.probes or expected is None:
            return True
        if expected == "gone":
            return result is None
        if result is None:
            return False
        return all(same_json(v, result.get(k)) for k, v in expected.items())

    def _wait(self) -> None:
        if self.guard.pause > 0:
            time.sleep(self.guard.pause)


def unreachable(error: ConnectorCallError) -> bool:
    """Did the connector fail because the network refused it? (Walks the exception chain.)
    A reset the fault stage staged is the check's doing, not an API that is down."""
    import httpx

    if STAGED in error.problem:
        return False

    seen = 0
    cause = error.__context__
    while cause is not None and seen < 10:
        if isinstance(cause, (httpx.TransportError, ConnectionError)):
            return True
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return False
