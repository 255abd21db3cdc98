"""What a live run leaves behind, and how a later run finds and deletes it.

Every id a check creates against a real account is written to a ledger file (outside the
repository) before the check goes on, and removed when the check deletes it. A run killed
outright leaves its ledger behind: `--connector-cleanup` deletes what ledgers list, and records
carrying the harness's marker (a `conformance-run-<id>` prefix written into a free string field
when the schema has one).
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.atomic import write_text_atomic
from conformance.connector.load import ConnectorSpec
from conformance.connector.schema import Schema
from conformance.errors import InputError
from conformance.recording.cassette import remove_stale_temps
from conformance.runtime.session import Session

MARKER_PREFIX = "conformance-run-"
STATE_ENV = "CONNECTOR_CONFORMANCE_STATE_DIR"


def state_dir() -> Path:
    """Where ledgers live: outside the repository, surviving a crashed run."""
    if os.environ.get(STATE_ENV):
        return Path(os.environ[STATE_ENV])
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(base) / "connector-conformance"


def ledger_dir(spec: ConnectorSpec) -> Path:
    where = str(spec.folder or spec.source or spec.name)
    digest = uuid.uuid5(uuid.NAMESPACE_URL, where).hex[:10]
    return state_dir() / "ledgers" / f"{spec.name}-{digest}"


def marker_field(schema: Schema | None) -> str | None:
    """A writable free-text field that can carry the run marker, or None when none exists."""
    if schema is None:
        return None
    for name in schema.writable:
        prop = schema.properties[name]
        types = prop.get("type")
        types = [types] if isinstance(types, str) else list(types or [])
        if (
            "string" in types
            and "enum" not in prop
            and "const" not in prop
            and "format" not in prop
            and prop.get("maxLength", 1000) >= 80
        ):
            return name
    return None


@dataclass
class Ledger:
    """One check's list of created ids on disk, rewritten atomically after every change."""

    path: Path
    ids: dict[str, str] = field(default_factory=dict)  # id -> check

    def add(self, id: str, check: str) -> None:
        self.ids[id] = check
        self._write()

    def discard(self, id: str) -> None:
        if self.ids.pop(id, None) is not None:
            self._write()

    def _write(self) -> None:
        if not self.ids:
            self.path.unlink(missing_ok=True)
            return
        record = {"ids": self.ids, "pid": os.getpid(), "time": time.time()}
        write_text_atomic(self.path, json.dumps(record))


def find_leftovers(spec: ConnectorSpec) -> dict[str, list[Path]]:
    """Ids listed in ledgers that earlier runs of this connector left behind, with their files."""
    found: dict[str, list[Path]] = {}
    folder = ledger_dir(spec)
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        try:
            ids = json.loads(path.read_text(encoding="utf-8"))["ids"]
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError(
                f"{path}: unreadable ledger; inspect it and delete it by hand"
            ) from None
        for id in ids:
            found.setdefault(id, []).append(path)
    return found


def marked_records(session: Session, schema: Schema | None) -> list[str]:
    """Ids of live records whose marker field says an earlier harness run created them."""
    name = marker_field(schema)
    if name is None:
        return []
    pattern = re.compile(re.escape(MARKER_PREFIX) + r"[0-9a-f]{12} ")
    ids = []
    token: Any = None
    for _ in range(1000):
        result = session.get_updates(token)
        for entry in result.entries:
            value = entry.value or {}
            text = value.get(name)
            if not entry.is_delete and isinstance(text, str) and pattern.match(text):
                ids.append(entry.id)
        if not result.entries:
            break
        token = result.next_sync
    return list(dict.fromkeys(ids))


def clean_leftovers(
    spec: ConnectorSpec,
    account: dict[str, Any],
    timeout: float,
    cassettes: Path | None = None,
) -> list[str]:
    """Delete what crashed runs left: ledger ids, then marked records, then the temporary files
    a killed recording left in `cassettes` (never a cassette). Returns one line per thing
    deleted, or one line saying there was nothing to delete."""
    lines: list[str] = []
    ledgers = find_leftovers(spec)
    session = Session(spec.create(), dict(account), timeout=timeout)
    try:
        marked = [i for i in marked_records(session, spec.schema) if i not in ledgers]
        for id in list(ledgers) + marked:
            session.delete(id)
            why = "it carries a run marker" if id in marked else "a run's ledger lists it"
            lines.append(f"deleted record {id} ({why})")
    finally:
        session.close()
    for path in {p for paths in ledgers.values() for p in paths}:
        path.unlink(missing_ok=True)
    for path in remove_stale_temps(cassettes) if cassettes else []:
        lines.append(f"deleted {path} (a temporary file of an interrupted recording)")
    if not lines:
        lines.append(
            "nothing to delete: no ledger of an interrupted run, no record with a run marker"
            + (", no temporary cassette file" if cassettes else "")
        )
    return lines
