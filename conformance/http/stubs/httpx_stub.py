"""httpx: its default transports (sync and async) hand requests to the sender.

Patched at `HTTPTransport.handle_request` / `AsyncHTTPTransport.handle_async_request`, the
points vcrpy (>= 8.2) patches too: every `httpx.Client` and `AsyncClient` with the default
transport, whoever created it. The async side awaits the sender, so the connector's event loop
and its own timeouts keep running while the harness answers.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import httpx

from conformance.http.message import HttpFailure, Request, Response
from conformance.http.stubs import route

_sync_original = httpx.HTTPTransport.handle_request
_async_original = httpx.AsyncHTTPTransport.handle_async_request


def install() -> None:
    httpx.HTTPTransport.handle_request = _handle  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = _ahandle  # type: ignore[method-assign]
    _share_default_tls()


def _share_default_tls() -> None:
    """One default TLS context for every transport made with the default verification.

    A connector that makes a client per scope (`httpx.AsyncClient(...)` in init, as most do)
    has httpx build a context and load the CA bundle each time: tens of milliseconds, most of
    a replayed check's time. A routed request never uses it (the stub answers it), and for one
    that is not routed a shared context is what httpx itself advises. A client given its own
    context, a CA path or a client certificate still gets its own."""
    default = getattr(httpx, "_transports", None) and httpx._transports.default
    original = getattr(default, "create_ssl_context", None)
    if original is None or getattr(original, "shared", False):
        return
    contexts: dict[tuple[str | None, str | None], Any] = {}

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None:
            return original(verify=verify, cert=cert, trust_env=trust_env)
        key = (
            (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
            if trust_env
            else (None, None)
        )
        if key not in contexts:
            contexts[key] = original(verify=verify, cert=cert, trust_env=trust_env)
        return contexts[key]

    create_ssl_context.shared = True  # type: ignore[attr-defined]
    default.create_ssl_context = create_ssl_context


def _handle(self: Any, request: httpx.Request) -> httpx.Response:
    target = route.sender()
    if target is None:
        return _sync_original(self, request)
    caught = _caught(request, request.read())
    try:
        answer = target.send(caught)
    except HttpFailure as failure:
        raise _error(failure, request) from None
    if answer.delay > 0:
        time.sleep(min(answer.delay, _read_timeout(request)))
        _check_late(answer, request)
    return _response(answer, request)


async def _ahandle(self: Any, request: httpx.Request) -> httpx.Response:
    target = route.sender()
    if target is None:
        return await _async_original(self, request)
    caught = _caught(request, await request.aread())
    try:
        answer = await target.asend(caught)
    except HttpFailure as failure:
        raise _error(failure, request) from None
    if answer.delay > 0:
        await asyncio.sleep(min(answer.delay, _read_timeout(request)))
        _check_late(answer, request)
    return _response(answer, request)


def _read_timeout(request: httpx.Request) -> float:
    """The client's read timeout for this request (httpx passes it to its transport), or
    infinity: a late answer past it ends as httpx's ReadTimeout, as on the network."""
    read = request.extensions.get("timeout", {}).get("read")
    return float(read) if isinstance(read, int | float) and read > 0 else float("inf")


def _check_late(answer: Response, request: httpx.Request) -> None:
    limit = _read_timeout(request)
    if answer.delay > limit:
        message = f"the answer came {answer.delay:g} s late, past the client's {limit:g} s timeout"
        raise httpx.ReadTimeout(message, request=request)


def _caught(request: httpx.Request, content: bytes) -> Request:
    return Request(
        request.method,
        str(request.url),
        [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
        content,
        client="httpx",
    )


def _response(answer: Response, request: httpx.Request) -> httpx.Response:
    answer = answer.for_client()
    return httpx.Response(
        answer.status, headers=answer.headers, content=answer.body, request=request
    )


_ERRORS: dict[str, type[httpx.TransportError]] = {
    "connect": httpx.ConnectError,
    "blocked": httpx.ConnectError,
    "unmatched": httpx.ConnectError,
    "reset": httpx.ReadError,
    "timeout": httpx.ReadTimeout,
}


def _error(failure: HttpFailure, request: httpx.Request) -> Exception:
    """The exception httpx raises for the same event, so `except httpx.ConnectError` works."""
    return _ERRORS[failure.kind](failure.message, request=request)
