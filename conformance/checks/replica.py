"""The platform's view of a tool: a replica built only from getUpdates entries.

Both the stateful test and the fault checks judge a connector the same way: play the platform
(pass each nextSync, after a JSON round trip, to the next call; apply entries in order), then
compare the replica with the source of truth record by record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conformance.checks.diff import field_diff, same_json
from conformance.checks.strategies import Schema
from conformance.connector.contract import Updates
from conformance.runtime.session import Session

QUIET_CALLS = 8  # getUpdates calls with no change in between before "the token makes no progress"
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "<absent>"})()

REDELIVERY = (
    "getUpdates delivered entries the replica already held (same id, type and value) although "
    "they had not changed: bounded re-delivery, safe but the platform does the work again"
)
NO_PROGRESS = (
    f"after {QUIET_CALLS} getUpdates calls with no change in between, the token chain still "
    "returns entries: the token makes no progress, so the platform re-syncs the same records "
    "forever"
)


PAGES_WHY = (
    "no getUpdates call went past a first page, so a connector that reads only the first page of "
    "changes passes here; on a real API the harness makes pages small only when conformance.toml "
    "names the page-size query parameter the connector sends ([live] page_size_param) or the "
    "connector's listing carries a common one (limit, per_page, pageSize, $top, ...)"
)
QUIET_CONFIRM = 3  # getUpdates calls after the first empty batch that must stay empty too


def requiet_failure(noisy: list[int], calls: int = QUIET_CONFIRM) -> str:
    """The finding for a chain that went quiet, then delivered entries again unprompted."""
    return (
        f"after the changes stopped and a getUpdates batch came back empty, "
        f"{len(noisy)} of the next {calls} calls (each from the previous nextSync, nothing "
        f"changed in between) delivered entries again ({', '.join(map(str, noisy))} entries): "
        "the token falls back to an earlier value after a quiet batch, so every other sync "
        "re-sends the whole history"
    )


def confirm_quiet(sync: Callable[[], Updates], calls: int = QUIET_CONFIRM) -> str | None:
    """Keep polling a chain that just went quiet; a quiet chain must stay quiet.

    A token that falls back to its first-sync value (or any earlier one) after an empty batch
    passes a drain that stops at the first empty batch, yet re-sends history on every other
    sync. Returns the finding, or None when every further call came back empty.
    """
    noisy = [len(u.entries) for u in (sync() for _ in range(calls))]
    noisy = [n for n in noisy if n]
    return requiet_failure(noisy, calls) if noisy else None


class NoProgress(Exception):
    """The token chain never went quiet."""


@dataclass
class Replica:
    """Entries applied in order: id -> value, or None once a delete entry arrived."""

    values: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    token: Any = None
    redelivered: int = 0

    def apply(self, updates: Updates) -> None:
        self.token = updates.next_sync
        for entry in updates.entries:
            held = self.values.get(entry.id, ABSENT)
            if entry.is_delete:
                self.redelivered += held is None
                self.values[entry.id] = None
            else:
                self.redelivered += (
                    held is not ABSENT and held is not None and same_json(held, entry.value)
                )
                self.values[entry.id] = entry.value

    def sync(self, session: Session) -> Updates:
        """One getUpdates call from the current token; the replica takes what it returns."""
        updates = session.get_updates(self.token)
        self.apply(updates)
        return updates

    def drain(
        self,
        session: Session,
        *,
        between: Callable[[], None] | None = None,
        call: Callable[..., Any] | None = None,
    ) -> None:
        """Sync until a batch comes back empty, as a platform polling a quiet tool would.

        `between` runs before each call (a frozen server clock moving on); `call` wraps the
        connector call (the stateful test's timeout handling). Raises `NoProgress`.
        """
        for _ in range(QUIET_CALLS):
            if between is not None:
                between()
            updates = (
                call(session.get_updates, self.token) if call else session.get_updates(self.token)
            )
            self.apply(updates)
            if not updates.entries:
                return
        raise NoProgress(NO_PROGRESS)

    def differences(
        self,
        ids: list[str],
        truth: Callable[[str], dict[str, Any] | None],
        schema: Schema,
        *,
        deletes: bool = True,
    ) -> list[str]:
        """What the other side would hold wrongly, one line (plus a diff) per id."""
        problems = []
        for id in dict.fromkeys(ids):
            source = truth(id)
            held = self.values.get(id, ABSENT)
            if source is None:
                if deletes and held not in (None, ABSENT):
                    problems.append(
                        f"{id} is deleted but the replica still holds it: the deletion never "
                        "reached the other side, which keeps (and may write back) a record that "
                        "no longer exists"
                    )
            elif held is ABSENT:
                problems.append(f"{id} exists but getUpdates never delivered it: a lost insert")
            elif held is None:
                problems.append(
                    f"{id} exists but the replica holds it as deleted: the other side deleted a "
                    "live record"
                )
            else:
                diff = field_diff(schema.comparable(source), held, schema.writable)
                if diff:
                    problems.append(
                        f"the replica's {id} differs from the source (expected = the source): a "
                        "lost update\n" + "\n".join(diff)
                    )
        return problems
