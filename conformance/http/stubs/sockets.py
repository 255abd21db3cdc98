"""The last line: a connection no stub caught is refused at `socket.connect`.

A client the stubs do not know (a raw socket, a C extension's own HTTP stack through Python
sockets, a library that bundles its own urllib3) would otherwise reach the network unseen: in
replay that is real traffic against the account, in record an empty cassette. pytest-recording's
`--block-network` refuses at the same point. Allowed are: the harness's own sends (the pipeline's
network terminal), the addresses a pipeline names as direct (the mock served on loopback), and
local sockets (AF_UNIX). Only code running as a connector is held to it: inline, while a call
is relayed in the current context; in a worker process, always.
"""

from __future__ import annotations

import contextvars
import errno
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from conformance.http.stubs import route

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_original_getaddrinfo = socket.getaddrinfo
_harness = threading.local()
_direct: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "conformance_direct", default=()
)
_process: list[tuple[str, ...]] = []  # a worker: guarded always, allowing these
_offline: list[bool] = []  # the harness during an offline check: nothing but loopback
_LOOPBACK = ("localhost", "::1")
# Who hears of each refusal, so it never passes silently: the harness's active pipeline
# (inline), the channel to the harness (a worker's `unrouted` event).
reporters: list[Callable[[str], None]] = []


class Unrouted(ConnectionRefusedError):
    """A connection the harness refused because no routed client made it."""


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo


def guard_process(direct: tuple[str, ...]) -> None:
    _process[:] = [tuple(direct)]


@contextmanager
def offline() -> Iterator[None]:
    """While an offline check runs (the mock in process, a replay), this process reaches no
    address but loopback, from any thread: a request an inline connector sends from a thread of
    its own, outside any call's context, is refused instead of leaving unseen."""
    install()
    _offline.append(True)
    try:
        yield
    finally:
        _offline.pop()


def allow_direct(direct: tuple[str, ...]) -> None:
    """A worker's allowed addresses for the scope opening now (the mock on loopback)."""
    if _process:
        _process[0] = tuple(direct)


@contextmanager
def allowing(direct: tuple[str, ...]) -> Iterator[None]:
    token = _direct.set(tuple(direct))
    try:
        yield
    finally:
        _direct.reset(token)


@contextmanager
def harness_connecting() -> Iterator[None]:
    """The pipeline's own sends (this thread, while the block runs) are never refused."""
    previous = getattr(_harness, "on", False)
    _harness.on = True
    try:
        yield
    finally:
        _harness.on = previous


def refusal(address: Any) -> str | None:
    """Why a connection to `address` is refused now, or None when it may go."""
    if getattr(_harness, "on", False) or not isinstance(address, tuple) or len(address) < 2:
        return None  # the harness itself, or AF_UNIX and other local sockets
    host, port = str(address[0]), address[1]
    if route.current.get() is not None:
        allowed = _direct.get()
    elif _process:
        allowed = _process[0]
    elif _offline and not (host in _LOOPBACK or host.startswith("127.")):
        allowed = ()  # a thread an inline connector started: no context, still no network
    else:
        return None
    if f"{host}:{port}" in allowed or (
        host in ("::1", "localhost") and f"127.0.0.1:{port}" in allowed
    ):
        return None
    return (
        f"the connector opened a connection to {host}:{port} that no routed HTTP client made "
        f"(routed: {route.ROUTED}; in NodeJS: node:http/https, fetch, XMLHttpRequest); the "
        "harness cannot see, record or guard that traffic, so it refused it. Send the request "
        "with a routed client"
    )


def _report(why: str) -> None:
    for reporter in reporters:
        reporter(why)


def _connect(self: socket.socket, address: Any) -> None:
    why = refusal(address)
    if why is not None:
        _report(why)
        raise Unrouted(errno.ECONNREFUSED, why)
    return _original_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    why = refusal(address)
    if why is not None:
        _report(why)
        return errno.ECONNREFUSED
    return _original_connect_ex(self, address)


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    """Refused before the name lookup: offline, a lookup would fail with a message that hides
    why (`Name or service not known`)."""
    if host is not None and port is not None:
        why = refusal((str(host), port if isinstance(port, int) else _port(port)))
        if why is not None:
            _report(why)
            raise Unrouted(errno.ECONNREFUSED, why)
    return _original_getaddrinfo(host, port, *args, **kwargs)


def _port(port: Any) -> Any:
    try:
        return int(port)
    except (TypeError, ValueError):
        return port
