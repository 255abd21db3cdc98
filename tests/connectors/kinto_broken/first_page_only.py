"""getUpdates asks for pages of the account's pageSize, reads the first and ignores Next-Page.

It advances to the ETag all the same, so every change past the first page is lost. With a
handful of records a real Kinto never pages, so this passes live until conformance.toml names
the page-size parameter (`[live] page_size_param = "_limit"`) and the harness makes pages small.
"""

from kinto_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        params = {"_sort": "last_modified", "_limit": self.page_size or 100}
        if last_sync:
            params["_since"] = last_sync["since"]
        response = await self._send("GET", self.records, params=params)
        response.raise_for_status()
        entries = [
            {"id": r["id"], "type": "delete" if r.get("deleted") else "upsert", "value": r}
            for r in response.json()["data"]
        ]
        return {"nextSync": {"since": response.headers["ETag"].strip('"')}, "entries": entries}
