"""Known failures of a fleet, committed with a reason each, so a PR fails only on what it broke.

A repository with hundreds of connectors always has a few that fail a check for reasons nobody
will fix this week. Without a baseline every PR is red and people stop reading the gate. With
one, the file lists (connector, check, reason); the plugin marks those items xfail (non-strict,
raising only on a conformance finding), so they neither fail the run nor hide a crash of the
harness, and an entry whose check now passes is reported as stale so it can be deleted.

File format (JSON, sorted, one entry per known failure):

    {
      "known_failures": [
        {"connector": "connectors/hubspot", "check": "crud.patch-partial",
         "reason": "API replaces arrays on PATCH; vendor ticket #123"}
      ]
    }

`connector` is the connector's node ID: its --connector path relative to where pytest runs,
with `/` separators (what the reports and `pytest -v` show before `::`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from conformance.atomic import write_text_atomic
from conformance.checks import BY_ID
from conformance.errors import InputError

KEY = "known_failures"
LOAD_CHECK = "load"  # the pseudo-check a connector that fails to load is reported under
WRITTEN_REASON = "accepted when this baseline was written; say why, or fix it: "


@dataclass(frozen=True)
class Entry:
    connector: str
    check: str
    reason: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.connector, self.check)


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: dict[tuple[str, str], Entry]

    def get(self, connector: str, check: str) -> Entry | None:
        return self.entries.get((connector, check))


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline; every problem names the file, the entry and the fix."""
    from conformance.connector.files import read_json_object

    if not path.is_file():
        raise InputError(
            f"--connector-baseline {path}: file not found; write one from a run with "
            f"--connector-write-baseline {path}"
        )
    data = read_json_object(path)
    assert data is not None
    unknown = sorted(set(data) - {KEY, "comment"})
    if unknown:
        raise InputError(f"{path}: unknown key {unknown[0]!r}; a baseline holds {KEY!r} only")
    items = data.get(KEY, [])
    if not isinstance(items, list):
        raise InputError(f"{path}: {KEY} must be a list of {{connector, check, reason}} objects")
    entries: dict[tuple[str, str], Entry] = {}
    for index, item in enumerate(items):
        where = f"{path}: {KEY}[{index}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: must be an object with connector, check and reason")
        extra = sorted(set(item) - {"connector", "check", "reason"})
        if extra:
            raise InputError(f"{where}: unknown field {extra[0]!r}")
        for name in ("connector", "check", "reason"):
            value = item.get(name)
            if not isinstance(value, str) or not value.strip():
                fix = "say why this failure is accepted" if name == "reason" else "fill it in"
                raise InputError(f"{where}: {name} must be a non-empty string; {fix}")
        entry = Entry(item["connector"], item["check"], item["reason"].strip())
        if entry.check not in BY_ID and entry.check != LOAD_CHECK:
            raise InputError(
                f"{where}: unknown check {entry.check!r}; known checks: {', '.join(BY_ID)}"
            )
        if entry.key in entries:
            raise InputError(f"{where}: {entry.connector} / {entry.check} is listed twice")
        entries[entry.key] = entry
    return Baseline(path, entries)


def render_baseline(entries: Iterable[Entry]) -> str:
    ordered = sorted(entries, key=lambda e: e.key)
    payload = {
        KEY: [{"connector": e.connector, "check": e.check, "reason": e.reason} for e in ordered]
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def write_baseline(
    path: Path,
    failures: Iterable[tuple[str, str, str]],
    previous: Baseline | None = None,
) -> Path:
    """Write the failures of a run, (connector, check, first line of the finding), as a baseline.

    Reasons already given in `previous` are kept; new entries get a reason that quotes the
    finding and asks for a better one, so a reviewer sees what is being accepted.
    """
    entries = []
    for connector, check, summary in failures:
        known = previous.get(connector, check) if previous else None
        reason = known.reason if known else WRITTEN_REASON + (summary or check)
        entries.append(Entry(connector, check, reason))
    return write_text_atomic(path, render_baseline(entries))
