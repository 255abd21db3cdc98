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

from contextlib import AbstractContextManager
from typing import Any

from conformance.runtime.draw_routing import KINDS
from conformance.runtime.recorded import Installed, RecordedInputs


class RandomSource(RecordedInputs):
    """The draws of one check's connector calls: written down (`recorded=None`), or handed back
    in recorded order. A draw the recording cannot answer is remembered as a problem for the
    backend to explain, never raised inside connector code (which might swallow it)."""

    def valid(self, item: dict[str, Any]) -> bool:
        return item.get("kind") in KINDS

    def kept(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"kind": item["kind"], "value": item.get("value")}

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


_installed: Installed[RandomSource] = Installed()


def using(source: RandomSource) -> AbstractContextManager[RandomSource]:
    """Route the connector's draws to `source` while the block runs (one check)."""
    return _installed.using(source)


def active() -> RandomSource | None:
    """The source connector calls draw from now, or None: real randomness."""
    return _installed.active()


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
