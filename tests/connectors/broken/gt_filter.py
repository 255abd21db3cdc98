"""Filters `lastModified gt <newest lastModified delivered>`: the classic same-millisecond loss.

A record written in the same millisecond as the newest one already delivered, but after that
sync, is never strictly greater than the token.
"""

from cats_correct import Correct, fetch_changes


class DataSource(Correct):
    async def get_updates(self, last_sync):
        params = {"includeDeleted": "true"}
        if last_sync:
            params["q"] = f"lastModified gt {last_sync}"
        records, _ = await fetch_changes(self, params)
        newest = max((r["lastModified"] for r in records), default=last_sync)
        entries = [
            {"id": r["id"], "type": "delete" if r.get("deleted") else "upsert", "value": r}
            for r in records
        ]
        return {"nextSync": newest, "entries": entries}
