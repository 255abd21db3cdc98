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
from conformance.options import DEFAULT_EXAMPLES, Options
from conformance.outcome import Outcome, ReportRow
from conformance.run import CheckFinished, CheckStarted, Event, RunFinished, RunStarted, run_checks
from conformance.ui.jobs import start
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


def catalogue() -> list[dict[str, str]]:
    return [{"id": c.id, "suffers": c.suffers} for c in CHECKS]


def options_for(ws: Workspace, mode: str, examples: int | None) -> Options:
    cassettes = str(ws.cassette_dir) if ws.cassette_dir else None
    return Options(mode=mode, examples=examples or DEFAULT_EXAMPLES, cassette_dir=cassettes)


def launch(ws: Workspace, wanted: Sequence[str], examples: int | None, previous: CheckRun | None):
    """Start a run of the `wanted` checks (all if none); a rerun keeps the other results."""
    spec = ws.spec()
    chosen = select(CHECKS, list(wanted))
    options = options_for(ws, ws.mode(spec), examples)
    masker = Masker(spec.account)
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
            run.add({"event": "check-finished", **_shown(event.outcome, masker)})
        elif isinstance(event, RunFinished):
            run.add({"event": "run-finished", "duration": round(event.duration, 2)})

    def job() -> None:
        try:
            run_checks(spec, chosen, options, [handle])
        except Exception as exc:  # a crash of the harness itself: said on the page, not lost
            run.add({"event": "run-failed", "error": masker(f"{type(exc).__name__}: {exc}")})
        finally:
            run.done = True

    start(job, what="checks")
    return run


def _shown(outcome: Outcome, masker: Masker) -> dict[str, Any]:
    return {
        "check": outcome.check,
        "status": str(outcome.status),
        "duration": round(outcome.duration, 3),
        "suffers": masker(outcome.suffers),
        "message": masker(outcome.message),
        "script": masker(outcome.script),
        "warnings": [masker(w) for w in outcome.warnings],
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
