"""A connector on the standard library's urllib: respx cannot see it, the loopback mock can."""

import hashlib
import json
import re
import urllib.error
import urllib.request


class DataSource:
    def init(self, account):
        self.base = account["baseUrl"]
        self.headers = {
            "Authorization": f"Bearer {account['apiToken']}",
            "Content-Type": "application/json",
        }

    def _call(self, method, path, body=None, *, missing_ok=False):
        data = json.dumps(body).encode() if body is not None else None
        url = path if path.startswith("http") else self.base + path
        request = urllib.request.Request(url, data=data, method=method, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, dict(response.headers), json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            if error.code == 404 and missing_ok:
                return 404, {}, None
            raise

    def get(self, id):
        status, _, body = self._call("GET", f"/cats/{id}", missing_ok=True)
        return None if status == 404 else body

    def insert(self, value):
        return {"id": self._call("POST", "/cats", value)[2]["id"]}

    def patch(self, id, value):
        self._call("PATCH", f"/cats/{id}", value)

    def delete(self, id):
        self._call("DELETE", f"/cats/{id}", missing_ok=True)

    def get_updates(self, last_sync):
        since, seen = (last_sync["since"], set(last_sync["seen"])) if last_sync else (None, set())
        query = "?includeDeleted=true&limit=100"
        if since:
            query += "&q=" + urllib.request.quote(f"lastModified ge {since}")
        _, headers, records = self._call("GET", "/cats" + query)
        now = headers["X-Server-Time"]
        while next_page := re.search(r'<([^>]+)>;\s*rel="next"', headers.get("Link", "")):
            _, headers, page = self._call("GET", next_page.group(1))
            records += page
        fresh = [r for r in records if _key(r) not in seen]
        boundary = [_key(r) for r in records if r["lastModified"] >= now]
        entries = [
            {"id": r["id"], "type": "delete" if r.get("deleted") else "upsert", "value": r}
            for r in fresh
        ]
        return {"nextSync": {"since": now, "seen": boundary}, "entries": entries}


def _key(record):
    """A record's identity *and* content: two writes in one millisecond must not look the same."""
    text = json.dumps(record, sort_keys=True)
    return f"{record['id']}:{hashlib.sha1(text.encode()).hexdigest()[:12]}"
