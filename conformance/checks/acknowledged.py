"""The platform's model of the writes a connector acknowledged, and how to hold `get` to it.

When insert, patch or delete returns, the platform believes the write happened: it records the
id, stops sending the change, or drops the record on the other side. Comparing the replica with
the source cannot see a write that was acknowledged but never applied (both still hold the old
record), so the stateful test also keeps this model: every acknowledged write, and every write
another client made since, in order. `get` must agree with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.checks.diff import field_diff

Truth = Callable[[str], "dict[str, Any] | None"]


@dataclass
class Acknowledged:
    """id -> the fields written so far (latest write wins), or None once deleted."""

    values: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def inserted(self, id: str, record: Mapping[str, Any]) -> None:
        self.values[id] = dict(record)

    def patched(self, id: str, change: Mapping[str, Any]) -> None:
        """A patch of a record the model holds as deleted changes nothing: the record is gone
        (a world write that still finds it shows the delete never happened, which `judge` says)."""
        held = self.values.get(id)
        if held is not None:
            held.update(change)

    def deleted(self, id: str) -> None:
        self.values[id] = None

    def judge(self, id: str, found: dict[str, Any] | None) -> str | None:
        """What is wrong with `get(id)` returning `found`, or None if it agrees with the model."""
        if id not in self.values:
            return None
        expected = self.values[id]
        if expected is None:
            if found is not None:
                return (
                    f"{id} was deleted (delete returned) but get still returns it: the platform "
                    "believes the record is gone on this side, and it is not"
                )
            return None
        if found is None:
            return (
                f"{id} was written and never deleted, but get returns None: an acknowledged "
                "write is not on the server"
            )
        diff = field_diff(expected, found, expected)
        if diff:
            return (
                f"get({id}) does not hold what the acknowledged writes put there (expected = the "
                "last value written to each field):\n" + "\n".join(diff)
            )
        return None

    def differences(self, truth: Truth) -> list[str]:
        """One line per id whose `get` disagrees with the acknowledged writes."""
        return [p for id in self.values if (p := self.judge(id, truth(id))) is not None]
