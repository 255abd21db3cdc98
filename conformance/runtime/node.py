"""The NodeJS runtime: a `dataSourceApp.js` (CommonJS) or `.mjs` (export default) module.

The module runs in the bridge process (node_process.py) the way the platform runs it: a fresh
module instance per execution scope, methods called with `this` bound to the module object,
`this.httpClient` injected before init. Its HTTP requests come back here and are performed with
httpx (http_relay.py), so every mode and tool sees them as it sees a Python connector's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from conformance.connector.contract import Connector
from conformance.runtime import node_process
from conformance.runtime.remote import RemoteConnector, probe_methods

MODULE_FILES = ("dataSourceApp.js", "dataSourceApp.mjs")
LOAD_TIMEOUT = 15.0


class JSError(Exception):
    """An error the module threw (or the bridge raised for it), named as in JS.

    `connector_traceback` is the JS stack (the module's own frames, file:line) and the console
    lines the call printed: what the session shows where a Python connector shows its traceback.
    """

    connector_traceback = ""


_ERROR_CLASSES: dict[str, type[JSError]] = {}


def js_error(error: dict[str, Any], logs: list[str]) -> JSError:
    name = str(error.get("name") or "Error")
    if not name.isidentifier():
        name = "Error"
    cls = _ERROR_CLASSES.setdefault(name, type(name, (JSError,), {}))
    exc = cls(error.get("message", ""))
    parts = [error["stack"]] if error.get("stack") else []
    if logs:
        parts.append("console output of this call:\n" + "\n".join(f"  {line}" for line in logs))
    exc.connector_traceback = "\n".join(parts)
    return exc


@dataclass
class NodeRuntime:
    """Loads the module once to report load errors early; each `create()` is a fresh instance."""

    module_file: Path
    name: str
    node: str
    methods: frozenset[str]
    # How the module spells the methods the harness names in Python's way (reproductions,
    # failures): a NodeJS module has getUpdates.
    method_names: ClassVar[dict[str, str]] = {"get_updates": "getUpdates"}

    def create(self) -> Connector:
        # The bridge is started (if it is not running) here, outside the per-call timeout of
        # init: a restart after an earlier hang is not charged to the next scope's first call.
        worker = node_process.bridge_for(self.node)
        connector = RemoteConnector(
            worker, self.module_file, self.name, self.methods, js_error, _process_gone
        )
        # The module is loaded for this scope now, as the Python worker makes DataSource() now:
        # loading it is not charged to init's timeout.
        connector.open_now(LOAD_TIMEOUT)
        return connector


def load_file(module_file: Path, where: str) -> NodeRuntime:
    """Check that node is there and the module loads; a failure is an InputError naming why."""
    node = node_process.find_node()
    methods = probe_methods(
        lambda: node_process.bridge_for(node),
        module_file,
        process="node bridge",
        loading="loading the module",
        timeout=LOAD_TIMEOUT,
        load_problem=lambda error: _load_problem(module_file, error),
    )
    return NodeRuntime(module_file=module_file, name=where, node=node, methods=methods)


def _load_problem(module_file: Path, error: dict[str, Any]) -> str:
    message = str(error.get("message", ""))
    if error.get("name") == "LoadError":
        return message if str(module_file) in message else f"{module_file}: {message}"
    return f"{module_file}: loading it threw {error.get('name')}: {message}"


def _process_gone(why: str, when: str) -> JSError:
    exc = _ERROR_CLASSES.setdefault("NodeProcessGone", type("NodeProcessGone", (JSError,), {}))
    return exc(f"the node process running the module is gone: {why}")
