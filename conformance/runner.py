"""Run one check on one connector and say what happened, in a form every face can show.

The pytest plugin, the `syncpeng test` command and the reports all consume an `Outcome`; this is
the one place that turns connector misbehaviour into findings rather than tracebacks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from conformance.backends.mock import provide_api
from conformance.backends.real import REAL_MODES, resolve_mode
from conformance.backends.realrun import run_real_check
from conformance.checks import Check, CheckFailure
from conformance.checks.api import DEFAULT_STEPS, Context
from conformance.connector.load import ConnectorSpec
from conformance.connector.session import DEFAULT_TIMEOUT
from conformance.errors import ConnectorCallError, InputError
from conformance.outcome import Outcome, settle

DEFAULT_EXAMPLES = 20
_NAME_LOOKUP_FAILED = "Errno -2"  # getaddrinfo: the mock's host does not exist outside respx
_RESPX_HINT = (
    "hint: the mock is served in-process through respx, which only intercepts httpx; if this "
    'connector uses another HTTP client, set transport = "loopback" in conformance.toml or '
    "pass --connector-transport=loopback"
)


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
    # live / record / replay (conformance/realapi.py)
    cassette_dir: str | None = None
    record_mode: str = "all"
    consistency: float | None = None


def skip_reason(check: Check, spec: ConnectorSpec, mode: str = "mock") -> str | None:
    if "schema" in check.needs and spec.schema is None:
        return f"{check.id} needs a schema.json beside the connector to generate records"
    if "mock" in check.needs and mode != "mock":
        return f"{check.id} needs the mock API's fault knobs, which {mode} mode does not have"
    if "unrecorded" in check.needs and mode in ("record", "replay"):
        return (
            f"{check.id} draws random programs that cassettes do not store yet; "
            "it runs in mock and live modes"
        )
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
                steps=options.steps,
                replay=options.replay,
            )
            problem: BaseException | None = None
            try:
                check(ctx)
            except (CheckFailure, ConnectorCallError) as exc:
                problem = exc
            finally:
                ctx.close()
            hint = ""
            if (
                isinstance(problem, ConnectorCallError)
                and options.transport != "loopback"
                and _NAME_LOOKUP_FAILED in problem.problem
            ):
                hint = _RESPX_HINT
            settle(outcome, check, problem, script=ctx.script(), warnings=ctx.warnings, hint=hint)
    except InputError as exc:
        outcome.status, outcome.message = "error", str(exc)
    finally:
        outcome.duration = time.perf_counter() - started
    return outcome
