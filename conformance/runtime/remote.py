"""A connector whose code runs in a worker process: one execution scope, any language.

Both out-of-process runtimes (NodeJS, and Python isolated from the harness) speak the same
worker protocol (docs/runtimes.md); what differs is only which process serves a scope and how an
error the worker names becomes an exception. This module holds what they share: the routing of
the requests a worker sends back (HTTP) to the scope and event loop they came from, and the
`Connector` that turns each method call into a protocol request under the caller's timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from collections.abc import Awaitable, Callable, Generator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from conformance.connector.contract import METHODS, CallsByName
from conformance.errors import InputError
from conformance.http.message import HttpFailure, Request
from conformance.http.pipeline import active, current
from conformance.runtime import clock, randomness
from conformance.runtime.worker import Answer, Message, Worker, WorkerGone

# scope id -> (its event loop, what performs its requests); filled while a scope is open.
Handler = Callable[[Message], Awaitable[Any]]
# (None: its calls are waited for on a thread, `call_now`, and every request is answered from
# memory where it is read.)
_SCOPES: dict[int, tuple[asyncio.AbstractEventLoop | None, Handler]] = {}
scope_ids = itertools.count(1)

# (the error the worker answered, the call's log lines) -> the exception the caller sees
ErrorFactory = Callable[[dict[str, Any], list[str]], Exception]
# (why the process ended, when: "during get") -> the exception the caller sees
GoneFactory = Callable[[str, str], Exception]


def probe_methods(
    start: Callable[[], Worker],
    module_file: Path,
    *,
    process: str,
    loading: str,
    timeout: float,
    load_problem: Callable[[dict[str, Any]], str],
    blocked_hint: str = "",
) -> frozenset[str]:
    """Open one scope of the module in a worker and close it again, keeping the methods it
    defines: a module that fails to load, or blocks while loading, is one InputError before any
    check runs. `process` and `loading` word the messages ("the node bridge", "loading the
    module"); `load_problem` words the error the worker answered."""
    try:
        worker = start()
        scope = next(scope_ids)
        answer = worker.request("open", scope=scope, module=str(module_file)).result(timeout)
    except WorkerGone as exc:
        raise InputError(f"{module_file}: the {process} process failed: {exc}") from None
    except FutureTimeout:
        worker.kill("loading the module did not finish")
        raise InputError(
            f"{module_file}: {loading} did not finish within {timeout:g} s{blocked_hint}"
        ) from None
    if not answer["ok"]:
        raise InputError(load_problem(answer["error"]))
    worker.event("close", scope=scope)
    return frozenset(answer["value"]["methods"])


def open_scope(scope: int, loop: asyncio.AbstractEventLoop | None, handler: Handler) -> None:
    _SCOPES[scope] = (loop, handler)


def close_scope(scope: int) -> None:
    _SCOPES.pop(scope, None)


def serve(worker: Worker, message: Message) -> None:
    """Answer a request of a worker: at once, on the thread that read it (the one waiting for
    the call that made it), when the check's pipeline answers from memory (the mock, a
    cassette: one hop from where it was caught); else on the loop of the scope it came from,
    which goes on while the network answers. An event (no id) is taken note of at once: it
    precedes on the channel the answer of the call that caused it, so the check sees it before
    that call returns."""
    if "id" not in message:
        _event(message)
        return
    id = message["id"]
    route = _SCOPES.get(message.get("scope", -1))
    if route is None:
        worker.reply_error(id, "NoScope", "the request came from no open scope")
        return
    loop, handler = route
    pipeline = active()
    if message.get("op") == "http" and pipeline.in_memory:
        try:
            answer = pipeline.send(_caught(message))
        except HttpFailure as failure:
            worker.reply_error(id, failure.kind, failure.message, code=failure.code)
        else:
            worker.reply(id, answer.to_wire())
        return
    if loop is None:  # the scope's calls are waited for on a thread: nothing to run it on
        worker.reply_error(id, "NoLoop", "the scope has no event loop to send a request on")
        return

    async def answer() -> None:
        try:
            value = await handler(message)
        except HttpFailure as failure:  # the client raises what it raises for the same event
            worker.reply_error(id, failure.kind, failure.message, code=failure.code)
        except Exception as exc:  # the connector sees it as an error of the same name
            worker.reply_error(id, type(exc).__name__, str(exc))
        else:
            worker.reply(id, value)

    try:
        asyncio.run_coroutine_threadsafe(answer(), loop)
    except RuntimeError:  # the scope's loop is closed: the check gave up on it
        worker.reply_error(id, "ScopeClosed", "the execution scope has ended")


def _event(message: Message) -> None:
    """`unrouted`: the worker refused a connection no routed client made (docs/runtimes.md)."""
    pipeline = current()
    if message.get("op") == "unrouted" and pipeline is not None:
        pipeline.escaped(str(message.get("message") or "a connection no routed client made"))


class RemoteConnector(CallsByName):
    """One execution scope in a worker: opened on the first call, on that call's loop.

    `close_request` says whether the worker has connector code to run at close (Python's
    `DataSource.close`), so closing must be a request the harness can time out, or only an event.
    """

    def __init__(
        self,
        worker: Worker,
        module_file: Path,
        name: str,
        methods: frozenset[str],
        error: ErrorFactory,
        gone: GoneFactory,
        *,
        close_request: bool = False,
    ) -> None:
        self.name = name
        # The worker is started (if it was not running) by the caller, outside the per-call
        # timeout of init: a restart after an earlier hang is not charged to the next scope.
        self._worker = worker
        self._module_file = module_file
        self._methods = methods
        self._error = error
        self._gone = gone
        self._close_request = close_request
        self._opened = False
        self._opening: Answer | None = None  # an open sent ahead of the first call
        self._open_failed: Exception | None = None
        self._lost_during = ""  # the call during which this scope's process ended
        self._scope = next(scope_ids)

    def open_now(self, timeout: float) -> None:
        """Open the scope before the first call, so that (re)importing the module in a new
        worker is not charged to that call's timeout; a failure is that call's failure.

        A file this worker has opened before, unchanged, costs only a new instance: its open is
        sent now and answered together with the first call (one round trip instead of two)."""
        self._opened = True
        version = _version(self._module_file)
        opening = self._worker.request(
            "open", scope=self._scope, module=str(self._module_file), allow=_direct()
        )
        if version in self._worker.opened:
            self._opening = opening
            return
        try:
            answer = opening.result(timeout)
        except WorkerGone as exc:
            self._open_failed = self._gone(str(exc), "while opening the scope")
            return
        except FutureTimeout:
            self._worker.kill("opening a scope did not finish")
            self._open_failed = self._gone(
                f"it did not finish within {timeout:g} s", "while opening the scope"
            )
            return
        self._took_open(answer, version)

    def _took_open(self, answer: Message, version: tuple[str, int, int] | None) -> None:
        if answer["ok"]:
            if version is not None:
                self._worker.opened.add(version)
        else:
            self._open_failed = self._error(answer["error"], answer.get("logs") or [])

    def missing(self) -> list[str]:
        return [method for method in METHODS if method not in self._methods]

    async def _ask(
        self,
        op: str,
        *,
        source: randomness.RandomSource | None = None,
        timer: clock.ClockSource | None = None,
        **fields: Any,
    ) -> Any:
        if self._open_failed is not None:
            raise self._open_failed
        if _SCOPES.get(self._scope, (None,))[0] is None:
            open_scope(self._scope, asyncio.get_running_loop(), self._perform)
        if not self._opened:
            self._opened = True
            await self._ask("open", module=str(self._module_file), allow=_direct())
        steps = self._exchange(op, fields, source, timer)
        try:
            waiting = next(steps)
            while True:
                gone = message = None
                try:
                    message = await waiting
                except asyncio.CancelledError:  # the call's timeout
                    self._hung(op, fields)
                    raise
                except WorkerGone as exc:
                    gone = exc
                # Outside the except: what the steps raise then carries no context, so every
                # failure of a lost process has one origin for hypothesis.
                waiting = steps.throw(gone) if gone else steps.send(message)
        except StopIteration as done:
            return done.value

    def answers_now(self) -> bool:
        """Whether a call can be waited for on the caller's thread with no event loop: every
        request it makes is answered from memory (the mock, a cassette) where it is read."""
        return self._opened and active().in_memory

    def call_now(self, method: str, args: tuple[Any, ...], timeout: float) -> Any:
        """`_call`, waited for on this thread: no task, timer or loop iteration per call.
        Raises TimeoutError (the process stopped) when no answer comes within `timeout`."""
        fields, source, timer = self._plans(method, args)
        return self._wait_here("call", fields, source, timer, timeout)

    def close_now(self, timeout: float) -> None:
        """`close`, waited for on this thread (see `answers_now`)."""
        try:
            if self._opened and self._worker.alive:
                if self._close_request:
                    self._wait_here("close", {}, None, None, timeout)
                else:
                    self._worker.event("close", scope=self._scope)
        finally:
            close_scope(self._scope)

    def _wait_here(
        self,
        op: str,
        fields: dict[str, Any],
        source: randomness.RandomSource | None,
        timer: clock.ClockSource | None,
        timeout: float,
    ) -> Any:
        if self._scope not in _SCOPES:
            open_scope(self._scope, None, self._perform)
        deadline = time.monotonic() + timeout
        steps = self._exchange(op, fields, source, timer)
        try:
            waiting = next(steps)
            while True:
                gone = message = None
                try:
                    message = waiting.result(max(0.0, deadline - time.monotonic()))
                except FutureTimeout:
                    self._hung(op, fields)
                    raise TimeoutError from None
                except WorkerGone as exc:
                    gone = exc
                waiting = steps.throw(gone) if gone else steps.send(message)  # as in _ask
        except StopIteration as done:
            return done.value

    def _hung(self, op: str, fields: dict[str, Any]) -> None:
        """A call that hangs (a busy loop, a blocking sleep, a promise never settled): only
        ending the process stops it. The next scope gets a new one."""
        self._worker.kill(f"{fields.get('method', op)} did not return and the process was stopped")

    def _exchange(
        self,
        op: str,
        fields: dict[str, Any],
        source: randomness.RandomSource | None,
        timer: clock.ClockSource | None,
    ) -> Generator[Answer, Message, Any]:
        """One request and what its answer means, yielding each answer it waits for: the same
        steps whether the caller awaits them (`_ask`) or blocks on them (`call_now`)."""
        if self._open_failed is not None:
            raise self._open_failed
        worker = self._worker
        # A scope whose process ended fails every later call the same way, so hypothesis sees
        # one failure (one origin), not one per call.
        when = f"during an earlier {self._lost_during}" if self._lost_during else ""
        if not when:
            future = worker.request(op, scope=self._scope, **fields)
            opening, self._opening = self._opening, None
            try:
                if opening is not None:  # sent ahead: its answer comes first
                    self._took_open((yield opening), None)
                answer = yield future
            except WorkerGone:
                self._lost_during = str(fields.get("method", op))
                when = f"during {self._lost_during}"
        if when:
            raise self._gone(str(worker.gone), when)
        if self._open_failed is not None:  # the call was sent after an open that failed
            raise self._open_failed
        if source is not None:
            source.took(answer.get("draws"))
        if timer is not None:
            timer.took(answer.get("clock"))
        if not answer["ok"]:
            raise self._error(answer["error"], answer.get("logs") or [])
        _echo(answer.get("logs") or [])
        return answer["value"]

    async def _perform(self, message: Message) -> Any:
        """A request the worker caught, for a pipeline that may block on the network: sent on
        a thread while this scope's loop goes on."""
        if message.get("op") != "http":
            raise ValueError(f"the worker asked for {message.get('op')!r}, which is not served")
        loop = asyncio.get_running_loop()
        return (await loop.run_in_executor(None, active().send, _caught(message))).to_wire()

    async def _call(self, method: str, *args: Any) -> Any:
        fields, source, timer = self._plans(method, args)
        return await self._ask("call", source=source, timer=timer, **fields)

    def _plans(
        self, method: str, args: tuple[Any, ...]
    ) -> tuple[dict[str, Any], randomness.RandomSource | None, clock.ClockSource | None]:
        # Where the call starts in the recorded draws and clock reads travels with it (none:
        # real ones), and the answer says what the call drew and read: no round trip per draw
        # or read, and JS functions that must answer synchronously (crypto.randomUUID,
        # Date.now) can. Without a source the worker routes nothing.
        fields: dict[str, Any] = {"method": method, "args": list(args)}
        source, timer = randomness.active(), clock.active()
        if source is not None:
            fields["draws"] = source.plan(self._worker)
        if timer is not None:
            fields["clock"] = timer.plan(self._worker)
        return fields, source, timer

    async def close(self) -> None:
        try:
            if self._opened and self._worker.alive:
                if self._close_request:
                    await self._ask("close")
                else:
                    self._worker.event("close", scope=self._scope)
        finally:
            close_scope(self._scope)


def _version(module_file: Path) -> tuple[str, int, int] | None:
    """Which version of the file a worker opened (the workers import again when it changes)."""
    try:
        stat = module_file.stat()
    except OSError:
        return None
    return (str(module_file), stat.st_mtime_ns, stat.st_size)


def _caught(message: Message) -> Request:
    request = Request.from_wire(message["request"])
    request.scope = message.get("scope")
    return request


def _direct() -> list[str]:
    """The addresses the connector may reach without being routed (the mock on loopback)."""
    return list(active().direct)


def _echo(logs: list[str]) -> None:
    """What a call that succeeded printed goes to our own stdout/stderr, where it would have
    gone in process: pytest captures it per test, and the UI and `syncpeng` show it."""
    for line in logs:
        stream, _, text = line.partition(": ")
        print(text, file=sys.stderr if stream in ("stderr", "error") else sys.stdout)
