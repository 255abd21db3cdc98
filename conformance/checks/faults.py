"""Sync under pressure: each fault the mock can stage, behind a check of its own.

Every scenario plays the platform with a `Replica` (see replica.py): it takes a token, lets the
world change (the connector's own writes and another client's), stages one fault, syncs until
the token chain goes quiet and compares the replica with the mock's true state. A connector may
answer a fault by raising (the platform keeps its old token and tries again later) or by
retrying; answering with a result, and a token, that skips changes is the failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.checks.api import Context, check
from conformance.checks.pagination import pagination_by_own_writes
from conformance.checks.replica import NoProgress, Replica
from conformance.checks.samples import change_for, sample_record
from conformance.connector.session import Session
from conformance.errors import ConnectorCallError

SKEW_MS = 5 * 60_000  # minutes apart: more than any plausible "safety margin" hides
PAGE_SIZE = 3
LATE_RESPONSE_S = 0.03  # a response delivered after a write that landed while it was on its way


# --- staging ------------------------------------------------------------------------------


def _fresh(ctx: Context, setting: str) -> tuple[Session, Replica]:
    """A reset mock, a note saying what this scenario stages, a new scope and its first sync."""
    ctx.mock.reset()
    ctx.note(setting)
    return ctx.session(), Replica()


def _drain_and_compare(
    ctx: Context, session: Session, replica: Replica, ids: list[str], what: str
) -> None:
    """Sync until quiet, then fail naming every id the other side would hold wrongly."""
    try:
        replica.drain(session)
    except NoProgress as exc:
        raise ctx.fail(f"{what}: {exc}") from None
    problems = replica.differences(
        ids, ctx.mock.record, ctx.schema, deletes=ctx.capabilities.deletes_in_updates
    )
    if problems:
        raise ctx.fail(f"{what}:\n" + "\n".join(f"- {p}" for p in problems))
    if replica.redelivered:
        ctx.warn(f"{what}: {replica.redelivered} re-delivered entr(y/ies) (bounded, safe)")


def _listing(request: Any) -> bool:
    return request.method == "GET" and request.path == "/cats"


def _once(ctx: Context, matches: Callable[[Any], bool], respond: Callable[[], Any], n: int = 1):
    """An interceptor answering the next `n` matching requests with `respond()`."""
    left = n

    def interceptor(request: Any) -> Any:
        nonlocal left
        if left and matches(request):
            left -= 1
            ctx.count("faults injected")
            return respond()
        return None

    ctx.mock.interceptors.append(interceptor)
    return interceptor


def _error(status: int, retry_after: str | None = None) -> Callable[[], Any]:
    from mock_api import error_response

    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return lambda: error_response(status, f"staged {status}", headers)


def _raised(exc: ConnectorCallError) -> bool:
    """The connector raised (acceptable under a fault), rather than hung or returned garbage."""
    return not exc.timed_out and exc.problem.startswith("raised ")


def _others(ctx: Context, n: int, start: int = 0) -> list[str]:
    return [ctx.mock.create_as_other(sample_record(ctx.schema, start + i))["id"] for i in range(n)]


# --- checks -------------------------------------------------------------------------------


@check(
    "faults.clock-skew",
    title="with the server clock minutes ahead of or behind the connector's, no change is lost",
    suffers="changes made while the clocks disagree never reach the other side: lost updates",
    needs={"schema", "mock"},
)
def clock_skew(ctx: Context) -> None:
    for skew in (-SKEW_MS, SKEW_MS):  # behind first: where a local-clock token loses data
        side = "ahead of" if skew > 0 else "behind"
        session, replica = _fresh(
            ctx, f"server clock {SKEW_MS // 60_000} min {side} the connector's"
        )
        ctx.mock.clock.offset_ms = skew
        replica.sync(session)
        mine = session.insert(sample_record(ctx.schema, 1))
        (theirs,) = _others(ctx, 1, start=2)
        _drain_and_compare(
            ctx, session, replica, [mine, theirs], f"server clock {side}, after two inserts"
        )
        session.patch(mine, change_for(ctx.schema, 3))
        ctx.mock.patch_as_other(theirs, change_for(ctx.schema, 4))
        ctx.mock.delete_as_other(mine)
        _drain_and_compare(
            ctx, session, replica, [mine, theirs], f"server clock {side}, after patch and delete"
        )


@check(
    "faults.concurrent-write",
    title="a write landing while getUpdates pages, or before its response arrives, is not lost",
    suffers="a write made during a sync is skipped by this sync and the next: a lost update",
    needs={"schema", "mock"},
)
def concurrent_write(ctx: Context) -> None:
    api = ctx.mock
    # Between pages: page 1 is read, then another client writes, then page 2 is read.
    session, replica = _fresh(ctx, f"listing pages of {PAGE_SIZE}")
    api.page_size = api.max_page_size = PAGE_SIZE
    replica.sync(session)
    ids = _others(ctx, PAGE_SIZE * 2)
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
        ctx, session, replica, ids + fired, "a write landed between pages of getUpdates"
    )

    # Between request and response: the server answered, then a write landed, then the
    # (slightly late) response reached the connector.
    session, replica = _fresh(ctx, "a write lands between a getUpdates request and its response")
    replica.sync(session)
    (first,) = _others(ctx, 1)
    landed: list[str] = []

    def before_response(request: Any, response: Any) -> None:
        if landed or not _listing(request):
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
        ctx, session, replica, [first, *landed], "a write landed before the response"
    )


@check(
    "faults.same-millisecond",
    title="writes sharing one lastModified on both sides of the token boundary all arrive",
    suffers="records written in the same millisecond as the token are skipped: lost inserts",
    needs={"schema", "mock"},
)
def same_millisecond(ctx: Context) -> None:
    api = ctx.mock
    session, replica = _fresh(
        ctx, "server clock frozen (a minute ahead): every write shares one millisecond"
    )
    # Frozen a minute ahead, not at "now": a clock frozen at now falls behind real time at once,
    # which would test clock skew (faults.clock-skew's job) instead of the shared millisecond.
    api.clock.freeze(at_ms=api.clock.now_ms() + 60_000)
    (before,) = _others(ctx, 1)
    replica.sync(session)  # the token boundary falls inside the frozen millisecond
    ctx.note("the token now marks the frozen millisecond; more writes land in that same ms")
    (after,) = _others(ctx, 1, start=1)
    mine = session.insert(sample_record(ctx.schema, 2))
    api.patch_as_other(before, change_for(ctx.schema, 3))
    ids = [before, after, mine]
    ctx.count(
        "same-ms ties", sum(1 for r in api.records() if r["lastModified"] == _stamp(api, before))
    )
    ctx.expect("same-ms ties", "no two writes shared a millisecond")
    try:
        replica.drain(session, between=lambda: api.clock.advance(1))
    except NoProgress as exc:
        raise ctx.fail(f"with a frozen clock moving 1 ms between syncs: {exc}") from None
    problems = replica.differences(ids, api.record, ctx.schema)
    if problems:
        raise ctx.fail(
            "writes in the token's own millisecond were lost (a strict `gt` filter, or a token "
            "taken from another clock, skips them):\n" + "\n".join(f"- {p}" for p in problems)
        )
    if replica.redelivered:
        ctx.warn(
            f"{replica.redelivered} entr(y/ies) at the token boundary were delivered again "
            "(a `ge` filter without remembering what was sent): safe, but the platform repeats "
            "work every sync"
        )


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
    session, replica = _fresh(ctx, f"listing pages of {PAGE_SIZE}")
    api.page_size = api.max_page_size = PAGE_SIZE
    ids = _others(ctx, PAGE_SIZE * 3 + 1)
    ctx.note(f"another client creates {len(ids)} records")
    _drain_and_compare(ctx, session, replica, ids, f"the first sync, over {len(ids)} records")
    for i, id in enumerate(ids[: PAGE_SIZE * 2 + 1]):
        api.patch_as_other(id, change_for(ctx.schema, 100 + i))
    api.delete_as_other(ids[-1])
    api.delete_as_other(ids[-2])
    ctx.note(f"another client patches {PAGE_SIZE * 2 + 1} records and deletes 2")
    _drain_and_compare(ctx, session, replica, ids, "an incremental sync over several pages")


@check(
    "faults.transient",
    title="under 429, 500/503 and slow responses a call retries or raises, never skips changes",
    suffers="a swallowed error returns an empty batch with a new token: those changes are lost",
    needs={"schema", "mock"},
)
def transient(ctx: Context) -> None:
    api = ctx.mock
    ctx.expect("faults injected", "no request met a staged fault")
    slow_s = min(0.2, ctx.timeout / 4)
    listing_faults: list[tuple[str, Callable[[], None]]] = [
        ("429 Too Many Requests (Retry-After: 0) on the listing",
         lambda: _once(ctx, _listing, _error(429, "0"))),
        ("500 on the second page of the listing", lambda: _once(
            ctx, lambda r: _listing(r) and "after" in r.query, _error(500))),
        ("503 (Retry-After: 0) on every listing request during one getUpdates call",
         lambda: _once(ctx, _listing, _error(503, "0"), n=10_000)),
        (f"a listing response {slow_s:g} s late", lambda: api.delays.append(
            lambda req, resp: slow_s if _listing(req) else None)),
    ]  # fmt: skip
    for what, stage in listing_faults:
        session, replica = _fresh(ctx, f"fault: {what}")
        api.page_size = api.max_page_size = PAGE_SIZE
        replica.sync(session)
        ids = _others(ctx, PAGE_SIZE + 2)
        stage()
        try:
            replica.sync(session)
        except ConnectorCallError as exc:
            if not _raised(exc):
                raise
            ctx.note("the platform keeps its old token and syncs again once the fault clears")
        api.interceptors.clear()
        api.delays.clear()
        _drain_and_compare(ctx, session, replica, ids, f"getUpdates under {what}")

    _writes_under_faults(ctx)


def _writes_under_faults(ctx: Context) -> None:
    """A write that returns under a fault must have happened; get must not turn into None."""
    api = ctx.mock
    session, _ = _fresh(ctx, "faults on single-record calls")
    schema = ctx.schema

    def path_is(method: str, prefix: str) -> Callable[[Any], bool]:
        return lambda r: r.method == method and r.path.startswith(prefix)

    (existing,) = _others(ctx, 1)
    _once(ctx, path_is("GET", "/cats/"), _error(503, "0"))
    ctx.note("fault: 503 on the next GET of a record")
    try:
        got = session.get(existing)
        if got is None:
            raise ctx.fail(
                f"get({existing!r}) returned None under a 503: the platform concludes the record "
                "was deleted and deletes it on the other side"
            )
    except ConnectorCallError as exc:
        if not _raised(exc):
            raise
    api.interceptors.clear()

    record = sample_record(schema, 7)
    _once(ctx, path_is("POST", "/cats"), _error(503, "0"))
    ctx.note("fault: 503 on the next POST")
    try:
        new_id = session.insert(record)
        if api.record(new_id) is None:
            raise ctx.fail(
                f"insert returned id {new_id!r} under a 503, but nothing was written: the "
                "platform links a record that does not exist"
            )
    except ConnectorCallError as exc:
        if not _raised(exc):
            raise
    api.interceptors.clear()

    change = change_for(schema, 8)
    _once(ctx, path_is("PATCH", "/cats/"), _error(500))
    ctx.note("fault: 500 on the next PATCH")
    try:
        session.patch(existing, change)
        stored = api.record(existing) or {}
        if any(stored.get(k) != v for k, v in change.items()):
            raise ctx.fail(
                f"patch({existing!r}, ...) returned under a 500 but the change was not written: "
                "the platform believes both sides agree, and the edit is lost"
            )
    except ConnectorCallError as exc:
        if not _raised(exc):
            raise
    api.interceptors.clear()

    _once(ctx, path_is("DELETE", "/cats/"), _error(429, "0"))
    ctx.note("fault: 429 (Retry-After: 0) on the next DELETE")
    try:
        session.delete(existing)
        if api.record(existing) is not None:
            raise ctx.fail(
                f"delete({existing!r}) returned under a 429 but the record still exists: the "
                "other side deleted it, this side keeps it"
            )
    except ConnectorCallError as exc:
        if not _raised(exc):
            raise


def _stamp(api: Any, id: str) -> Any:
    return (api.record(id) or {}).get("lastModified")
