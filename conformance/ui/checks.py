"""The Checks view: a run of the harness's own checks, streamed to the page as it happens.

The run is `run.run_checks` (the same registry, runner and backends as `pytest --connector`
and `syncpeng test`) on a worker thread; its handler turns each event into a JSON message
appended to the run's list, which the page follows over server-sent events (`follow`). The
reports are `ci/reports.write_reports`, the plugin's own, written into the connector folder.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.checks import CHECKS
from conformance.ci.reports import write_reports
from conformance.cli.console import Masker
from conformance.cli.suite import select
from conformance.errors import InputError
from conformance.options import DEFAULT_TIMEOUT, PROFILES, Options
from conformance.outcome import Outcome, ReportRow, Status
from conformance.run import CheckFinished, CheckStarted, Event, RunFinished, RunStarted, run_checks
from conformance.ui.hints import for_the_page
from conformance.ui.history import History
from conformance.ui.jobs import start
from conformance.ui.redact import Redactor
from conformance.ui.rootcause import explain
from conformance.ui.workspace import REPORT_DIR, Workspace


@dataclass
class CheckRun:
    messages: list[dict[str, Any]] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message: dict[str, Any]) -> None:
        with self.lock:
            self.messages.append(message)

    def since(self, index: int) -> list[dict[str, Any]]:
        with self.lock:
            return self.messages[index:]


def catalogue() -> dict[str, Any]:
    return {
        "checks": [{"id": c.id, "title": c.title, "suffers": c.suffers} for c in CHECKS],
        "profiles": {name: vars(p) for name, p in PROFILES.items()},
        "timeout": DEFAULT_TIMEOUT,
    }


@dataclass(frozen=True)
class Effort:
    """The fields of the Checks view: how hard to search, how long one call may take."""

    profile: str = "fast"
    examples: int | None = None  # None: the profile's
    timeout: float = DEFAULT_TIMEOUT


def options_for(ws: Workspace, mode: str, effort: Effort) -> Options:
    cassettes = str(ws.cassette_dir) if ws.cassette_dir else None
    profile = PROFILES[effort.profile]
    return Options(
        mode=mode,
        examples=effort.examples or profile.examples,
        steps=profile.steps,
        timeout=effort.timeout,
        cassette_dir=cassettes,
    )


def launch(
    ws: Workspace,
    wanted: Sequence[str],
    effort: Effort,
    previous: CheckRun | None,
    history: History | None = None,
) -> CheckRun:
    """Start a run of the `wanted` checks (all if none); a rerun keeps the other results."""
    spec = ws.spec()
    chosen = select(CHECKS, list(wanted))
    options = options_for(ws, ws.mode(spec), effort)
    redact = Redactor(Masker(spec.account))
    run = CheckRun()
    if previous is not None:
        run.outcomes.update(previous.outcomes)

    def handle(event: Event) -> None:
        if isinstance(event, RunStarted):
            run.add({"event": "run-started", "checks": list(event.checks), "mode": options.mode})
        elif isinstance(event, CheckStarted):
            run.add({"event": "check-started", "check": event.check})
        elif isinstance(event, CheckFinished):
            run.outcomes[event.outcome.check] = event.outcome
            run.add({"event": "check-finished", **_shown(event.outcome, redact)})
        elif isinstance(event, RunFinished):
            verdicts = {c: verdict(o) for c, o in run.outcomes.items()}
            run.add(
                {
                    "event": "run-finished",
                    "duration": round(event.duration, 2),
                    "causes": explain(verdicts),
                }
            )
            if history is not None:
                history.checks_ran(options.mode, verdicts, event.duration)

    def job() -> None:
        try:
            run_checks(spec, chosen, options, [handle])
        except Exception as exc:  # a crash of the harness itself: said on the page, not lost
            run.add({"event": "run-failed", "error": redact(f"{type(exc).__name__}: {exc}")})
        finally:
            run.done = True

    start(job, what="checks")
    return run


def verdict(outcome: Outcome) -> str:
    """The row's state: a pass that did not exercise what it checks is its own state, "not
    exercised" (it proved nothing), never shown as a green pass."""
    if outcome.status is Status.PASSED and outcome.not_exercised:
        return "not-exercised"
    return str(outcome.status)


def _shown(outcome: Outcome, redact: Redactor) -> dict[str, Any]:
    return {
        "check": outcome.check,
        "status": verdict(outcome),
        "duration": round(outcome.duration, 3),
        "suffers": redact(outcome.suffers),
        "message": redact(for_the_page(outcome.message)),
        "script": redact(outcome.script),
        "warnings": [redact(for_the_page(w)) for w in outcome.warnings],
        "coverage": outcome.coverage_line(),
        "not_exercised": list(outcome.not_exercised),
    }


async def follow(run: CheckRun) -> AsyncIterator[dict[str, Any]]:
    """Every message of `run`, as it is added, until the run is done."""
    index = 0
    while True:
        fresh = run.since(index)
        index += len(fresh)
        for message in fresh:
            yield message
        if run.done and not run.since(index):
            return
        await asyncio.sleep(0.05)


def export(ws: Workspace, run: CheckRun | None) -> list[Path]:
    """conformance.json, .md and .html in the connector folder's conformance-report/."""
    if run is None or not run.outcomes:
        raise InputError("no check results yet: run the checks first, then export")
    spec = ws.spec()
    verdicts = {"passed": "passed", "warned": "passed", "skipped": "skipped"}
    rows = [
        ReportRow(
            outcome,
            node=str(ws.folder.name),
            verdict=verdicts.get(str(outcome.status), "failed"),
            account_source=spec.account_source.describe(),
        )
        for outcome in run.outcomes.values()
    ]
    return write_reports(ws.inside(REPORT_DIR), rows)
