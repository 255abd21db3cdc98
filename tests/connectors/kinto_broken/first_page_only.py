"""getUpdates reads one page of 1 record and ignores Next-Page, yet advances to the ETag."""

from kinto_correct import Correct


class DataSource(Correct):
    async def init(self, account):
        await super().init({**account, "pageSize": 1})

    async def get_updates(self, last_sync):
        params = {"_sort": "last_modified", "_limit": 1}
        if last_sync:
            params["_since"] = last_sync["since"]
        response = await self._send("GET", self.records, params=params)
        response.raise_for_status()
        entries = [
            {"id": r["id"], "type": "delete" if r.get("deleted") else "upsert", "value": r}
            for r in response.json()["data"]
        ]
        return {"nextSync": {"since": response.headers["ETag"].strip('"')}, "entries": entries}
