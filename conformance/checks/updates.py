"""getUpdates: the shape of what it returns, and whether its token chain misses anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from conformance.checks.api import Context, check
from conformance.checks.diff import field_diff, same_json
from conformance.checks.replica import PAGES_WHY, confirm_quiet
from conformance.checks.strategies import patches, records
from conformance.connector.contract import Entry
from conformance.runtime.session import Session

QUIET_CALLS = 8  # getUpdates calls with no changes before a token "makes no progress"


@check(
    "updates.shape",
    title="getUpdates returns a JSON nextSync and well-formed entries of known types",
    suffers="the platform cannot read the changes at all: nothing syncs from this tool",
)
def shape(ctx: Context) -> None:
    session = ctx.session()
    first = session.get_updates(None)
    session.get_updates(first.next_sync)
    if ctx.spec.schema is None:
        return

    # Each example syncs on from the previous one's token: a full sync per example would re-read
    # the whole backlog of a live account (the harness's own tombstones pile up, run after run).
    chain = {"token": first.next_sync}

    def body(record: dict) -> None:
        token = session.get_updates(chain["token"]).next_sync
        session.insert(record)
        chain["token"] = session.get_updates(token).next_sync

    ctx.forall(records(ctx.schema), body)


@dataclass
class Chain:
    """The entries of a run of getUpdates calls that ended in an empty batch."""

    token: Any
    batches: list[tuple[Entry, ...]] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [e for batch in self.batches for e in batch]


def _drain(
    ctx: Context, session: Session, token: Any, batches: list | None = None, *, confirm: bool = True
) -> Chain:
    """Follow nextSync until a batch comes back empty, as a platform polling a quiet tool would,
    then (`confirm`) keep polling: a chain that went quiet must stay quiet."""
    chain = Chain(token=token, batches=[b.entries for b in batches or []])
    for _ in range(QUIET_CALLS):
        result = session.get_updates(chain.token)
        chain.token = result.next_sync
        if not result.entries:
            if confirm:
                _confirm_quiet(ctx, session, chain)
            return chain
        chain.batches.append(result.entries)
    raise ctx.fail(
        f"after {QUIET_CALLS} getUpdates calls with no changes in between, the token chain still "
        "returns entries: the token makes no progress, so the platform re-syncs the same records "
        "forever"
    )


def _confirm_quiet(ctx: Context, session: Session, chain: Chain) -> None:
    def sync():
        result = session.get_updates(chain.token)
        chain.token = result.next_sync
        return result

    problem = confirm_quiet(sync)
    if problem:
        raise ctx.fail(problem)


@check(
    "updates.progression",
    title="from a token, getUpdates reports every insert, patch and delete made since",
    suffers="a change made in the tool never reaches the other side: lost update or resurrection",
    needs={"schema"},
)
def progression(ctx: Context) -> None:
    schema = ctx.schema
    deletes = ctx.capabilities.deletes_in_updates
    if deletes:
        ctx.expect("deletions seen", "no getUpdates call reported a delete entry")
    if not ctx.provides("mock"):  # on the mock, faults.pagination sets the page size
        ctx.expect("pages crossed", PAGES_WHY)

    # The backlog is read once, here; each example then drains only what changed since the
    # previous one, so a live account's history (tombstones pile up) is not re-read per example.
    start = {"token": _drain(ctx, ctx.session(), None, confirm=False).token}

    def body(example: tuple[dict, dict, dict]) -> None:
        kept, gone, change = example
        session = ctx.session()
        token = start["token"] = _drain(ctx, session, start["token"], confirm=False).token
        kept_id = session.insert(kept)
        gone_id = session.insert(gone)
        session.patch(kept_id, change)
        session.delete(gone_id)
        current = session.get(kept_id)
        if current is None:
            raise ctx.fail(f"get({kept_id!r}) returned None after insert and patch")
        chain = _drain(ctx, session, token)
        problems = []
        last = _last_entries(chain.entries)
        kept_entry = last.get(kept_id)
        if kept_entry is None:
            problems.append(f"no entry for {kept_id} (inserted, then patched): a lost insert")
        elif kept_entry.is_delete:
            problems.append(f"{kept_id} was reported deleted, but it still exists")
        else:
            diff = field_diff(schema.comparable(current), kept_entry.value, schema.writable)
            if diff:
                problems.append(
                    f"the last entry for {kept_id} does not carry its current value "
                    "(expected = get after the patch):\n" + "\n".join(diff)
                )
        gone_entry = last.get(gone_id)
        if deletes and (gone_entry is None or not gone_entry.is_delete):
            seen = "no entry at all" if gone_entry is None else f"a {gone_entry.type} entry last"
            problems.append(
                f"{gone_id} was deleted but getUpdates reported {seen}: the other side keeps it "
                "(set capabilities.deletes_in_updates = false if the API cannot report deletions)"
            )
        if problems:
            raise ctx.fail("\n".join(problems))
        repeats = _redelivered(chain)
        ctx.count("re-deliveries", repeats)
        if repeats:
            ctx.warn(
                f"{repeats} entr{'y was' if repeats == 1 else 'ies were'} delivered again by a "
                "later getUpdates call with nothing changed in between (bounded re-delivery at "
                "the token boundary: safe, but the platform does the work twice)"
            )

    ctx.forall(st.tuples(records(schema), records(schema), patches(schema)), body)


def _last_entries(entries: list[Entry]) -> dict[str, Entry]:
    last: dict[str, Entry] = {}
    for entry in entries:
        last[entry.id] = entry
    return last


def _redelivered(chain: Chain) -> int:
    """Entries identical to one an earlier batch of the same chain already delivered."""
    seen: list[Entry] = []
    repeats = 0
    for batch in chain.batches:
        for entry in batch:
            if any(
                e.id == entry.id and e.type == entry.type and same_json(e.value, entry.value)
                for e in seen
            ):
                repeats += 1
        seen.extend(batch)
    return repeats
