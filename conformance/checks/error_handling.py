"""Calls the API refuses: a write to a missing record, a record the API rejects.

The contract: `patch` of a missing (never created, or deleted) id raises, and never recreates
the record; `delete` of a missing id raises or does nothing (the record is gone either way);
`insert` of a record the API rejects raises. Returning as if the write happened, with nothing
written, is the failure: the platform would link or update a record that does not exist.
"""

from __future__ import annotations

from conformance.checks.api import Context, check
from conformance.checks.faults import _raised
from conformance.checks.samples import change_for, invalid_records, sample_record
from conformance.errors import ConnectorCallError


@check(
    "errors.missing-id",
    title="patch of a missing or deleted id raises (and recreates nothing); delete of one is safe",
    suffers="an edit to a record that is gone reports success: the edit is lost, or the record "
    "comes back",
    needs={"schema"},
)
def missing_id(ctx: Context) -> None:
    session = ctx.session()
    never = ctx.fresh_id()
    gone = session.insert(sample_record(ctx.schema, 1))
    session.delete(gone)
    problems = []
    for id, what in ((never, "an id that never existed"), (gone, "a deleted id")):
        try:
            session.patch(id, change_for(ctx.schema, 2))
        except ConnectorCallError as exc:
            if not _raised(exc):
                raise
        else:
            problems.append(f"patch of {what} ({id}) returned without error")
        if (found := session.get(id)) is not None:
            problems.append(f"after patch of {what} ({id}), get returns a record: {found!r}")
    try:
        session.delete(never)
    except ConnectorCallError as exc:
        if not _raised(exc):
            raise
    if problems:
        raise ctx.fail(
            "writes to records that do not exist must raise (the platform then knows the record "
            "is gone):\n" + "\n".join(f"- {p}" for p in problems)
        )


@check(
    "errors.invalid-insert",
    title="insert of a record the API rejects raises, and never returns an id for nothing",
    suffers="a rejected record is reported as created: the platform links an id that does not "
    "exist and the data never arrives",
    needs={"schema"},
)
def invalid_insert(ctx: Context) -> None:
    session = ctx.session()
    cases = invalid_records(ctx.schema)
    if not cases:
        return  # nothing in the schema that an API could reject: the check has nothing to try
    problems = []
    for what, record in cases:
        try:
            new_id = session.insert(record)
        except ConnectorCallError as exc:
            if not _raised(exc):
                raise
            continue
        if session.get(new_id) is None:
            problems.append(f"{what}: insert returned id {new_id!r}, but get finds no such record")
    if problems:
        raise ctx.fail(
            "insert reported success for records that were never written:\n"
            + "\n".join(f"- {p}" for p in problems)
        )
