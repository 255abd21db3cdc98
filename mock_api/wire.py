"""Framework-free request/response values and the one place JSON is encoded or decoded.

Every transport (respx, loopback HTTP, direct ``handle()`` calls) converts to and from these
types, so behaviour is identical however a connector reaches the mock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class BadJSON(ValueError):
    """A request body that is not strict JSON (including NaN/Infinity, which JSON forbids)."""


def _reject_constant(name: str) -> Any:
    raise BadJSON(f"{name} is not valid JSON")


# Built once: json.dumps/json.loads build a new encoder/decoder on every call that passes options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def encode_json(value: Any) -> bytes:
    """Serialize compactly as UTF-8; non-ASCII stays literal, as most real APIs send it."""
    return _ENCODER.encode(value).encode()


def decode_json(body: bytes) -> Any:
    """Parse a request body strictly; raises ``BadJSON`` for anything a real server would reject."""
    try:
        text = body.decode("utf-8")
        if text.startswith("\ufeff"):  # as json.loads: a byte-order mark is not JSON
            raise BadJSON("Unexpected UTF-8 BOM (decode using utf-8-sig)")
        return _DECODER.decode(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadJSON(str(exc)) from exc


@dataclass(frozen=True)
class Request:
    """An incoming request, already split so handlers never re-parse the URL.

    ``headers`` keys are lower-case. ``base_url`` is scheme + authority (+ any mount prefix)
    the request arrived on; links the server emits are built from it so they work on
    loopback ports and alternate hosts alike.
    """

    method: str
    base_url: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""


class Response(NamedTuple):
    """What the server answers: a plain ``(status, headers, body)`` triple with helpers."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """Decode the body; convenience for tests and hooks."""
        return json.loads(self.body)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    """Build a JSON response; also what fault interceptors use to fabricate errors."""
    out = {"Content-Type": "application/json"}
    if headers:
        out.update(headers)
    return Response(status, out, encode_json(payload))


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The API's uniform error shape, ``{"error": message}``."""
    return json_response(status, {"error": message}, headers)


def empty_response(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    """A bodiless response (204 No Content)."""
    return Response(status, dict(headers or {}), b"")


@dataclass(frozen=True)
class LoggedRequest:
    """One entry of the request log, kept small so logging stays cheap.

    ``headers`` excludes ``Authorization`` so logs can be printed in failure reports without
    leaking tokens.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    server_time: str = ""
