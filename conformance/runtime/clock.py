"""The harness's side of the connector's wall clock: a source a backend installs for one check.

The clock is an input of the connector like its randomness (randomness.py), and travels the same
way: every runtime asks `active()` at each connector call; with no source (mock and live runs)
the connector reads the real clock and nothing is routed; with one, the call carries the
source's plan and its answer lists the reads the call made (`took`). In process the plan is a
context variable (clock_routing.py); the Python worker and the NodeJS bridge get it with the call
message (docs/runtimes.md) and answer with the reads: no round trip per read, so JS's `Date.now()`
answers synchronously.

Three kinds of source, one class:
- `ClockSource()`: the real clock, each read written down (record);
- `ClockSource(recorded=[...])`: the recorded reads handed back in order (replay), so a token
  the connector took from its clock replays byte for byte at any later date or speed;
- `ClockSource(offset_ms=N)`: the real clock shifted by N ms (negative: behind), reads written
  down; what a check uses to run the connector's clock ahead of or behind the server's. Recording
  with an offset writes down the shifted values, so replay needs no offset of its own.

Monotonic clocks and timers are never routed: the per-call timeout fires for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from conformance.runtime.recorded import Installed, RecordedInputs


class ClockSource(RecordedInputs):
    """The clock reads of one check's connector calls (see the module docstring)."""

    def __init__(self, recorded: list[dict[str, Any]] | None = None, offset_ms: int = 0) -> None:
        if recorded is not None and offset_ms:
            raise ValueError("a replayed clock hands back recorded reads: it has no offset")
        super().__init__(recorded)
        self.offset_ms = int(offset_ms)
        self.reads = 0  # every read of the connector's calls, its libraries' included
        self.own_reads = 0  # reads by the connector's own code: "it never read the clock"

    def real_plan(self) -> dict[str, Any]:
        """Read the real clock shifted by `offset_ms`."""
        return {"offset": self.offset_ms}

    def valid(self, item: dict[str, Any]) -> bool:
        return isinstance(item.get("us"), int)

    def counted(self, item: dict[str, Any]) -> None:
        self.reads += 1
        self.own_reads += not item.get("library")

    def kept(self, item: dict[str, Any]) -> dict[str, Any]:
        kept = {"via": str(item.get("via", "?")), "us": item["us"]}
        return {**kept, "library": True} if item.get("library") else kept

    def problem(self) -> str | None:
        """What went off the recording, in words, or None."""
        if not self.unrecorded:
            return None
        first = self.unrecorded[0]
        return (
            f"the connector read the clock ({first.get('via', '?')}) as clock read "
            f"#{first['index'] + 1}, but the cassette holds only {len(self.items)} clock read(s)"
        )


_installed: Installed[ClockSource] = Installed()


def using(source: ClockSource) -> AbstractContextManager[ClockSource]:
    """Route the connector's clock reads to `source` while the block runs (one check)."""
    return _installed.using(source)


def active() -> ClockSource | None:
    """The source connector calls read the clock from now, or None: the real clock."""
    return _installed.active()


@contextmanager
def skewed(offset_ms: int) -> Iterator[ClockSource]:
    """Run the connector's clock `offset_ms` ahead of the real one (negative: behind) while the
    block runs, in any mode; yields the source, whose `own_reads` says whether the connector's
    own code read its clock at all (`reads` counts its libraries' reads too).

    Mock and live (no source): a `ClockSource(offset_ms=...)` for the block. Record: the
    recording source reads shifted for the block, and writes down the shifted values. Replay:
    nothing to do, the recorded reads were shifted when recorded.
    """
    current = active()
    if current is None:
        with using(ClockSource(offset_ms=offset_ms)) as source:
            yield source
        return
    if current.replaying:
        yield current
        return
    before, current.offset_ms = current.offset_ms, int(offset_ms)
    try:
        yield current
    finally:
        current.offset_ms = before
