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
- The rewrite is a step of the request pipeline ahead of the recorder (conformance/http), so
  cassettes hold the rewritten requests; replay applies the same rewrite, with the page size
  stored in the cassette rather than today's conformance.toml, so a recording replays as it was
  made. Every request of every runtime and client passes through it.
- A page boundary is crossed when, within one connector call, the connector sends a second
  request carrying the parameter to another URL than the one before it (the next page; a retry
  of the same URL is not). Counted from the requests alone, whatever the API's paging style
  (a Next-Page header, a Link header, a cursor in the body), and only where the parameter
  marks a listing. A connector that lists two endpoints in one call would count the second
  as a page; a connector that pages without the parameter counts nothing (its verdict says
  "not exercised", the honest side to err on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from conformance.http.message import Request, Response
from conformance.http.pipeline import Send

# Query parameters many APIs take a page size in. Without `[live] page_size_param`, the first of
# these a listing (GET) request carries with a whole-number value is taken as if named.
COMMON_PAGE_PARAMS = (
    "limit", "_limit", "per_page", "perPage", "page_size", "pageSize", "pagesize", "$top",
    "top", "maxResults", "max_results", "count", "size",
)  # fmt: skip
GUESS_OFF = "[live] guess_page_size = false in conformance.toml turns it off"


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
    """A pipeline step: rewrites the page size on outgoing requests (when a page size is set)
    and counts the pages crossed, one connector call at a time (`new_call`)."""

    def __init__(self, page: PageSize | None, *, guess_size: int | None = None) -> None:
        """`guess_size`: with no `page`, take a common page-size parameter (COMMON_PAGE_PARAMS)
        from the first listing request that carries one, and set it to this size."""
        self.page = page
        self.guess_size = guess_size if page is None else None
        self.guessed: str | None = None  # the parameter taken without a setting
        self.crossed = 0
        self.rewritten = 0
        self._previous: str | None = None  # the last listing URL of the current call

    def new_call(self) -> None:
        """A connector call begins: its first listing request starts a new run of pages."""
        self._previous = None

    def __call__(self, request: Request, send: Send) -> Response:
        """The pipeline step: rewrite the page size, count the page, pass the request on."""
        self.outgoing(request)
        return send(request)

    def outgoing(self, request: Request) -> None:
        """Rewrite `request` in place and count it; called for every request sent."""
        if self.page is None and self.guess_size is not None and request.method == "GET":
            self._guess(urlsplit(request.url).query)
        if self.page is None:
            return
        parts = urlsplit(request.url)
        rewritten = rewrite_query(parts.query, self.page)
        if rewritten is None:
            return
        if rewritten != parts.query:
            request.url = urlunsplit(parts._replace(query=rewritten))
        self.rewritten += 1
        url = request.url
        if self._previous is not None and url != self._previous:
            self.crossed += 1
        self._previous = url

    def _guess(self, query: str) -> None:
        present = {}
        for part in query.split("&") if query else []:
            name, _, value = part.partition("=")
            present.setdefault(unquote_plus(name), unquote_plus(value))
        for name in COMMON_PAGE_PARAMS:
            value = present.get(name)
            if value is not None and value.isdigit() and int(value) >= 1:
                assert self.guess_size is not None
                self.page = PageSize(name, self.guess_size)
                self.guessed = name
                return

    def coverage(self) -> dict[str, int]:
        """The guessed parameter, said in the coverage line with how to turn the guess off."""
        if self.guessed is None:
            return {}
        return {
            f"listing requests with {self.guessed} taken as the page size ({GUESS_OFF})": (
                self.rewritten
            )
        }

    def unfollowed(self) -> str:
        """A hint for a failed check that asked for small pages and never crossed one, or ""."""
        if self.page is None or not self.rewritten or self.crossed:
            return ""
        return (
            f"hint: the harness set {self.page.param}={self.page.size} on {self.rewritten} "
            "listing request(s) and the connector never asked for a second page within a call; "
            "does getUpdates follow the API's next-page link or cursor until the last page?"
        )
