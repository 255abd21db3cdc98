"""Small pages on a real API: rewrite the connector's page-size parameter, count pages crossed.

A check creates a handful of records; a real API serves them in one page of 100, so a connector
that reads only the first page passes. When conformance.toml names the query parameter the
connector sends its page size in (`[live] page_size_param = "_limit"`), the live, record and
replay backends set it to `[live] page_size` (default 1) on every outgoing request that carries
it, so the same handful spans several pages. Decisions, each for a reason:

- Only a request that carries the parameter is rewritten; it is never added. On a single-record
  read or a write, an extra query parameter can be refused by a strict API, which would be a
  harness-made failure. So a connector is exercised when it sends its page size itself (most do,
  to ask for the API's largest page); the API usually repeats the parameter in its next-page
  links, which the rewrite then keeps small. A repeated parameter becomes one.
- The rewrite sits above the HTTP recorder (httpx's `send`), so cassettes hold the rewritten
  requests; replay applies the same rewrite, with the page size stored in the cassette rather
  than today's conformance.toml, so a recording replays as it was made. Every runtime's HTTP
  passes through here: Python and NodeJS connectors that run out of process have their requests
  performed by the harness's httpx (conformance/connector/http_relay.py).
- A page boundary is crossed when, within one connector call, the connector sends a second
  request carrying the parameter to another URL than the one before it (the next page; a retry
  of the same URL is not). Counted from the requests alone, whatever the API's paging style
  (a Next-Page header, a Link header, a cursor in the body), and only where the parameter
  marks a listing. A connector that lists two endpoints in one call would count the second
  as a page; a connector that pages without the parameter counts nothing (its verdict says
  "not exercised", the honest side to err on).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock
from urllib.parse import unquote_plus

import httpx


@dataclass(frozen=True)
class PageSize:
    """The query parameter a connector sends its page size in, and the size to set it to."""

    param: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"param": self.param, "size": self.size}

    @classmethod
    def from_json(cls, data: Any) -> PageSize | None:
        """As a cassette stores it; None when it stores none (recorded without the setting)."""
        if not isinstance(data, dict):
            return None
        param, size = data.get("param"), data.get("size")
        if isinstance(param, str) and param and isinstance(size, int) and size >= 1:
            return cls(param, size)
        return None


def rewrite_query(query: str, page: PageSize) -> str | None:
    """`query` (raw, percent-encoded) with `page.param` set to `page.size`, or None when the
    parameter is absent. Every other byte stays as the connector sent it; a repeated
    parameter becomes one, where it first appeared."""
    parts = query.split("&") if query else []
    out: list[str] = []
    found = False
    for part in parts:
        name = unquote_plus(part.split("=", 1)[0])
        if name != page.param:
            out.append(part)
        elif not found:
            found = True
            out.append(f"{part.split('=', 1)[0]}={page.size}")
    return "&".join(out) if found else None


class Pager:
    """Rewrites the page size on outgoing requests (when a page size is set) and counts the
    pages crossed, one connector call at a time (`new_call`)."""

    def __init__(self, page: PageSize | None) -> None:
        self.page = page
        self.crossed = 0
        self.rewritten = 0
        self._previous: str | None = None  # the last listing URL of the current call

    def new_call(self) -> None:
        """A connector call begins: its first listing request starts a new run of pages."""
        self._previous = None

    def outgoing(self, request: httpx.Request) -> None:
        """Rewrite `request` in place and count it; called for every request sent."""
        if self.page is None:
            return
        query = request.url.query.decode("ascii", errors="replace")
        rewritten = rewrite_query(query, self.page)
        if rewritten is None:
            return
        if rewritten != query:
            request.url = request.url.copy_with(query=rewritten.encode("ascii"))
        self.rewritten += 1
        url = str(request.url)
        if self._previous is not None and url != self._previous:
            self.crossed += 1
        self._previous = url

    def unfollowed(self) -> str:
        """A hint for a failed check that asked for small pages and never crossed one, or ""."""
        if self.page is None or not self.rewritten or self.crossed:
            return ""
        return (
            f"hint: the harness set {self.page.param}={self.page.size} on {self.rewritten} "
            "listing request(s) and the connector never asked for a second page within a call; "
            "does getUpdates follow the API's next-page link or cursor until the last page?"
        )

    @contextmanager
    def active(self) -> Iterator[Pager]:
        """Rewrite every request httpx sends (sync and async clients) while the block runs."""
        if self.page is None:
            yield self
            return
        sync_send, async_send = httpx.Client.send, httpx.AsyncClient.send
        pager = self

        def send(client: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
            pager.outgoing(request)
            return sync_send(client, request, **kwargs)

        async def asend(
            client: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
        ) -> httpx.Response:
            pager.outgoing(request)
            return await async_send(client, request, **kwargs)

        with (
            mock.patch.object(httpx.Client, "send", send),
            mock.patch.object(httpx.AsyncClient, "send", asend),
        ):
            yield self
