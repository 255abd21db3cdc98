"""Start the worker processes a run will need while pytest is still collecting.

Spawning the Python worker (and its imports, httpx's and the TLS context) or the NodeJS bridge
takes a few hundred milliseconds, more on a busy runner. Loading a connector needs its worker,
so without this the run waits for it after pytest has finished its own start; started from
`pytest_configure`, it overlaps pytest's collection and plugin set-up. The runtimes keep one
worker per process behind a lock, so a load that comes before the warm-up is done just waits for
the same start. A failure here is silent: loading the connector reports it, in its own words.
"""

from __future__ import annotations

import glob
import threading
from pathlib import Path

import pytest

from conformance.runtime import node, node_process, python, python_process

PYTHON_FILES = (python.MODULE_FILE,)


def start(config: pytest.Config) -> None:
    """Warm the runtimes the --connector targets use, in the background, where checks run."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return  # the xdist controller runs no check: its workers warm their own
    targets = config.getoption("--connector") or []
    wanted = _runtimes(targets)
    if wanted:
        threading.Thread(target=_warm, args=(wanted,), daemon=True, name="warm-up").start()


def _runtimes(targets: list[str]) -> set[str]:
    """Which runtimes ("python", "node") the targets' module files name; globs expanded."""
    found: set[str] = set()
    for target in targets:
        for name in glob.glob(target) if glob.has_magic(target) else [target]:
            path = Path(name)
            files = (
                [path / f for f in (*PYTHON_FILES, *node.MODULE_FILES)] if path.is_dir() else [path]
            )
            for file in files:
                if file.suffix == ".py" and file.is_file():
                    found.add("python")
                elif file.suffix in (".js", ".mjs") and file.is_file():
                    found.add("node")
    return found


def _warm(wanted: set[str]) -> None:
    try:
        if "python" in wanted and python_process.isolated():
            python_process.worker()
        if "node" in wanted:
            node_process.bridge_for(node_process.find_node())
    except Exception:  # the connector's load reports what went wrong, with its file name
        pass
