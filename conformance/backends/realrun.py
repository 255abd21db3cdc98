"""Run one check against a real API (live, record) or its recording (replay).

Kept apart from runner.py's mock path because a real API adds duties around the check: the
guard's cleanup runs inside the recording (so replay deletes in step), a replay that met a
request its cassette lacks is a harness error naming the request and the re-record command,
an unreachable API or refused credentials are reported as such rather than as connector
findings, and every message is scrubbed of account values before anyone sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.backends.guard import LiveSafetyError
from conformance.backends.real import RealAPI, connector_target, real_api
from conformance.checks import Check, CheckFailure
from conformance.checks.api import Context
from conformance.connector.load import ConnectorSpec
from conformance.connector.session import Session
from conformance.errors import ConnectorCallError, InputError
from conformance.outcome import Outcome, settle
from conformance.recording.cassette import record_command

if TYPE_CHECKING:
    from conformance.runner import Options


def run_real_check(
    check: Check, spec: ConnectorSpec, options: Options, mode: str, outcome: Outcome
) -> None:
    with real_api(
        spec,
        check.id,
        mode=mode,
        cassette_dir=options.cassette_dir,
        record_mode=options.record_mode,
        consistency=options.consistency,
        timeout=options.timeout,
    ) as real:
        outcome.mode = real.mode
        ctx = Context(
            spec=spec,
            account=real.account,
            api=None,
            examples=options.examples,
            timeout=options.timeout,
            steps=options.steps,
            replay=options.replay,
            guard=real.guard,
            draws=real.draws,
        )
        problem: BaseException | None = None
        script = ""
        try:
            check(ctx)
        except (CheckFailure, ConnectorCallError, LiveSafetyError) as exc:
            problem, script = exc, ctx.script()
        finally:
            try:
                ctx.close()  # may re-raise an interrupt left pending in a session's loop
            finally:
                real.finish(
                    lambda: Session(spec.create(), dict(real.account), timeout=options.timeout)
                )
        try:
            _judge(check, ctx, real, problem, script, outcome)
        except InputError as exc:
            raise InputError(real.scrubber().text(str(exc))) from None
        real.completed = outcome.status != "error"
    _scrub(outcome, real)


def _judge(
    check: Check,
    ctx: Context,
    real: RealAPI,
    problem: BaseException | None,
    script: str,
    outcome: Outcome,
) -> None:
    target = connector_target(ctx.spec)
    if real.misses:
        raise InputError(
            f"replay: {real.path} has no recorded answer for {real.misses[0]}"
            + (f" (and {len(real.misses) - 1} more)" if len(real.misses) > 1 else "")
            + "; the connector or the check changed since recording, so re-record with "
            f"`{record_command(target, check.id)}`"
        )
    if isinstance(problem, LiveSafetyError):
        raise InputError(f"{check.id}: {problem} (a harness bug: please report it)")
    if isinstance(problem, ConnectorCallError):
        refused = real.refused()
        if refused:
            raise InputError(
                f"the API refused the credentials in account.json ({refused}); fix them in "
                f"{_account_file(ctx.spec)}"
            )
        if _unreachable(problem):
            cause = problem.__context__
            raise InputError(
                f"cannot reach the live API named in {_account_file(ctx.spec)} "
                f"({type(cause).__name__}: {cause}); check its baseUrl and that the service is up"
            )
    settle(outcome, check, problem, script=script, warnings=ctx.warnings)
    if ctx.guard is not None and ctx.guard.cleanup_problems:
        outcome.warnings.append(
            "could not delete every record the check created ("
            + "; ".join(ctx.guard.cleanup_problems)
            + f"); remove them with `pytest --connector={target} --connector-mode=live "
            "--connector-cleanup`"
        )


def _unreachable(error: ConnectorCallError) -> bool:
    """Did the connector fail because the network refused it? (Walks the exception chain.)"""
    import httpx

    seen = 0
    cause = error.__context__
    while cause is not None and seen < 10:
        if isinstance(cause, (httpx.TransportError, ConnectionError)):
            return True
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return False


def _account_file(spec: ConnectorSpec) -> str:
    return str(spec.folder / "account.json") if spec.folder else "the account"


def _scrub(outcome: Outcome, real: RealAPI) -> None:
    """No account value reaches a report: messages and scripts are scrubbed like cassettes."""
    scrubber = real.scrubber()
    outcome.message = scrubber.text(outcome.message)
    outcome.script = scrubber.text(outcome.script)
    outcome.warnings = [scrubber.text(w) for w in outcome.warnings]
