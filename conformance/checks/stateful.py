"""Model-based sync test: random interleavings of writes and syncs, judged by a replica.

The platform knows a tool only through getUpdates: it keeps a replica built from the entries,
passing each nextSync (after a JSON round trip) to the next call. A hypothesis state machine
plays the platform (insert, patch, delete, getUpdates through the connector) and, in mock
mode, the world around it (another client's writes, writes landing while getUpdates pages or
before its response arrives, a skewed or frozen server clock, small pages). After a final sync
the replica must equal the source, and `get` must show every write the connector
acknowledged: `get` of every id the example created. A failure is shrunk
by hypothesis to a minimal program, printed as the connector calls it made.

From cassettes: recording writes down every program hypothesis ran (rules and arguments), and a
replay runs them again in order without hypothesis (conformance/checks/programs.py), so it makes
exactly the recorded requests whatever hypothesis or the strategies became since.

The machine itself lives in `conformance.checks.machine`; this module runs it and words what it
found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import hypothesis.errors
from hypothesis import __version__ as hypothesis_version
from hypothesis.errors import DidNotReproduce, FlakyFailure, InvalidArgument
from hypothesis.stateful import run_state_machine_as_test

from conformance.checks.api import CheckFailure, Context, check, hypothesis_settings
from conformance.checks.machine import Hung, build_machine
from conformance.checks.programs import replay_programs, rules_of
from conformance.checks.replica import PAGES_WHY
from conformance.errors import ConnectorCallError, InputError


@check(
    "sync.stateful",
    title="after random writes and syncs, the replica built from getUpdates equals the source",
    suffers="somewhere between writes and syncs a change is lost, left stale or resurrected",
    needs={"schema"},
)
def stateful(ctx: Context) -> None:
    if not ctx.provides("mock"):  # on the mock, examples pick pages of 2 or 3
        ctx.expect("pages crossed", PAGES_WHY)
    machine = build_machine(ctx)
    programs = ctx.backend.recorded_programs(rules_of(machine))
    flaky = False
    try:
        if programs is not None:
            found, flaky = replay_programs(machine, programs, ctx.calls)
            if found is not None:
                raise found.error
            return
        ctx.backend.start_programs()
        try:
            _generate(ctx, machine)
        except FlakyFailure as group:
            # Real time and random ids make some interleavings timing-dependent: the shrunk
            # example failed once and passed on replay. Still a finding; report the original.
            flaky = True
            raise _finding_in(group) from None
    except DidNotReproduce:
        return  # the replayed example no longer fails: the fix works
    except InvalidArgument as exc:
        if ctx.stateful_blob:
            raise InputError(
                f"--connector-replay: this blob does not replay here ({exc}); replay it with the "
                f"connector, harness and hypothesis {hypothesis_version} that printed it"
            ) from None
        raise
    except BaseException as exc:
        # Hypothesis hands a hung call (a BaseException, so it stops at once) back bare, or as
        # the context of a FlakyStrategyDefinition (see _search), or wrapped in a FlakyFailure
        # (_WrappedBaseException); several failures come in a group. Look inside before
        # deciding this is not a finding.
        found = _finding_in(exc)
        if isinstance(found, Hung):
            raise ctx.fail(_call_failure(found.error)) from None
        if not isinstance(found, (CheckFailure, ConnectorCallError)):
            raise
        raise _reported(ctx, found, flaky) from None


def _generate(ctx: Context, machine: type) -> None:
    """Hypothesis generates, runs and shrinks the programs (recording them where it records)."""
    if ctx.stateful_blob:
        machine._hypothesis_internal_use_reproduce_failure = (hypothesis_version, ctx.stateful_blob)  # type: ignore[attr-defined]
    config = hypothesis_settings(ctx.examples, stateful_step_count=ctx.steps, print_blob=True)
    with _shrink_budget(ctx.shrink_seconds) as budget:
        try:
            run_state_machine_as_test(machine, settings=config)
        except BaseException as exc:
            if budget.expired:  # a note (3.10 has no add_note), so _finding_in carries it over
                exc.__notes__ = [*getattr(exc, "__notes__", []), CUT_SHORT]
            raise


def _reported(ctx: Context, exc: CheckFailure | ConnectorCallError, flaky: bool) -> CheckFailure:
    """The finding, with the minimal program: hypothesis' listing when it ran the programs,
    ours (in the same form) when they were replayed from a cassette."""
    recorded = getattr(exc, "recorded_program", None)
    if recorded is not None:
        program, blob = recorded, ""
        header = "The minimal program, replayed from the cassette (the state machine's steps):"
    else:
        program, blob = _program(exc)
        header = "Hypothesis' minimal program (the state machine's steps):"
        if CUT_SHORT in getattr(exc, "__notes__", []):
            header = (
                f"Hypothesis' smallest program when {CUT_SHORT} ({ctx.shrink_seconds:g} s; "
                "a smaller one may fail too), the state machine's steps:"
            )
    detail = exc.detail if isinstance(exc, CheckFailure) else _call_failure(exc)
    parts = [detail]
    if flaky:
        parts += ["", "(timing-dependent: the same steps passed when hypothesis replayed them)"]
    if program:
        parts += ["", header]
        parts += [f"  {line}" for line in program]
    if blob:
        parts += [
            "",
            "Replay exactly this example: add --connector-replay=" + blob + " -k sync.stateful"
            f" (hypothesis {hypothesis_version})",
        ]
    # The script of the run that failed (after a flaky replay, ctx.calls holds the pass).
    script = getattr(exc, "script", "") or ctx.script()
    return CheckFailure("\n".join(parts), script=script)


class _Budget:
    expired = False


# hypothesis' reports when its shrinking time runs out, written for its own 5-minute limit
# ("PLEASE REPORT THIS") and a decorated test ("adding @seed(...) to this test"): when our
# budget runs out, the report says so instead.
_SLOW_SHRINKING = "WARNING: Hypothesis has spent more than"
_SEED_ADVICE = "\nThis test function exited early because it took too long to shrink"
CUT_SHORT = "shrinking stopped at its time budget"


@contextmanager
def _shrink_budget(seconds: float | None) -> Iterator[_Budget]:
    """Bound hypothesis' shrinking time (its own limit is 5 minutes; None keeps it).

    Each replay is a fresh scope, so shrinking is slow; past the budget the smallest program
    so far is reported, and `expired` says that it was cut short.

    Hypothesis has no public setting for this; its engine reads the module constant
    MAX_SHRINKING_SECONDS when shrinking starts, and says it stopped through its reporter. If a
    future version drops either, shrinking is merely slower or the note missing, so this
    degrades rather than failing.
    """
    from hypothesis.internal.conjecture import engine
    from hypothesis.reporting import current_reporter, with_reporter

    budget = _Budget()
    if seconds is None or not hasattr(engine, "MAX_SHRINKING_SECONDS"):
        yield budget
        return
    passed_on = current_reporter()

    def report(text: str) -> None:
        if text.startswith(_SLOW_SHRINKING):
            budget.expired = True
        elif not text.startswith(_SEED_ADVICE):
            passed_on(text)

    saved = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = seconds
    try:
        with with_reporter(report):
            yield budget
    finally:
        engine.MAX_SHRINKING_SECONDS = saved


def _finding_in(error: BaseException) -> BaseException:
    """The first connector finding (or hung call) inside what hypothesis raised: the error
    itself, a member of a (Flaky) exception group, or the cause of a wrapped BaseException.
    Notes hypothesis put on the group (the program, the blob) move onto the finding."""
    found = _search(error)
    if found is None:
        return error
    for note in getattr(error, "__notes__", []):
        if note not in getattr(found, "__notes__", []):
            found.__notes__ = [*getattr(found, "__notes__", []), note]  # type: ignore[attr-defined]
    return found


def _search(error: BaseException | None) -> BaseException | None:
    if isinstance(error, (CheckFailure, ConnectorCallError, Hung)):
        return error
    for member in getattr(error, "exceptions", ()):
        found = _search(member)
        if found is not None:
            return found
    if isinstance(error, _WRAPPED):
        return _search(error.__cause__)  # hypothesis' wrapper for a BaseException in a group
    if isinstance(error, hypothesis.errors.Flaky) and error.__context__ is not None:
        # A hung call stops an example mid-way; when hypothesis had run a longer example with
        # the same start before (shrinking, its final replay), it ends that example early and
        # raises FlakyStrategyDefinition ("stopped drawing earlier") while handling the hang.
        return _search(error.__context__)
    return None


def _call_failure(exc: ConnectorCallError) -> str:
    """Worded as the runner words a connector call error, so reports read the same."""
    detail = f"{exc.call} {exc.problem}"
    if exc.detail:
        detail += f"\n\nconnector traceback:\n{exc.detail}"
    return detail


# How hypothesis puts a BaseException into a FlakyFailure (private; absent, nothing is wrapped).
_WRAPPED = getattr(hypothesis.errors, "_WrappedBaseException", ())

_BLOB = re.compile(r"@reproduce_failure\('[^']+', b'([^']+)'\)")


def _program(exc: BaseException) -> tuple[list[str], str]:
    """Hypothesis' printed program and replay blob, from the notes it attaches to the error."""
    notes = getattr(exc, "__notes__", [])
    program = [n for n in notes if n.startswith("state") or " = state." in n]
    blob = next((m.group(1) for n in notes if (m := _BLOB.search(n))), "")
    return program, blob
