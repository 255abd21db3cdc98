"""What answers a request at the end of the pipeline: the mock, or the network.

Neither goes through an HTTP client library of this process: the mock is called directly (no
second client stack between a caught request and its answer), and the network is reached
through a bare httpx transport, which the catchers of this process (conformance/http/stubs)
never intercept. The cassette's terminal is in tape.py.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.http.message import HttpFailure, Request, Response
from conformance.http.stubs import sockets

REQUEST_TIMEOUT = 30.0  # the per-call timeout still bounds the whole call


class MockTerminal:
    """Answers from a mock API object (mock_api's `handle_timed`), in process.

    A request to any other address is refused, not sent: in mock mode nothing leaves the
    harness, and a connector that builds a URL from anything but `account.baseUrl` should
    hear so at once rather than reach a real host."""

    def __init__(self, api: Any, base_url: str | None = None) -> None:
        self.api = api
        self.base = (base_url or api.base_url).rstrip("/")

    def __call__(self, request: Request) -> Response:
        if not under(request.url, self.base):
            raise HttpFailure(
                "blocked",
                f"{request.method} {request.url} is not the mock API's address ({self.base}); "
                "in mock mode no request leaves the harness: build every URL from "
                "account.baseUrl",
            )
        headers: dict[str, str] = {}
        for name, value in request.headers:
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        answer, delay = self.api.handle_timed(
            request.method, request.url, headers, request.body, base_url=self.base
        )
        return Response(
            answer.status, list(answer.headers.items()), answer.body, source="mock", delay=delay
        )


def under(url: str, base: str) -> bool:
    """Is `url` at or below `base`: same scheme, host and port, and a path on a segment
    boundary (/v2 does not claim /v20, a foreign URL carrying the base in its query is not)."""
    u, b = urlsplit(url), urlsplit(base)
    if (u.scheme, u.hostname, _port(u)) != (b.scheme, b.hostname, _port(b)):
        return False
    prefix = b.path.rstrip("/")
    return not prefix or u.path == prefix or u.path.startswith(prefix + "/")


def _port(parts: Any) -> int | None:
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs tens of milliseconds: once per process, not per check."""
    return httpx.create_ssl_context()


class NetworkTerminal:
    """Sends the request for real, through one pooled httpx transport per pipeline.

    `only` restricts it to some origins ("http://127.0.0.1:PORT"): the mock served on loopback
    is the only network a mock-mode pipeline may reach."""

    def __init__(self, *, only: Sequence[str] = ()) -> None:
        self.only = tuple(o.rstrip("/") for o in only)
        self._transport: httpx.HTTPTransport | None = None

    def __call__(self, request: Request) -> Response:
        if self.only and not any(under(request.url, origin) for origin in self.only):
            raise HttpFailure(
                "blocked",
                f"{request.method} {request.url} is not the mock API's address "
                f"({', '.join(self.only)}); in mock mode no request leaves the harness",
            )
        if self._transport is None:
            self._transport = httpx.HTTPTransport(verify=_tls_context())
        outgoing = httpx.Request(
            request.method, request.url, headers=request.headers, content=request.body
        )
        outgoing.extensions["timeout"] = httpx.Timeout(REQUEST_TIMEOUT).as_dict()
        try:
            with sockets.harness_connecting():
                response = self._transport.handle_request(outgoing)
                try:
                    body = response.read()
                finally:
                    response.close()
        except httpx.TimeoutException as exc:
            raise HttpFailure("timeout", f"{request.method} {request.url}: {exc}") from None
        except (httpx.ConnectError, OSError) as exc:
            raise HttpFailure("connect", f"{request.method} {request.url}: {exc}") from None
        except httpx.TransportError as exc:
            raise HttpFailure("reset", f"{request.method} {request.url}: {exc}") from None
        return Response(
            response.status_code,
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            body,
            reason=response.reason_phrase,
            source="live",
        )

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None
