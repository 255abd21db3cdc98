"""The inline Python runtime: a `DataSource` class in dataSourceApp.py, run in this process.

Chosen with `--connector-isolation=inline` (python_process.py runs connectors in a worker by
default). Here a connector's sys.exit and a sync method's KeyboardInterrupt are turned into named
failures, but a blocked event loop, os._exit or a thread that never ends still take the run down.

Methods may be sync or async and spelled `get_updates` or `getUpdates`. Sync methods run in a
daemon thread, so a hanging call can be abandoned at the per-call timeout without keeping the
process alive.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import importlib.util
import inspect
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from conformance.connector.contract import METHODS, CallsByName, Connector
from conformance.connector.files import one_line
from conformance.errors import InputError
from conformance.http import pipeline as http
from conformance.http import stubs
from conformance.http.message import Request, Response
from conformance.http.pipeline import Pipeline
from conformance.runtime import (
    clock,
    clock_routing,
    draw_routing,
    fresh_source,
    http_warm,
    randomness,
)
from conformance.runtime.unrouted import outside_the_call

MODULE_FILE = "dataSourceApp.py"
ALIASES = {"get_updates": ("get_updates", "getUpdates")}


@dataclass(frozen=True)
class PythonRuntime:
    """Makes one fresh `DataSource()` per execution scope."""

    factory: Callable[[], Any]
    name: str

    def create(self) -> Connector:
        try:
            instance = self.factory()
        except Exception as exc:
            raise InputError(
                f"{self.name}: DataSource() raised {one_line(exc)}; the platform creates it with "
                "no arguments"
            ) from None
        return PythonConnector(instance, self.name)


def load_file(module_file: Path, where: str) -> PythonRuntime:
    """Import a connector's .py file under a unique name (two connectors never share one)."""
    unique = f"_conformance_connector_{abs(hash(str(module_file))):x}"
    spec = fresh_source.spec_for(unique, module_file)
    if spec is None or spec.loader is None:  # pragma: no cover - only for exotic files
        raise InputError(f"{module_file}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    http_warm.http_stack()  # httpx's first-use costs, paid here and not in init's timeout
    draw_routing.install()  # before the import: `from uuid import uuid4` binds the routed one
    clock_routing.install()  # and `from datetime import datetime` the routed clock
    # A connector may import helper modules that sit beside it, as a NodeJS module requires them.
    sys.path.insert(0, str(module_file.parent))
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[unique]
        raise InputError(f"{module_file}: importing it raised {one_line(exc)}") from None
    except SystemExit as exc:
        del sys.modules[unique]
        raise InputError(f"{module_file}: importing it called sys.exit({exc.code!r})") from None
    finally:
        sys.path.remove(str(module_file.parent))
    return _runtime(module, str(module_file), where)


def load_module(target: str) -> tuple[PythonRuntime, Path | None, Path | None]:
    """Import a connector named as a module: (runtime, source file, folder)."""
    http_warm.http_stack()
    draw_routing.install()
    clock_routing.install()
    try:
        module = importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name and target.startswith(exc.name):
            raise InputError(
                f"{target}: no such folder, .py file or importable module; "
                "pass --connector=path/to/connector_folder"
            ) from None
        raise InputError(f"{target}: importing it raised {one_line(exc)}") from None
    except Exception as exc:
        raise InputError(f"{target}: importing it raised {one_line(exc)}") from None
    source = Path(module.__file__) if getattr(module, "__file__", None) else None
    if source is not None and source.name == "__init__.py":
        folder = source.parent
        nested = folder / MODULE_FILE
        if nested.is_file() and not hasattr(module, "DataSource"):
            return load_file(nested, target), nested, folder
    name = target.rsplit(".", 1)[-1]
    return _runtime(module, target, name), source, source.parent if source else None


def _runtime(module: ModuleType, where: str, name: str) -> PythonRuntime:
    factory = getattr(module, "DataSource", None)
    if factory is None or not callable(factory):
        raise InputError(
            f"{where}: defines no DataSource class; the harness instantiates "
            "DataSource() and calls init, get, insert, patch, delete and get_updates on it"
        )
    runtime = PythonRuntime(factory, name)
    runtime.create()  # a DataSource() that cannot be made is a load error, reported once
    return runtime


class ConnectorExited(Exception):
    """The connector tried to end the process or the run; `call_problem` says how."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.call_problem = problem


class PythonConnector(CallsByName):
    """Adapts a Python DataSource (sync or async methods, either spelling) to `Connector`."""

    def __init__(self, instance: Any, name: str) -> None:
        self._instance = instance
        self.name = name
        self._random = draw_routing.ScopeRandom()  # this scope's `random.*` generator

    def method(self, name: str) -> Callable[..., Any] | None:
        for spelling in ALIASES.get(name, (name,)):
            found = getattr(self._instance, spelling, None)
            if callable(found):
                return found
        return None

    def missing(self) -> list[str]:
        return [name for name in METHODS if self.method(name) is None]

    async def _call(self, name: str, *args: Any) -> Any:
        source = randomness.active()
        draws = draw_routing.CallDraws(source.ahead(), self._random) if source else None
        token = draw_routing.routed(draws)
        timer = clock.active()
        reads = clock_routing.CallClock(timer.ahead(), timer.offset_ms) if timer else None
        clock_token = clock_routing.routed(reads)
        pipeline = http.active()
        try:
            with stubs.relaying(InProcess(pipeline), direct=pipeline.direct):
                return await self._unguarded(name, *args)
        except SystemExit as exc:  # asyncio would re-raise it out of the loop and end the run
            raise ConnectorExited(f"called sys.exit({exc.code!r})") from None
        finally:
            draw_routing.unrouted(token)
            clock_routing.unrouted(clock_token)
            if source is not None and draws is not None:
                source.took(draws.taken)
            if timer is not None and reads is not None:
                timer.took(reads.taken)

    async def _unguarded(self, name: str, *args: Any) -> Any:
        method = self.method(name)
        if method is None:
            raise AttributeError(f"DataSource has no method {name}")
        if inspect.iscoroutinefunction(method):
            return await method(*args)
        result = await _in_daemon_thread(method, *args)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self) -> None:
        """Give the connector a chance to release clients; optional in the contract."""
        for spelling in ("aclose", "close"):
            closer = getattr(self._instance, spelling, None)
            if callable(closer):
                # A blocking close runs where a hang can be abandoned, as a blocking method does
                if inspect.iscoroutinefunction(closer):
                    result = closer()
                else:
                    result = await _in_daemon_thread(closer)
                if inspect.isawaitable(result):
                    await result
                return


async def _in_daemon_thread(func: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking method where a hang can be abandoned: a daemon thread never blocks exit."""

    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def resolve(ok: bool, value: Any) -> None:
        if future.done():
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def run() -> None:
        try:
            value = func(*args)
        except KeyboardInterrupt:  # raised by the connector: a real Ctrl-C reaches the main thread
            loop.call_soon_threadsafe(resolve, False, ConnectorExited("raised KeyboardInterrupt"))
        except BaseException as exc:  # handed to the awaiting check, not swallowed
            loop.call_soon_threadsafe(resolve, False, exc)
        else:
            loop.call_soon_threadsafe(resolve, True, value)

    # The call's context goes with it: its draws and clock reads are routed in the thread too.
    context = contextvars.copy_context()
    name = f"connector-{func.__name__}"
    threading.Thread(target=context.run, args=(run,), daemon=True, name=name).start()
    return await future


class InProcess:
    """A sender for requests caught in the harness's own process (inline isolation): straight
    into the pipeline, or, for an async client when the pipeline may block on the network, on a
    thread so the connector's event loop and the per-call timeout keep running."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def send(self, request: Request) -> Response:
        # The harness's own clock reads and draws are not the connector's (runtime/unrouted.py)
        return outside_the_call(self.pipeline.send, request)

    async def asend(self, request: Request) -> Response:
        if self.pipeline.in_memory:
            return outside_the_call(self.pipeline.send, request)
        return await asyncio.get_running_loop().run_in_executor(None, self.pipeline.send, request)
