"""Sync under pressure: each fault the harness can stage, behind a check of its own.

Every scenario plays the platform with a `Replica` (see replica.py): it takes a token, lets the
world change (the connector's own writes and another client's: checks/world.py), stages one
fault, syncs until the token chain goes quiet and compares the replica with the true state. A
connector may answer a fault by raising (the platform keeps its old token and tries again
later) or by retrying; answering with a result, and a token, that skips changes is the failure.

Faults are staged at the request boundary by the backend's fault stage where they can be (any
API: conformance/http/faults.py), and by the mock's own knobs where only a server we own can
make them (its clock); what a backend cannot stage ends NOT EXERCISED with its reason.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from conformance.checks.api import Context, check
from conformance.checks.pagination import pagination_by_own_writes
from conformance.checks.replica import NoProgress, Replica
from conformance.checks.samples import change_for, sample_record
from conformance.checks.world import World
from conformance.errors import ConnectorCallError
from conformance.http.message import Request
from conformance.runtime import clock
from conformance.runtime.session import Session

SKEW_MS = 5 * 60_000  # minutes apart: more than any plausible "safety margin" hides
PAGE_SIZE = 3
LATE_RESPONSE_S = 0.03  # a response delivered after a write that landed while it was on its way
# readOnly fields a server stamps each write with: equal values are a tie at the token boundary
STAMP_FIELDS = ("lastModified", "last_modified", "updatedAt", "updated_at", "modified", "mtime")
SKEW_WHY = (
    "on a real API the harness skews the module's own clock, and this module never read it "
    "(its tokens come from the server), so no skew could reach it"
)


# --- staging ------------------------------------------------------------------------------


def _fresh(ctx: Context, setting: str) -> tuple[Session, Replica, World]:
    """A reset API (a mock forgets its records; a real one cannot), a note saying what this
    scenario stages, a new scope, its replica, and the world around it."""
    ctx.backend.reset()
    ctx.backend.faults.clear()
    ctx.note(setting)
    return ctx.session(), Replica(), World(ctx)


def small_pages(ctx: Context) -> None:
    """Pages of PAGE_SIZE on the mock; a real API pages as its backend set it (pages.py)."""
    if ctx.provides("mock"):
        ctx.mock.page_size = ctx.mock.max_page_size = PAGE_SIZE


def _drain_and_compare(
    ctx: Context,
    session: Session,
    replica: Replica,
    world: World,
    ids: list[str],
    what: str,
    *,
    redelivery_warns: bool = True,
) -> None:
    """Sync until quiet, then fail naming every id the other side would hold wrongly."""
    try:
        replica.drain(session)
    except NoProgress as exc:
        raise ctx.fail(f"{what}: {exc}") from None
    problems = replica.differences(
        ids, world.record, ctx.schema, deletes=ctx.capabilities.deletes_in_updates
    )
    if problems:
        raise ctx.fail(f"{what}:\n" + "\n".join(f"- {p}" for p in problems))
    if replica.redelivered and redelivery_warns:
        ctx.warn(f"{what}: {replica.redelivered} re-delivered entr(y/ies) (bounded, safe)")


def _raised(exc: ConnectorCallError) -> bool:
    """The connector raised (acceptable under a fault), rather than hung or returned garbage."""
    return not exc.timed_out and exc.problem.startswith("raised ")


def _listing(request: Request) -> bool:
    """Armed right before a getUpdates call, any request is its listing (the first page first):
    a GET for most APIs, a REPORT for CardDAV, a POST for query APIs."""
    return True


def held_problem(ctx: Context) -> None:
    """Fail the check (not the connector) when what ran while an answer was held broke."""
    problems = ctx.backend.faults.problems
    if problems:
        problem = problems[0]
        problems.clear()
        raise problem


# --- checks -------------------------------------------------------------------------------


@check(
    "faults.clock-skew",
    title="with the server clock minutes ahead of or behind the connector's, no change is lost",
    suffers="changes made while the clocks disagree never reach the other side: lost updates",
    needs={"schema"},
)
def clock_skew(ctx: Context) -> None:
    ctx.expect("clocks skewed", SKEW_WHY)
    for skew in (-SKEW_MS, SKEW_MS):  # behind first: where a local-clock token loses data
        side = "ahead of" if skew > 0 else "behind"
        with ExitStack() as stack:
            session, replica, world = _fresh(
                ctx, f"server clock {SKEW_MS // 60_000} min {side} the connector's"
            )
            source = None
            if ctx.provides("mock"):
                ctx.mock.clock.offset_ms = skew
                ctx.count("clocks skewed")
            else:  # the module's own clock moves instead (recorded, so replay moves it too)
                source = stack.enter_context(clock.skewed(-skew))
                read_before = source.own_reads
            try:
                _skewed_scenario(ctx, session, replica, world, side)
            finally:  # a finding counts too: the module did read its skewed clock
                if source is not None and source.own_reads > read_before:
                    ctx.count("clocks skewed")


def _skewed_scenario(
    ctx: Context, session: Session, replica: Replica, world: World, side: str
) -> None:
    replica.sync(session)
    mine = session.insert(sample_record(ctx.schema, 1))
    (theirs,) = world.create(1, start=2)
    _drain_and_compare(
        ctx, session, replica, world, [mine, theirs], f"server clock {side}, after two inserts"
    )
    session.patch(mine, change_for(ctx.schema, 3))
    world.patch(theirs, change_for(ctx.schema, 4))
    world.delete(mine)
    _drain_and_compare(
        ctx, session, replica, world, [mine, theirs], f"server clock {side}, after patch and delete"
    )


@check(
    "faults.same-millisecond",
    title="writes sharing one lastModified on both sides of the token boundary all arrive",
    suffers="records written in the same millisecond as the token are skipped: lost inserts",
    needs={"schema"},
)
def same_millisecond(ctx: Context) -> None:
    ctx.expect("same-ms ties", "no two writes shared a millisecond")
    if ctx.provides("mock"):
        _same_ms_frozen(ctx)
    else:
        _same_ms_right_after(ctx)


def _same_ms_frozen(ctx: Context) -> None:
    """The mock's clock frozen: every write shares one millisecond, the token's included."""
    session, replica, world = _fresh(
        ctx, "server clock frozen (a minute ahead): every write shares one millisecond"
    )
    api = ctx.mock
    # Frozen a minute ahead, not at "now": a clock frozen at now falls behind real time at once,
    # which would test clock skew (faults.clock-skew's job) instead of the shared millisecond.
    api.clock.freeze(at_ms=api.clock.now_ms() + 60_000)
    (before,) = world.create(1)
    replica.sync(session)  # the token boundary falls inside the frozen millisecond
    ctx.note("the token now marks the frozen millisecond; more writes land in that same ms")
    (after,) = world.create(1, start=1)
    mine = session.insert(sample_record(ctx.schema, 2))
    world.patch(before, change_for(ctx.schema, 3))
    ctx.count(
        "same-ms ties", sum(1 for r in api.records() if r["lastModified"] == _stamp(api, before))
    )
    _judge_ties(
        ctx, session, replica, world, [before, after, mine], lambda: api.clock.advance(1), FROZEN
    )


def _same_ms_right_after(ctx: Context) -> None:
    """Any API: another client writes the instant the server has answered the listing that
    sets the token, so its write lands as close to the token as the harness can put it; ties
    are counted from the server's own stamps (a readOnly field such as last_modified)."""
    session, replica, world = _fresh(
        ctx, "another client writes right after the server answers the listing of a sync"
    )
    (before,) = world.create(1)
    after: list[str] = []
    ctx.backend.faults.hold(lambda _req, _resp: after.extend(world.create(1, start=1)),
                            matches=_listing)  # fmt: skip
    replica.sync(session)
    ctx.backend.faults.clear()
    held_problem(ctx)
    ctx.note(f"(during the call above) another client creates {after} once the server answered")
    stamps = [_server_stamp(ctx, world.record(id)) for id in (before, *after)]
    ctx.count("same-ms ties", sum(1 for s in stamps[1:] if s is not None and s == stamps[0]))
    mine = session.insert(sample_record(ctx.schema, 2))
    world.patch(before, change_for(ctx.schema, 3))
    _judge_ties(ctx, session, replica, world, [before, *after, mine], None, RIGHT_AFTER)


FROZEN = (
    "writes in the token's own millisecond were lost (a strict `gt` filter, or a token taken "
    "from another clock, skips them)"
)
RIGHT_AFTER = (
    "a write landing right after the server answered the listing that set the token was lost "
    "(a token taken after the query, or a strict `gt` on a stamp the write shares, skips it)"
)


def _judge_ties(
    ctx: Context,
    session: Session,
    replica: Replica,
    world: World,
    ids: list[str],
    between: Any,
    lost: str,
) -> None:
    try:
        replica.drain(session, between=between)
    except NoProgress as exc:
        raise ctx.fail(f"with writes at the token's millisecond: {exc}") from None
    problems = replica.differences(ids, world.record, ctx.schema)
    if problems:
        raise ctx.fail(f"{lost}:\n" + "\n".join(f"- {p}" for p in problems))
    if replica.redelivered:
        ctx.warn(
            f"{replica.redelivered} entr(y/ies) at the token boundary were delivered again "
            "(a `ge` filter without remembering what was sent): safe, but the platform repeats "
            "work every sync"
        )


def _server_stamp(ctx: Context, record: dict[str, Any] | None) -> Any:
    """The server's modification stamp of `record`, where the schema says it has one."""
    if not record:
        return None
    for name in STAMP_FIELDS:
        if name in ctx.schema.read_only and record.get(name) is not None:
            return record[name]
    return None


@check(
    "faults.pagination",
    title="more changes than fit one page all arrive, at a small page size the harness sets",
    suffers="changes beyond the first page are never synced: lost inserts, updates and deletes",
    needs={"schema"},
)
def pagination(ctx: Context) -> None:
    if not ctx.provides("mock"):  # no other client, no knobs: the backend sets the page size
        pagination_by_own_writes(ctx)
        return
    api = ctx.mock
    ctx.expect("pages crossed", "the connector never asked for a second page")
    session, replica, world = _fresh(ctx, f"listing pages of {PAGE_SIZE}")
    small_pages(ctx)
    ids = world.create(PAGE_SIZE * 3 + 1)
    ctx.note(f"another client creates {len(ids)} records")
    _drain_and_compare(
        ctx, session, replica, world, ids, f"the first sync, over {len(ids)} records"
    )
    for i, id in enumerate(ids[: PAGE_SIZE * 2 + 1]):
        api.patch_as_other(id, change_for(ctx.schema, 100 + i))
    api.delete_as_other(ids[-1])
    api.delete_as_other(ids[-2])
    ctx.note(f"another client patches {PAGE_SIZE * 2 + 1} records and deletes 2")
    _drain_and_compare(ctx, session, replica, world, ids, "an incremental sync over several pages")


def _stamp(api: Any, id: str) -> Any:
    return (api.record(id) or {}).get("lastModified")
