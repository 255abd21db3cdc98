"""What every mock SaaS API shares: auth, server clock, request log, fault hooks, transports.

A concrete API (``CatsAPI``) only supplies routes and state; the request pipeline here is the
same for all of them, so fault injection and logging behave uniformly across bundled mocks.

Pipeline for each request::

    interceptors (first non-None response wins, skips everything below)
    -> under the API lock: read clock, check bearer token, route to the handler
    -> after_handle hooks (may run side effects or replace the response)
    -> stamp X-Server-Time, append to the request log
    -> delays: the transport holds the finished response back (a slow network or server)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import respx

from mock_api import loopback, respx_transport
from mock_api.clock import ServerClock
from mock_api.timefmt import format_ms
from mock_api.wire import LoggedRequest, Request, Response, error_response

Interceptor = Callable[[Request], "Response | None"]
"""Called with each incoming request before anything else; a returned response short-circuits."""

AfterHook = Callable[[Request, Response], "Response | None"]
"""Called after the handler produced a response, before the client gets it; may replace it."""

Delay = Callable[[Request, Response], "float | None"]
"""Seconds to hold a finished response back from the client (None or 0: no delay)."""

# Tokens that are almost always a connector stringifying a missing value.
_PLACEHOLDER_TOKENS = frozenset({"None", "null", "undefined"})


class MockAPI:
    """Base class for a fake SaaS API. Subclasses implement ``route()``.

    Public, mutable at any time by tests and the harness:

    - ``tokens``: accepted bearer tokens, or ``None`` to accept any non-empty token.
    - ``clock``: the ``ServerClock`` all timestamps come from.
    - ``log``: list of ``LoggedRequest``; clear it with ``log.clear()``.
    - ``interceptors``: list of ``Interceptor`` (fault injection before handling).
    - ``after_handle``: list of ``AfterHook`` (concurrent writes "during" a request).
    - ``delays``: list of ``Delay`` (slow responses: the work is done, the answer is late).
    - ``lock``: re-entrant lock guarding state; hooks run outside it and may write freely.
    """

    default_base_url: ClassVar[str] = "https://api.example.test"

    def __init__(self, *, tokens: Iterable[str] | None = None, base_url: str | None = None) -> None:
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.tokens: set[str] | None = None if tokens is None else set(tokens)
        self.clock = ServerClock()
        self.log: list[LoggedRequest] = []
        self.interceptors: list[Interceptor] = []
        self.after_handle: list[AfterHook] = []
        self.delays: list[Delay] = []
        self.lock = threading.RLock()

    # -- request pipeline -------------------------------------------------------------------

    def handle(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        base_url: str | None = None,
    ) -> Response:
        """Answer one request given as plain values; every transport funnels through here.

        ``base_url`` names the mount point the request came in on (links are built from it and
        its path prefix is stripped); by default it is the URL's scheme and authority. A delay
        from ``delays`` blocks this call (the loopback server's thread, or a direct caller).
        """
        response, delay = self.handle_timed(method, url, headers, body, base_url=base_url)
        if delay > 0:
            time.sleep(delay)
        return response

    def handle_timed(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        base_url: str | None = None,
    ) -> tuple[Response, float]:
        """Like ``handle`` but returns the delay instead of sleeping it, for transports that
        can wait without blocking (respx holds the body of an async response back)."""
        request = self._parse(method, url, headers, body, base_url)
        response = self.handle_request(request)
        return response, self.delay_for(request, response)

    def delay_for(self, request: Request, response: Response) -> float:
        """The longest delay any ``delays`` hook asks for this response, in seconds."""
        return max((hook(request, response) or 0.0 for hook in list(self.delays)), default=0.0)

    def _parse(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        body: bytes,
        base_url: str | None,
    ) -> Request:
        parts = urlsplit(url)
        path = unquote(parts.path) or "/"
        if base_url is None:
            base_url = f"{parts.scheme}://{parts.netloc}"
        else:
            base_url = base_url.rstrip("/")
            prefix = urlsplit(base_url).path
            if prefix and path.startswith(prefix):
                path = path[len(prefix) :] or "/"
        request = Request(
            method=method.upper(),
            base_url=base_url,
            path=path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in (headers or {}).items()},
            body=body or b"",
        )
        return request

    def handle_request(self, request: Request) -> Response:
        """Run the pipeline for an already-parsed request."""
        response = None
        for interceptor in list(self.interceptors):
            response = interceptor(request)
            if response is not None:
                break
        if response is None:
            with self.lock:
                now = self.clock.now_ms()
                response = self._check_auth(request) or self.route(request, now)
        else:
            now = self.clock.now_ms()
        for hook in list(self.after_handle):
            replaced = hook(request, response)
            if replaced is not None:
                response = replaced
        if "X-Server-Time" not in response.headers:
            headers = {**response.headers, "X-Server-Time": format_ms(now)}
            response = Response(response.status, headers, response.body)
        self.log.append(
            LoggedRequest(
                method=request.method,
                path=request.path,
                query=request.query,
                status=response.status,
                headers={k: v for k, v in request.headers.items() if k != "authorization"},
                body=request.body,
                server_time=response.headers["X-Server-Time"],
            )
        )
        return response

    def _check_auth(self, request: Request) -> Response | None:
        """401 unless the request carries an acceptable ``Authorization: Bearer <token>``.

        Literal ``None``/``null``/``undefined`` tokens are refused even when any token is
        accepted: they are a connector formatting a missing credential, not a credential.
        """
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        ok = (
            scheme.lower() == "bearer"
            and bool(token)
            and token not in _PLACEHOLDER_TOKENS
            and (self.tokens is None or token in self.tokens)
        )
        if ok:
            return None
        return error_response(401, "unauthorized", {"WWW-Authenticate": 'Bearer realm="api"'})

    def route(self, request: Request, now_ms: int) -> Response:
        """Handle an authenticated request at server time ``now_ms`` (called under ``lock``)."""
        raise NotImplementedError

    def between_pages(self, fn: Callable[[Request, Response], object]) -> AfterHook:
        """Call ``fn(request, response)`` after each listing page that has a next page.

        A thin ``after_handle`` registration for the commonest race: a write that lands while
        the client is paging. Returns the hook so a test can remove it again.
        """

        def hook(request: Request, response: Response) -> None:
            if 'rel="next"' in response.headers.get("Link", ""):
                fn(request, response)

        self.after_handle.append(hook)
        return hook

    # -- controls ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget requests, hooks and clock changes; subclasses also empty their state.

        ``tokens`` and ``base_url`` are construction-time configuration and are kept.
        """
        with self.lock:
            self.log.clear()
            self.interceptors.clear()
            self.after_handle.clear()
            self.delays.clear()
            self.clock.reset()

    # -- transports -------------------------------------------------------------------------

    def mock_httpx(
        self, *base_urls: str, allow_other_hosts: bool = False
    ) -> AbstractContextManager[respx.MockRouter]:
        """Route httpx (sync and async) traffic for ``base_urls`` (default ``base_url``) here.

        Other hosts fail loudly unless ``allow_other_hosts``; see ``respx_transport``.
        """
        return respx_transport.mock_httpx(self, *base_urls, allow_other_hosts=allow_other_hosts)

    def serve(self) -> AbstractContextManager[str]:
        """Serve on an ephemeral 127.0.0.1 port; the context value is ``http://127.0.0.1:PORT``."""
        return loopback.serve(self)
