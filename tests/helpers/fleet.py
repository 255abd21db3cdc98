"""A fleet of connectors for the CI tests: copies of examples/cats, some deliberately broken."""

from __future__ import annotations

import shutil
from pathlib import Path

CATS = Path(__file__).resolve().parents[2] / "examples" / "cats"

# Each break is one edit to the correct connector, named after what the platform suffers.
BREAKS = {
    # delete() does nothing: deleted records come back (crud.delete, updates.progression fail)
    "nodelete": (
        '        response = await self._send("DELETE", f"/cats/{id}")\n        if response',
        '        return None\n        response = await self._send("DELETE", f"/cats/{id}")\n'
        "        if response",
    ),
    # hands back its old token once after delivering changes: every change arrives twice
    # (safe but wasteful: updates.progression warns)
    "redeliver": (
        '        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}',
        '        if entries and last_sync and not last_sync.get("again"):\n'
        '            return {"nextSync": {**last_sync, "again": True}, "entries": entries}\n'
        '        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}',
    ),
}


def make_connector(root: Path, name: str, kind: str = "good") -> Path:
    """Copy examples/cats to root/name; kind good | nodelete | redeliver | noimport."""
    folder = root / name
    shutil.copytree(CATS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    # a developer's checkout: account.json (not in git) beside the committed example
    shutil.copy(folder / "account.example.json", folder / "account.json")
    module = folder / "dataSourceApp.py"
    if kind == "noimport":
        module.write_text("raise RuntimeError('this connector cannot even be imported')\n")
    elif kind != "good":
        old, new = BREAKS[kind]
        text = module.read_text()
        assert old in text, f"examples/cats changed: update the {kind} break in tests/ci"
        module.write_text(text.replace(old, new))
    return folder
