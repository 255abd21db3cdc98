"""A Kinto connector that speaks HTTP/1.1 by hand over `socket.create_connection`: a client no
stub of the harness knows. Recording it must be refused, never a green empty cassette."""

import base64
import json
import socket
from urllib.parse import urlsplit


class DataSource:
    def init(self, account):
        parts = urlsplit(account["baseUrl"])
        self.host, self.port = parts.hostname, parts.port or 80
        self.prefix = f"{parts.path.rstrip('/')}/buckets/default/collections/tasks/records"
        token = f"{account['username']}:{account['password']}".encode()
        self.auth = "Basic " + base64.b64encode(token).decode()

    def get(self, id):
        status, body = self._http("GET", f"{self.prefix}/{id}")
        return None if status == 404 else body["data"]

    def insert(self, value):
        return {"id": self._http("POST", self.prefix, {"data": value})[1]["data"]["id"]}

    def patch(self, id, value):
        self._http("PATCH", f"{self.prefix}/{id}", {"data": value})

    def delete(self, id):
        self._http("DELETE", f"{self.prefix}/{id}")

    def get_updates(self, last_sync):
        since = f"&_since={last_sync['since']}" if last_sync else ""
        _, body = self._http("GET", f"{self.prefix}?_sort=last_modified{since}")
        entries = [
            {"id": r["id"], "type": "delete" if r.get("deleted") else "upsert", "value": r}
            for r in body["data"]
        ]
        newest = max((r["last_modified"] for r in body["data"]), default=0)
        return {"nextSync": {"since": newest}, "entries": entries}

    def _http(self, method, path, payload=None):
        data = json.dumps(payload).encode() if payload is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: {self.auth}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
        )
        with socket.create_connection((self.host, self.port), timeout=10) as sock:
            sock.sendall(head.encode() + data)
            raw = b""
            while chunk := sock.recv(65536):
                raw += chunk
        header, _, body = raw.partition(b"\r\n\r\n")
        status = int(header.split(b" ", 2)[1])
        return status, json.loads(body) if body else None
