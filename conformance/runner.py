"""Run one check on one connector and say what happened, in a form every face can show.

The pytest plugin, the `syncpeng test` command and the reports all consume an `Outcome`; this is
the one place that turns connector misbehaviour into findings rather than tracebacks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from conformance.apis import provide_api
from conformance.checks import Check, CheckFailure, Severity
from conformance.checks.context import DEFAULT_STEPS, Context
from conformance.errors import ConnectorCallError, InputError
from conformance.loader import ConnectorSpec
from conformance.session import DEFAULT_TIMEOUT

DEFAULT_EXAMPLES = 20


@dataclass(frozen=True)
class Profile:
    """How hard the generated checks search: examples per property, steps per stateful run."""

    examples: int
    steps: int


PROFILES = {
    "fast": Profile(examples=DEFAULT_EXAMPLES, steps=DEFAULT_STEPS),  # every run: seconds
    "thorough": Profile(examples=200, steps=50),  # nightly: minutes, finds rarer interleavings
}


@dataclass
class Options:
    mode: str = "mock"
    examples: int = DEFAULT_EXAMPLES
    timeout: float = DEFAULT_TIMEOUT
    transport: str | None = None
    steps: int = DEFAULT_STEPS
    replay: str | None = None


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


def skip_reason(check: Check, spec: ConnectorSpec) -> str | None:
    if "schema" in check.needs and spec.schema is None:
        return f"{check.id} needs a schema.json beside the connector to generate records"
    return None


def run_check(check: Check, spec: ConnectorSpec, options: Options) -> Outcome:
    outcome = Outcome(connector=spec.name, check=check.id, status="passed", mode=options.mode)
    started = time.perf_counter()
    try:
        reason = skip_reason(check, spec)
        if reason:
            outcome.status, outcome.message = "skipped", reason
            return outcome
        with provide_api(spec, mode=options.mode, transport=options.transport) as (account, api):
            ctx = Context(
                spec=spec,
                account=account,
                api=api,
                examples=options.examples,
                timeout=options.timeout,
                steps=options.steps,
                replay=options.replay,
            )
            try:
                if "mock" in check.needs and api is None:
                    outcome.status = "skipped"
                    outcome.message = f"{check.id} needs the mock API's fault knobs"
                    return outcome
                check(ctx)
            except CheckFailure as failure:
                _failed(outcome, check, failure.detail, failure.script, failure.severity)
            except ConnectorCallError as exc:
                detail = f"{exc.call} {exc.problem}"
                if exc.detail:
                    detail += f"\n\nconnector traceback:\n{exc.detail}"
                _failed(outcome, check, detail, ctx.script(), Severity.FAILURE)
            finally:
                ctx.close()
            if outcome.status == "passed" and ctx.warnings:
                outcome.status = "warned"
                outcome.severity = Severity.WARNING.value
                outcome.suffers = check.suffers
                outcome.warnings = list(dict.fromkeys(ctx.warnings))
                outcome.message = "\n".join(outcome.warnings)
    except InputError as exc:
        outcome.status, outcome.message = "error", str(exc)
    finally:
        outcome.duration = time.perf_counter() - started
    return outcome


def _failed(outcome: Outcome, check: Check, detail: str, script: str, severity: Severity) -> None:
    outcome.status = "failed" if severity is Severity.FAILURE else "warned"
    outcome.severity = severity.value
    outcome.suffers = check.suffers
    outcome.message = detail
    outcome.script = script
