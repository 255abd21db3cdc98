"""Harness code run from inside a connector call, kept off the connector's recorded inputs.

Inline, the request pipeline answers a request in the context of the connector call that made
it (a sync client, or an async one when the pipeline answers from memory). A clock read or a
uuid4 drawn there by the harness (httpx's cookie jar reads `time.time()` for every exchange)
would otherwise be routed as the connector's: written down while recording through the
network, absent from a replay answered by the tape, and every later recorded read or draw would
then be handed to the wrong place. The worker and the NodeJS bridge need nothing: their
requests are served on harness threads outside any call.

Standard library and the routing modules only (conformance.http imports this).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import TypeVar

from conformance.runtime import clock_routing, draw_routing

T = TypeVar("T")


def outside_the_call(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` with the connector's draws and clock unrouted (a copy of the current
    context, so the call's own routing is untouched)."""
    return contextvars.copy_context().run(_unrouted, function, args)


def _unrouted(function: Callable[..., T], args: tuple[object, ...]) -> T:
    draw_routing.routed(None)
    clock_routing.routed(None)
    return function(*args)
