"""faults.concurrent-write: another client writes while getUpdates is under way.

On the mock the other client writes through the mock's knobs between two pages and between the
server's answer and its (late) arrival. On any other API the harness holds a listing answer at
the request boundary (conformance/http/faults.py), writes through a second execution scope of
the connector (checks/world.py: its writes are marked and cleaned up like every live write),
then releases the answer; replay holds at the same request and makes the same writes, in
recorded order. Whether the write fell between pages depends on the API paging: the coverage
line says so ("pages crossed"), and says NOT EXERCISED when no page boundary existed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.checks.api import Context, check
from conformance.checks.faults import (
    LATE_RESPONSE_S,
    PAGE_SIZE,
    _drain_and_compare,
    _fresh,
    _listing,
    held_problem,
    small_pages,
)
from conformance.checks.samples import change_for, sample_record
from conformance.checks.world import World

WRITES_WHY = "no listing answer was held while another client wrote"


@check(
    "faults.concurrent-write",
    title="a write landing while getUpdates pages, or before its response arrives, is not lost",
    suffers="a write made during a sync is skipped by this sync and the next: a lost update",
    needs={"schema"},
)
def concurrent_write(ctx: Context) -> None:
    if ctx.provides("mock"):
        _on_the_mock(ctx)
    else:
        _held_answers(ctx)


def _held_answers(ctx: Context) -> None:
    """Hold a listing answer of a sync, write through a second scope, release it: first the
    first answer of a sync over several records (between pages, where the API pages), then the
    one answer of a sync of a quiet chain (between the server's answer and its arrival)."""
    faults = ctx.backend.faults
    ctx.expect("writes while an answer was held", WRITES_WHY)
    for quiet, where in ((False, "the first listing answer"), (True, "the only listing answer")):
        session, replica, world = _fresh(ctx, f"{where} of a sync is held while another writes")
        replica.sync(session)
        ids = world.create(PAGE_SIZE * 2)
        if quiet:
            _drain_and_compare(ctx, session, replica, world, ids, "the sync before the hold")
        fired: list[str] = []
        faults.hold(_writer(ctx, world, ids, fired, 50 + quiet), matches=_listing)
        replica.sync(session)
        faults.clear()
        held_problem(ctx)
        if fired:
            ctx.note(
                f"(during the call above) another client creates {fired[0]}, patches {ids[0]} "
                f"and deletes {ids[1]} while {where} was held"
            )
        # A write made during a sync is delivered by that sync's later pages and again from a
        # token taken before the query (the seed's pattern, which is what keeps it safe): that
        # re-delivery is the price of correctness here, not a finding.
        _drain_and_compare(
            ctx,
            session,
            replica,
            world,
            ids + fired,
            f"a write landed while {where} was held",
            redelivery_warns=False,
        )


def _writer(
    ctx: Context, world: World, ids: list[str], fired: list[str], n: int
) -> Callable[[Any, Any], None]:
    """What another client does while the answer is held: create, patch one, delete one."""

    def write(_request: Any, _response: Any) -> None:
        fired.extend(world.create(1, start=n))
        world.patch(ids[0], change_for(ctx.schema, n + 1))
        world.delete(ids[1])
        ctx.count("writes while an answer was held")

    return write


def _on_the_mock(ctx: Context) -> None:
    api = ctx.mock
    # Between pages: page 1 is read, then another client writes, then page 2 is read.
    session, replica, world = _fresh(ctx, f"listing pages of {PAGE_SIZE}")
    small_pages(ctx)
    replica.sync(session)
    ids = world.create(PAGE_SIZE * 2)
    fired: list[str] = []

    def between(request: Any, response: Any) -> None:
        if fired:
            return
        api.clock.advance(1)  # strictly after everything listed so far: no same-ms overlap
        listed = [record["id"] for record in response.json()]  # page 1, already on its way
        fired.append(api.create_as_other(sample_record(ctx.schema, 50))["id"])
        api.patch_as_other(listed[0], change_for(ctx.schema, 51))
        api.delete_as_other(listed[1])
        ctx.note(
            f"(during the call above) another client creates {fired[0]}, patches {listed[0]} "
            f"and deletes {listed[1]} (both on page 1) before page 2 is read"
        )

    api.between_pages(between)
    replica.sync(session)
    if not fired:
        raise ctx.fail(
            f"getUpdates never asked for a second page although {len(ids)} records changed "
            f"with pages of {PAGE_SIZE} (see faults.pagination)"
        )
    _drain_and_compare(
        ctx, session, replica, world, ids + fired, "a write landed between pages of getUpdates"
    )

    # Between request and response: the server answered, then a write landed, then the
    # (slightly late) response reached the connector.
    session, replica, world = _fresh(
        ctx, "a write lands between a getUpdates request and its response"
    )
    replica.sync(session)
    (first,) = world.create(1)
    landed: list[str] = []

    def before_response(request: Any, response: Any) -> None:
        if landed or not (request.method == "GET" and request.path == "/cats"):
            return
        api.clock.advance(1)
        landed.append(api.create_as_other(sample_record(ctx.schema, 60))["id"])
        api.patch_as_other(first, change_for(ctx.schema, 61))
        api.delays.append(lambda req, resp: LATE_RESPONSE_S if req is request else None)
        ctx.note(
            f"(during the call above) another client creates {landed[0]} and patches {first} "
            f"after the server answered; the answer arrives {LATE_RESPONSE_S * 1000:g} ms later"
        )

    api.after_handle.append(before_response)
    replica.sync(session)
    _drain_and_compare(
        ctx, session, replica, world, [first, *landed], "a write landed before the response"
    )
