"""A scripted API for the stub tests: each path answers as a test needs, and every request that
reached the pipeline is kept, as the client sent it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from conformance.http.message import HttpFailure, Request, Response
from conformance.http.pipeline import Pipeline

BASE = "https://api.stub.test"
BINARY = bytes(range(256)) * 4
BIG = b"".join(b"line %05d of a long streamed body\n" % n for n in range(4000))


class Scripted:
    """path -> an answer (or an HttpFailure to raise); requests seen in `seen`."""

    def __init__(self) -> None:
        self.seen: list[Request] = []
        self.busy = 0  # /busy answers 503 this many times before 200
        self.routes: dict[str, Callable[[Request], Response]] = {
            "/json": lambda r: _json(b'{"ok": true}'),
            "/old": lambda r: Response(302, [("Location", f"{BASE}/new")], b""),
            "/new": lambda r: _json(b'{"moved": true}'),
            "/gzip": lambda r: Response(
                200, [("Content-Encoding", "gzip"), ("Content-Type", "text/plain")], b"plain"
            ),
            "/big": lambda r: Response(200, [("Content-Type", "text/plain")], BIG),
            "/binary": lambda r: Response(
                200, [("Content-Type", "application/octet-stream")], BINARY
            ),
            "/late": lambda r: Response(200, [], b"too late", delay=30.0),
            "/busy": self._busy,
            "/echo": lambda r: _json(b'{"echo": true}'),
            "/repeated": lambda r: Response(
                200, [("X-Multi", "one"), ("X-Multi", "two"), ("Content-Type", "text/plain")], b""
            ),
        }

    def __call__(self, request: Request) -> Response:
        self.seen.append(request)
        path = urlsplit(request.url).path
        if path.startswith("/fail/"):
            kind = path.rsplit("/", 1)[1]
            raise HttpFailure(kind, f"harness says {kind} for {request.url}")
        return self.routes.get(path, lambda r: Response(404, [], b"no such route"))(request)

    def _busy(self, request: Request) -> Response:
        if self.busy > 0:
            self.busy -= 1
            return Response(503, [("Retry-After", "0")], b"busy")
        return _json(b'{"ok": true}')

    def pipeline(self) -> Pipeline:
        return Pipeline([], self, offline=True, in_memory=True)


def _json(body: bytes) -> Response:
    return Response(200, [("Content-Type", "application/json")], body)
