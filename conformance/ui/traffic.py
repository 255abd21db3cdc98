"""HTTP traffic as the page shows it: the request pipeline's own `Exchange`s, redacted, in pages.

A method run keeps every exchange the pipeline finished (method_call's watcher, the same list
`syncpeng -v` prints), whatever client sent it and in whichever runtime: httpx, requests,
aiohttp, urllib in Python, node:http, fetch, XMLHttpRequest or `this.httpClient` in NodeJS.
Each one reaches the page with both sides' headers and bodies, how long it took, the client,
and where the answer came from (`source`: mock, live, replayed, injected, or refused/failed
when there was none). Nothing leaves here unredacted: headers through `Redactor.header_lines`
(credential-named headers hidden whole, every other value through the masker and the audit's
detectors), URLs through the masker's URL rule, bodies and failures through the Redactor.

A sync step's exchanges are grouped by page: each further listing request of the same call is
a page (the listing is the request method and path that the call repeats most; what comes
before its first request, a token fetch say, belongs to the first page).
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from conformance.http.message import Exchange
from conformance.ui.redact import Redactor

BODY_LIMIT = 200_000  # characters of a body sent to the page (it cuts at 20,000 itself)


def shown(exchanges: Sequence[Exchange], redact: Redactor) -> list[dict[str, Any]]:
    """Each exchange as the page draws it, in the order they finished."""
    return [_one(n, x, redact) for n, x in enumerate(exchanges, start=1)]


def _one(n: int, exchange: Exchange, redact: Redactor) -> dict[str, Any]:
    sent, answer = exchange.request, exchange.response
    item: dict[str, Any] = {
        "n": n,
        "method": sent.method,
        "url": redact(redact.masker.url(sent.url)),
        "client": sent.client or "http",
        "source": exchange.source,
        "ms": round(exchange.seconds * 1000, 1),
        "request_headers": redact.header_lines(sent.headers),
        "request_body": redact(_body(sent.body)),
        "status": None,
        "response_headers": "",
        "response_body": "",
        "failure": "",
    }
    if answer is None:
        failure = exchange.failure
        item["failure"] = redact(f"{failure.kind}: {failure.message}" if failure else "no answer")
    else:
        item["status"] = answer.status
        item["reason"] = answer.reason
        item["response_headers"] = redact.header_lines(answer.headers)
        item["response_body"] = redact(_body(answer.body))
    return item


def _body(body: bytes) -> str:
    """A body as text, JSON indented so a page of records reads line by line."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace")
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    if len(text) > BODY_LIMIT:
        text = text[:BODY_LIMIT] + f"... [cut: {len(text):,} characters in all]"
    return text


def _listing_key(item: dict[str, Any]) -> tuple[str, str]:
    parts = urlsplit(item["url"])
    return item["method"], f"{parts.netloc}{parts.path}"


def paged(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A call's exchanges (as `shown` made them) grouped by page.

    The listing request is the method and path the call sent most often (the first of them on
    a tie); each of its requests starts a page, and each page says the URL it asked for (the
    page's cursor or since-token is in it) and the next page's link the answer gave, if any.
    """
    if not items:
        return []
    counts = Counter(_listing_key(i) for i in items)
    listing = max(counts, key=lambda k: (counts[k], -_first(items, k)))
    pages: list[dict[str, Any]] = []
    for item in items:
        is_listing = _listing_key(item) == listing
        if not pages or (is_listing and pages[-1]["asked"]):
            pages.append({"n": len(pages) + 1, "asked": "", "next": "", "exchanges": []})
        pages[-1]["exchanges"].append(item)
        if is_listing:
            pages[-1]["asked"] = item["url"]
            pages[-1]["next"] = _next_link(item["response_headers"])
    return pages


def _first(items: list[dict[str, Any]], key: tuple[str, str]) -> int:
    return next(i for i, item in enumerate(items) if _listing_key(item) == key)


def _next_link(header_lines: str) -> str:
    """The `rel="next"` target of a Link header, as shown (already redacted)."""
    for line in header_lines.splitlines():
        name, _, value = line.partition(": ")
        if name.lower() != "link":
            continue
        for part in value.split(","):
            if 'rel="next"' in part or "rel=next" in part:
                return part.split(";")[0].strip().strip("<>")
    return ""
