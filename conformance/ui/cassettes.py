"""The Cassettes view: per check, what was recorded, and whether the audit finds a secret in it.

The cassette files are read as JSON and shown as they are on disk: the values scrubbed at
recording time stay visible as their `<SECRET:...>` placeholders, which is the point (the
author sees what was hidden). The audit is recording/audit.py's, the one CI runs. Everything
still passes through the Redactor (ui/redact.py: the Masker and the audit's own detectors)
before it is rendered, so a secret the audit flags in a hand-edited cassette is reported, not
displayed. A cassette is sent a page of interactions at a time (the stateful one holds ~900):
the page asks for the next page while showing how far it got.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.errors import InputError
from conformance.recording.audit import audit
from conformance.ui.redact import Redactor
from conformance.ui.workspace import Workspace


def cassette_list(ws: Workspace) -> dict[str, Any]:
    if ws.cassette_dir is None:
        return {
            "dir": None,
            "cassettes": [],
            "hint": "start the UI with --cassette-dir DIR to see a connector's cassettes",
        }
    if not ws.cassette_dir.is_dir():
        raise InputError(f"{ws.cassette_dir}: no such folder of cassettes")
    return {"dir": str(ws.cassette_dir), "cassettes": ws.cassette_names()}


PAGE = 50  # interactions per request: the first page shows at once, whatever the size


def cassette_view(ws: Workspace, check: str, offset: int = 0, limit: int = PAGE) -> dict[str, Any]:
    names = ws.cassette_names()
    if check not in names:
        raise InputError(f"{check}: no cassette of that name; known: {', '.join(names) or 'none'}")
    path = ws.cassette_dir / f"{check}.json"  # type: ignore[operator]
    spec = ws.spec()
    redact = Redactor(ws.masker(spec))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: unreadable cassette ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a cassette (a JSON object is expected)")
    every = data.get("interactions") or []
    offset = max(offset, 0)
    interactions = []
    for item in every[offset : offset + max(limit, 1)]:
        request, response = item.get("request", {}), item.get("response", {})
        interactions.append(
            {
                "method": request.get("method", ""),
                "url": redact(str(request.get("url", ""))),
                "request_headers": redact.header_lines(_headers(request.get("headers"))),
                "request_body": redact(_text(request.get("body"))),
                "status": response.get("status"),
                "response_headers": redact.header_lines(_headers(response.get("headers"))),
                "response_body": redact(_text(response.get("body"))),
            }
        )
    view: dict[str, Any] = {
        "check": check,
        "offset": offset,
        "total": len(every),
        "interactions": interactions,
    }
    if offset == 0:  # the file's facts and its audit come with the first page only
        findings = [str(f) for f in audit([path], spec.account)]
        view.update(
            file=str(path),
            recorded_at=data.get("recorded_at"),
            connector=data.get("connector"),
            draws=len(data.get("draws") or []),
            audit=[redact(f) for f in findings],
        )
    return view


def _headers(value: Any) -> list[tuple[str, str]]:
    """(name, value) pairs, as -v shows them (a cassette keeps each header as a list)."""
    if not isinstance(value, dict):
        return [] if value in (None, "") else [("headers", _text(value))]
    return [
        (str(name), str(one))
        for name, values in value.items()
        for one in (values if isinstance(values, list) else [values])
    ]


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=1, ensure_ascii=False)
