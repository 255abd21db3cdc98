"""records.schema: what get and getUpdates hand the platform fits the connector's schema.json.

The platform maps each field of a record by the schema the connector declares; a number where
the schema says string, a required field missing, a 3 MB name over its maxLength all pass every
round-trip check (the value read back equals the value written, or the field is server-set and
not compared) and then break the mapping on the platform's side.

Rules as read, not as written: `readOnly` fields are server-set, so they may appear in what is
read (their type and bounds are still checked); `required` holds on read as well, since a record
without a field the platform must map cannot be mapped. `violations` is a plain function so the
UI's Run view marks the same paths in a method's result as the check reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.checks.api import Context, check
from conformance.checks.samples import sample_record
from conformance.shown import cut

SYNC_CALLS = 8  # getUpdates calls from the start: enough to cross pages, bounded on a live API


@dataclass(frozen=True)
class Violation:
    """One rule of schema.json a record breaks, at a JSON path of that record."""

    path: str  # "$.toys[0].name", as jsonschema's json_path says it
    rule: str  # "properties.age.type = 'integer'"
    message: str  # jsonschema's own sentence

    def __str__(self) -> str:
        return f"at {self.path}: {cut(self.message, 200)} (schema.json rule {self.rule})"


def violations(schema: Mapping[str, Any], record: Any) -> list[Violation]:
    """Every rule `record` breaks, in path order; [] when it fits."""
    from jsonschema import validators

    validator = validators.validator_for(schema)(schema)
    found = []
    for error in validator.iter_errors(record):
        where = ".".join(str(p) for p in error.schema_path)
        rule = f"{where} = {error.validator_value!r}" if where else repr(error.validator)
        found.append(Violation(error.json_path, cut(rule, 160), error.message))
    return sorted(found, key=lambda v: (v.path, v.rule))


@check(
    "records.schema",
    title="the records get and getUpdates return fit schema.json",
    suffers="the platform's field mapping breaks: a field of the wrong type, a required field "
    "missing or a value out of bounds cannot be mapped to its column, so the record is dropped "
    "or stored wrong",
    needs={"schema"},
)
def records_schema(ctx: Context) -> None:
    schema = ctx.schema.raw
    ctx.expect("records validated", "a pass proves nothing unless some record was read back")
    session = ctx.session()
    problems: list[str] = []

    def judge(where: str, record: Any) -> None:
        ctx.count("records validated")
        broken = violations(schema, record)
        if broken:
            problems.append(f"{where} breaks schema.json:\n" + "\n".join(f"  {v}" for v in broken))

    for i in (1, 2):
        new_id = session.insert(sample_record(ctx.schema, i))
        record = session.get(new_id)
        if record is not None:
            judge(f"the record get({new_id!r}) returned", record)
    token = None
    for _ in range(SYNC_CALLS):
        result = session.get_updates(token)
        token = result.next_sync
        for entry in result.entries:
            if not entry.is_delete and entry.value is not None:
                ctx.count("sync entries validated")
                judge(f"getUpdates' {entry.type} entry for id {entry.id!r}", entry.value)
        if not result.entries:
            break
    if problems:
        shown = problems[:5]
        more = f"\n(and {len(problems) - 5} more records)" if len(problems) > 5 else ""
        raise ctx.fail("\n".join(shown) + more)
