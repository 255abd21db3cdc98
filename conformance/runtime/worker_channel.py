"""The Python worker's end of the channel to the harness (docs/runtimes.md, "Processes").

Read by the worker's event loop as it watches the socket, not by a thread of its own: a thread
that reads and hands each message to the loop cost two thread wake-ups per round trip.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import select
import socket
import threading
from concurrent.futures import Future
from typing import Any

CHUNK = 1 << 16


class Channel:
    """Our end of the socket, read by this process's event loop as it watches the socket.

    No thread of ours reads it: a request of the harness is dispatched on the loop that runs it,
    and an answer settles the future of whoever asked. A thread that blocks the loop while it
    waits (a sync HTTP client inside an async method) reads the channel itself (`result`).
    """

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        sock.setblocking(False)
        self._sock = sock
        self._loop = loop
        self._lock = threading.Lock()  # one writer at a time
        self._read_lock = threading.Lock()
        self._buffer = bytearray()
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[dict[str, Any]]] = {}
        self.last_scope: int | None = None  # for requests from threads the connector started
        self.handle: Any = None  # what a request or event of the harness is given to
        self._thread: int | None = None  # the loop's

    def start(self) -> None:
        """Watch the socket from the loop, which this thread runs next."""
        self._thread = threading.get_ident()
        self._loop.add_reader(self._sock.fileno(), self.readable)

    def send(self, message: dict[str, Any]) -> None:
        self.write((json.dumps(message, separators=(",", ":")) + "\n").encode())

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        with self._lock:
            while view:
                try:
                    view = view[self._sock.send(view) :]
                except BlockingIOError:  # the harness is writing to us: take it in meanwhile
                    self._fill()
                    select.select([self._sock], [self._sock], [])
        if self._buffer and threading.get_ident() == self._thread:
            self._loop.call_soon(self.readable)
        elif self._buffer:
            self._loop.call_soon_threadsafe(self.readable)

    def ask(self, op: str, **fields: Any) -> Future[dict[str, Any]]:
        future: Future[dict[str, Any]] = Future()
        id = next(self._ids)
        self._pending[id] = future
        self.send({"id": id, "op": op, **fields})
        return future

    def result(self, future: Future[dict[str, Any]]) -> dict[str, Any]:
        """Wait for an answer on this thread. The loop's own thread cannot leave the answer to
        the loop (it is what blocks it): it reads the channel, and leaves requests and events
        to the loop for when it runs again."""
        if threading.get_ident() != self._thread:
            return future.result()
        while True:
            for message in self._messages():
                if "re" in message:
                    self._settle(message)
                else:
                    self._loop.call_soon(self.handle, message)
            if future.done():
                return future.result()
            select.select([self._sock], [], [])
            self._fill()

    async def answer(self, future: Future[dict[str, Any]]) -> dict[str, Any]:
        """Await an answer on the loop, which settles it as it reads: no thread in between."""
        waiter: asyncio.Future[dict[str, Any]] = self._loop.create_future()

        def settled(done: Future[dict[str, Any]]) -> None:
            if not waiter.done():
                waiter.set_result(done.result())

        if threading.get_ident() == self._thread:
            future.add_done_callback(settled)  # settled on this thread: the loop's reader
        else:
            return await asyncio.wrap_future(future)
        return await waiter

    def readable(self) -> None:
        """On the loop: dispatch every whole line the socket holds."""
        self._fill()
        for message in self._messages():
            if "re" in message:
                self._settle(message)
            else:
                self.handle(message)

    def _fill(self) -> None:
        with self._read_lock:
            while True:
                try:
                    data = self._sock.recv(CHUNK)
                except BlockingIOError:
                    return
                except OSError:
                    data = b""
                if not data:  # the harness is gone or closed the channel: end, whatever runs
                    os._exit(0)
                self._buffer += data

    def _messages(self) -> list[dict[str, Any]]:
        with self._read_lock:
            end = self._buffer.rfind(b"\n")
            if end < 0:
                return []
            lines = bytes(self._buffer[:end]).split(b"\n")
            del self._buffer[: end + 1]
        return [json.loads(line) for line in lines]

    def _settle(self, message: dict[str, Any]) -> None:
        future = self._pending.pop(message["re"], None)
        if future is not None:
            future.set_result(message)
