"""The session's history: the last runs of each method and the last check runs, listable.

An author edits the module, runs again and wants to compare with before the edit: each entry
keeps what the page showed (already redacted, long values cut) and when it ran. In memory
only, for the life of the server: a history on disk would be one more place a value lands.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from conformance.shown import cut

KEPT = 10  # runs kept per method, and check runs kept
VALUE_KEPT = 4000  # characters of a value kept per run: enough to compare, not a copy of it


class History:
    def __init__(self) -> None:
        self._methods: dict[str, deque[dict[str, Any]]] = {}
        self._checks: deque[dict[str, Any]] = deque(maxlen=KEPT)
        self._count = 0
        self._lock = threading.Lock()

    def _next(self) -> tuple[int, str]:
        self._count += 1
        return self._count, time.strftime("%H:%M:%S")

    def method_ran(self, block: Any, result: dict[str, Any]) -> None:
        with self._lock:
            n, at = self._next()
            runs = self._methods.setdefault(result["command"], deque(maxlen=KEPT))
            violations = (result.get("schema") or {}).get("violations") or []
            runs.appendleft(
                {
                    "n": n,
                    "at": at,
                    "command": result["command"],
                    "block": block,
                    "ok": result["ok"],
                    "duration_ms": result["duration_ms"],
                    "value": cut(result.get("value_text", ""), VALUE_KEPT),
                    "error": result.get("error", ""),
                    "output": cut(result.get("output", ""), VALUE_KEPT),
                    "violations": len(violations),
                }
            )

    def method_refused(self, command: str, block: Any, error: str) -> None:
        with self._lock:
            n, at = self._next()
            runs = self._methods.setdefault(command, deque(maxlen=KEPT))
            runs.appendleft(
                {"n": n, "at": at, "command": command, "block": block, "ok": False,
                 "refused": True, "duration_ms": None, "value": "", "error": error,
                 "output": "", "violations": 0}
            )  # fmt: skip

    def checks_ran(self, mode: str, verdicts: dict[str, str], duration: float) -> None:
        with self._lock:
            n, at = self._next()
            counts: dict[str, int] = {}
            for verdict in verdicts.values():
                counts[verdict] = counts.get(verdict, 0) + 1
            self._checks.appendleft(
                {"n": n, "at": at, "mode": mode, "verdicts": dict(verdicts), "counts": counts,
                 "duration": round(duration, 2)}
            )  # fmt: skip

    def view(self) -> dict[str, Any]:
        with self._lock:
            return {
                "methods": {name: list(runs) for name, runs in self._methods.items()},
                "checks": list(self._checks),
            }
