"""The world a fault check stages around the connector: another client, and the truth.

On the mock, another client writes through the mock's own knobs and the truth is its store. On
any other API the harness has no such knobs, so "another client" is a second execution scope of
the connector itself (a session of its own, guarded like the first: its writes are marked,
ledgered and cleaned up), and the truth is what that scope reads back. The checks ask which
one they have through the backend's capabilities, never its mode.
"""

from __future__ import annotations

from typing import Any

from conformance.checks.api import Context
from conformance.checks.samples import sample_record
from conformance.runtime.session import Session


class World:
    """Another client's writes and the source of truth, for one staged scenario."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.api = ctx.mock if ctx.provides("mock") else None
        self._other: Session | None = None

    @property
    def other(self) -> Session:
        """The second execution scope ("another client"), opened on first use."""
        if self._other is None:
            with self.ctx.backend.faults.suspended():
                self._other = self.ctx.session()
        return self._other

    def create(self, n: int, start: int = 0) -> list[str]:
        """`n` records written by another client."""
        records = [sample_record(self.ctx.schema, start + i) for i in range(n)]
        if self.api is not None:
            return [self.api.create_as_other(r)["id"] for r in records]
        return [self.other.insert(r) for r in records]

    def patch(self, id: str, change: dict[str, Any]) -> None:
        if self.api is not None:
            self.api.patch_as_other(id, change)
        else:
            self.other.patch(id, change)

    def delete(self, id: str) -> None:
        if self.api is not None:
            self.api.delete_as_other(id)
        else:
            self.other.delete(id)

    def record(self, id: str) -> dict[str, Any] | None:
        """What the API holds for `id` now (never under a staged fault)."""
        if self.api is not None:
            return self.api.record(id)
        with self.ctx.backend.faults.suspended():
            return self.other.get(id)
