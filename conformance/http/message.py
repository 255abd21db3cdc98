"""What a request of the connector is, wherever it was caught, and what answers it.

A request exists once, as `Request`, from the moment a runtime catches it (httpx, requests,
aiohttp or urllib in a Python process; node:http, fetch or XMLHttpRequest in the NodeJS bridge)
until the pipeline answers it with a `Response` or refuses it with an `HttpFailure`. Between
processes it travels as the worker protocol's `http` op (docs/runtimes.md), converted here and
nowhere else.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Headers that describe how a body crossed the wire: an answer handed to a client carries the
# decoded body, so these would misdescribe it (a client would gunzip plain text).
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})

# A failure's kind -> the errno-style code NodeJS clients and requests users test for.
CODES = {
    "connect": "ECONNREFUSED",
    "reset": "ECONNRESET",
    "timeout": "ETIMEDOUT",
    "blocked": "EBLOCKED",
    "unmatched": "EUNMATCHED",
}


@dataclass
class Request:
    """One HTTP request of the connector (or of the harness on its behalf)."""

    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    client: str = ""  # the library that sent it: "httpx", "requests", "node:http", "fetch"...
    scope: int | None = None  # the execution scope it came from, where a runtime says

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @classmethod
    def from_wire(cls, wire: dict[str, Any]) -> Request:
        return cls(
            method=str(wire.get("method", "GET")).upper(),
            url=str(wire["url"]),
            headers=[(str(k), str(v)) for k, v in wire.get("headers", [])],
            body=_body_from_wire(wire),
            client=str(wire.get("client", "")),
        )

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "method": self.method,
            "url": self.url,
            "headers": [[k, v] for k, v in self.headers],
            "client": self.client,
        }
        _body_to_wire(self.body, wire)
        return wire


@dataclass
class Response:
    """The answer handed back to the client that sent the request."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    reason: str = ""
    source: str = ""  # "mock", "live", "replayed" or "injected": shown beside the exchange
    delay: float = 0.0  # seconds the catcher waits before handing it over (a slow API)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def for_client(self) -> Response:
        """The same answer without the headers that describe the wire encoding."""
        kept = [(k, v) for k, v in self.headers if k.lower() not in WIRE_HEADERS]
        if len(kept) == len(self.headers):
            return self
        return Response(self.status, kept, self.body, self.reason, self.source, self.delay)

    @classmethod
    def from_wire(cls, wire: dict[str, Any]) -> Response:
        return cls(
            status=int(wire["status"]),
            headers=[(str(k), str(v)) for k, v in wire.get("headers", [])],
            body=_body_from_wire(wire),
            reason=str(wire.get("reason", "")),
            source=str(wire.get("source", "")),
            delay=float(wire.get("delay", 0.0)),
        )

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "status": self.status,
            "headers": [[k, v] for k, v in self.headers],
        }
        if self.reason:
            wire["reason"] = self.reason
        if self.source:
            wire["source"] = self.source
        if self.delay > 0:
            wire["delay"] = self.delay
        _body_to_wire(self.body, wire)
        return wire


class HttpFailure(Exception):
    """No answer: the request failed at the transport (refused, reset, timed out), or the
    harness would not send it (blocked) or had nothing recorded for it (unmatched). Each
    catcher raises it as the error its client library raises for the same event."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind if kind in CODES else "connect"
        self.message = message

    @property
    def code(self) -> str:
        return CODES[self.kind]

    def to_wire(self) -> dict[str, Any]:
        return {"name": self.kind, "code": self.code, "message": self.message}

    @classmethod
    def from_wire(cls, wire: dict[str, Any]) -> HttpFailure:
        return cls(str(wire.get("name", "connect")), str(wire.get("message", "")))


@dataclass
class Exchange:
    """A finished request, as watchers see it: the answer, or the failure, and how long."""

    request: Request
    response: Response | None
    failure: HttpFailure | None
    seconds: float

    @property
    def source(self) -> str:
        if self.response is not None:
            return self.response.source
        return "refused" if self.failure and self.failure.kind == "blocked" else "failed"


def pairs(headers: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in headers]


def _body_from_wire(wire: dict[str, Any]) -> bytes:
    if "bodyBase64" in wire:
        return base64.b64decode(wire["bodyBase64"])
    body = wire.get("body")
    return b"" if body is None else str(body).encode("utf-8")


def _body_to_wire(body: bytes, wire: dict[str, Any]) -> None:
    if not body:
        return
    try:
        wire["body"] = body.decode("utf-8")
    except UnicodeDecodeError:
        wire["bodyBase64"] = base64.b64encode(body).decode()
