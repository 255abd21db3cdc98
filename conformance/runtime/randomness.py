"""The harness's side of the connector's randomness: a source a backend installs for one check.

A backend that records or replays a check puts a `RandomSource` in place for the check's
duration (`using`), as replay already freezes the clock. Every runtime asks `active()` at each
connector call: with no source (mock and live runs) the connector draws real values and nothing
is routed; with one, the call carries the source's plan (`ahead()`: the recorded draws still to
come, or None to draw real values) and reports back what it drew (`took`).

How the plan reaches the connector differs by runtime (docs/runtimes.md): in process it is a
context variable (draw_routing.py); the Python worker and the NodeJS bridge receive it with the
call message (the recorded draws once per worker process and check, then only where the call
starts in them) and send the draws back with the answer. Shipping the draws with the call
(rather than asking the harness per draw) costs nothing in live and mock runs, and lets JS
functions that must answer synchronously (`crypto.randomUUID`, `Math.random`) answer at once.

The source is process-wide, like time-machine's clock and respx's routes: one check runs at a
time in a harness process (pytest-xdist uses processes; the UI runs one job at a time).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from conformance.runtime.draw_routing import KINDS

_active: list[RandomSource] = []
_numbers = itertools.count(1)


class RandomSource:
    """The draws of one check's connector calls: written down (`recorded=None`), or handed back
    in recorded order. A draw the recording cannot answer is remembered as a problem for the
    backend to explain, never raised inside connector code (which might swallow it)."""

    def __init__(self, recorded: list[dict[str, Any]] | None = None) -> None:
        self.replaying = recorded is not None
        self.items: list[dict[str, Any]] = list(recorded or [])
        self.unrecorded: list[dict[str, Any]] = []
        self._next = 0
        self.number = next(_numbers)
        self._shipped: weakref.WeakSet[Any] = weakref.WeakSet()  # workers that hold `items`

    def ahead(self) -> list[dict[str, Any]] | None:
        return self.items[self._next :] if self.replaying else None

    def plan(self, worker: Any) -> dict[str, Any]:
        """The `draws` field of a call to `worker` (docs/runtimes.md): `{}` to draw real values,
        or where this call starts in the recorded draws, which are sent with the first call
        to each worker process only: a per-call cost that does not grow with the cassette."""
        if not self.replaying:
            return {}
        plan: dict[str, Any] = {"source": self.number, "at": self._next}
        if worker not in self._shipped:
            plan["items"] = self.items
            self._shipped.add(worker)
        return plan

    def took(self, drawn: Any) -> None:
        """What one call drew (its `CallDraws.taken`, or the same list sent by a worker)."""
        for item in drawn if isinstance(drawn, list) else []:
            if not isinstance(item, dict) or item.get("kind") not in KINDS:
                continue
            if item.get("unrecorded"):
                self.unrecorded.append({**item, "index": self._next})
            elif self.replaying:
                self._next += 1
            else:
                self.items.append({"kind": item["kind"], "value": item.get("value")})

    def problem(self) -> str | None:
        """What went off the recording, in words, or None."""
        if not self.unrecorded:
            return None
        first = self.unrecorded[0]
        what = f"a {first['kind']} ({_short(first.get('value'))})"
        where = f"draw #{first['index'] + 1}"
        if first.get("recorded") is None:
            held = f"the cassette holds only {len(self.items)} draw(s) of the connector"
        else:
            held = f"the cassette recorded a {first['recorded']} there"
        return f"the connector drew {what} as {where}, but {held}"


@contextmanager
def using(source: RandomSource) -> Iterator[RandomSource]:
    """Route the connector's draws to `source` while the block runs (one check)."""
    _active.append(source)
    try:
        yield source
    finally:
        _active.remove(source)


def active() -> RandomSource | None:
    """The source connector calls draw from now, or None: real randomness."""
    return _active[-1] if _active else None


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
