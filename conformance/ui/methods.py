"""The Run view and the sync timeline: one connector method, the way `syncpeng -v` runs it.

The call goes through the CLI's own `method_call.run` (the same account, in.json rules, Session,
timeout and persistent mock state `.syncpeng-mock.json`), with the editor's block in place of
the file's. What comes back is what `syncpeng -v` prints, as data: the result, the module's
console output, the failure with its traceback, and each HTTP exchange (the pipeline's own
`Exchange`s, which `-v` prints too, drawn by ui/traffic.py); every string is redacted
(ui/redact.py).

Console output is everything the module printed, wherever the runtime handed it over: printed
to our own stdout while a call succeeds, or, when it raised, carried in the failure's detail
(a worker sends a failed call's lines with its error, python_process.py and node.py put them
under "output of this call:"), from where they are moved back to the console. A call stopped
at its timeout ends its worker, and the worker's lines for that call end with it: the result
says so rather than showing an empty console as if nothing was printed.

What get and getUpdates returned is read against schema.json as the `records.schema` check
reads it, and the offending JSON paths come back with the line of the value where each sits.
"""

from __future__ import annotations

import io
import os
import re
import time
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from conformance.author import method_call
from conformance.checks.records_schema import violations
from conformance.options import DEFAULT_TIMEOUT, ISOLATION_ENV
from conformance.ui import traffic
from conformance.ui.hints import for_the_page
from conformance.ui.inferred import infer
from conformance.ui.jobs import LOADING, exclusive
from conformance.ui.located import child, pretty
from conformance.ui.redact import Redactor
from conformance.ui.workspace import Workspace

# How python_process.raised and node.js_error append a failed call's lines to its stack.
_OUTPUT_HEADER = re.compile(r"(?:^|\n)(?:console )?output of this call:\n")
_STREAM = re.compile(r"^(stdout|log|info|debug): ")


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
    output = io.StringIO()

    def call() -> tuple[method_call.Reply, float]:
        with LOADING:  # after another view's load of the module (ui/jobs.py says why)
            started = time.perf_counter()
            with redirect_stdout(output), redirect_stderr(output):
                reply = method_call.run(request)
            return reply, time.perf_counter() - started

    reply, duration = exclusive(call, deadline=3 * timeout + 10, what=command)
    redact = Redactor(reply.masker)
    console = output.getvalue()
    result: dict[str, Any] = {
        "command": command,
        "ok": reply.failure is None,
        "duration_ms": round(duration * 1000, 1),
        "returned": reply.value is not method_call.NOTHING,
        "value": None if reply.value is method_call.NOTHING else reply.value,
        "value_text": "",
        "warnings": [redact(for_the_page(w)) for w in reply.warnings],
        "exchanges": traffic.shown(reply.exchanges, redact),
        "output_note": "",
    }
    if reply.failure is not None:
        stack, printed = split_output(reply.failure.detail or "")
        console += printed
        result["error"] = redact(for_the_page(f"{reply.failure.call} {reply.failure.problem}"))
        result["traceback"] = redact(stack)
        if reply.failure.timed_out and os.environ.get(ISOLATION_ENV) != "inline":
            result["output_note"] = (
                f"{reply.failure.call} was stopped at the per-call timeout ({timeout:g} s) by "
                "ending the process that ran it; a process hands over what a call printed with "
                "its answer, so any lines it printed during this call were lost with it"
            )
    result["output"] = redact(console)
    if result["returned"]:
        text, where = pretty(result["value"])
        result["value_text"] = redact(text)
        result["schema"] = _against_schema(ws, command, result["value"], where)
        if result["value_text"] != text:
            result["value"] = None  # only the redacted text may reach the page
    return result


def split_output(detail: str) -> tuple[str, str]:
    """(the stack, the lines the call printed) of a failure's detail."""
    found = _OUTPUT_HEADER.search(detail)
    if found is None:
        return detail, ""
    printed = [
        _STREAM.sub("", line[2:] if line.startswith("  ") else line)
        for line in detail[found.end() :].splitlines()
    ]
    return detail[: found.start()], "".join(line + "\n" for line in printed)


def _against_schema(ws: Workspace, command: str, value: Any, where: dict[str, int]) -> Any:
    """What records.schema finds in this result, and the schema the records suggest."""
    if command not in ("get", "getupdates"):
        return None
    records: list[tuple[str, Any]] = []  # (JSON path of the record, the record)
    if command == "get" and isinstance(value, dict):
        records.append(("$", value))
    elif command == "getupdates" and isinstance(value, dict):
        for i, entry in enumerate(value.get("entries") or []):
            if isinstance(entry, dict) and isinstance(entry.get("value"), dict):
                records.append((child(child(child("$", "entries"), i), "value"), entry["value"]))
    try:
        spec = ws.spec()
    except Exception:  # the module ran a moment ago; a file changed since: no verdict
        return None
    declared = spec.schema.raw if spec.schema is not None else None
    found = []
    for base, record in records:
        for v in violations(declared, record) if declared else []:
            path = base + v.path[1:]
            found.append(
                {
                    "id": str(record.get("id", "")),
                    "path": path,
                    "rule": v.rule,
                    "message": v.message,
                    "line": where.get(path, where.get(base, 0)),
                }
            )
    return {
        "declared": declared,
        "inferred": infer([record for _, record in records]),
        "records": len(records),
        "violations": found,
    }
