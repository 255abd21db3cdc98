"""The isolated Python runtime: dataSourceApp.py runs in a worker process, not in the harness.

Connector code can end a process (sys.exit, os._exit), stop a run (KeyboardInterrupt), block an
event loop (time.sleep in an async method, a busy loop), or leave a thread that never ends. In the
harness's own process each of those takes the run down; in a worker the harness can time the call
out, kill the process and start another. The worker speaks the protocol the NodeJS bridge speaks
(docs/runtimes.md, python_worker.py is its other end), and sends its httpx requests back here.

`CONFORMANCE_PYTHON_ISOLATION=inline` (or `--connector-isolation=inline`) keeps the connector in
this process (python.py): faster per call, and only the cases docs/contract.md lists are safe.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from conformance.connector.contract import Connector
from conformance.errors import InputError
from conformance.options import ISOLATION_ENV, ISOLATIONS
from conformance.runtime import python
from conformance.runtime.remote import RemoteConnector, probe_methods, serve
from conformance.runtime.worker import Worker

LOAD_TIMEOUT = 15.0
WORKER = [sys.executable, "-m", "conformance.runtime.python_worker"]

_worker: Worker | None = None
_lock = threading.Lock()


class ConnectorRaised(Exception):
    """An exception the connector raised in its process, named as it was named there.

    `connector_traceback` holds the connector's own frames; `call_problem`, when set, is the
    whole finding ("called sys.exit(3)") where "raised X: message" would mislead.
    """

    connector_traceback = ""
    call_problem = ""


_CLASSES: dict[str, type[ConnectorRaised]] = {}
# What a call did that is not "raised X": said as the finding itself.
_SAID_AS_IS = ("SystemExit", "KeyboardInterrupt", "NotJSON", "WorkerGone")


def raised(error: dict[str, Any], logs: list[str]) -> ConnectorRaised:
    name = str(error.get("name") or "Exception")
    if not name.isidentifier():
        name = "Exception"
    if name not in _CLASSES:
        # A transport error keeps its httpx class, so the live backend still tells "the API is
        # unreachable" from a connector bug, as it does inline.
        known = getattr(httpx, name, None)
        extra = (
            (known,) if isinstance(known, type) and issubclass(known, httpx.TransportError) else ()
        )
        _CLASSES[name] = type(name, (ConnectorRaised, *extra), {})
    cls = _CLASSES[name]
    exc = cls(error.get("message", ""))
    parts = [str(error["stack"])] if error.get("stack") else []
    if logs:
        parts.append("output of this call:\n" + "\n".join(f"  {line}" for line in logs))
    exc.connector_traceback = "\n".join(parts)
    if name in _SAID_AS_IS:
        exc.call_problem = str(error.get("message", ""))
    return exc


def died(why: str, during: str) -> ConnectorRaised:
    return raised(
        {
            "name": "WorkerGone",
            "message": f"the process running the connector died {during}: {why}",
        },
        [],
    )


def worker() -> Worker:
    """The live Python worker, started if there is none (or it was killed after a hang)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.alive:
            started = Worker(WORKER, serve)
            started.hello()
            _worker = started
        return _worker


@dataclass
class IsolatedPythonRuntime:
    """Each `create()` is a fresh `DataSource()` in the worker, opened on its first call."""

    module_file: Path
    name: str
    methods: frozenset[str]

    def create(self) -> Connector:
        connector = RemoteConnector(
            worker(), self.module_file, self.name, self.methods, raised, died, close_request=True
        )
        # DataSource() is made now, as the inline runtime makes it: not within init's timeout.
        connector.open_now(LOAD_TIMEOUT)
        return connector


def isolated() -> bool:
    """Whether Python connectors run in the worker (the default), as the setting says now."""
    return (os.environ.get(ISOLATION_ENV) or "process") == "process"


def load_file(module_file: Path, where: str) -> Any:
    """The runtime the isolation setting picks; load errors are InputErrors naming the file."""
    isolation = os.environ.get(ISOLATION_ENV) or "process"
    if isolation == "inline":
        return python.load_file(module_file, where)
    if isolation != "process":
        raise InputError(
            f"{ISOLATION_ENV}={isolation} is not an isolation; "
            f"choose one of {', '.join(ISOLATIONS)}"
        )
    return IsolatedPythonRuntime(module_file, where, _probe(module_file))


def _probe(module_file: Path) -> frozenset[str]:
    """Import the module and make one DataSource() now, so a broken file fails before checks."""
    return probe_methods(
        worker,
        module_file,
        process="Python worker",
        loading="importing it and creating DataSource()",
        timeout=LOAD_TIMEOUT,
        load_problem=lambda error: _load_problem(module_file, error),
        blocked_hint="; does the module block at import time?",
    )


def _load_problem(module_file: Path, error: dict[str, Any]) -> str:
    message = str(error.get("message", ""))
    if error.get("name") == "LoadError":
        return f"{module_file}: {message}"
    return f"{module_file}: loading it raised {error.get('name')}: {message}"
