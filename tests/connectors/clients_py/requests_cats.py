"""examples/cats written the ordinary way with `requests`: sync methods, one `requests.Session`
per execution scope, and urllib3's `Retry` for the API's "try again" answers (429, 5xx).

The harness catches the session's requests (conformance/http/stubs) and answers them from the
check's pipeline: nothing in this file knows it is under test.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_BASE_URL = "https://api.cats.test"


class DataSource:
    def init(self, account: dict[str, Any]) -> None:
        token = account.get("apiToken")
        if not token:
            raise ValueError("account.json needs an apiToken")
        self.base = account.get("baseUrl", DEFAULT_BASE_URL).rstrip("/")
        self.timeout = account.get("timeoutSeconds", 30)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        retry = Retry(
            total=3,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=None,  # every method: the API answers 429/503 before it writes
            backoff_factor=0.05,
            backoff_max=2.0,
            raise_on_status=False,  # the last answer is returned, and raise_for_status says why
        )
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    def get(self, id: str) -> dict[str, Any] | None:
        response = self._send("GET", f"/cats/{id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    def insert(self, value: dict[str, Any]) -> dict[str, str]:
        response = self._send("POST", "/cats", json=value)
        response.raise_for_status()
        return {"id": response.json()["id"]}

    def patch(self, id: str, value: dict[str, Any]) -> None:
        response = self._send("PATCH", f"/cats/{id}", json=value)
        response.raise_for_status()

    def delete(self, id: str) -> None:
        response = self._send("DELETE", f"/cats/{id}")
        if response.status_code == 404:
            return
        response.raise_for_status()

    def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        since = last_sync["since"] if last_sync else None
        seen = last_sync.get("seen", {}) if last_sync else {}
        params = {"includeDeleted": "true"}
        if since:
            params["q"] = f"lastModified ge {since}"
        response = self._send("GET", "/cats", params=params)
        response.raise_for_status()
        next_since = response.headers["X-Server-Time"]
        entries, next_seen = [], {}
        while True:
            for record in response.json():
                digest = _digest(record)
                if record["lastModified"] >= next_since:
                    next_seen[record["id"]] = digest
                if seen.get(record["id"]) == digest:
                    continue
                kind = "delete" if record.get("deleted") else "upsert"
                entries.append({"id": record["id"], "type": kind, "value": record})
            next_page = self._next_page(response)
            if not next_page:
                break
            response = self._send("GET", next_page)
            response.raise_for_status()
        return {"nextSync": {"since": next_since, "seen": next_seen}, "entries": entries}

    def close(self) -> None:
        self.session.close()

    def _send(self, method: str, path_or_url: str, **kwargs: Any) -> requests.Response:
        url = path_or_url if "://" in path_or_url else self.base + path_or_url
        return self.session.request(method, url, timeout=self.timeout, **kwargs)

    def _next_page(self, response: requests.Response) -> str | None:
        return response.links.get("next", {}).get("url")


def _digest(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:12]
