"""getUpdates reads the change list over a raw socket (HTTP/1.0 by hand), which no routed
client sees: recorded, its cassettes would lack every getUpdates answer; live, the harness
could not guard it. Only `[live] allow_unrouted` lets it through, in live and record."""

import asyncio
import base64
import json
import socket
from urllib.parse import urlencode, urlsplit

from kinto_correct import Correct


class DataSource(Correct):
    async def init(self, account):
        await super().init(account)
        secret = f"{account['username']}:{account['password']}".encode()
        self.authorization = "Basic " + base64.b64encode(secret).decode()

    async def get_updates(self, last_sync):
        params = {"_sort": "last_modified"}
        if last_sync:
            params["_since"] = last_sync["since"]
        url = urlsplit(f"{self.records}?{urlencode(params)}")
        head, body = await asyncio.to_thread(self._get, url)
        records = json.loads(body)["data"]
        entries = [
            {"id": r["id"], "type": "delete" if r.get("deleted") else "upsert", "value": r}
            for r in records
        ]
        return {"nextSync": {"since": head["etag"].strip('"')}, "entries": entries}

    def _get(self, url):
        with socket.create_connection((url.hostname, url.port or 80), timeout=30) as sock:
            sock.sendall(
                f"GET {url.path}?{url.query} HTTP/1.0\r\nHost: {url.netloc}\r\n"
                f"Authorization: {self.authorization}\r\n\r\n".encode()
            )
            answer = sock.makefile("rb").read()
        raw_head, _, body = answer.partition(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        head = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        return head, body
