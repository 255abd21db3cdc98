"""Where a request caught in this process goes: the state every stub consults.

A context variable while a connector call runs in the harness (inline isolation), so only the
connector's own requests are caught; or, in a process that runs nothing but connector code (the
worker), one sender for everything.
"""

from __future__ import annotations

import contextvars
from typing import Protocol

from conformance.http.message import Request, Response

# The clients caught in a Python process, for messages that say what is routed.
ROUTED = "httpx, requests, urllib3, urllib/http.client and aiohttp"


class Sender(Protocol):
    """Where a caught request goes; raises HttpFailure when it gets no answer."""

    def send(self, request: Request) -> Response: ...

    async def asend(self, request: Request) -> Response: ...


current: contextvars.ContextVar[Sender | None] = contextvars.ContextVar(
    "conformance_http_sender", default=None
)
always: list[Sender] = []  # set once in a worker process


def sender() -> Sender | None:
    """Where a request caught now goes, or None: let it through untouched."""
    return current.get() or (always[0] if always else None)
