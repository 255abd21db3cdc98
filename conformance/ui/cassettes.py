"""The Cassettes view: per check, what was recorded, and whether the audit finds a secret in it.

The cassette files are read as JSON and shown as they are on disk: the values scrubbed at
recording time stay visible as their `<SECRET:...>` placeholders, which is the point (the
author sees what was hidden). The audit is recording/audit.py's, the one CI runs. Everything
still passes through the Masker before it is rendered, so a secret the audit would flag in a
hand-edited cassette is reported, not displayed.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.errors import InputError
from conformance.recording.audit import audit
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


def cassette_view(ws: Workspace, check: str) -> dict[str, Any]:
    names = ws.cassette_names()
    if check not in names:
        raise InputError(f"{check}: no cassette of that name; known: {', '.join(names) or 'none'}")
    path = ws.cassette_dir / f"{check}.json"  # type: ignore[operator]
    spec = ws.spec()
    masker = ws.masker(spec)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: unreadable cassette ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a cassette (a JSON object is expected)")
    interactions = []
    for item in data.get("interactions") or []:
        request, response = item.get("request", {}), item.get("response", {})
        interactions.append(
            {
                "method": request.get("method", ""),
                "url": masker(str(request.get("url", ""))),
                "request_headers": masker(_headers(request.get("headers"))),
                "request_body": masker(_text(request.get("body"))),
                "status": response.get("status"),
                "response_headers": masker(_headers(response.get("headers"))),
                "response_body": masker(_text(response.get("body"))),
            }
        )
    findings = [str(f) for f in audit([path], spec.account)]
    return {
        "check": check,
        "file": str(path),
        "recorded_at": data.get("recorded_at"),
        "connector": data.get("connector"),
        "draws": len(data.get("draws") or []),
        "interactions": interactions,
        "audit": [masker(f) for f in findings],
    }


def _headers(value: Any) -> str:
    """`name: value` lines, as -v shows them (a cassette keeps each header as a list)."""
    if not isinstance(value, dict):
        return _text(value)
    lines = []
    for name, values in value.items():
        for one in values if isinstance(values, list) else [values]:
            lines.append(f"{name}: {one}")
    return "\n".join(lines)


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=1, ensure_ascii=False)
