"""examples/kinto with the seed's getUpdates pattern: the sync token is this module's own clock.

The seed says "Usually lastSync is simply the timestamp of the last time sync happened", and its
sample takes nextSync from the module's clock. Here getUpdates reads `int(time.time() * 1000)`
BEFORE its query and hands it back as the token, sent as `_since` next time: a change made while
the query runs is sent again rather than lost (at least once). Only replay's handing back of the
recorded clock reads lets such a module replay: its `_since` is whatever its clock said.
Everything else is examples/kinto/dataSourceApp.py unchanged.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

RETRYABLE = {429, 502, 503, 504}


class DataSource:
    async def init(self, account: dict[str, Any]) -> None:
        for key in ("baseUrl", "username", "password"):
            if not account.get(key):
                raise ValueError(f"account.json needs {key}")
        base = account["baseUrl"].rstrip("/")
        bucket = account.get("bucket", "default")
        collection = account.get("collection", "tasks")
        self.records = f"{base}/buckets/{bucket}/collections/{collection}/records"
        self.page_size = int(account.get("pageSize", 0)) or None
        self.client = httpx.AsyncClient(
            auth=(account["username"], account["password"]),
            timeout=account.get("timeoutSeconds", 30),
        )

    async def get(self, id: str) -> dict[str, Any] | None:
        response = await self._send("GET", f"{self.records}/{id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()["data"]

    async def insert(self, value: dict[str, Any]) -> dict[str, str]:
        response = await self._send("POST", self.records, json={"data": value})
        response.raise_for_status()
        return {"id": response.json()["data"]["id"]}

    async def patch(self, id: str, value: dict[str, Any]) -> None:
        response = await self._send("PATCH", f"{self.records}/{id}", json={"data": value})
        response.raise_for_status()

    async def delete(self, id: str) -> None:
        response = await self._send("DELETE", f"{self.records}/{id}")
        if response.status_code == 404:
            return  # already gone: deleting twice is not an error for the platform
        response.raise_for_status()

    async def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        since = int(time.time() * 1000)  # before the query: nothing is lost between the two
        params: dict[str, Any] = {"_sort": "last_modified"}
        if last_sync:
            params["_since"] = last_sync["since"]
        if self.page_size:
            params["_limit"] = self.page_size
        response = await self._send("GET", self.records, params=params)
        response.raise_for_status()
        entries = []
        while True:
            for record in response.json()["data"]:
                deleted = record.get("deleted", False)
                entries.append(
                    {"id": record["id"], "type": "delete" if deleted else "upsert", "value": record}
                )
            next_page = response.headers.get("Next-Page")
            if not next_page:
                break
            response = await self._send("GET", next_page)
            response.raise_for_status()
        return {"nextSync": {"since": since}, "entries": entries}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        for _ in range(3):
            response = await self.client.request(method, url, **kwargs)
            if response.status_code not in RETRYABLE:
                return response
        return response
