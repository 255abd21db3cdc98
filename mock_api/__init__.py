"""Fake SaaS APIs that connectors talk to under test. Imports nothing from ``conformance``.

Getting one::

    from mock_api import load_mock, CatsAPI
    api = load_mock("cats")(tokens={"t0ken"})   # or "pkg.module:factory"; LookupError if unknown
    api = CatsAPI(tokens=None, page_size=50, base_url="https://api.cats.test")

Reaching it::

    with api.mock_httpx():            # httpx.Client and AsyncClient, in-process via respx;
        ...                           # other hosts fail loudly (allow_other_hosts=True to relax)
    with api.serve() as base_url:     # real HTTP on http://127.0.0.1:PORT, any client
        ...
    resp = api.handle("GET", "https://api.cats.test/cats", {"Authorization": "Bearer x"}, b"")
    resp.status, resp.headers, resp.body, resp.json()

Controls (all mutable at any time)::

    api.tokens        set of accepted bearer tokens, or None = any non-empty token
    api.page_size     default listing limit (initially 50; clients may ask for 1-100)
    api.clock         ServerClock: offset_ms (skew, may be negative), freeze(at_ms=None),
                      advance(ms), unfreeze(), now_ms(), now(); lastModified = clock at write
    api.log           list[LoggedRequest(method, path, query, status, headers, body,
                      server_time)], Authorization stripped; api.log.clear()
    api.interceptors  list of fn(Request) -> Response | None, run before auth/handling;
                      a response short-circuits (e.g. json_response(429, {...},
                      {"Retry-After": "1"}))
    api.after_handle  list of fn(Request, Response) -> Response | None, run after the handler
                      and outside the lock, before the client sees the response: land a
                      concurrent write "between request and response" or between pages
    api.delays        list of fn(Request, Response) -> seconds | None: hold a finished
                      response back (slow server or network; the write is already done).
                      respx: an AsyncClient awaits it (timeouts around the call still fire);
                      loopback and direct handle(): the answering thread sleeps
    api.between_pages(fn)  after_handle helper: fn(request, response) only for listing pages
                      that have a next page
    api.reset()       empty store, log, hooks; real clock; initial page size (tokens kept)

Oracle and "another client" (bypass HTTP, log and hooks)::

    api.records() / api.tombstones() / api.record(id)     true state, sorted, copies
    api.create_as_other(fields, id=None) / api.patch_as_other(id, fields) /
    api.delete_as_other(id)                                 validated like HTTP writes

Every response, errors included, carries ``X-Server-Time`` (server clock, lastModified format).
The cats API itself is specified in ``mock_api.cats``; wire helpers live in ``mock_api.wire``.
"""

from mock_api.base import AfterHook, Delay, Interceptor, MockAPI
from mock_api.cats import CatsAPI
from mock_api.cats_schema import InvalidCat
from mock_api.clock import ServerClock
from mock_api.registry import BUNDLED, MockFactory, load_mock
from mock_api.timefmt import format_ms, parse_ms
from mock_api.wire import (
    LoggedRequest,
    Request,
    Response,
    empty_response,
    error_response,
    json_response,
)

__all__ = [
    "BUNDLED",
    "AfterHook",
    "CatsAPI",
    "Delay",
    "Interceptor",
    "InvalidCat",
    "LoggedRequest",
    "MockAPI",
    "MockFactory",
    "Request",
    "Response",
    "ServerClock",
    "empty_response",
    "error_response",
    "format_ms",
    "json_response",
    "load_mock",
    "parse_ms",
]
