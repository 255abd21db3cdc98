"""The sync timeline: getUpdates stepped by hand, with writes in between.

Each "next" runs getupdates through the Run view's path with the last nextSync (after a JSON
round trip, as the platform stores it), so the token chain on screen is the chain a platform
would walk. Writes made in between, through the module or as another client on the mock, are
listed where they happened, so what the next sync delivered can be read against them.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from conformance.ui.methods import run_method
from conformance.ui.mockdata import as_other
from conformance.ui.workspace import Workspace


class Timeline:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def view(self) -> dict[str, Any]:
        with self._lock:
            return {"items": list(self.items)}

    def restart(self) -> dict[str, Any]:
        with self._lock:
            self.items.clear()
        return self.view()

    def _token(self) -> Any:
        """The last sync's nextSync, JSON round-tripped; None before the first sync."""
        for item in reversed(self.items):
            if item["kind"] == "sync" and item["ok"]:
                return json.loads(json.dumps(item["nextSync"]))
        return None

    def step(self, ws: Workspace) -> dict[str, Any]:
        last = self._token()
        ran = run_method(ws, "getupdates", {"lastSync": last})
        value = ran["value"] if isinstance(ran["value"], dict) else {}
        item = {
            "kind": "sync",
            "ok": ran["ok"],
            "lastSync": last,
            "nextSync": value.get("nextSync"),
            "entries": value.get("entries", []),
            "error": ran.get("error", ""),
            "duration_ms": ran["duration_ms"],
            # records.schema's findings in this batch: `$.entries[2].value.age`, the rule, the id
            "violations": (ran.get("schema") or {}).get("violations") or [],
        }
        with self._lock:
            item["n"] = sum(1 for i in self.items if i["kind"] == "sync") + 1
            self.items.append(item)
        return self.view()

    def write(self, ws: Workspace, who: str, action: str, id: str | None, fields: Any) -> Any:
        """A write between syncs: `who` is "module" (through the connector) or "other"."""
        if who == "other":
            done = as_other(ws, action, id, fields)["written"]
            item = {"kind": "write", "who": "another client", "action": action, "result": done}
        else:
            block: dict[str, Any] = {}
            if action != "insert":
                block["id"] = id
            if action != "delete":
                block["value"] = fields
            ran = run_method(ws, action, block)
            item = {
                "kind": "write",
                "who": "the module",
                "action": action,
                "result": ran["value_text"] if ran["ok"] else ran.get("error", ""),
                "ok": ran["ok"],
            }
        with self._lock:
            self.items.append(item)
        return self.view()
