"""Single-record operations: what insert writes, patch changes and delete removes."""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.api import Context, check
from conformance.checks.diff import field_diff
from conformance.checks.samples import change_for, sample_record, sample_value
from conformance.checks.strategies import patches, records


@check(
    "crud.round-trip",
    title="every field written by insert reads back equal through get",
    suffers="records inserted by the platform arrive altered or incomplete: silent data loss",
    needs={"schema"},
)
def round_trip(ctx: Context) -> None:
    session = ctx.session()

    def body(record: dict) -> None:
        new_id = session.insert(record)
        stored = session.get(new_id)
        if stored is None:
            raise ctx.fail(f"get({new_id!r}) returned None right after insert returned that id")
        diff = field_diff(record, stored, ctx.schema.writable)
        if diff:
            raise ctx.fail("fields written by insert read back differently:\n" + "\n".join(diff))

    ctx.forall(records(ctx.schema), body, first=[sample_record(ctx.schema, 1)])


@check(
    "crud.patch-partial",
    title="patch changes exactly the fields it is given",
    suffers="a patch overwrites or clears fields it was not given: the other side's edits are lost",
    needs={"schema"},
)
def patch_partial(ctx: Context) -> None:
    session = ctx.session()

    def body(example: tuple[dict, dict]) -> None:
        record, change = example
        new_id = session.insert(record)
        before = session.get(new_id)
        if before is None:
            raise ctx.fail(f"get({new_id!r}) returned None right after insert")
        session.patch(new_id, change)
        after = session.get(new_id)
        if after is None:
            raise ctx.fail(f"get({new_id!r}) returned None after patch: the record is gone")
        changed = field_diff(change, after, change)
        untouched = [n for n in ctx.schema.writable if n not in change]
        kept = field_diff(ctx.schema.comparable(before), after, untouched)
        problems = []
        if changed:
            problems.append("patched fields did not take the new values:\n" + "\n".join(changed))
        if kept:
            problems.append(
                "fields the patch did not name were changed (expected = before the patch):\n"
                + "\n".join(kept)
            )
        if problems:
            raise ctx.fail("\n".join(problems))

    ctx.forall(st.tuples(records(ctx.schema, all_fields=True), patches(ctx.schema)), body)


@check(
    "crud.delete",
    title="after delete, get returns None; get of an unknown id returns None",
    suffers="deleted records come back (resurrected) or a missing one crashes the sync",
    needs={"schema"},
)
def delete(ctx: Context) -> None:
    session = ctx.session()
    unknown = ctx.fresh_id()
    if (found := session.get(unknown)) is not None:
        raise ctx.fail(f"get of an id that never existed returned {found!r}, not None")

    def body(record: dict) -> None:
        new_id = session.insert(record)
        if session.get(new_id) is None:
            raise ctx.fail(f"get({new_id!r}) returned None right after insert")
        session.delete(new_id)
        left = session.get(new_id)
        if left is not None:
            raise ctx.fail(f"get({new_id!r}) after delete returned a record, not None: {left!r}")

    ctx.forall(records(ctx.schema), body)


@check(
    "crud.acknowledged",
    title="a write that returned takes effect, also after earlier writes to the same record",
    suffers="a write the connector reported done never happened: the platform believes a record "
    "is deleted or changed on this side, and it is not",
    needs={"schema"},
)
def acknowledged(ctx: Context) -> None:
    """The common sequences whose later writes depend on the earlier ones (a revision, an ETag,
    a cached copy): insert -> patch -> patch -> get and insert -> patch -> delete -> get.
    Deterministic records, so the failure shows on every run, not only when a random program
    of sync.stateful happens to reach it."""
    schema = ctx.schema
    session = ctx.session()
    problems = []
    twice = session.insert(sample_record(schema, 1))
    first, second = change_for(schema, 2), _other_change(schema, 3)
    session.patch(twice, first)
    session.patch(twice, second)
    after = session.get(twice)
    if after is None:
        problems.append(f"after insert, patch and patch, get({twice!r}) returned None")
    else:
        expected = {**first, **second}
        diff = field_diff(expected, after, expected)
        if diff:
            problems.append(
                f"the second patch of {twice} returned, but get does not show what the two "
                "patches wrote (expected = the patches, the later one winning):\n" + "\n".join(diff)
            )
    gone = session.insert(sample_record(schema, 4))
    session.patch(gone, change_for(schema, 5))
    session.delete(gone)
    if (left := session.get(gone)) is not None:
        problems.append(
            f"after insert, patch and delete, get({gone!r}) still returns the record (delete "
            f"returned as if it worked): {left!r}"
        )
    if problems:
        raise ctx.fail("\n".join(problems))


def _other_change(schema, i: int) -> dict:
    """A patch of the second and the last writable field (the first patch changes the first
    two): one field both patches write, the later value winning, and one only this one does."""
    names = dict.fromkeys(schema.writable[1:2] + schema.writable[-1:])
    return {name: sample_value(schema.properties[name], i) for name in names}
