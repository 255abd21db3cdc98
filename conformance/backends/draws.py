"""The inputs a check generated, recorded into its cassette and handed back on replay.

Replaying hypothesis-generated traffic from cassettes breaks as soon as a strategy or hypothesis
itself changes: the requests differ. So a recorded run writes down every value it drew (each
example of each `forall`, each made-up id, each program of a state machine: its rules in order
with their arguments) in order, and a replayed run takes the same values from the cassette
instead of calling hypothesis. Values pass through JSON in both modes, so the check sees
identical Python values (lists, not tuples) whether it records or replays.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
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

    def start_programs(self) -> None:
        self._programs: list[list[dict[str, Any]]] = []
        self.items.append({"programs": self._programs})

    def start_program(self) -> None:
        self._steps: list[dict[str, Any]] = []
        self._programs.append(self._steps)

    def step(self, rule: str, args: dict[str, Any]) -> dict[str, Any]:
        """Written down before the rule runs, so a rule that fails or hangs is in the program."""
        args = as_json(args)
        self._steps.append({"rule": rule, "args": args})
        return as_json(args)


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

    def programs(self, rules: Mapping[str, Collection[str]]) -> list[list[dict[str, Any]]]:
        """The recorded programs, each step checked against `rules` (rule name -> argument
        names): a rule the machine no longer has, or other arguments, cannot replay."""
        programs = self._take("programs")
        if not isinstance(programs, list) or not all(isinstance(p, list) for p in programs):
            raise InputError(
                f"{self.where}: malformed programs (expected a list of programs, each a list "
                f"of steps); re-record with `{self.rerecord}`"
            )
        for number, program in enumerate(programs, 1):
            for step in program:
                self._check_step(number, step, rules)
        return as_json(programs)

    def _check_step(self, number: int, step: Any, rules: Mapping[str, Collection[str]]) -> None:
        where = f"{self.where}: program {number}"
        if not (
            isinstance(step, dict)
            and set(step) == {"rule", "args"}
            and isinstance(step["rule"], str)
            and isinstance(step["args"], dict)
        ):
            raise InputError(
                f"{where}: malformed step {json.dumps(step)[:120]} (expected "
                f'{{"rule": NAME, "args": {{...}}}}); re-record with `{self.rerecord}`'
            )
        rule, args = step["rule"], step["args"]
        if rule not in rules:
            raise InputError(
                f"{where} runs the rule {rule!r}, which the check no longer has (it has "
                f"{', '.join(sorted(rules))}); re-record with `{self.rerecord}`"
            )
        if set(args) != set(rules[rule]):
            raise InputError(
                f"{where} calls {rule} with arguments {sorted(args)}, where the check's rule "
                f"takes {sorted(rules[rule])} (it changed since recording); re-record with "
                f"`{self.rerecord}`"
            )
