"""Run one check on one connector and say what happened, in a form every face can show.

The pytest plugin, the `syncpeng test` command and the reports all consume an `Outcome`; this is
the one place that turns connector misbehaviour into findings rather than tracebacks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from conformance.apis import provide_api
from conformance.checks import Check, CheckFailure, Severity
from conformance.checks.context import Context
from conformance.errors import ConnectorCallError, InputError
from conformance.loader import ConnectorSpec
from conformance.realapi import REAL_MODES, resolve_mode
from conformance.realrun import run_real_check
from conformance.session import DEFAULT_TIMEOUT

DEFAULT_EXAMPLES = 20
_NAME_LOOKUP_FAILED = "Errno -2"  # getaddrinfo: the mock's host does not exist outside respx
_RESPX_HINT = (
    "hint: the mock is served in-process through respx, which only intercepts httpx; if this "
    'connector uses another HTTP client, set transport = "loopback" in conformance.toml or '
    "pass --connector-transport=loopback"
)


@dataclass
class Options:
    mode: str = "mock"
    examples: int = DEFAULT_EXAMPLES
    timeout: float = DEFAULT_TIMEOUT
    transport: str | None = None
    # live / record / replay (conformance/realapi.py)
    cassette_dir: str | None = None
    record_mode: str = "all"
    consistency: float | None = None


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


def skip_reason(check: Check, spec: ConnectorSpec, mode: str = "mock") -> str | None:
    if "schema" in check.needs and spec.schema is None:
        return f"{check.id} needs a schema.json beside the connector to generate records"
    if "mock" in check.needs and mode != "mock":
        return f"{check.id} needs the mock API's fault knobs, which {mode} mode does not have"
    return None


def run_check(check: Check, spec: ConnectorSpec, options: Options) -> Outcome:
    outcome = Outcome(connector=spec.name, check=check.id, status="passed", mode=options.mode)
    started = time.perf_counter()
    try:
        mode = resolve_mode(spec, options.mode, options.cassette_dir)
        outcome.mode = mode
        reason = skip_reason(check, spec, mode)
        if reason:
            outcome.status, outcome.message = "skipped", reason
            return outcome
        if mode in REAL_MODES:
            run_real_check(check, spec, options, mode, outcome)
            return outcome
        with provide_api(spec, mode=mode, transport=options.transport) as (account, api):
            ctx = Context(
                spec=spec,
                account=account,
                api=api,
                examples=options.examples,
                timeout=options.timeout,
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
                if options.transport != "loopback" and _NAME_LOOKUP_FAILED in exc.problem:
                    detail += f"\n\n{_RESPX_HINT}"
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
