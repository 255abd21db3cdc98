"""The harness's own start-up is never inside a connector call's timeout (issue 22).

A correct connector run with a short --connector-timeout on a busy runner was reported as
hanging: its first init paid for the worker's httpx imports and TLS context, and a NodeJS
module's load. These tests show where that work happens now, without measuring any time: what
the worker had imported before the connector's first call, and that a module whose load takes
longer than the whole per-call timeout still passes init.
"""

from __future__ import annotations

from conformance.connector.load import load_connector
from conformance.plugin import warm
from conformance.runtime import python_process
from conformance.runtime.session import Session
from tests.helpers import HANG_TIMEOUT
from tests.helpers.node import js_source, needs_node

WHAT_INIT_FOUND = """import sys

class DataSource:
    async def init(self, account):
        self.found = {"httpcore": "httpcore" in sys.modules}
    async def get(self, id): return self.found
    async def insert(self, value): ...
    async def patch(self, id, value): ...
    async def delete(self, id): ...
    async def get_updates(self, last_sync): ...
"""


def test_a_new_worker_has_imported_httpx_stack_before_the_connectors_first_init(tmp_path):
    (tmp_path / "dataSourceApp.py").write_text(WHAT_INIT_FOUND)
    python_process.worker().kill("this test needs a worker that never served a scope")
    spec = load_connector(str(tmp_path))
    session = Session(spec.create(), {})
    try:
        assert session.get("x") == {"httpcore": True}
    finally:
        session.close()


# Longer than the whole per-call timeout the session gets: loading must not be inside init's.
SLOW_LOAD_JS = f"""const until = Date.now() + {HANG_TIMEOUT * 1500:.0f}
while (Date.now() < until) {{}}
module.exports = {{
  async init () {{}}, async get (id) {{ return {{ id }} }},
  async insert () {{}}, async patch () {{}}, async delete () {{}}, async getUpdates () {{}}
}}
"""


@needs_node
def test_a_js_module_is_loaded_for_its_scope_before_init_is_timed(tmp_path):
    js_source(tmp_path, SLOW_LOAD_JS)
    spec = load_connector(str(tmp_path))
    session = Session(spec.create(), {}, timeout=HANG_TIMEOUT)
    try:
        assert session.get("after") == {"id": "after"}
    finally:
        session.close()


def test_the_warm_up_starts_the_runtimes_the_targets_name(tmp_path):
    (tmp_path / "py").mkdir()
    (tmp_path / "py" / "dataSourceApp.py").write_text("")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "dataSourceApp.js").write_text("")
    (tmp_path / "one.mjs").write_text("")
    assert warm._runtimes([str(tmp_path / "py")]) == {"python"}
    assert warm._runtimes([str(tmp_path / "j*")]) == {"node"}
    assert warm._runtimes([str(tmp_path / "one.mjs"), str(tmp_path / "py")]) == {"node", "python"}
    assert warm._runtimes(["some.importable.module", str(tmp_path / "missing")]) == set()


def test_the_xdist_controller_warms_nothing(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(warm.threading, "Thread", lambda **kw: started.append(kw) or _NoThread())
    (tmp_path / "dataSourceApp.py").write_text("")

    class Config:
        class option:
            numprocesses = 2

        def getoption(self, name):
            return [str(tmp_path)]

    warm.start(Config())  # type: ignore[arg-type]
    assert started == []
    worker_config = Config()
    worker_config.workerinput = {}  # type: ignore[attr-defined]
    warm.start(worker_config)  # type: ignore[arg-type]
    assert [kw["args"] for kw in started] == [({"python"},)]


class _NoThread:
    def start(self) -> None:
        pass
