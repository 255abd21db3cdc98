"""What a call prints in the isolated Python worker: caught per call and sent back with its
answer, as the NodeJS bridge sends console lines. Part of the worker (python_worker.py):
standard library only, nothing of the harness.
"""

from __future__ import annotations

import contextvars
from typing import Any

logs_of_this_call: contextvars.ContextVar[CallLog | None] = contextvars.ContextVar(
    "logs", default=None
)
MAX_LOG_LINES, MAX_LOG_LINE = 200, 500


class CallLog:
    """The lines one call printed, per stream: `print("a", b)` writes "a", " ", b and "\n"
    separately, so a line is only finished at its newline."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._open: dict[str, int] = {}  # stream -> index of its unfinished line

    def write(self, prefix: str, text: str) -> None:
        for piece in text.splitlines(keepends=True):
            index = self._open.pop(prefix, None)
            if index is None:
                if len(self._lines) >= MAX_LOG_LINES:
                    continue
                self._lines.append(f"{prefix}: ")
                index = len(self._lines) - 1
            room = len(prefix) + 2 + MAX_LOG_LINE - len(self._lines[index])
            self._lines[index] += piece.rstrip("\r\n")[: max(room, 0)]
            if not piece.endswith(("\n", "\r")):
                self._open[prefix] = index

    def lines(self) -> list[str]:
        return [line for line in self._lines if line.split(": ", 1)[1].strip()]


class CallOutput:
    """sys.stdout/stderr in the worker: what a call prints is sent back with its answer, as the
    NodeJS bridge sends console lines; anything else goes to the worker's real stderr."""

    def __init__(self, prefix: str, fallback: Any) -> None:
        self._prefix = prefix
        self._fallback = fallback

    def write(self, text: str) -> int:
        logs = logs_of_this_call.get()
        if logs is None:
            return self._fallback.write(text)
        logs.write(self._prefix, text)
        return len(text)

    def flush(self) -> None:
        self._fallback.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fallback, name)
