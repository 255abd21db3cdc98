"""The Kinto connector (examples/kinto) written with `requests`, the way most authors would: sync
methods, one `requests.Session` per execution scope with HTTP Basic auth, and urllib3's `Retry`
for the API's "try again" answers.

Nothing here knows about the harness: every request the session makes is caught and handed to
the check's request pipeline (docs/runtimes.md, "Routed HTTP clients"), so it is recorded,
replayed from cassettes/kinto-requests, and page-size-rewritten like the httpx example's.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class DataSource:
    def init(self, account: dict[str, Any]) -> None:
        for key in ("baseUrl", "username", "password"):
            if not account.get(key):
                raise ValueError(f"account.json needs {key}")
        base = account["baseUrl"].rstrip("/")
        bucket = account.get("bucket", "default")
        collection = account.get("collection", "tasks")
        self.records = f"{base}/buckets/{bucket}/collections/{collection}/records"
        self.page_size = int(account.get("pageSize", 0)) or None
        self.timeout = account.get("timeoutSeconds", 30)
        self.session = requests.Session()
        self.session.auth = (account["username"], account["password"])
        retry = Retry(
            total=2,
            status_forcelist=(429, 502, 503, 504),
            allowed_methods=None,  # Kinto answers these before it writes anything
            backoff_factor=0,
            raise_on_status=False,
        )
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    def get(self, id: str) -> dict[str, Any] | None:
        response = self.session.get(f"{self.records}/{id}", timeout=self.timeout)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()["data"]

    def insert(self, value: dict[str, Any]) -> dict[str, str]:
        response = self.session.post(self.records, json={"data": value}, timeout=self.timeout)
        response.raise_for_status()
        return {"id": response.json()["data"]["id"]}

    def patch(self, id: str, value: dict[str, Any]) -> None:
        # PATCH merges the top level: the contract's partial patch (PUT would replace it all)
        url = f"{self.records}/{id}"
        response = self.session.patch(url, json={"data": value}, timeout=self.timeout)
        response.raise_for_status()

    def delete(self, id: str) -> None:
        response = self.session.delete(f"{self.records}/{id}", timeout=self.timeout)
        if response.status_code == 404:
            return  # already gone: deleting twice is not an error for the platform
        response.raise_for_status()

    def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        params: dict[str, Any] = {"_sort": "last_modified"}
        if last_sync:
            params["_since"] = last_sync["since"]
        if self.page_size:
            params["_limit"] = self.page_size
        response = self.session.get(self.records, params=params, timeout=self.timeout)
        response.raise_for_status()
        since = response.headers["ETag"].strip('"')  # the server's clock, not ours
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
            response = self.session.get(next_page, timeout=self.timeout)
            response.raise_for_status()
        return {"nextSync": {"since": since}, "entries": entries}

    def close(self) -> None:
        self.session.close()
