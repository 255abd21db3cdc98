"""How a Python process catches the requests its connector makes, one small module per client.

vcrpy's approach, kept: each client library is patched at one documented point (httpx's
transports in httpx_stub.py; requests, urllib3, http.client and aiohttp through vcrpy's own
patchers in vcr_clients.py), and whatever is caught is handed to a `Sender`: in the worker
process, the channel to the harness; in the harness (inline isolation), the active pipeline. A
connection that escapes every stub meets the socket guard (sockets.py).

The patches are installed once per process and let traffic through untouched unless a
connector call is running in the current context (`relaying`): the harness's own HTTP (a test
driving a browser, a server it started) is never caught.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from conformance.http.stubs import sockets
from conformance.http.stubs.route import ROUTED, Sender, always, current

__all__ = ["ROUTED", "Sender", "install", "relay_always", "relaying"]

_installed: list[bool] = []
_install_lock = threading.Lock()


@contextmanager
def relaying(target: Sender, *, direct: tuple[str, ...] = ()) -> Iterator[None]:
    """Route what the current context sends to `target` while the block runs; a socket it
    opens past every stub may reach only `direct` ("host:port")."""
    install()
    token = current.set(target)
    try:
        with sockets.allowing(direct):
            yield
    finally:
        current.reset(token)


def relay_always(target: Sender, direct: tuple[str, ...] = ()) -> None:
    """For a process that runs only connector code (the worker): catch everything, and let no
    socket connect but to `direct` ("host:port"; `sockets.allow_direct` changes it later)."""
    install()
    always[:] = [target]
    sockets.guard_process(direct)


def install() -> None:
    """Patch every client once for the life of the process (idempotent, thread-safe)."""
    if _installed:
        return
    with _install_lock:
        if not _installed:
            # Imported here: a process that never relays (the harness beside an isolated
            # worker) does not pay for vcrpy and the clients it patches.
            from conformance.http.stubs import httpx_stub, vcr_clients

            httpx_stub.install()
            vcr_clients.install()
            sockets.install()
            _installed.append(True)
