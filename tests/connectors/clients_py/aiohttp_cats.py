"""examples/cats written the ordinary way with `aiohttp`: async methods, one `ClientSession`
per execution scope, created in init and closed in aclose, retrying the API's "try again"
answers (429, 5xx) itself.

The harness catches the session's requests (conformance/http/stubs) and answers them from the
check's pipeline: nothing in this file knows it is under test.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import aiohttp

DEFAULT_BASE_URL = "https://api.cats.test"
RETRYABLE = {429, 500, 502, 503, 504}
MAX_ATTEMPTS = 4


class Answer:
    """What a request returned, read while its connection was open."""

    def __init__(self, status: int, headers: Any, links: Any, body: bytes) -> None:
        self.status, self.headers, self.links, self.body = status, headers, links, body

    def json(self) -> Any:
        return json.loads(self.body)

    def raise_for_status(self, method: str, url: str) -> None:
        if self.status >= 400:
            raise RuntimeError(f"{method} {url} answered {self.status}: {self.body[:200]!r}")


class DataSource:
    async def init(self, account: dict[str, Any]) -> None:
        token = account.get("apiToken")
        if not token:
            raise ValueError("account.json needs an apiToken")
        self.base = account.get("baseUrl", DEFAULT_BASE_URL).rstrip("/")
        self.session = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {token}"},
            timeout=aiohttp.ClientTimeout(total=account.get("timeoutSeconds", 30)),
        )

    async def get(self, id: str) -> dict[str, Any] | None:
        answer = await self._send("GET", f"/cats/{id}")
        if answer.status == 404:
            return None
        answer.raise_for_status("GET", f"/cats/{id}")
        return answer.json()

    async def insert(self, value: dict[str, Any]) -> dict[str, str]:
        answer = await self._send("POST", "/cats", json=value)
        answer.raise_for_status("POST", "/cats")
        return {"id": answer.json()["id"]}

    async def patch(self, id: str, value: dict[str, Any]) -> None:
        answer = await self._send("PATCH", f"/cats/{id}", json=value)
        answer.raise_for_status("PATCH", f"/cats/{id}")

    async def delete(self, id: str) -> None:
        answer = await self._send("DELETE", f"/cats/{id}")
        if answer.status == 404:
            return
        answer.raise_for_status("DELETE", f"/cats/{id}")

    async def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        since = last_sync["since"] if last_sync else None
        seen = last_sync.get("seen", {}) if last_sync else {}
        params = {"includeDeleted": "true"}
        if since:
            params["q"] = f"lastModified ge {since}"
        answer = await self._send("GET", "/cats", params=params)
        answer.raise_for_status("GET", "/cats")
        next_since = answer.headers["X-Server-Time"]
        entries, next_seen = [], {}
        while True:
            for record in answer.json():
                digest = _digest(record)
                if record["lastModified"] >= next_since:
                    next_seen[record["id"]] = digest
                if seen.get(record["id"]) == digest:
                    continue
                kind = "delete" if record.get("deleted") else "upsert"
                entries.append({"id": record["id"], "type": kind, "value": record})
            next_page = self._next_page(answer)
            if not next_page:
                break
            answer = await self._send("GET", next_page)
            answer.raise_for_status("GET", next_page)
        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}

    async def aclose(self) -> None:
        await self.session.close()

    async def _send(self, method: str, path_or_url: str, **kwargs: Any) -> Answer:
        url = path_or_url if "://" in path_or_url else self.base + path_or_url
        for attempt in range(1, MAX_ATTEMPTS + 1):
            async with self.session.request(method, url, **kwargs) as response:
                body = await response.read()
                answer = Answer(response.status, response.headers, response.links, body)
            if answer.status not in RETRYABLE or attempt == MAX_ATTEMPTS:
                return answer
            await asyncio.sleep(_retry_delay(answer, attempt))
        raise AssertionError("unreachable")

    def _next_page(self, answer: Answer) -> str | None:
        link = answer.links.get("next")
        return str(link["url"]) if link else None


def _retry_delay(answer: Answer, attempt: int) -> float:
    try:
        return min(float(answer.headers.get("Retry-After", "")), 2.0)
    except ValueError:
        return 0.05 * 2**attempt


def _digest(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:12]
