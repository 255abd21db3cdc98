"""Run one check on one connector and say what happened, in a form every face can show.

One path for every backend: pick it (conformance/backends), run the check on a `Context` over
it, let the backend clean up, explain harness-level problems and scrub the outcome. This is the
one place that turns connector misbehaviour into findings rather than tracebacks.
"""

from __future__ import annotations

import time

from conformance.backends import choose_backend, open_backend
from conformance.backends.base import BaseBackend
from conformance.backends.guard import LiveSafetyError
from conformance.checks import Check, CheckFailure
from conformance.checks.api import Context
from conformance.connector.load import ConnectorSpec
from conformance.errors import ConnectorCallError, InputError
from conformance.http import boundary
from conformance.http.pipeline import current
from conformance.options import Options
from conformance.outcome import Outcome, Status, record_problem

__all__ = ["Options", "Outcome", "run_check", "skip_reason"]

# What a backend must provide for a check that needs it, and why it is skipped otherwise.
NEED_MESSAGES = {
    "mock": "{check} needs the mock API's fault knobs, which {backend} mode does not have",
}


def skip_reason(check: Check, spec: ConnectorSpec, backend: type[BaseBackend]) -> str | None:
    """Why `check` cannot run on `backend` for this connector, or None: its needs minus what
    the backend provides (and a schema, which the connector folder provides)."""
    if "schema" in check.needs and spec.schema is None:
        return f"{check.id} needs a schema.json beside the connector to generate records"
    for need, message in NEED_MESSAGES.items():
        if need in check.needs and need not in backend.provides:
            return message.format(check=check.id, backend=backend.name)
    return None


def run_check(check: Check, spec: ConnectorSpec, options: Options) -> Outcome:
    outcome = Outcome(name=spec.name, check=check.id, status=Status.PASSED, mode=options.mode)
    started = time.perf_counter()
    try:
        kind = choose_backend(spec, options)
        outcome.mode = kind.name
        reason = skip_reason(check, spec, kind)
        if reason:
            outcome.status, outcome.message = Status.SKIPPED, reason
            return outcome
        with open_backend(spec, check, options) as backend:
            outcome.mode = backend.name
            _run_on(backend, check, spec, options, outcome)
        backend.scrub(outcome)
    except InputError as exc:
        outcome.status, outcome.message = Status.ERROR, str(exc)
    except _Unjudged:
        pass  # the outcome says why, scrubbed; the backend saved nothing (no cassette)
    finally:
        outcome.duration = time.perf_counter() - started
    return outcome


def _run_on(
    backend: BaseBackend, check: Check, spec: ConnectorSpec, options: Options, outcome: Outcome
) -> None:
    ctx = Context(
        spec=spec,
        backend=backend,
        examples=options.examples,
        timeout=options.timeout,
        steps=options.steps,
        stateful_blob=options.stateful_blob,
        shrink_seconds=options.shrink_seconds,
    )
    problem: BaseException | None = None
    script = ""
    pipeline = current()  # the backend's: every request of the check went through it
    try:
        check(ctx)
    except (CheckFailure, ConnectorCallError, LiveSafetyError) as exc:
        problem, script = exc, ctx.script()
    finally:
        try:
            ctx.close()  # may re-raise an interrupt left pending in a session's loop
        except ConnectorCallError as exc:  # a close that never returned, named like a hang
            if problem is None:
                problem, script = exc, ctx.script()
        finally:
            backend.cleanup()
    # What went wrong at the boundary outranks the check's own verdict: a write the request
    # guard refused is a finding whatever the check saw; traffic that went around the harness,
    # or never reached the API, leaves nothing to judge (checked before `explain`, whose
    # harness-bug diagnosis would otherwise blame the harness for an escaped request).
    refused = backend.refused_write()
    if refused:
        problem = CheckFailure(refused, script=script or ctx.script())
    else:
        blind = boundary.escaped(pipeline, check.id)
        if blind:
            _cannot_judge(backend, outcome, blind)
    hint = backend.explain(check, problem)
    unreached = boundary.unreached(pipeline, check.id, failed=problem is not None)
    if unreached and not refused:
        _cannot_judge(backend, outcome, unreached)
    record_problem(outcome, check, problem, script=script, warnings=ctx.warnings, hint=hint)
    seen = backend.coverage()
    outcome.coverage = {k: ctx.coverage[k] + seen.get(k, 0) for k in {**ctx.coverage, **seen}}
    if outcome.status is not Status.FAILED:  # a failure proved its point, whatever it covered
        outcome.not_exercised = [
            f"{name} ({why})"
            for name, why in ctx.expected.items()
            if not outcome.coverage.get(name)
        ]
    backend.annotate(outcome)


class _Unjudged(Exception):
    """Raised through the backend's block, so that it keeps nothing (a record backend saves no
    cassette of a check it could not judge)."""


def _cannot_judge(backend: BaseBackend, outcome: Outcome, why: str) -> None:
    """An error, not a finding: the harness could not see (or the API never saw) the traffic."""
    outcome.status, outcome.message = Status.ERROR, why
    backend.annotate(outcome)
    backend.scrub(outcome)
    raise _Unjudged
