"""The NodeJS bridge alone: its protocol spoken over a blocking socket, with no harness threads,
event loops or pipeline in between (HTTP requests answered with a canned answer at once).

bench_node.py prints these rows beside the harness's own, so the share of a figure that is
NodeJS's (the bridge, the module, the interceptors) and the share that is the harness's can be
read off one run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conformance.runtime import node_process
from conformance.runtime.worker import FD_ENV

ANSWER = {
    "status": 200,
    "headers": [["content-type", "application/json"]],
    "body": json.dumps({"id": "1", "name": "Tom"}),
}


class Bridge:
    """One bridge process and a blocking client of its protocol."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self._process = subprocess.Popen(
            [node_process.find_node(), str(node_process.BRIDGE)],
            pass_fds=(theirs.fileno(),),
            env={**os.environ, FD_ENV: str(theirs.fileno())},
        )
        theirs.close()
        self._sock = ours
        self._lines = ours.makefile("rb")
        self._ids = 0
        assert self._next()["op"] == "ready"

    def _next(self) -> dict[str, Any]:
        while True:
            message = json.loads(self._lines.readline())
            if message.get("op") != "http" or "id" not in message:
                return message
            self._send({"re": message["id"], "ok": True, "value": ANSWER})

    def _send(self, message: dict[str, Any]) -> None:
        self._sock.sendall((json.dumps(message, separators=(",", ":")) + "\n").encode())

    def ask(self, op: str, **fields: Any) -> Any:
        self._ids += 1
        self._send({"id": self._ids, "op": op, **fields})
        answer = self._next()
        assert answer.get("re") == self._ids and answer["ok"], answer
        return answer["value"]

    def close(self) -> None:
        self._lines.close()
        self._sock.close()
        self._process.wait()


def _timed(n: int, step: Callable[[int], Any]) -> list[float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        step(i)
        samples.append(time.perf_counter() - started)
    return samples[n // 10 :]  # the first tenth warms up


def measure(echo: Path, web: Path, calls: int, clients: tuple[str, ...]) -> dict[str, list[float]]:
    """Samples (seconds) per row: round trip, scope creation (open + init), one GET per client."""
    bridge = Bridge()
    scopes = iter(range(1, 1 << 30))
    try:
        scope = next(scopes)
        bridge.ask("open", scope=scope, module=str(echo / "dataSourceApp.js"))
        bridge.ask("call", scope=scope, method="init", args=[{}])
        rows = {
            "round trip": _timed(
                calls, lambda i: bridge.ask("call", scope=scope, method="get", args=[str(i)])
            )
        }

        def create(_: int) -> None:
            opened = next(scopes)
            bridge.ask("open", scope=opened, module=str(echo / "dataSourceApp.js"))
            bridge.ask("call", scope=opened, method="init", args=[{}])
            bridge._send({"op": "close", "scope": opened})

        rows["scope creation"] = _timed(max(calls // 4, 4), create)
        scope = next(scopes)
        bridge.ask("open", scope=scope, module=str(web / "dataSourceApp.js"))
        bridge.ask("call", scope=scope, method="init", args=[{}])
        for client in clients:
            rows[client] = _timed(
                max(calls // 4, 20),
                lambda _, c=client: bridge.ask("call", scope=scope, method="get", args=[c]),
            )
        return rows
    finally:
        bridge.close()
