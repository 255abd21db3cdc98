"""A child process that runs connector code and speaks the worker protocol (docs/runtimes.md).

The protocol is not tied to one language: JSON objects, one per line, over a socket the child
finds in the file descriptor named by `CONFORMANCE_WORKER_FD`, never over its stdout, so what the
connector prints cannot corrupt it. Either side may send a request (`{"id", "op", ...}`), which
the other answers (`{"re", "ok", "value" | "error"}`), or an event (`{"op", ...}`, no id).

Why concurrent futures rather than asyncio streams: each execution scope runs on its own event
loop (session.py), and one long-lived child serves many scopes, some with no loop at all
(loading a module). Each request's answer settles a concurrent future; whoever waits for one
reads the channel meanwhile (`Worker.result`, `Worker.answer`), so an answer is handled on the
thread that awaits it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import itertools
import json
import os
import select
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, InvalidStateError, wait
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

FD_ENV = "CONFORMANCE_WORKER_FD"
READY_TIMEOUT = 15.0
OUTPUT_LINES = 30
BUFFER = 1 << 22  # socket buffers, each way
CHUNK = 1 << 16
POLL = 0.05  # how often a waiter that does not read looks whether the reader left
WRITE_STALL = 60.0  # a child that reads nothing of a message for this long is hung: killed
END_WAIT = 5.0  # how long a child that closed the channel may take to exit before it is killed

Message = dict[str, Any]


NOT_JSON = "$notJSON"


class NotJSON:
    """A value the child could not send as JSON (a datetime, an object): it stays one here, so
    the contract checks report it as they report a non-JSON value returned in-process."""

    def __init__(self, shown: str) -> None:
        self._shown = shown

    def __repr__(self) -> str:
        return self._shown


def _revive(obj: dict[str, Any]) -> Any:
    if NOT_JSON in obj and len(obj) == 2 and "repr" in obj:
        name = str(obj[NOT_JSON])
        cls = type(name if name.isidentifier() else "object", (NotJSON,), {})
        return cls(str(obj["repr"]))
    return obj


class WorkerGone(Exception):
    """The child ended (killed after a timeout, crashed, or never started)."""


class _Stalled(Exception):
    """The child has not taken a message we write for WRITE_STALL seconds."""


class Worker:
    """One child process and the channel to it, read by whoever waits for an answer.

    Nothing reads the channel on a thread of its own: a thread that waits for an answer reads
    it (an event loop by watching the socket, a blocking caller by selecting on it) and
    dispatches whatever comes first, answers to other waiters and the child's own requests
    included. Answering a call then costs no thread hand-off, where a reader thread cost two
    wake-ups per round trip (docs/performance.md). `serve` is called for each request the child
    sends, on the thread that read it.
    """

    def __init__(self, argv: list[str], serve: Callable[[Worker, Message], None]) -> None:
        ours, theirs = socket.socketpair()
        for end in (ours, theirs):  # a batch of a thousand records fits without a stall
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUFFER)
            end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUFFER)
        ours.setblocking(False)
        self._serve = serve
        self._sock = ours
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()  # who reads and dispatches; re-entered by _send
        self._buffer = bytearray()  # read but not yet dispatched
        self._dispatching = False
        self._ended = False
        self._pending: dict[int, Future[Message]] = {}
        self._ids = itertools.count(1)
        self._ready: Future[Message] = Future()
        self.output: deque[str] = deque(maxlen=OUTPUT_LINES)
        self.gone: str | None = None
        self.opened: set[Any] = set()  # module file versions opened without a problem
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(theirs.fileno(),),
                env={**os.environ, FD_ENV: str(theirs.fileno())},
            )
        finally:
            theirs.close()
        # Its output, and its end noticed while no call waits (a crash between two calls).
        threading.Thread(target=self._drain, daemon=True, name="worker-output").start()
        _LIVE.add(self)

    def hello(self, timeout: float = READY_TIMEOUT) -> Message:
        """The child's `ready` event: which runtime and version it is."""
        try:
            return self.result(self._ready, timeout)
        except FutureTimeout:
            self.kill("it did not report ready")
            raise WorkerGone(self.gone) from None

    @property
    def alive(self) -> bool:
        return self.gone is None

    def request(self, op: str, **fields: Any) -> Answer:
        """Send a request; the answer is the whole message (check its "ok"): `.result(timeout)`
        on a thread, `await` in an event loop. Either reads the channel while it waits."""
        future = Answer(self)
        if self.gone is not None:
            future.set_exception(WorkerGone(self.gone))
            return future
        id = next(self._ids)
        self._pending[id] = future
        self._send({"id": id, "op": op, **fields})
        return future

    def result(self, future: Future[Message], timeout: float | None) -> Message:
        """Wait on this thread, reading the channel while no other thread reads it.

        Raises concurrent.futures.TimeoutError after `timeout` seconds, WorkerGone if the
        child ended."""
        deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
        while not future.done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FutureTimeout
            if self._read_lock.acquire(blocking=False):
                try:
                    self._pump()
                    if not future.done() and not self._ended:
                        select.select([self._sock], [], [], min(remaining, POLL))
                except (OSError, ValueError):  # closed by kill(): the future says why
                    self._end()
                finally:
                    self._read_lock.release()
            else:  # another thread reads: it settles this future too, or leaves the channel
                wait([future], min(remaining, POLL))
        return Future.result(future, 0)

    async def answer(self, future: Future[Message]) -> Message:
        """Wait in the running event loop, which reads the channel while it waits: the answer
        is dispatched where it is awaited, with no thread in between."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Message] = loop.create_future()
        here = threading.get_ident()

        def settled(done: Future[Message]) -> None:
            if threading.get_ident() == here:
                _copy(done, waiter)
            else:
                with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
                    loop.call_soon_threadsafe(_copy, done, waiter)

        future.add_done_callback(settled)
        fd = self._sock.fileno()
        if fd < 0:  # killed already: the future is settled with why
            return await waiter
        loop.add_reader(fd, self._readable)
        try:
            self._readable()  # what is already buffered or waiting
            return await waiter
        finally:
            loop.remove_reader(fd)

    def event(self, op: str, **fields: Any) -> None:
        if self.gone is None:
            self._send({"op": op, **fields})

    def reply(self, id: int, value: Any) -> None:
        self._send({"re": id, "ok": True, "value": value})

    def reply_error(self, id: int, name: str, message: str, *, code: str = "") -> None:
        error = {"name": name, "message": message, **({"code": code} if code else {})}
        self._send({"re": id, "ok": False, "error": error})

    def kill(self, why: str) -> None:
        """End the child now (a hung call cannot be interrupted any other way)."""
        if self.gone is None:
            self.gone = why
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        with self._read_lock:
            self._end()
            self._sock.close()

    def _readable(self) -> None:
        if self._read_lock.acquire(blocking=False):  # else the thread that holds it reads
            try:
                self._pump()
            finally:
                self._read_lock.release()

    def _pump(self) -> None:
        """Read what the channel holds and dispatch every whole line (read lock held)."""
        self._fill()
        if self._dispatching:  # re-entered from a dispatch (a reply's send): it goes on
            return
        self._dispatching = True
        try:
            while (end := self._buffer.find(b"\n")) >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                try:
                    # The hook costs a Python call per object: only for a line that needs it.
                    hook = _revive if NOT_JSON.encode() in line else None
                    message = json.loads(line, object_hook=hook)
                except ValueError:
                    continue
                self._dispatch(message)
        finally:
            self._dispatching = False

    def _fill(self) -> None:
        """Read without waiting (read lock held); the end of the channel ends the worker."""
        while not self._ended:
            try:
                data = self._sock.recv(CHUNK)
            except BlockingIOError:
                return
            except (OSError, ValueError):
                data = b""
            if not data:
                self._end()
                return
            self._buffer += data

    def _end(self) -> None:
        """The child is gone: say why to every waiter (read lock held)."""
        if self._ended:
            return
        self._ended = True
        try:
            self.process.wait(timeout=END_WAIT)
        except subprocess.TimeoutExpired:  # it closed the channel but runs on: stop it
            self.process.kill()
            self.process.wait()
        if self.gone is None:
            self.gone = f"it died (exit {self.process.returncode})"
            tail = "\n".join(self.output)
            if tail:
                self.gone += f"; its last output:\n{tail}"
        _LIVE.discard(self)
        for future in [self._ready, *self._pending.values()]:
            _settle(future, exception=WorkerGone(self.gone))
        self._pending.clear()

    def _send(self, message: Message) -> None:
        data = memoryview((json.dumps(message, separators=(",", ":")) + "\n").encode())
        read = False
        stalled = time.monotonic() + WRITE_STALL
        try:
            with self._write_lock:
                while data:
                    if time.monotonic() > stalled:
                        raise _Stalled
                    try:
                        data = data[self._sock.send(data) :]
                    except BlockingIOError:
                        # The child's side is full: it may be writing to us, so read while
                        # waiting (no dispatch: that would send in the middle of this line).
                        if self._read_lock.acquire(blocking=False):
                            try:
                                self._fill()
                                read = True
                            finally:
                                self._read_lock.release()
                        select.select([self._sock], [self._sock], [], POLL)
        except _Stalled:
            self.kill(f"it read nothing of its channel for {WRITE_STALL:g} s")
        except (OSError, ValueError):
            pass  # the channel is closed: whoever waits learns why from _end
        else:
            if read:
                self._readable()  # dispatch what was read meanwhile

    def _dispatch(self, message: Message) -> None:
        if "re" in message:
            future = self._pending.pop(message["re"], None)
            if future is not None:
                _settle(future, result=message)
        elif message.get("op") == "ready":
            _settle(self._ready, result=message)
        elif "id" in message:
            try:
                self._serve(self, message)
            except Exception as exc:  # a bad request must not stop the channel
                self.reply_error(message["id"], type(exc).__name__, str(exc))
        elif "op" in message:  # an event (`unrouted`): nothing to answer, nothing to stop
            with contextlib.suppress(Exception):
                self._serve(self, message)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.output.append(raw.decode("utf-8", "replace").rstrip("\n"))
        self.process.wait()
        with self._read_lock:  # its last answers first, then why it ended
            if not self._ended:
                self._pump()
                self._end()


class Answer(Future[Message]):
    """The answer to one request: waiting for it reads the channel (nothing else does)."""

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker

    def result(self, timeout: float | None = None) -> Message:
        return self._worker.result(self, timeout)

    def __await__(self) -> Generator[Any, None, Message]:
        return self._worker.answer(self).__await__()


def _copy(done: Future[Message], waiter: asyncio.Future[Message]) -> None:
    if waiter.done():  # the waiter gave up (a timed-out call)
        return
    error = done.exception()
    if error is not None:
        waiter.set_exception(error)
    else:
        waiter.set_result(done.result())


def _settle(future: Future[Message], *, result: Any = None, exception: Any = None) -> None:
    """Settle unless the waiter gave up (a timed-out call cancels its future)."""
    try:
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass


_LIVE: set[Worker] = set()


@atexit.register
def _stop_all() -> None:
    for worker in list(_LIVE):
        worker.kill("the harness is exiting")
