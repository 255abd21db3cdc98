"""What one check on one connector came to, and the one place findings become that.

Every face (the pytest plugin, `syncpeng test`, the reports) shows an `Outcome`; the mock and
real-API paths both hand what a check raised to `settle`, so a finding reads the same wherever
it was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.checks import Check, CheckFailure, Severity
from conformance.errors import ConnectorCallError


@dataclass
class Outcome:
    connector: str
    check: str
    status: str  # passed | failed | warned | skipped | error
    suffers: str = ""
    message: str = ""
    script: str = ""
    severity: str = ""
    warnings: list[str] = field(default_factory=list)
    duration: float = 0.0
    mode: str = "mock"

    def render(self) -> str:
        """The text a person reads: the harm first, then what happened, then how to replay it."""
        lines = [f"[{self.check}] {self.suffers}" if self.suffers else f"[{self.check}]"]
        if self.message:
            lines += ["", self.message]
        if self.script:
            lines += ["", "Reproduce with these calls (minimal example):"]
            lines += [f"  {line}" for line in self.script.splitlines()]
        return "\n".join(lines)


def settle(
    outcome: Outcome,
    check: Check,
    problem: BaseException | None,
    *,
    script: str,
    warnings: list[str],
    hint: str = "",
) -> None:
    """Record what the check raised (a finding, or a connector call gone wrong) or warned."""
    if isinstance(problem, CheckFailure):
        _found(outcome, check, problem.detail, problem.script, problem.severity)
    elif isinstance(problem, ConnectorCallError):
        detail = f"{problem.call} {problem.problem}"
        if hint:
            detail += f"\n\n{hint}"
        if problem.detail:
            detail += f"\n\nconnector traceback:\n{problem.detail}"
        _found(outcome, check, detail, script, Severity.FAILURE)
    elif warnings:
        outcome.status = "warned"
        outcome.severity = Severity.WARNING.value
        outcome.suffers = check.suffers
        outcome.warnings = list(dict.fromkeys(warnings))
        outcome.message = "\n".join(outcome.warnings)


def _found(outcome: Outcome, check: Check, detail: str, script: str, severity: Severity) -> None:
    outcome.status = "failed" if severity is Severity.FAILURE else "warned"
    outcome.severity = severity.value
    outcome.suffers = check.suffers
    outcome.message = detail
    outcome.script = script
