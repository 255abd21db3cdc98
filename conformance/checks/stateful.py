"""Model-based sync test: random interleavings of writes and syncs, judged by a replica.

The platform knows a tool only through getUpdates: it keeps a replica built from the entries,
passing each nextSync (after a JSON round trip) to the next call. A hypothesis state machine
plays the platform (insert, patch, delete, getUpdates through the connector) and, in mock
mode, the world around it (another client's writes, writes landing while getUpdates pages or
before its response arrives, a skewed or frozen server clock, small pages). After a final sync
the replica must equal the source: `get` of every id the example created. A failure is shrunk
by hypothesis to a minimal program, printed as the connector calls it made.

Hypothesis has no async state machines; each example owns one `Session` (one event loop = one
execution scope, as the platform runs a sync) and every rule is plain sync code calling it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import __version__ as hypothesis_version
from hypothesis import strategies as st
from hypothesis.errors import DidNotReproduce, FlakyFailure, InvalidArgument
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from conformance.checks.api import CheckFailure, Context, check
from conformance.checks.replica import (
    NO_PROGRESS,
    QUIET_CALLS,
    REDELIVERY,
    Replica,
    confirm_quiet,
)
from conformance.checks.strategies import patches, records
from conformance.connector.contract import Updates
from conformance.errors import ConnectorCallError, InputError

SKEWS_MS = (0, 5 * 60_000, -5 * 60_000)  # server clock minutes ahead of / behind the connector's
PAGE_SIZES = (2, 3, 50)
LATE_RESPONSE_S = 0.005  # a write landing "before the response" also meets a little latency


@check(
    "sync.stateful",
    title="after random writes and syncs, the replica built from getUpdates equals the source",
    suffers="somewhere between writes and syncs a change is lost, left stale or resurrected",
    needs={"schema", "unrecorded"},
)
def stateful(ctx: Context) -> None:
    machine = build_machine(ctx)
    if ctx.replay:
        machine._hypothesis_internal_use_reproduce_failure = (hypothesis_version, ctx.replay)  # type: ignore[attr-defined]
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
    except _Hung as hung:
        raise ctx.fail(_call_failure(hung.error)) from None
    except DidNotReproduce:
        return  # the replayed example no longer fails: the fix works
    except InvalidArgument as exc:
        if ctx.replay:
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
        if isinstance(exc, (CheckFailure, ConnectorCallError, _Hung)):
            return exc
    return group


def build_machine(ctx: Context) -> type[RuleBasedStateMachine]:
    """A state machine class bound to this check run's context (hypothesis wants a class)."""
    schema = ctx.schema
    deletes = ctx.capabilities.deletes_in_updates

    class PlatformSync(RuleBasedStateMachine):
        """The platform's side: writes through the connector and syncs into a replica."""

        cats = Bundle("records")

        def __init__(self) -> None:
            super().__init__()
            ctx.calls.clear()
            ctx.backend.reset()
            self.session = ctx.session()
            self.replica = Replica()
            self.created: list[str] = []
            self.frozen = False
            self.landed = 0  # writes by another client that landed during a getUpdates call
            self.completed = True  # False while a rule runs; teardown checks only after success

        # -- the platform's calls --------------------------------------------------------

        @initialize(target=cats, record=records(schema))
        def start(self, record: dict[str, Any]) -> str:
            """Connect as the platform does (a first sync takes the token), then write once:
            later syncs are incremental, where connectors lose data, and patch and delete
            have a record to work on from the first step."""
            return self._start(record)

        def _start(self, record: dict[str, Any]) -> str:
            self.completed = False
            self._sync()
            new_id = _call(ctx, self.session.insert, record)
            self.created.append(new_id)
            self.completed = True
            return new_id

        @rule(target=cats, record=records(schema))
        def insert(self, record: dict[str, Any]) -> str:
            self.completed = False
            new_id = _call(ctx, self.session.insert, record)
            self.created.append(new_id)
            self.completed = True
            return new_id

        @rule(id=cats, change=patches(schema))
        def patch(self, id: str, change: dict[str, Any]) -> None:
            self.completed = False
            _call(ctx, self.session.patch, id, change)
            self.completed = True

        @rule(id=consumes(cats))
        def delete(self, id: str) -> None:
            self.completed = False
            _call(ctx, self.session.delete, id)
            self.completed = True

        @rule()
        def sync(self) -> None:
            self.completed = False
            self._sync()
            self.completed = True

        def _sync(self) -> Updates:
            updates = _call(ctx, self.session.get_updates, self.replica.token)
            self.replica.apply(updates)
            return updates

        # -- the final sync and the invariant --------------------------------------------

        def teardown(self) -> None:
            try:
                if self.completed:
                    self._final_sync()
                    problems = self.replica.differences(
                        self.created,
                        lambda id: _call(ctx, self.session.get, id),
                        schema,
                        deletes=deletes,
                    )
                    if problems:
                        raise ctx.fail(
                            "after the final sync the replica built from getUpdates differs "
                            "from the source (get of each id):\n"
                            + "\n".join(f"- {p}" for p in problems)
                        )
                    if self.replica.redelivered:
                        ctx.warn(REDELIVERY)
            finally:
                self.session.close()

        def _final_sync(self) -> None:
            ctx.note("final sync: getUpdates until a batch comes back empty")
            for _ in range(QUIET_CALLS):
                self._between_syncs()
                landed = self.landed
                if not self._sync().entries and self.landed == landed:
                    break  # quiet, and nothing landed during the call: the chain is drained
            else:
                raise ctx.fail(NO_PROGRESS)
            self._world_stops()
            ctx.note("the chain went quiet: it must stay quiet while nothing changes")

            def sync() -> Updates:
                self._between_syncs()
                return self._sync()

            problem = confirm_quiet(sync)
            if problem:
                raise ctx.fail(problem)

        def _world_stops(self) -> None:
            """No write may land any more (writes armed for a getUpdates call are dropped)."""

        def _between_syncs(self) -> None:
            """Where the world moves on between two syncs (nothing, without the mock)."""

    if not ctx.provides("mock"):
        return PlatformSync  # a real API: the platform's calls only, no world to arrange
    api = ctx.mock

    class PlatformSyncWithFaults(PlatformSync):
        """The world around the platform, where the mock lets us arrange it."""

        @initialize(
            target=PlatformSync.cats,
            record=records(schema),
            skew=st.sampled_from(SKEWS_MS),
            frozen=st.booleans(),
            page=st.sampled_from(PAGE_SIZES),
        )
        def start(self, record: dict[str, Any], skew: int, frozen: bool, page: int) -> str:
            """Set the server up (clock skew, a frozen clock, page size), then connect."""
            api.clock.offset_ms = skew
            if frozen:
                api.clock.freeze()
            self.frozen = frozen
            api.page_size = api.max_page_size = page
            ahead = f"{abs(skew) // 60_000} min {'ahead of' if skew > 0 else 'behind'}"
            ctx.note(
                f"server: clock {ahead if skew else 'in step with'} the connector's"
                f"{', frozen' if frozen else ''}; listing pages of {page}"
            )
            return self._start(record)

        def _between_syncs(self) -> None:
            if self.frozen:
                api.clock.advance(1)  # time passes between syncs, even on a frozen server

        @precondition(lambda self: self.frozen)
        @rule()
        def tick(self) -> None:
            api.clock.advance(1)
            ctx.note("the server clock moves on 1 ms")

        @rule(target=PlatformSync.cats, record=records(schema))
        def other_insert(self, record: dict[str, Any]) -> str:
            new_id = api.create_as_other(record)["id"]
            self.created.append(new_id)
            ctx.note(f"another client creates {new_id}: {_json(record)}")
            return new_id

        @rule(id=PlatformSync.cats, change=patches(schema))
        def other_patch(self, id: str, change: dict[str, Any]) -> None:
            if api.record(id) is None:
                return  # the connector's delete or insert did not do what it said
            api.patch_as_other(id, change)
            ctx.note(f"another client patches {id}: {_json(change)}")

        @rule(id=consumes(PlatformSync.cats))
        def other_delete(self, id: str) -> None:
            if api.record(id) is None:
                return
            api.delete_as_other(id)
            ctx.note(f"another client deletes {id}")

        @rule(
            record=records(schema),
            when=st.sampled_from(("between pages", "before the response")),
        )
        def insert_during_next_sync(self, record: dict[str, Any], when: str) -> None:
            """Arm a write by another client that lands inside the next listing."""

            def write() -> None:
                new_id = api.create_as_other(record)["id"]
                self.created.append(new_id)
                self.landed += 1
                ctx.note(f"(during the call above) another client creates {new_id} {when}")

            self._arm(write, when)
            ctx.note(f"another client will create a record {when} of the next getUpdates")

        @rule(
            id=PlatformSync.cats,
            change=patches(schema),
            when=st.sampled_from(("between pages", "before the response")),
        )
        def patch_during_next_sync(self, id: str, change: dict[str, Any], when: str) -> None:
            def write() -> None:
                if api.record(id) is not None:
                    api.patch_as_other(id, change)
                    self.landed += 1
                    ctx.note(f"(during the call above) another client patches {id} {when}")

            self._arm(write, when)
            ctx.note(f"another client will patch {id} {when} of the next getUpdates")

        def _arm(self, write: Any, when: str) -> None:
            fired = False

            def hook(request: Any, response: Any) -> None:
                nonlocal fired
                if fired or request.method != "GET" or request.path != "/cats":
                    return
                if when == "between pages" and 'rel="next"' not in response.headers.get("Link", ""):
                    return
                fired = True
                write()
                if when == "before the response":
                    api.delays.append(lambda req, resp: LATE_RESPONSE_S if req is request else None)

            api.after_handle.append(hook)

        def _world_stops(self) -> None:
            api.after_handle.clear()

    return PlatformSyncWithFaults


class _Hung(BaseException):
    """A call that hit the per-call timeout: stop at once (each shrink would cost a timeout)."""

    def __init__(self, error: ConnectorCallError) -> None:
        super().__init__(str(error))
        self.error = error


def _call(ctx: Context, method: Any, *args: Any) -> Any:
    try:
        return method(*args)
    except ConnectorCallError as exc:
        exc.script = ctx.script()  # type: ignore[attr-defined]  # this run's calls, kept
        if exc.timed_out:
            raise _Hung(exc) from None
        raise


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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
