"""A scope of a JS module is a fresh instance however often it is opened (the bridge reuses the
compiled code of an unchanged file from the second scope on, node_bridge/compiled.js), and a
call may follow its scope's `open` on the channel without waiting for the answer.
"""

from __future__ import annotations

import pytest

from conformance.errors import ConnectorCallError
from conformance.runtime import node_process
from conformance.runtime.remote import scope_ids
from tests.helpers.node import call, js_source, needs_node, session

pytestmark = needs_node

MODULE = """'use strict'
const counter = require('./lib/counter')
const settings = require('./lib/settings.json')
let calls = 0
module.exports = {
  async init () {},
  async get (what) {
    if (what === 'state') return [++calls, counter.next(), ++settings.seen]
    if (what === 'import') return (await import('./lib/answer.mjs')).default
    if (what === 'strict') return (function () { return this === undefined })()
    throw new RangeError(`no ${what}`)
  },
  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}
}
"""


def _connector(tmp_path):
    folder = js_source(tmp_path, MODULE)
    (folder / "lib").mkdir()
    (folder / "lib" / "counter.js").write_text("let n = 0\nmodule.exports = { next: () => ++n }\n")
    (folder / "lib" / "settings.json").write_text('{"seen": 0}\n')
    (folder / "lib" / "answer.mjs").write_text("export default 42\n")
    return folder


def test_every_scope_is_fresh_and_behaves_alike_when_its_compiled_code_is_reused(tmp_path):
    folder = _connector(tmp_path)
    for _ in range(4):  # the first scope is Node's own load; the later ones reuse its code
        scope = session(folder)
        assert call(scope, "get", "state") == [1, 1, 1]
        assert call(scope, "get", "state") == [2, 2, 2]
        assert call(scope, "get", "import") == 42, "import() resolves from the module's folder"
        assert call(scope, "get", "strict") is True, "'use strict' still applies to the file"
        with pytest.raises(ConnectorCallError) as failure:
            call(scope, "get", "x")
        # line and column are the file's own: the wrapper adds no offset
        assert f"{folder / 'dataSourceApp.js'}:11:11" in failure.value.detail
        assert "compiled.js" not in failure.value.detail, "the stack shows the module's frames"
        scope.close()


def test_an_edited_module_is_loaded_again_by_the_next_scope(tmp_path):
    module = js_source(tmp_path, "") / "dataSourceApp.js"
    for version in ("one", "two", "two", "one"):
        module.write_text(
            f"module.exports = {{ async init () {{}}, async get () {{ return '{version}' }} }}\n"
        )
        scope = session(tmp_path)
        assert call(scope, "get", "x") == version
        scope.close()


@pytest.mark.parametrize("file", ["dataSourceApp.js", "dataSourceApp.mjs"])
def test_a_call_sent_right_after_open_waits_for_the_scope_to_open(tmp_path, file):
    export = "export default" if file.endswith(".mjs") else "module.exports ="
    js_source(
        tmp_path,
        f"{export} {{ async init () {{}}, async get (id) {{ return [id] }} }}\n",
        file=file,
    )
    worker = node_process.bridge_for(node_process.find_node())
    scope = next(scope_ids)
    opened = worker.request("open", scope=scope, module=str(tmp_path / file))
    called = worker.request("call", scope=scope, method="get", args=["x"])
    assert opened.result(30)["ok"]
    answer = called.result(30)
    assert answer["ok"], answer["error"]
    assert answer["value"] == ["x"]
    worker.event("close", scope=scope)
