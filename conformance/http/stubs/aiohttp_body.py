"""aiohttp: the bytes a request body becomes, as aiohttp itself would send them.

vcrpy's aiohttp stub hands the cassette the body the caller passed (`json=` a dict, `data=` a
dict, a FormData, bytes), unserialised: it only ever compares it with a recorded one. The
harness answers it like any other request, so it needs the bytes and the Content-Type aiohttp
would have put on the wire. aiohttp's own payload classes build them (FormData for forms and
multipart, the session's `json_serialize` for JSON), so this module only decides which.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import payload


def serialise(
    body: Any, call: Mapping[str, Any], dumps: Callable[[Any], str] = json.dumps
) -> tuple[bytes, str | None]:
    """`body` as sent, and the Content-Type aiohttp sets for it (None: it sets none).

    `call` is the keyword arguments of the session's request (json= or data=)."""
    if body is None:
        return b"", None
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body), None
    if isinstance(body, str):
        return body.encode("utf-8"), "text/plain; charset=utf-8"
    if call.get("json") is not None:
        return dumps(body).encode("utf-8"), "application/json"
    if isinstance(body, list) and all(isinstance(chunk, bytes) for chunk in body):
        return b"".join(body), None  # a streamed upload, read whole by vcrpy
    if isinstance(body, aiohttp.FormData):
        built = body()
    elif isinstance(body, payload.Payload):
        built = body
    else:
        built = aiohttp.FormData(body)()
    return _drain(built), built.content_type


class _Sink:
    """A stand-in for aiohttp's StreamWriter that keeps what a payload writes."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        self.chunks.append(bytes(chunk))

    async def write_eof(self, chunk: bytes = b"") -> None:
        self.chunks.append(bytes(chunk))

    def enable_compression(self, *args: Any, **kwargs: Any) -> None:
        raise ValueError("compressed multipart parts are not supported by the harness")


def _drain(built: Any) -> bytes:
    """Run the payload's writer to the end: in-memory payloads (forms, multipart of bytes and
    strings) never suspend, so it finishes in one step without an event loop."""
    sink = _Sink()
    writer = built.write(sink)
    try:
        writer.send(None)
    except StopIteration:
        return b"".join(sink.chunks)
    writer.close()
    raise ValueError(
        f"an aiohttp body of type {type(built).__name__} that reads from a file or a stream "
        "cannot be relayed; pass its bytes (data=...) instead"
    )
