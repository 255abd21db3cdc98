"""Writing throwaway JS connector modules for the Node runtime's tests, and skipping without node.

Node tests are skipped only where no node executable exists; CI has Node 20, so there they run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conformance.connector.load import load_connector
from conformance.runtime.session import Session

needs_node = pytest.mark.skipif(
    shutil.which("node") is None, reason="no node on PATH: the JS runtime cannot run here"
)

METHODS_TAIL = "async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}"


def js_module(folder: Path, body: str, *, file: str = "dataSourceApp.js") -> Path:
    """A connector folder whose module is `module.exports = { <body>, <the other methods> }`."""
    folder.mkdir(parents=True, exist_ok=True)
    export = "export default" if file.endswith(".mjs") else "module.exports ="
    (folder / file).write_text(f"{export} {{\n{body},\n  {METHODS_TAIL}\n}}\n")
    return folder


def js_source(folder: Path, source: str, *, file: str = "dataSourceApp.js") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / file).write_text(source)
    return folder


def session(folder: Path, account: dict | None = None, timeout: float = 5.0) -> Session:
    """A scope of the connector in `folder`, after init."""
    spec = load_connector(str(folder))
    return Session(spec.create(), account or {}, timeout=timeout)


def call(session: Session, method: str, *args):
    """The raw result of one call, without the contract's shape checks."""
    return session._run(method, args)
