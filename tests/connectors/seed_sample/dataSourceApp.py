"""The seed's sample data source module (the cats API), ported from NodeJS as faithfully as its
logic allows. Kept with its defects on purpose: the harness must report each one by check ID.

- getUpdates takes nextSync from the local clock *before* querying (`new Date()`);
- it filters `lastModified ge <lastSync>` with whatever lastSync is (None on the first sync);
- it reads one page only, never asks for deletions, and returns the key `entires`;
- `this.httpClient` throws on any non-2xx answer, so get of a missing id throws too.

ruff is told to leave this folder alone (pyproject.toml), so the port can stay close to the JS.
"""

from datetime import datetime, timezone

import httpx


class HttpClient:
    """The seed's `this.httpClient`: JSON in and out, throws on any non-2xx answer."""

    def __init__(self, baseUrl):
        self.client = httpx.AsyncClient(base_url=baseUrl)

    def setHeader(self, name, value):
        self.client.headers[name] = value

    async def _send(self, method, url, body=None):
        response = await self.client.request(method, url, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    async def get(self, url): return await self._send("GET", url)
    async def post(self, url, body): return await self._send("POST", url, body)
    async def patch(self, url, body): return await self._send("PATCH", url, body)
    async def delete(self, url): return await self._send("DELETE", url)


def toISOString(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


class DataSource:
    async def init(self, account):
        self.httpClient = HttpClient(account.get("baseUrl", "https://api.cats.test"))
        self.httpClient.setHeader('Authorization', 'Bearer ' + account["apiToken"])

    async def get(self, id):
        return await self.httpClient.get(f"/cats/{id}")

    async def insert(self, value):
        cat = await self.httpClient.post(f"/cats", value)
        return {
            "id": cat["id"]
        }

    async def patch(self, id, value):
        await self.httpClient.patch(f"/cats/{id}", value)

    async def delete(self, id):
        await self.httpClient.delete(f"/cats/{id}")

    async def getUpdates(self, lastSync):
        nextSync = toISOString(datetime.now(timezone.utc))
        response = await self.httpClient.get(f"/cats?q=lastModified ge {lastSync}")

        return {
            "nextSync": nextSync,
            "entires": [{
                "id": v["id"],
                "type": 'upsert',
                "value": v
            } for v in response]
        }

    async def aclose(self):
        await self.httpClient.client.aclose()
