"""A child process that runs connector code and speaks the worker protocol (docs/runtimes.md).

The protocol is not tied to one language: JSON objects, one per line, over a socket the child
finds in the file descriptor named by `CONFORMANCE_WORKER_FD`, never over its stdout, so what the
connector prints cannot corrupt it. Either side may send a request (`{"id", "op", ...}`), which
the other answers (`{"re", "ok", "value" | "error"}`), or an event (`{"op", ...}`, no id).

Why threads and concurrent futures rather than asyncio streams: each execution scope runs on
its own event loop (session.py), and one long-lived child serves many scopes, some with no loop
at all (loading a module). A reader thread hands each answer to the future that waits for it;
async callers await it with `asyncio.wrap_future`, on whatever loop they run.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import socket
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

FD_ENV = "CONFORMANCE_WORKER_FD"
READY_TIMEOUT = 15.0
OUTPUT_LINES = 30

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


class Worker:
    """One child process; `serve` is called (on the reader thread) for each request it sends."""

    def __init__(self, argv: list[str], serve: Callable[[Worker, Message], None]) -> None:
        ours, theirs = socket.socketpair()
        self._serve = serve
        self._sock = ours
        self._write_lock = threading.Lock()
        self._pending: dict[int, Future[Message]] = {}
        self._ids = itertools.count(1)
        self._ready: Future[Message] = Future()
        self.output: deque[str] = deque(maxlen=OUTPUT_LINES)
        self.gone: str | None = None
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
        threading.Thread(target=self._read, daemon=True, name="worker-channel").start()
        threading.Thread(target=self._drain, daemon=True, name="worker-output").start()
        _LIVE.add(self)

    def hello(self, timeout: float = READY_TIMEOUT) -> Message:
        """The child's `ready` event: which runtime and version it is."""
        try:
            return self._ready.result(timeout)
        except FutureTimeout:
            self.kill("it did not report ready")
            raise WorkerGone(self.gone) from None

    @property
    def alive(self) -> bool:
        return self.gone is None

    def request(self, op: str, **fields: Any) -> Future[Message]:
        """Send a request; the future holds the whole answer (check its "ok")."""
        future: Future[Message] = Future()
        if self.gone is not None:
            future.set_exception(WorkerGone(self.gone))
            return future
        id = next(self._ids)
        self._pending[id] = future
        self._send({"id": id, "op": op, **fields})
        return future

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
        self._sock.close()

    def _send(self, message: Message) -> None:
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        try:
            with self._write_lock:
                self._sock.sendall(data)
        except OSError:
            pass  # the reader sees the end and fails what is pending

    def _read(self) -> None:
        stream = self._sock.makefile("rb")
        try:
            for line in stream:
                self._dispatch(json.loads(line, object_hook=_revive))
        except (OSError, ValueError):
            pass
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
            except Exception as exc:  # a bad request must not stop the reader
                self.reply_error(message["id"], type(exc).__name__, str(exc))
        elif "op" in message:  # an event (`unrouted`): nothing to answer, nothing to stop
            with contextlib.suppress(Exception):
                self._serve(self, message)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.output.append(raw.decode("utf-8", "replace").rstrip("\n"))


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
