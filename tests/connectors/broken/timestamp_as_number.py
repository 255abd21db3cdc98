"""get and getUpdates hand lastModified over as epoch milliseconds, where schema.json says string.

A server-set field, so no round trip compares it: only records.schema sees the number."""

from cats_correct import Correct


def _as_number(record):
    if isinstance(record, dict) and isinstance(record.get("lastModified"), str):
        return {**record, "lastModified": 1733000000000}
    return record


class DataSource(Correct):
    async def get(self, id):
        return _as_number(await super().get(id))

    async def get_updates(self, last_sync):
        result = await super().get_updates(last_sync)
        for entry in result.get("entries", []):
            if entry.get("value") is not None:
                entry["value"] = _as_number(entry["value"])
        return result
