"""A data source module for the cats API, written by `syncpeng init -d`.

The platform creates one `DataSource` per execution scope, calls `init(account)` once, then any
number of the five actions. Each action below says which block of in.json feeds it when you run
it with `syncpeng <command>` (add `--mock` to talk to the bundled fake cats API, no account
needed; `syncpeng test` runs the whole conformance suite on this folder).

It follows the seed tutorial's sample, with the sample's data-losing bugs fixed:
- getUpdates takes `nextSync` from the server's clock (the X-Server-Time header), not ours: a
  clock behind the server's, or a write between our clock read and the query, would be missed.
- It queries `lastModified ge <since>` and remembers what it already delivered in that
  millisecond, so a same-millisecond write is neither lost (`gt`) nor re-sent forever (`ge`).
- It follows `Link: rel="next"` to the last page, and asks for deletions (includeDeleted=true).
- It returns the key `entries` (the sample's `entires` is never read by the platform).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import ssl
from typing import Any

import httpx

DEFAULT_BASE_URL = "https://api.cats.test"
RETRYABLE = {429, 500, 502, 503, 504}  # the API says "try again": retry, never skip
MAX_ATTEMPTS = 4


class DataSource:
    async def init(self, account: dict[str, Any]) -> None:
        """`syncpeng init`: account.json, merged with in.json's "init" block.

        Sets the API token that is then sent as a header with every request.
        """
        token = account.get("apiToken")
        if not token:
            raise ValueError("account.json needs an apiToken")
        self.client = httpx.AsyncClient(
            base_url=account.get("baseUrl", DEFAULT_BASE_URL),
            headers={"Authorization": f"Bearer {token}"},
            timeout=account.get("timeoutSeconds", 30),
            verify=_tls_context(),
        )

    async def get(self, id: str) -> dict[str, Any] | None:
        """`syncpeng get`, in.json {"get": {"id": ...}}: the record, or None if there is none."""
        response = await self._send("GET", f"/cats/{id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    async def insert(self, value: dict[str, Any]) -> dict[str, str]:
        """`syncpeng insert`, in.json {"insert": {"value": {...}}}: returns {"id": <new id>}."""
        response = await self._send("POST", "/cats", json=value)
        response.raise_for_status()
        return {"id": response.json()["id"]}

    async def patch(self, id: str, value: dict[str, Any]) -> None:
        """`syncpeng patch`, in.json {"patch": {"id": ..., "value": {...}}}.

        Only the fields given change; the API's PATCH is partial, so one request is enough.
        """
        response = await self._send("PATCH", f"/cats/{id}", json=value)
        response.raise_for_status()

    async def delete(self, id: str) -> None:
        """`syncpeng delete`, in.json {"delete": {"id": ...}}. Deleting twice is not an error."""
        response = await self._send("DELETE", f"/cats/{id}")
        if response.status_code == 404:
            return
        response.raise_for_status()

    async def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        """`syncpeng getupdates`, in.json {"getupdates": {"lastSync": null}} for a first sync.

        The token is {"since": <server time>, "seen": {id: digest}}: `seen` holds what was
        delivered at or after `since`, so the next query can start at `since` inclusive and
        skip exactly those. Paste a returned nextSync into lastSync to see the next changes.
        """
        since = last_sync["since"] if last_sync else None
        seen = last_sync.get("seen", {}) if last_sync else {}
        params = {"includeDeleted": "true"}
        if since:
            params["q"] = f"lastModified ge {since}"
        response = await self._send("GET", "/cats", params=params)
        response.raise_for_status()
        next_since = response.headers["X-Server-Time"]
        entries, next_seen = [], {}
        while True:
            for record in response.json():
                digest = _digest(record)
                if record["lastModified"] >= next_since:
                    next_seen[record["id"]] = digest
                if seen.get(record["id"]) == digest:
                    continue  # delivered by the previous sync already
                kind = "delete" if record.get("deleted") else "upsert"
                entries.append({"id": record["id"], "type": kind, "value": record})
            next_page = response.links.get("next")
            if not next_page:
                break
            response = await self._send("GET", next_page["url"])
            response.raise_for_status()
        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}

    async def aclose(self) -> None:
        """Called at the end of an execution scope: release the HTTP connections."""
        await self.client.aclose()

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, retried while the API answers that it is busy or failing."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = await self.client.request(method, url, **kwargs)
            if response.status_code not in RETRYABLE or attempt == MAX_ATTEMPTS:
                return response
            await asyncio.sleep(_retry_delay(response, attempt))
        raise AssertionError("unreachable")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context for the whole process, built on first use.

    A client is made per execution scope, and httpx would otherwise load the CA bundle for each
    one (tens of milliseconds, more than the scope's requests often take). httpx's helper keeps
    its defaults: certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set. A context can be
    shared by any number of clients and event loops.
    """
    return httpx.create_ssl_context()


def _retry_delay(response: httpx.Response, attempt: int) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "")), 2.0)
    except ValueError:
        return 0.05 * 2**attempt


def _digest(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:12]
