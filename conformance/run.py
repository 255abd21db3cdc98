"""A run of checks on one connector, as a stream of events any front end can consume.

The `syncpeng test` command, and later a web UI, run checks through `run_checks` and pass
handlers that react to the events (print a line, update a page), as schemathesis' event handlers
do; the runner itself knows no output. The pytest plugin runs one item per check and calls
`runner.run_check` directly, which is the same code each `CheckFinished` reports on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from conformance.checks import Check
from conformance.connector.load import ConnectorSpec
from conformance.options import Options
from conformance.outcome import Outcome
from conformance.runner import run_check


@dataclass(frozen=True)
class RunStarted:
    connector: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class CheckStarted:
    connector: str
    check: str


@dataclass(frozen=True)
class CheckFinished:
    outcome: Outcome


@dataclass(frozen=True)
class RunFinished:
    outcomes: tuple[Outcome, ...]
    duration: float


Event = RunStarted | CheckStarted | CheckFinished | RunFinished
Handler = Callable[[Event], None]


def run_checks(
    spec: ConnectorSpec,
    checks: Sequence[Check],
    options: Options,
    handlers: Sequence[Handler] = (),
) -> RunFinished:
    """Run `checks` in order, telling every handler about each step; returns the last event."""

    def emit(event: Event) -> None:
        for handler in handlers:
            handler(event)

    started = time.perf_counter()
    emit(RunStarted(spec.name, tuple(c.id for c in checks)))
    outcomes = []
    for check in checks:
        emit(CheckStarted(spec.name, check.id))
        outcome = run_check(check, spec, options)
        outcomes.append(outcome)
        emit(CheckFinished(outcome))
    finished = RunFinished(tuple(outcomes), time.perf_counter() - started)
    emit(finished)
    return finished
