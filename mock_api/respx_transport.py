"""In-process transport: route httpx traffic for a base URL into a mock's ``handle()``.

respx patches httpx's transports, so both ``httpx.Client`` and ``httpx.AsyncClient`` created
anywhere (inside the connector, too) reach the mock without a socket. This is the fast path the
harness uses by default.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import httpx
import respx

from mock_api.wire import Response


class Handles(Protocol):
    """Anything that answers framework-free requests (a ``MockAPI``)."""

    base_url: str

    def handle(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        base_url: str | None = None,
    ) -> Response: ...

    def handle_timed(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        base_url: str | None = None,
    ) -> tuple[Response, float]: ...


class _LateBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that arrives ``delay`` seconds late.

    respx gives a side effect no way to know whether an async client is waiting, so the wait
    lives in the body stream: an AsyncClient awaits it (its event loop, and any timeout around
    the call, keep running), a sync Client sleeps.
    """

    def __init__(self, body: bytes, delay: float) -> None:
        self._body = body
        self._delay = delay

    def __iter__(self) -> Iterator[bytes]:
        time.sleep(self._delay)
        yield self._body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        await asyncio.sleep(self._delay)
        yield self._body


def handler_for(api: Handles, base: str) -> Callable[[httpx.Request], httpx.Response]:
    """The httpx request handler that answers requests under ``base`` from ``api``.

    ``mock_httpx`` gives it to respx as a route's side effect; it also works on its own as
    ``httpx.MockTransport(handler_for(api, base))``, which is how the benchmark measures the
    floor respx is compared with.
    """

    def side_effect(request: httpx.Request) -> httpx.Response:
        # ``Headers.items()`` builds the dict in one pass (repeated names joined with ", ", as
        # ``dict(headers)`` would); ``dict(headers)`` rescans every header for each name.
        headers = dict(request.headers.items())
        resp, delay = api.handle_timed(
            request.method, str(request.url), headers, request.content, base_url=base
        )
        # Bound to its request, a response is used as it is: respx clones an unbound one (a
        # second Response and a copy of its headers) so that a reused canned answer stays intact.
        if delay > 0:
            late = _LateBody(resp.body, delay)
            return httpx.Response(resp.status, headers=resp.headers, stream=late, request=request)
        return httpx.Response(resp.status, headers=resp.headers, content=resp.body, request=request)

    return side_effect


def _lookups(base: str) -> dict[str, object]:
    """respx lookups that match exactly the URLs under ``base``.

    Scheme, host and port are compared as parsed fields, so https://api.cats.test.evil/ and a
    foreign URL that merely carries the base in its query are not ours; a path prefix must end
    on a segment boundary (/v2 does not claim /v20).
    """
    url = httpx.URL(base)
    lookups: dict[str, object] = {"scheme": url.scheme, "host": url.host}
    lookups["port"] = url.port or {"http": 80, "https": 443}.get(url.scheme)
    if url.path.rstrip("/"):
        lookups["path__regex"] = re.compile(r"\A" + re.escape(url.path.rstrip("/")) + r"(?:/|\Z)")
    return lookups


@contextmanager
def mock_httpx(
    api: Handles, *base_urls: str, allow_other_hosts: bool = False
) -> Iterator[respx.MockRouter]:
    """Route ``base_urls`` (default: the API's own ``base_url``) to ``api`` while active.

    By default every other host fails loudly (respx ``assert_all_mocked``), because a connector
    that quietly reaches a real or mistyped host under test is a bug worth seeing; pass
    ``allow_other_hosts=True`` to let such requests through to the network instead. Routes are
    never required to be called (``assert_all_called=False``). Yields the respx router so a
    test can add routes of its own or inspect ``router.calls``.
    """
    # using="httpx": respx swaps the client's transport for a MockTransport, so requests reach
    # the mock as the client built them. The default ("httpcore") patches httpx's connection
    # pool instead and converts every request to httpcore's model and back, about a quarter of
    # the cost of a mocked request (benchmarks/bench_mock_api.py).
    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True, using="httpx")
    for base in base_urls or (api.base_url,):
        base = base.rstrip("/")
        router.route(**_lookups(base)).mock(side_effect=handler_for(api, base))
    if allow_other_hosts:
        router.route().pass_through()
    with router:
        yield router
