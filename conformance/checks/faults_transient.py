"""faults.transient: 429, 500/503, resets and slow answers, staged at the request boundary.

The harness answers chosen requests itself (conformance/http/faults.py), on the mock and on any
real API alike, without sending them; replay stages them again at the same requests. A listing
fault is armed right before a getUpdates call, so "the next GET" is that call's listing (its
first page; the second GET is its second page, where the API pages). A single-record fault is
armed right before that call and matches its method. The truth is the mock's store, or what a
second execution scope reads back on a real API (checks/world.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.checks.api import Context, check
from conformance.checks.faults import (
    PAGE_SIZE,
    _drain_and_compare,
    _fresh,
    _listing,
    _raised,
    small_pages,
)
from conformance.checks.samples import change_for, sample_record
from conformance.errors import ConnectorCallError
from conformance.http.message import Request


def _method(*methods: str) -> Callable[[Request], bool]:
    return lambda r: r.method in methods


@check(
    "faults.transient",
    title="under 429, 500/503, resets and slow responses a call retries or raises, never "
    "skips changes",
    suffers="a swallowed error returns an empty batch with a new token: those changes are lost",
    needs={"schema"},
)
def transient(ctx: Context) -> None:
    faults = ctx.backend.faults
    ctx.expect("faults injected", "no request met a staged fault")
    slow_s = min(0.2, ctx.timeout / 4)
    get = _listing
    listing_faults: list[tuple[str, Callable[[], None]]] = [
        ("429 Too Many Requests (Retry-After: 0) on the listing",
         lambda: faults.answer(429, retry_after="0", matches=get)),
        ("500 on the second page of the listing",
         lambda: faults.answer(500, matches=get, skip=1)),
        ("503 (Retry-After: 0) on every listing request during one getUpdates call",
         lambda: faults.answer(503, retry_after="0", matches=get, times=None)),
        ("a connection reset on the listing", lambda: faults.reset(matches=get)),
        (f"a listing response {slow_s:g} s late", lambda: faults.delay(slow_s, matches=get)),
    ]  # fmt: skip
    before = faults.injected
    for what, stage in listing_faults:
        session, replica, world = _fresh(ctx, f"fault: {what}")
        small_pages(ctx)
        replica.sync(session)
        ids = world.create(PAGE_SIZE + 2)
        stage()
        try:
            replica.sync(session)
        except ConnectorCallError as exc:
            if not _raised(exc):
                raise
            ctx.note("the platform keeps its old token and syncs again once the fault clears")
        finally:
            faults.clear()
        _drain_and_compare(ctx, session, replica, world, ids, f"getUpdates under {what}")
    _writes_under_faults(ctx)
    ctx.count("faults injected", faults.injected - before)


def _writes_under_faults(ctx: Context) -> None:
    """A write that returns under a fault must have happened; get must not turn into None."""
    faults = ctx.backend.faults
    session, _, world = _fresh(ctx, "faults on single-record calls")
    schema = ctx.schema
    (existing,) = world.create(1)

    def under(what: str, arm: Callable[[], None], call: Callable[[], Any]) -> bool:
        """Run `call` under the fault `arm` stages; False when the connector raised."""
        arm()
        ctx.note(f"fault: {what}")
        try:
            call()
        except ConnectorCallError as exc:
            if not _raised(exc):
                raise
            return False
        finally:
            faults.clear()
        return True

    got: list[Any] = []
    if (
        under(
            "503 on the next GET of a record",
            lambda: faults.answer(503, retry_after="0", matches=_method("GET")),
            lambda: got.append(session.get(existing)),
        )
        and got[0] is None
    ):
        raise ctx.fail(
            f"get({existing!r}) returned None under a 503: the platform concludes the record "
            "was deleted and deletes it on the other side"
        )

    new: list[str] = []
    if under(
        "503 on the next POST",
        lambda: faults.answer(503, retry_after="0", matches=_method("POST")),
        lambda: new.append(session.insert(sample_record(schema, 7))),
    ) and (world.record(new[0]) is None):
        raise ctx.fail(
            f"insert returned id {new[0]!r} under a 503, but nothing was written: the "
            "platform links a record that does not exist"
        )

    change = change_for(schema, 8)
    if under(
        "500 on the next PATCH",
        lambda: faults.answer(500, matches=_method("PATCH", "PUT")),
        lambda: session.patch(existing, change),
    ):
        stored = world.record(existing) or {}
        if any(stored.get(k) != v for k, v in change.items()):
            raise ctx.fail(
                f"patch({existing!r}, ...) returned under a 500 but the change was not written: "
                "the platform believes both sides agree, and the edit is lost"
            )

    if under(
        "429 (Retry-After: 0) on the next DELETE",
        lambda: faults.answer(429, retry_after="0", matches=_method("DELETE")),
        lambda: session.delete(existing),
    ) and (world.record(existing) is not None):
        raise ctx.fail(
            f"delete({existing!r}) returned under a 429 but the record still exists: the "
            "other side deleted it, this side keeps it"
        )
