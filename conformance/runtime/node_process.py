"""Finding NodeJS and keeping one bridge process per node executable alive for the harness.

Starting node costs tens of milliseconds; a scope costs well under one. So one long-lived bridge
process serves every scope of every JS connector in this Python process, and is started again
only after it was killed (a call that hung) or died. Requests the bridge sends (HTTP) are routed
to the scope that made them, on that scope's event loop.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

from conformance.errors import InputError
from conformance.options import NODE_ENV
from conformance.runtime.remote import serve
from conformance.runtime.worker import Worker

MIN_VERSION = 18
BRIDGE = Path(__file__).parent / "node_bridge" / "bridge.js"
_HOW = (
    f"install NodeJS {MIN_VERSION} or newer (https://nodejs.org), or point {NODE_ENV} "
    "(or --connector-node) at a node executable"
)

_workers: dict[str, Worker] = {}
_lock = threading.Lock()


def find_node() -> str:
    """The node executable to use, checked to be recent enough: one clear error otherwise."""
    chosen = os.environ.get(NODE_ENV)
    node = shutil.which(chosen) if chosen else shutil.which("node")
    if node is None:
        where = f"{NODE_ENV}={chosen} is not an executable" if chosen else "no `node` on PATH"
        raise InputError(f"JS connectors run in NodeJS, but {where}: {_HOW}")
    version = node_version(node)
    if version[0] < MIN_VERSION:
        raise InputError(
            f"{node} is NodeJS {'.'.join(map(str, version))}; JS connectors need NodeJS "
            f"{MIN_VERSION} or newer: {_HOW}"
        )
    return node


@functools.cache
def node_version(node: str) -> tuple[int, ...]:
    try:
        out = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"{node} --version failed ({exc}): {_HOW}") from None
    found = re.match(r"v?(\d+)\.(\d+)\.(\d+)", out.strip())
    if not found:
        raise InputError(f"{node} --version printed {out.strip()!r}, not a NodeJS version: {_HOW}")
    return tuple(int(part) for part in found.groups())


def bridge_for(node: str) -> Worker:
    """The live bridge process for this node, started if there is none (or it was killed)."""
    with _lock:
        worker = _workers.get(node)
        if worker is None or not worker.alive:
            worker = Worker([node, str(BRIDGE)], serve)
            worker.hello()
            _workers[node] = worker
        return worker
