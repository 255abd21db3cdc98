"""Model-based sync test: random interleavings of writes and syncs, judged by a replica.

The platform knows a tool only through getUpdates: it keeps a replica built from the entries,
passing each nextSync (after a JSON round trip) to the next call. A hypothesis state machine
plays the platform (insert, patch, delete, getUpdates through the connector) and, in mock
mode, the world around it (another client's writes, writes landing while getUpdates pages or
before its response arrives, a skewed or frozen server clock, small pages). After a final sync
the replica must equal the source, and `get` must show every write the connector
acknowledged: `get` of every id the example created. A failure is shrunk
by hypothesis to a minimal program, printed as the connector calls it made.

The machine itself lives in `conformance.checks.machine`; this module runs it and words what it
found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, settings
from hypothesis import __version__ as hypothesis_version
from hypothesis.errors import DidNotReproduce, FlakyFailure, InvalidArgument
from hypothesis.stateful import run_state_machine_as_test

from conformance.checks.api import CheckFailure, Context, check
from conformance.checks.machine import Hung, build_machine
from conformance.checks.replica import PAGES_WHY
from conformance.errors import ConnectorCallError, InputError


@check(
    "sync.stateful",
    title="after random writes and syncs, the replica built from getUpdates equals the source",
    suffers="somewhere between writes and syncs a change is lost, left stale or resurrected",
    needs={"schema", "unrecorded"},
)
def stateful(ctx: Context) -> None:
    if not ctx.provides("mock"):  # on the mock, examples pick pages of 2 or 3
        ctx.expect("pages crossed", PAGES_WHY)
    machine = build_machine(ctx)
    if ctx.stateful_blob:
        machine._hypothesis_internal_use_reproduce_failure = (hypothesis_version, ctx.stateful_blob)  # type: ignore[attr-defined]
    config = settings(
        max_examples=ctx.examples,
        stateful_step_count=ctx.steps,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
        print_blob=True,
    )
    flaky = False
    try:
        try:
            with _shrink_budget(ctx.shrink_seconds):
                run_state_machine_as_test(machine, settings=config)
        except FlakyFailure as group:
            # Real time and random ids make some interleavings timing-dependent: the shrunk
            # example failed once and passed on replay. Still a finding; report the original.
            flaky = True
            finding = _first_finding(group)
            for note in getattr(group, "__notes__", []):  # the program and blob sit on the group
                if note not in getattr(finding, "__notes__", []):
                    finding.__notes__ = [*getattr(finding, "__notes__", []), note]
            raise finding from None
    except Hung as hung:
        raise ctx.fail(_call_failure(hung.error)) from None
    except DidNotReproduce:
        return  # the replayed example no longer fails: the fix works
    except InvalidArgument as exc:
        if ctx.stateful_blob:
            raise InputError(
                f"--connector-replay: this blob does not replay here ({exc}); replay it with the "
                f"connector, harness and hypothesis {hypothesis_version} that printed it"
            ) from None
        raise
    except (CheckFailure, ConnectorCallError) as exc:
        program, blob = _program(exc)
        detail = exc.detail if isinstance(exc, CheckFailure) else _call_failure(exc)
        parts = [detail]
        if flaky:
            parts += ["", "(timing-dependent: the same steps passed when hypothesis replayed them)"]
        if program:
            parts += ["", "Hypothesis' minimal program (the state machine's steps):"]
            parts += [f"  {line}" for line in program]
        if blob:
            parts += [
                "",
                "Replay exactly this example: add --connector-replay=" + blob + " -k sync.stateful"
                f" (hypothesis {hypothesis_version})",
            ]
        # The script of the run that failed (after a flaky replay, ctx.calls holds the pass).
        script = getattr(exc, "script", "") or ctx.script()
        raise CheckFailure("\n".join(parts), script=script) from None


@contextmanager
def _shrink_budget(seconds: float | None) -> Iterator[None]:
    """Bound hypothesis' shrinking time (its own limit is 5 minutes; None keeps it).

    Each replay is a fresh scope, so shrinking is slow; past the budget the smallest program
    so far is reported.

    Hypothesis has no public setting for this; its engine reads the module constant
    MAX_SHRINKING_SECONDS when shrinking starts. If a future version drops it, shrinking is
    merely slower, so this degrades to a no-op rather than failing.
    """
    from hypothesis.internal.conjecture import engine

    if seconds is None or not hasattr(engine, "MAX_SHRINKING_SECONDS"):
        yield
        return
    saved = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = seconds
    try:
        yield
    finally:
        engine.MAX_SHRINKING_SECONDS = saved


def _first_finding(group: BaseException) -> BaseException:
    """The first connector finding inside hypothesis' Flaky group (or the group itself)."""
    for exc in getattr(group, "exceptions", ()):
        if hasattr(exc, "exceptions"):
            exc = _first_finding(exc)
        if isinstance(exc, (CheckFailure, ConnectorCallError, Hung)):
            return exc
    return group


def _call_failure(exc: ConnectorCallError) -> str:
    """Worded as the runner words a connector call error, so reports read the same."""
    detail = f"{exc.call} {exc.problem}"
    if exc.detail:
        detail += f"\n\nconnector traceback:\n{exc.detail}"
    return detail


_BLOB = re.compile(r"@reproduce_failure\('[^']+', b'([^']+)'\)")


def _program(exc: BaseException) -> tuple[list[str], str]:
    """Hypothesis' printed program and replay blob, from the notes it attaches to the error."""
    notes = getattr(exc, "__notes__", [])
    program = [n for n in notes if n.startswith("state") or " = state." in n]
    blob = next((m.group(1) for n in notes if (m := _BLOB.search(n))), "")
    return program, blob
