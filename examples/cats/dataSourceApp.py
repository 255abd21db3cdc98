"""A correct connector for the cats API: the seed's sample with its data-losing bugs fixed.

What the seed's sample gets wrong, and how this one avoids it:
- It takes nextSync from its own clock before querying: a server clock behind ours, or a write
  between the two, falls outside the next query. We take the server's clock (X-Server-Time).
- It filters with `ge` and nothing else, re-delivering boundary records forever, or with `gt`
  it would lose same-millisecond writes. We query `ge` and remember what we already delivered
  at or after the boundary, so nothing is lost and nothing is delivered twice.
- It reads one page. We follow the `Link: rel="next"` cursor to the end.
- It never reports deletions. We ask for tombstones (includeDeleted=true).
- It returns `entires`. The platform reads `entries`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import httpx

DEFAULT_BASE_URL = "https://api.cats.test"
RETRYABLE = {429, 500, 502, 503, 504}
MAX_ATTEMPTS = 4


class DataSource:
    async def init(self, account: dict[str, Any]) -> None:
        token = account.get("apiToken")
        if not token:
            raise ValueError("account.json needs an apiToken")
        self.client = httpx.AsyncClient(
            base_url=account.get("baseUrl", DEFAULT_BASE_URL),
            headers={"Authorization": f"Bearer {token}"},
            timeout=account.get("timeoutSeconds", 30),
        )

    async def get(self, id: str) -> dict[str, Any] | None:
        response = await self._send("GET", f"/cats/{id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    async def insert(self, value: dict[str, Any]) -> dict[str, str]:
        response = await self._send("POST", "/cats", json=value)
        response.raise_for_status()
        return {"id": response.json()["id"]}

    async def patch(self, id: str, value: dict[str, Any]) -> None:
        response = await self._send("PATCH", f"/cats/{id}", json=value)
        response.raise_for_status()

    async def delete(self, id: str) -> None:
        response = await self._send("DELETE", f"/cats/{id}")
        if response.status_code == 404:
            return  # already gone: deleting twice is not an error for the platform
        response.raise_for_status()

    async def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        """Changes since `last_sync`, a token {"since": <server time>, "seen": {id: digest}}.

        `seen` holds what we delivered at or after `since`; the next query starts at `since`
        inclusive (nothing written in that millisecond is lost) and skips exactly those.
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
                    continue
                deleted = record.get("deleted", False)
                entries.append(
                    {"id": record["id"], "type": "delete" if deleted else "upsert", "value": record}
                )
            next_page = response.links.get("next")
            if not next_page:
                break
            response = await self._send("GET", next_page["url"])
            response.raise_for_status()
        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Retry what the API says is transient; give up loudly rather than skip changes."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = await self.client.request(method, url, **kwargs)
            if response.status_code not in RETRYABLE or attempt == MAX_ATTEMPTS:
                return response
            await asyncio.sleep(_retry_after(response, attempt))
        raise AssertionError("unreachable")


def _retry_after(response: httpx.Response, attempt: int) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "")), 2.0)
    except ValueError:
        return 0.05 * 2**attempt


def _digest(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:12]
