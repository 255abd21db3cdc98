"""Pay httpx's first-use costs before any connector call is timed, in whichever process runs it.

httpx imports httpcore (and its async backends) when the first client is made, and the first
TLS context loads OpenSSL and the CA bundle: 0.1-0.3 s on a quiet machine, over a second on a
busy one. Left to the connector's first init, that start-up of the harness's own process is
charged to init's per-call timeout, and a correct connector run with `--connector-timeout=1` on
a busy runner is reported as hanging (issue 22). The Python worker does this before it says
ready; the inline runtime when it loads a module; both outside any call's timeout.
"""

from __future__ import annotations

import asyncio
import functools

import httpx

from conformance.http import stubs


@functools.cache
def http_stack() -> None:
    """Once per process: the client stubs installed (importing every client vcrpy patches,
    aiohttp's the dearest), a client of each kind with a TLS context, and an event loop."""
    stubs.install()
    httpx.AsyncClient(verify=httpx.create_ssl_context())
    httpx.Client()
    asyncio.new_event_loop().close()
