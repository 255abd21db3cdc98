"""A recording episode: every input of one check's run that record writes down and replay hands
back, typed, in one place.

A check's run has inputs besides the HTTP tape: the values the check generated (`draws`:
backends/draws.py), what the connector drew itself (`randomness`: runtime/randomness.py), what
it read from its clock (`clock`: runtime/clock.py), and the harness settings that shaped its
traffic (`Settings`). Record fills an `Episode`, the cassette stores it, replay reads it back and
hands each input to what consumes it; a new input is one more field here, validated on load, so
a corrupt cassette is one clear message rather than a KeyError deep in a backend.

The JSON layout is the one cassettes always had (top-level "settings", "draws", "randomness",
and now "clock"), so committed cassettes load unchanged; a field an older cassette lacks takes
the value that replays it as it always replayed (no randomness or clock: real ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.runtime.draw_routing import KINDS


class BadEpisode(ValueError):
    """A malformed input in a cassette: the message names the field."""


@dataclass(frozen=True)
class Settings:
    """The harness settings a recording ran with, which replay must run with too."""

    consistency_attempts: int = 1  # reads the guard retried until the API was consistent
    run_id: str | None = None  # the mark the guard put on every record it wrote
    marks_every_write: bool = False  # False in cassettes from before every write was marked
    timeout: float | None = None  # the per-call timeout while recording: for the reader only
    page_size: dict[str, Any] | None = None  # backends/pages.py PageSize.to_json(), or None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "consistency_attempts": self.consistency_attempts,
            "run_id": self.run_id,
            "marks_every_write": self.marks_every_write,
            "timeout": self.timeout,
        }
        if self.page_size is not None:
            out["page_size"] = self.page_size
        return out

    @classmethod
    def from_json(cls, data: Any) -> Settings:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise BadEpisode(f'"settings" is {type(data).__name__}, not an object')
        attempts = data.get("consistency_attempts", 1)
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
            raise BadEpisode(f'"settings".consistency_attempts is {attempts!r}; expected >= 1')
        run_id = data.get("run_id")
        if run_id is not None and not isinstance(run_id, str):
            raise BadEpisode(f'"settings".run_id is {run_id!r}; expected a string')
        timeout = data.get("timeout")
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float)
        ):
            raise BadEpisode(f'"settings".timeout is {timeout!r}; expected a number of seconds')
        page_size = data.get("page_size")
        if page_size is not None and not isinstance(page_size, dict):
            raise BadEpisode(f'"settings".page_size is {page_size!r}; expected an object')
        return cls(
            consistency_attempts=attempts,
            run_id=run_id,
            marks_every_write=bool(data.get("marks_every_write")),
            timeout=timeout,
            page_size=page_size,
        )


@dataclass
class Episode:
    """The inputs of one check's run (the HTTP tape stays beside it in `Cassette`)."""

    settings: Settings = field(default_factory=Settings)
    draws: list[Any] = field(default_factory=list)  # generated inputs, in the order drawn
    # What the connector drew itself (uuid4, urandom, seed), and the wall-clock reads it made
    # ({"via", "us"}: microseconds since the epoch), in order; None in cassettes made before the
    # harness recorded them: those replay with real randomness and the real clock, as they did.
    randomness: list[dict[str, Any]] | None = None
    clock: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        """The cassette's top-level fields for this episode, in the order cassettes had them."""
        out: dict[str, Any] = {"settings": self.settings.to_json(), "draws": self.draws}
        if self.randomness is not None:
            out["randomness"] = self.randomness
        if self.clock is not None:
            out["clock"] = self.clock
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Episode:
        """From a cassette's top-level fields; BadEpisode names what is malformed."""
        draws = data["draws"]
        if not isinstance(draws, list):
            raise BadEpisode(f'"draws" is {type(draws).__name__}, not a list')
        return cls(
            settings=Settings.from_json(data.get("settings")),
            draws=draws,
            randomness=_valid_randomness(data.get("randomness")),
            clock=_valid_clock(data.get("clock")),
        )


def _valid_randomness(items: Any) -> list[dict[str, Any]] | None:
    """The connector's recorded draws: [{"kind": "uuid4" | "urandom" | "seed", "value"}]."""
    if items is None:
        return None
    if not isinstance(items, list):
        raise BadEpisode(f'"randomness" is {type(items).__name__}, not a list of draws')
    for index, item in enumerate(items):
        kind = item.get("kind") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        if kind not in KINDS:
            raise BadEpisode(
                f'"randomness"[{index}] has kind {kind!r}; expected one of {", ".join(KINDS)}'
            )
        expected = int if kind == "seed" else str
        if not isinstance(value, expected) or isinstance(value, bool):
            raise BadEpisode(
                f'"randomness"[{index}] ({kind}) has value {value!r}; expected '
                f"{'an integer' if expected is int else 'a string'}"
            )
    return items


def _valid_clock(items: Any) -> list[dict[str, Any]] | None:
    """The connector's recorded clock reads: [{"via": "time.time", "us": <int>}]."""
    if items is None:
        return None
    if not isinstance(items, list):
        raise BadEpisode(f'"clock" is {type(items).__name__}, not a list of clock reads')
    for index, item in enumerate(items):
        us = item.get("us") if isinstance(item, dict) else None
        if not isinstance(us, int) or isinstance(us, bool):
            raise BadEpisode(
                f'"clock"[{index}] is {item!r}; expected {{"via": <function>, "us": <integer '
                "microseconds since the epoch>}"
            )
        if not isinstance(item.get("via", ""), str):
            raise BadEpisode(f'"clock"[{index}].via is {item["via"]!r}; expected a string')
        if not isinstance(item.get("library", False), bool):
            raise BadEpisode(f'"clock"[{index}].library is {item["library"]!r}; expected a boolean')
    return items
