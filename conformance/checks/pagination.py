"""faults.pagination where the harness has no mock: more changes than a page holds, all synced.

On the mock, faults.pagination sets the page size and lets another client write (faults.py). A
real API has no such knobs, but its backend can make listings small: when conformance.toml
names the connector's page-size parameter, the live, record and replay backends rewrite it
(conformance/backends/pages.py) and say to what (`page_size`). The connector's own inserts then
outnumber a page, and a sync from a token taken before them must deliver every one, across the
pages; so must the sync after patches and deletes. The source of truth is `get`, which on a real
API waits for the harness's own writes to become visible.

Without the setting the API pages as it likes (not at all, for a handful of records): the check
still syncs what it wrote, and its verdict says that no page was crossed.
"""

from __future__ import annotations

from conformance.checks.api import Context
from conformance.checks.replica import PAGES_WHY, NoProgress, Replica
from conformance.checks.samples import change_for, sample_record
from conformance.runtime.session import Session

UNSET_PAGE = 3  # records per "page" when the backend cannot set one: the mock variant's size


def pagination_by_own_writes(ctx: Context) -> None:
    """The connector's own writes outnumber a page; syncs across the pages must see them all."""
    ctx.expect("pages crossed", PAGES_WHY)
    size = ctx.backend.page_size() or UNSET_PAGE
    session, replica = ctx.session(), Replica()
    _drain(ctx, session, replica, "the first sync (the token the writes are judged from)")
    count = size * 3 + 1
    ctx.note(f"listing pages of {size}: {count} inserts follow, more than 3 pages")
    ids = [session.insert(sample_record(ctx.schema, i)) for i in range(count)]
    _drain_and_compare(ctx, session, replica, ids, f"a sync over {count} inserts")
    patched = ids[: size * 2 + 1]
    for i, id in enumerate(patched):
        session.patch(id, change_for(ctx.schema, 100 + i))
    for id in ids[-2:]:
        session.delete(id)
    _drain_and_compare(
        ctx,
        session,
        replica,
        ids,
        f"a sync over {len(patched)} patches and 2 deletes (several pages)",
    )


def _drain(ctx: Context, session: Session, replica: Replica, what: str) -> None:
    try:
        replica.drain(session)
    except NoProgress as exc:
        raise ctx.fail(f"{what}: {exc}") from None


def _drain_and_compare(
    ctx: Context, session: Session, replica: Replica, ids: list[str], what: str
) -> None:
    """Sync until quiet, then fail naming every id the other side would hold wrongly."""
    _drain(ctx, session, replica, what)
    problems = replica.differences(
        ids, session.get, ctx.schema, deletes=ctx.capabilities.deletes_in_updates
    )
    if problems:
        raise ctx.fail(f"{what}:\n" + "\n".join(f"- {p}" for p in problems))
    if replica.redelivered:
        ctx.warn(f"{what}: {replica.redelivered} re-delivered entr(y/ies) (bounded, safe)")
