"""What the connector's randomness and its clock share: inputs a check records and replays.

Both are inputs of the connector's own calls (randomness.py, clock.py), and travel the same way:
every runtime asks `active()` at each connector call; with no source (mock and live runs)
nothing is routed; with one, the call carries the source's `plan` (the recorded values once per
worker process and check, then only where the call starts in them: a per-call cost that does
not grow with the cassette) and its answer lists what the call took (`took`). A value the
recording cannot answer is taken for real and remembered as a problem for the backend to
explain, never raised inside connector code, which might swallow it.

The source is process-wide, like time-machine's clock: one check runs at a time in a harness
process (pytest-xdist uses processes; the UI runs one job at a time).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar


class RecordedInputs:
    """One check's values of one kind: written down (`recorded=None`), or handed back in order.
    Subclasses say which items are theirs (`valid`), what of one is kept (`kept`), and the plan
    of a call that takes real values (`real_plan`)."""

    _numbers: ClassVar[Iterator[int]]

    def __init__(self, recorded: list[dict[str, Any]] | None = None) -> None:
        self.replaying = recorded is not None
        self.items: list[dict[str, Any]] = list(recorded or [])
        self.unrecorded: list[dict[str, Any]] = []
        self._next = 0
        self.number = next(type(self)._numbers)
        self._shipped: weakref.WeakSet[Any] = weakref.WeakSet()  # workers that hold `items`

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._numbers = itertools.count(1)  # each kind numbers its sources, as workers key them

    def ahead(self) -> list[dict[str, Any]] | None:
        """The recorded values still to come, or None: take real ones."""
        return self.items[self._next :] if self.replaying else None

    def real_plan(self) -> dict[str, Any]:
        return {}

    def plan(self, worker: Any) -> dict[str, Any]:
        """The field of a call to `worker` (docs/runtimes.md): `real_plan()`, or where this call
        starts in the recorded values, which go with the first call to each worker only."""
        if not self.replaying:
            return self.real_plan()
        plan: dict[str, Any] = {"source": self.number, "at": self._next}
        if worker not in self._shipped:
            plan["items"] = self.items
            self._shipped.add(worker)
        return plan

    def took(self, taken: Any) -> None:
        """What one call took (in process, or the same list sent back by a worker)."""
        for item in taken if isinstance(taken, list) else []:
            if not isinstance(item, dict) or not self.valid(item):
                continue
            self.counted(item)
            if item.get("unrecorded"):
                self.unrecorded.append({**item, "index": self._next})
            elif self.replaying:
                self._next += 1
            else:
                self.items.append(self.kept(item))

    def valid(self, item: dict[str, Any]) -> bool:
        raise NotImplementedError

    def kept(self, item: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def counted(self, item: dict[str, Any]) -> None:
        """Count one value taken (recorded, replayed or not)."""


Source = TypeVar("Source", bound=RecordedInputs)


class Installed(Generic[Source]):
    """The source connector calls take values from now (`active`), installed per check."""

    def __init__(self) -> None:
        self._stack: list[Source] = []

    @contextmanager
    def using(self, source: Source) -> Iterator[Source]:
        self._stack.append(source)
        try:
            yield source
        finally:
            self._stack.remove(source)

    def active(self) -> Source | None:
        return self._stack[-1] if self._stack else None
