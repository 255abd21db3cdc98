"""What one check on one connector came to, and the one place findings become that.

Every face (the pytest plugin, `syncpeng test`, the reports) shows an `Outcome`; the mock and
real-API paths both hand what a check raised to `record_problem`, so a finding reads the same
wherever it was found. A report row is an `Outcome` plus what the run made of it (pytest's
verdict, the baseline, the account used), never a second copy of its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

from conformance.checks import Check, CheckFailure, Severity
from conformance.errors import ConnectorCallError


class Status(str, Enum):
    """What a check came to. `str`-valued, so JSON, reports and old comparisons read the word."""

    PASSED = "passed"
    FAILED = "failed"
    WARNED = "warned"  # safe but wasteful: fails the run only with --connector-strict
    SKIPPED = "skipped"
    ERROR = "error"  # the check could not run (bad input, an unreachable API, a harness bug)

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def is_finding(self) -> bool:
        """Whether a reader must look at it (a failure, an error or a warning)."""
        return self in (Status.FAILED, Status.ERROR, Status.WARNED)

    def fails_run(self, *, strict: bool) -> bool:
        """Whether it fails the run; warnings do only when the run is strict."""
        return self in (Status.FAILED, Status.ERROR) or (strict and self is Status.WARNED)


@dataclass
class Outcome:
    name: str  # the connector's own name: its folder, module file or module
    check: str
    status: Status
    suffers: str = ""
    message: str = ""
    script: str = ""
    severity: str = ""
    warnings: list[str] = field(default_factory=list)
    duration: float = 0.0
    mode: str = "mock"
    # What the check exercised: "examples", "pages crossed", "deletions seen", ... -> count.
    coverage: dict[str, int] = field(default_factory=dict)
    # What a pass needed to exercise and did not, each "<what>: <why it matters>".
    not_exercised: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    def fails_run(self, *, strict: bool) -> bool:
        """Whether it fails the run: a failure or error; under strict also a warning, and a
        pass that did not exercise what it checks (it proved nothing)."""
        return self.status.fails_run(strict=strict) or (
            strict and self.status is Status.PASSED and bool(self.not_exercised)
        )

    def coverage_line(self) -> str:
        """One line saying what the verdict rests on; "" when nothing was counted."""
        if not any(self.coverage.values()) and not self.not_exercised:
            return ""
        counts = ", ".join(f"{n} {name}" for name, n in sorted(self.coverage.items()) if n)
        line = f"coverage: {counts or 'nothing counted'}"
        if self.not_exercised:
            line += "; NOT EXERCISED: " + "; ".join(self.not_exercised)
        return line

    def render(self) -> str:
        """The text a person reads: the harm first, then what happened, then how to replay it."""
        lines = [f"[{self.check}] {self.suffers}" if self.suffers else f"[{self.check}]"]
        if self.message:
            lines += ["", self.message]
        if self.script:
            lines += ["", "Reproduce with these calls (minimal example):"]
            lines += [f"  {line}" for line in self.script.splitlines()]
        if coverage := self.coverage_line():
            lines += ["", coverage]
        return "\n".join(lines)


@dataclass
class ReportRow:
    """One (connector, check) as the reports show it: an `Outcome` and what the run made of it.

    `node` is the connector's node ID (its --connector path, `/`-separated), which is what a
    fleet's reports and baselines name; `outcome.name` is the connector's own name.
    """

    outcome: Outcome
    node: str
    verdict: str = ""  # what pytest made of it: passed | failed | skipped | xfailed | xpassed
    baseline: str = ""  # "" | known (a baselined failure) | stale (baselined, now passes)
    baseline_reason: str = ""
    account_source: str = ""

    def to_json(self) -> dict[str, Any]:
        """The report's JSON object for this row, in plain types: also how a row crosses from an
        xdist worker to the controller. The keys are a published format: never rename them."""
        o = self.outcome
        return {
            "connector": self.node,
            "check": o.check,
            "status": o.status.value,
            "name": o.name,
            "severity": o.severity,
            "suffers": o.suffers,
            "message": o.message,
            "script": o.script,
            "warnings": list(o.warnings),
            "duration": o.duration,
            "mode": o.mode,
            "verdict": self.verdict,
            "baseline": self.baseline,
            "baseline_reason": self.baseline_reason,
            "account_source": self.account_source,
            "coverage": {"counts": dict(o.coverage), "not_exercised": list(o.not_exercised)},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportRow:
        """The inverse of `to_json`; keys it does not know are ignored."""
        names = {f.name for f in fields(Outcome)} - {"name", "coverage", "not_exercised"}
        outcome = Outcome(
            name=data.get("name", ""), **{k: v for k, v in data.items() if k in names}
        )
        coverage = data.get("coverage") or {}
        outcome.coverage = dict(coverage.get("counts", {}))
        outcome.not_exercised = list(coverage.get("not_exercised", []))
        return cls(
            outcome,
            node=data["connector"],
            verdict=data.get("verdict", ""),
            baseline=data.get("baseline", ""),
            baseline_reason=data.get("baseline_reason", ""),
            account_source=data.get("account_source", ""),
        )

    @property
    def anchor(self) -> str:
        return "f-" + "".join(c if c.isalnum() else "-" for c in f"{self.node}--{self.check}")

    @property
    def check(self) -> str:
        return self.outcome.check

    @property
    def status(self) -> Status:
        return self.outcome.status

    @property
    def gates(self) -> bool:
        """Whether this row fails the run (pytest's verdict, so strict and baseline count)."""
        return self.verdict == "failed"

    @property
    def headline(self) -> str:
        message = self.outcome.message.strip()
        first = message.splitlines()[0] if message else ""
        return first or self.outcome.suffers or self.outcome.status.value


def record_problem(
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
        detail = f"{problem.detail}\n\n{hint}" if hint else problem.detail
        _found(outcome, check, detail, problem.script, problem.severity)
    elif isinstance(problem, ConnectorCallError):
        detail = f"{problem.call} {problem.problem}"
        if hint:
            detail += f"\n\n{hint}"
        if problem.detail:
            detail += f"\n\nconnector traceback:\n{problem.detail}"
        _found(outcome, check, detail, script, Severity.FAILURE)
    elif warnings:
        outcome.status = Status.WARNED
        outcome.severity = Severity.WARNING.value
        outcome.suffers = check.suffers
        outcome.warnings = list(dict.fromkeys(warnings))
        outcome.message = "\n".join(outcome.warnings)


def _found(outcome: Outcome, check: Check, detail: str, script: str, severity: Severity) -> None:
    outcome.status = Status.FAILED if severity is Severity.FAILURE else Status.WARNED
    outcome.severity = severity.value
    outcome.suffers = check.suffers
    outcome.message = detail
    outcome.script = script
