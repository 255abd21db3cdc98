"""The Run view and the sync timeline: one connector method, the way `syncpeng -v` runs it.

The call goes through the CLI's own `method_call.run` (the same account, in.json rules, Session,
timeout and persistent mock state `.syncpeng-mock.json`), with the editor's block in place of
the file's. What comes back is what `syncpeng -v` prints, as data: the result, the module's
console output, the failure with its traceback, and each HTTP exchange; every string is masked.
"""

from __future__ import annotations

import io
import time
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from conformance.cli import method_call
from conformance.cli.console import to_json
from conformance.options import DEFAULT_TIMEOUT
from conformance.ui.jobs import exclusive
from conformance.ui.workspace import Workspace


def run_method(
    ws: Workspace, command: str, block: Any, *, live: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> dict[str, Any]:
    """Run `command` with `block` as its in.json block; connector trouble is in the result."""
    inputs = ws.inputs()
    inputs[command] = block
    request = method_call.Request(
        command=command,
        connector=str(ws.folder),
        input_file=str(ws.folder / "in.json"),
        inputs=inputs,
        mock=not live,
        timeout=timeout,
    )
    lines: list[tuple[float, str]] = []  # (seconds since the run started, a -v line)
    output = io.StringIO()
    started = time.perf_counter()

    def shown(line: str) -> None:
        lines.append((time.perf_counter() - started, line))

    def call() -> tuple[method_call.Reply, float]:
        nonlocal started
        started = time.perf_counter()
        with redirect_stdout(output), redirect_stderr(output):
            reply = method_call.run(request, show_exchange=shown)
        return reply, time.perf_counter() - started

    reply, duration = exclusive(call, deadline=3 * timeout + 10, what=command)
    mask = reply.masker
    result: dict[str, Any] = {
        "command": command,
        "ok": reply.failure is None,
        "duration_ms": round(duration * 1000, 1),
        "returned": reply.value is not method_call.NOTHING,
        "value": None if reply.value is method_call.NOTHING else reply.value,
        "value_text": "" if reply.value is method_call.NOTHING else mask(to_json(reply.value)),
        "output": mask(output.getvalue()),
        "warnings": [mask(w) for w in reply.warnings],
        "exchanges": _exchanges(lines),
    }
    if reply.failure is not None:
        result["error"] = mask(f"{reply.failure.call} {reply.failure.problem}")
        result["traceback"] = mask(reply.failure.detail or "")
    if _secretish(mask, result["value"]):
        result["value"] = None  # only the masked text may reach the page
    return result


def _secretish(mask: Any, value: Any) -> bool:
    text = to_json(value)
    return mask(text) != text


def _exchanges(lines: list[tuple[float, str]]) -> list[dict[str, Any]]:
    """The -v lines grouped one exchange per group (each starts with `> METHOD url`), with when
    it was shown: in mock mode an exchange is shown once answered, so that is when it ended."""
    groups: list[dict[str, Any]] = []
    for at, line in lines:
        if line.startswith("> ") and not line.startswith(">   ") or not groups:
            groups.append({"at_ms": round(at * 1000, 1), "lines": []})
        groups[-1]["lines"].append(line)
    return groups
