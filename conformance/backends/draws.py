"""The inputs a check generated, recorded into its cassette and handed back on replay.

Replaying hypothesis-generated traffic from cassettes breaks as soon as a strategy or hypothesis
itself changes: the requests differ. So a recorded run writes down every value it drew (each
example of each `forall`, each made-up id) in order, and a replayed run takes the same values
from the cassette instead of calling hypothesis. Values pass through JSON in both modes, so the
check sees identical Python values (lists, not tuples) whether it records or replays.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.errors import InputError


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


class RecordedDraws:
    """Collects draws while recording."""

    replaying = False

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._current: list[Any] | None = None

    def start_forall(self) -> None:
        self._current = []
        self.items.append({"forall": self._current})

    def example(self, value: Any) -> Any:
        value = as_json(value)
        assert self._current is not None, "example() outside forall"
        self._current.append(value)
        return as_json(value)

    def value(self, kind: str, value: Any) -> Any:
        value = as_json(value)
        self.items.append({kind: value})
        return value


class ReplayedDraws:
    """Hands back recorded draws in order; a mismatch means the check changed since recording."""

    replaying = True

    def __init__(self, items: list[Any], where: str, rerecord: str) -> None:
        self.items = list(items)
        self.where = where
        self.rerecord = rerecord
        self._next = 0

    def _take(self, kind: str) -> Any:
        if self._next >= len(self.items) or not isinstance(self.items[self._next], dict):
            raise InputError(
                f"{self.where}: the check drew more inputs than the cassette holds (it changed "
                f"since recording); re-record with `{self.rerecord}`"
            )
        item = self.items[self._next]
        if kind not in item:
            raise InputError(
                f"{self.where}: the check asked for {kind!r} where the cassette recorded "
                f"{next(iter(item), '?')!r} (it changed since recording); re-record with "
                f"`{self.rerecord}`"
            )
        self._next += 1
        return item[kind]

    def forall(self) -> list[Any]:
        examples = self._take("forall")
        if not isinstance(examples, list):
            raise InputError(f"{self.where}: malformed draws; re-record with `{self.rerecord}`")
        return [as_json(e) for e in examples]

    def value(self, kind: str, value: Any = None) -> Any:
        return as_json(self._take(kind))
