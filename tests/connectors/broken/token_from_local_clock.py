"""nextSync comes from the connector's own clock, taken before the query (as the seed does).

Correct otherwise (pagination, tombstones, a `ge` filter that skips what it already sent): only
a server clock that runs behind ours loses changes, because their lastModified falls before
our token.
"""

from datetime import datetime, timezone

from cats_correct import Correct, _module, fetch_changes


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class DataSource(Correct):
    async def get_updates(self, last_sync):
        since, seen = (last_sync["since"], last_sync["seen"]) if last_sync else (None, {})
        next_since = _now()  # the seed's defect: our clock, not the server's
        params = {"includeDeleted": "true"}
        if since:
            params["q"] = f"lastModified ge {since}"
        records, _ = await fetch_changes(self, params)
        entries, next_seen = [], {}
        for record in records:
            digest = _module._digest(record)
            if record["lastModified"] >= next_since:
                next_seen[record["id"]] = digest
            if seen.get(record["id"]) == digest:
                continue
            kind = "delete" if record.get("deleted") else "upsert"
            entries.append({"id": record["id"], "type": kind, "value": record})
        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}
