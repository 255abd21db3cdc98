"""insert() speaks HTTP over a raw socket, which no routed client sees: in mock and replay the
harness cannot answer it, in record it could not keep it, in live it could not guard it. Its
errors.invalid-insert "passes" on the refused connection, so the check must be an error."""

import json
import socket
from urllib.parse import urlsplit

from cats_correct import Correct


class DataSource(Correct):
    async def init(self, account):
        await super().init(account)
        self.base = urlsplit(account.get("baseUrl", "https://api.cats.test"))

    async def insert(self, value):
        port = self.base.port or (443 if self.base.scheme == "https" else 80)
        body = json.dumps(value).encode()
        with socket.create_connection((self.base.hostname, port), timeout=10) as sock:
            sock.sendall(
                b"POST /cats HTTP/1.0\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            answer = sock.makefile("rb").read()
        status = int(answer.split(b" ", 2)[1])
        if status >= 400:
            raise ValueError(f"the API refused the record: HTTP {status}")
        return {"id": json.loads(answer.split(b"\r\n\r\n", 1)[1])["id"]}
