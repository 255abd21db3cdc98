"""`syncpeng test [DIR]`: the conformance suite on one connector, with a short summary.

These are the checks `pytest --connector=DIR` runs (the same `CHECKS` registry, the same
`run_check`, through the run API of conformance/run.py), without pytest's collection machinery
around them: one line per check while it runs, then each failure's report (the harm, the
detail, the calls that reproduce it), then a count. For JUnit XML, -k selection or xdist, use
the pytest plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conformance.checks import CHECKS, Check
from conformance.connector.load import load_connector
from conformance.errors import InputError
from conformance.options import Options
from conformance.outcome import Outcome, Status
from conformance.run import Handler, run_checks

LABELS = {
    Status.PASSED: "PASS",
    Status.FAILED: "FAIL",
    Status.WARNED: "WARN",
    Status.SKIPPED: "SKIP",
    Status.ERROR: "ERROR",
}


@dataclass
class SuiteResult:
    outcomes: list[Outcome]
    duration: float
    strict: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        """2 when a check could not run for bad input, 1 when the connector failed, else 0."""
        if self.count(Status.ERROR):
            return 2
        if any(o.fails_run(strict=self.strict) for o in self.outcomes):
            return 1
        return 0

    def summary(self) -> str:
        parts = [
            f"{self.count(status)} {word}"
            for status, word in (
                (Status.PASSED, "passed"),
                (Status.FAILED, "failed"),
                (Status.WARNED, "with warnings"),
                (Status.SKIPPED, "skipped"),
                (Status.ERROR, "could not run"),
            )
            if self.count(status)
        ]
        return f"{len(self.outcomes)} checks: {', '.join(parts)} in {self.duration:.1f} s"


def select(checks: Sequence[Check], wanted: Sequence[str]) -> list[Check]:
    """Checks whose ID equals, or starts with `<family>.` for, one of `wanted` (all if none)."""
    if not wanted:
        return list(checks)
    chosen = [c for c in checks if any(c.id == w or c.id.startswith(w + ".") for w in wanted)]
    if not chosen:
        known = ", ".join(c.id for c in checks)
        raise InputError(f"--check {' '.join(wanted)}: matches no check; known: {known}")
    return chosen


def run_suite(
    target: str,
    options: Options,
    *,
    checks: Sequence[str] = (),
    strict: bool = False,
    handlers: Sequence[Handler] = (),
) -> SuiteResult:
    spec = load_connector(target)
    finished = run_checks(spec, select(CHECKS, checks), options, handlers)
    return SuiteResult(list(finished.outcomes), finished.duration, strict)


def outcome_line(outcome: Outcome) -> str:
    line = f"  {LABELS[outcome.status]:<5} {outcome.check:<22} {outcome.duration:6.2f} s"
    if outcome.status in (Status.SKIPPED, Status.ERROR):
        line += f"  {outcome.message}"
    elif outcome.status in (Status.FAILED, Status.WARNED):
        line += f"  {outcome.suffers}"
    return line
