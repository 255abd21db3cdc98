"""Perform the HTTP requests a worker process sends back, with httpx, in the harness process.

A connector that runs out of process still has its traffic seen exactly as a Python
connector's is: respx (the mock), vcrpy (record and replay), the scrubber and `syncpeng -v` all
hook httpx in this process. One `httpx.AsyncClient` per execution scope, created on the scope's
own event loop the first time the scope sends a request, so patches that are active while the
scope runs apply to it.
"""

from __future__ import annotations

import base64
import functools
import ssl
from typing import Any

import httpx

REQUEST_TIMEOUT = 30.0  # the per-call timeout still bounds the whole call


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs tens of milliseconds: once per process, not once per scope."""
    return httpx.create_ssl_context()


class HttpRelay:
    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    async def perform(self, request: dict[str, Any]) -> dict[str, Any]:
        """A protocol request ({method, url, headers, body | bodyBase64}) -> its answer."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=REQUEST_TIMEOUT, verify=_tls_context())
        if "bodyBase64" in request:
            content: bytes | None = base64.b64decode(request["bodyBase64"])
        elif request.get("body") is not None:
            content = str(request["body"]).encode()
        else:
            content = None
        response = await self._client.request(
            request.get("method", "GET"),
            request["url"],
            headers=[(str(k), str(v)) for k, v in request.get("headers", [])],
            content=content,
        )
        answer: dict[str, Any] = {
            "status": response.status_code,
            "headers": [list(pair) for pair in response.headers.multi_items()],
        }
        try:
            answer["body"] = response.content.decode("utf-8")
        except UnicodeDecodeError:
            answer["bodyBase64"] = base64.b64encode(response.content).decode()
        return answer

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
