"""The child side of an isolated Python connector: `python -m conformance.runtime.python_worker`.

It speaks the worker protocol of docs/runtimes.md, as the NodeJS bridge does, so that whatever
connector code does (sys.exit, os._exit, a busy loop in an async method, a thread that never
ends, a blocking close) happens in a process the harness can time out, kill and restart.

Every request the connector makes, with any client conformance/http/stubs catches, is sent back
to the harness, which answers it from the check's request pipeline: the mock, the cassettes, the
guards and the traffic views see it as if the connector ran in the harness; a socket no stub
caught is refused. Of `conformance` it imports only those stubs and the draw routing: this
process must start fast and must not import the harness it serves.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib.util
import inspect
import json
import os
import socket
import sys
import threading
import traceback
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from conformance.http import stubs
from conformance.http.message import HttpFailure, Request, Response
from conformance.http.stubs import sockets
from conformance.runtime import clock_routing, draw_routing, fresh_source, http_warm
from conformance.runtime.worker_channel import Channel
from conformance.runtime.worker_output import CallLog, CallOutput, logs_of_this_call
from conformance.runtime.worker_plans import CallPlans

FD_ENV = "CONFORMANCE_WORKER_FD"
PROTOCOL = 1
METHODS = ("init", "get", "insert", "patch", "delete", "get_updates")
ALIASES = {"get_updates": ("get_updates", "getUpdates")}
HERE = str(Path(__file__).resolve().parent)

_scope: contextvars.ContextVar[int | None] = contextvars.ContextVar("scope", default=None)


class ChannelSender:
    """Where this process's stubs send every request the connector makes: to the harness,
    which answers it from the check's pipeline (conformance/http)."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    def _ask(self, request: Request) -> Future[dict[str, Any]]:
        scope = _scope.get()
        return self.channel.ask(
            "http",
            scope=scope if scope is not None else self.channel.last_scope,
            request=request.to_wire(),
        )

    def send(self, request: Request) -> Response:
        return _answer(self.channel.result(self._ask(request)))

    async def asend(self, request: Request) -> Response:
        return _answer(await self.channel.answer(self._ask(request)))


def _answer(message: dict[str, Any]) -> Response:
    if message["ok"]:
        return Response.from_wire(message["value"])
    raise HttpFailure.from_wire(message["error"])


class Worker:
    """Scopes (one DataSource instance each) and the calls the harness makes on them."""

    def __init__(self, channel: Channel, loop: asyncio.AbstractEventLoop) -> None:
        self.channel = channel
        self.loop = loop
        self.modules: dict[str, Any] = {}
        self.scopes: dict[int, Any] = {}
        self.plans = CallPlans()  # the draws and clock reads each call is handed

    def handle(self, message: dict[str, Any]) -> None:
        """On the loop: start answering a request, or act on an event."""
        op = message.get("op")
        if "id" not in message:
            if op == "close":
                self.scopes.pop(message.get("scope"), None)
                self.plans.forget(message.get("scope"))
            return
        handler = {"open": self.open, "call": self.call, "close": self.close}.get(str(op))
        if handler is None:
            self.fail(message["id"], "UnknownOp", f"the worker does not serve {op!r}", "")
            return
        self.loop.create_task(self.answer(message, handler))

    async def answer(self, message: dict[str, Any], handler: Any) -> None:
        id = message["id"]
        self.channel.last_scope = message.get("scope")
        token = _scope.set(message.get("scope"))
        logs = CallLog()
        logs_token = logs_of_this_call.set(logs)
        draws = self.plans.draws(message)
        draws_token = draw_routing.routed(draws)
        clock = self.plans.clock(message)
        clock_token = clock_routing.routed(clock)
        drawn: dict[str, Any] = {"draws": draws.taken} if draws is not None else {}
        if clock is not None:
            drawn["clock"] = clock.taken
        try:
            value = await handler(message)
        except BaseException as exc:  # whatever the connector raised, SystemExit included
            name, text = describe(exc, message)
            self.fail(id, name, text, connector_frames(exc), logs.lines(), drawn)
            return
        finally:
            _scope.reset(token)
            logs_of_this_call.reset(logs_token)
            draw_routing.unrouted(draws_token)
            clock_routing.unrouted(clock_token)
        try:
            answer = {"re": id, "ok": True, "value": value, **drawn}
            if logs.lines():
                answer["logs"] = logs.lines()
            line = json.dumps(answer, separators=(",", ":"), default=_foreign)
        except RecursionError:
            problem = "returned JSON nested too deeply to encode (Python's limit is ~1,000 levels)"
            self.fail(id, "NotJSON", problem, "", None, drawn)
            return
        except (TypeError, ValueError) as exc:  # keys that are not strings, say
            problem = f"returned a value that is not JSON: {exc}"
            self.fail(id, "NotJSON", problem, "", None, drawn)
            return
        self.channel.write(line.encode() + b"\n")

    def fail(
        self,
        id: int,
        name: str,
        message: str,
        stack: str,
        logs: list[str] | None = None,
        drawn: dict[str, Any] | None = None,
    ) -> None:
        error = {"name": name, "message": message, "stack": stack}
        answer = {"re": id, "ok": False, "error": error, "logs": logs or [], **(drawn or {})}
        self.channel.send(answer)

    async def open(self, message: dict[str, Any]) -> dict[str, Any]:
        sockets.allow_direct(tuple(message.get("allow") or ()))
        module = self.module(str(message["module"]))
        factory = getattr(module, "DataSource", None)
        if factory is None or not callable(factory):
            raise LoadProblem(
                "defines no DataSource class; the harness instantiates DataSource() and calls "
                "init, get, insert, patch, delete and get_updates on it"
            )
        try:
            instance = factory()
        except Exception as exc:
            raise LoadProblem(
                f"DataSource() raised {type(exc).__name__}: {_text(exc)}; the platform creates "
                "it with no arguments"
            ) from None
        self.scopes[message["scope"]] = instance
        return {"methods": [m for m in METHODS if _method(instance, m) is not None]}

    def module(self, path: str) -> Any:
        """The imported module, imported again once its file changed: a long-lived front end
        (syncpeng ui) loads an edited module without a restart, as the inline runtime does."""
        stat = Path(path).stat()
        key = f"{path}:{stat.st_mtime_ns}:{stat.st_size}"
        if key not in self.modules:
            unique = f"_conformance_connector_{len(self.modules)}"
            spec = fresh_source.spec_for(unique, path)
            if spec is None or spec.loader is None:
                raise LoadProblem("cannot be imported as a Python module")
            module = importlib.util.module_from_spec(spec)
            sys.modules[unique] = module
            sys.path.insert(0, str(Path(path).parent))
            try:
                spec.loader.exec_module(module)
            except BaseException as exc:
                del sys.modules[unique]
                raise LoadProblem(f"importing it {_did(exc)}") from None
            finally:
                sys.path.remove(str(Path(path).parent))
            self.modules[key] = module
        return self.modules[key]

    async def call(self, message: dict[str, Any]) -> Any:
        instance = self.scopes[message["scope"]]
        method = _method(instance, str(message["method"]))
        if method is None:
            raise AttributeError(f"DataSource has no method {message['method']}")
        args = message.get("args") or []
        if inspect.iscoroutinefunction(method):
            return await method(*args)
        result = await asyncio.to_thread(method, *args)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self, message: dict[str, Any]) -> None:
        self.plans.forget(message["scope"])
        instance = self.scopes.pop(message["scope"], None)
        for spelling in ("aclose", "close"):
            closer = getattr(instance, spelling, None)
            if callable(closer):
                result = await _on_own_thread(closer)
                if inspect.isawaitable(result):
                    await result
                return


async def _on_own_thread(func: Any) -> Any:
    """A sync close on a daemon thread of its own: one that never returns is abandoned when the
    harness times it out, and does not hold one of the few threads the methods run on."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(error: BaseException | None, value: Any) -> None:
        if not future.done():
            future.set_exception(error) if error is not None else future.set_result(value)

    def run() -> None:
        try:
            value = func()
        except BaseException as exc:
            loop.call_soon_threadsafe(settle, exc, None)
        else:
            loop.call_soon_threadsafe(settle, None, value)

    threading.Thread(target=contextvars.copy_context().run, args=(run,), daemon=True).start()
    return await future


class LoadProblem(Exception):
    """The module cannot serve: named LoadError on the wire, as the NodeJS bridge names it."""


def describe(exc: BaseException, message: dict[str, Any]) -> tuple[str, str]:
    """(name, message) for the harness; exits and interrupts say what the connector did."""
    if isinstance(exc, LoadProblem):
        return "LoadError", _text(exc)
    if isinstance(exc, SystemExit):
        return "SystemExit", f"called sys.exit({exc.code!r})"
    if isinstance(exc, KeyboardInterrupt):
        return "KeyboardInterrupt", "raised KeyboardInterrupt"
    return type(exc).__name__, _text(exc)


def _did(exc: BaseException) -> str:
    """What importing did, in one line: "called sys.exit(0)", "raised SyntaxError: ..."."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r})"
    lines = _text(exc).strip().splitlines()
    return f"raised {type(exc).__name__}" + (f": {lines[0]}" if lines else "")


def _foreign(value: Any) -> dict[str, str]:
    """A value JSON cannot hold (a datetime, an object), sent as what it is, so the harness's
    contract checks can say so in their own words (worker.NOT_JSON on the harness side)."""
    try:
        shown = repr(value)[:200]
    except Exception as exc:
        shown = f"<{type(value).__name__} object whose repr raised {type(exc).__name__}>"
    return {"$notJSON": type(value).__name__, "repr": shown}


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception as inner:  # an exception whose __str__ raises still gets a name
        return f"<its message could not be shown: {type(inner).__name__}>"


def _what(message: dict[str, Any]) -> str:
    return str(message.get("method") or message.get("op"))


def _method(instance: Any, name: str) -> Any:
    for spelling in ALIASES.get(name, (name,)):
        found = getattr(instance, spelling, None)
        if callable(found):
            return found
    return None


def connector_frames(exc: BaseException) -> str:
    """The connector's own frames: what its author should read, nothing of this worker."""
    try:
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if not f.filename.startswith((HERE, sys.prefix, sys.base_prefix))
        ]
    except Exception:
        return ""
    return "".join(traceback.format_list(frames)).rstrip()


def unrouted(channel: Channel, why: str) -> None:
    """Tell the harness a connection was refused at the socket (docs/runtimes.md, `unrouted`):
    the connector may swallow the error, the check must still not pass on it."""
    scope = _scope.get()
    channel.send(
        {
            "op": "unrouted",
            "scope": scope if scope is not None else channel.last_scope,
            "message": why,
        }
    )


def main() -> None:
    http_warm.http_stack()  # before `ready`: never charged to a call's timeout
    sock = socket.socket(fileno=int(os.environ[FD_ENV]))
    loop = asyncio.new_event_loop()
    channel = Channel(sock, loop)
    worker = Worker(channel, loop)
    channel.handle = worker.handle
    stubs.relay_always(ChannelSender(channel))
    sockets.reporters.append(lambda why: unrouted(channel, why))
    draw_routing.install()  # before any connector module is imported
    clock_routing.install()
    sys.stdout = CallOutput("stdout", sys.__stderr__)  # type: ignore[assignment]
    sys.stderr = CallOutput("stderr", sys.__stderr__)  # type: ignore[assignment]
    channel.start()
    channel.send(
        {
            "op": "ready",
            "runtime": "python",
            "version": sys.version.split()[0],
            "protocol": PROTOCOL,
        }
    )
    loop.run_forever()


if __name__ == "__main__":
    main()
