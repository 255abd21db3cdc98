"""A plain-def connector using the seed's `getUpdates` spelling and a sync httpx client.

The contract accepts both spellings and both kinds of method; this one proves the harness does.
"""

import hashlib
import json

import httpx


class DataSource:
    def init(self, account):
        self.client = httpx.Client(
            base_url=account.get("baseUrl", "https://api.cats.test"),
            headers={"Authorization": f"Bearer {account['apiToken']}"},
        )

    def get(self, id):
        response = self.client.get(f"/cats/{id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    def insert(self, value):
        response = self.client.post("/cats", json=value)
        response.raise_for_status()
        return {"id": response.json()["id"]}

    def patch(self, id, value):
        self.client.patch(f"/cats/{id}", json=value).raise_for_status()

    def delete(self, id):
        response = self.client.delete(f"/cats/{id}")
        if response.status_code != 404:
            response.raise_for_status()

    def getUpdates(self, lastSync):
        """Server-time token with `ge` and a memory of what was delivered at the boundary."""
        since = lastSync["since"] if lastSync else None
        seen = set(lastSync["seen"]) if lastSync else set()
        params = {"includeDeleted": "true", "limit": "100"}
        if since:
            params["q"] = f"lastModified ge {since}"
        response = self.client.get("/cats", params=params)
        response.raise_for_status()
        now = response.headers["X-Server-Time"]
        entries, boundary = [], []
        while True:
            for record in response.json():
                key = _key(record)
                if record["lastModified"] >= now:
                    boundary.append(key)
                if key in seen:
                    continue
                kind = "delete" if record.get("deleted") else "upsert"
                entries.append({"id": record["id"], "type": kind, "value": record})
            if "next" not in response.links:
                break
            response = self.client.get(response.links["next"]["url"])
            response.raise_for_status()
        return {"nextSync": {"since": now, "seen": boundary}, "entries": entries}

    def close(self):
        self.client.close()


def _key(record):
    """A record's identity *and* content: two writes in one millisecond must not look the same."""
    text = json.dumps(record, sort_keys=True)
    return f"{record['id']}:{hashlib.sha1(text.encode()).hexdigest()[:12]}"
