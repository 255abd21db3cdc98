"""An edited module is run as its file now reads, even when a cached .pyc looks current.

Python trusts a .pyc whose source has the same whole-second mtime and size: an author who
changes `return 1` to `return 2` and runs again within the second would see the old result.
"""

from __future__ import annotations

import os
import py_compile
import sys

from conformance.connector.load import load_connector
from conformance.runtime.session import Session

SOURCE = """class DataSource:
    async def init(self, account): pass
    async def get(self, id): return {{"id": id, "version": {version}}}
    async def insert(self, value): return {{"id": "1"}}
    async def patch(self, id, value): pass
    async def delete(self, id): pass
    async def get_updates(self, last_sync): return {{"items": [], "lastSync": None}}
"""


def test_a_same_size_edit_with_a_current_looking_pyc_runs_the_new_code(tmp_path, monkeypatch):
    # Inline, where this process's own bytecode cache is the one the loader consults; the
    # worker loads modules through the same `fresh_source.spec_for`.
    monkeypatch.setenv("CONFORMANCE_PYTHON_ISOLATION", "inline")
    monkeypatch.setattr(sys, "pycache_prefix", None)  # the .pyc beside the source, not the suite's
    module = tmp_path / "dataSourceApp.py"
    module.write_text(SOURCE.format(version=1))
    stamp = os.stat(module).st_mtime_ns // 1_000_000_000 * 1_000_000_000
    os.utime(module, ns=(stamp, stamp))
    py_compile.compile(str(module), cfile=None)  # the cache Python would trust
    assert _version(tmp_path) == 1
    module.write_text(SOURCE.format(version=2))  # same size, same whole second
    os.utime(module, ns=(stamp + 1, stamp + 1))
    assert _version(tmp_path) == 2


def _version(folder) -> int:
    session = Session(load_connector(str(folder)).create(), {})
    try:
        return session.get("x")["version"]
    finally:
        session.close()
