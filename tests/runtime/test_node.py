"""The Node runtime runs a JS module the way the platform does, and its failures read like
Python ones: named, with the JS stack at dataSourceApp.js file:line and the call's console lines.
"""

from __future__ import annotations

import fnmatch
import json
import sys

import pytest

from conformance.runtime.node_process import BRIDGE
from tests.helpers import HANG_TIMEOUT, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from conformance.connector.load import load_connector
from conformance.errors import ConnectorCallError, InputError
from tests.helpers.node import call, js_module, js_source, needs_node, session

pytestmark = needs_node


def test_methods_run_with_this_bound_to_the_module_and_undefined_becomes_null(tmp_path):
    folder = js_module(
        tmp_path,
        """  async init (account) { this.token = account.apiToken },
  async get (id) { return id === 'token' ? this.token : undefined }""",
    )
    scope = session(folder, {"apiToken": "t-1"})
    assert call(scope, "get", "token") == "t-1"
    assert call(scope, "get", "other") is None
    scope.close()


def test_each_scope_gets_a_fresh_module_instance(tmp_path):
    folder = js_source(
        tmp_path,
        "let calls = 0\nmodule.exports = { async init () {}, async get () { return ++calls },\n"
        "  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {} }\n",
    )
    for _ in range(2):
        scope = session(folder)
        assert [call(scope, "get", "x"), call(scope, "get", "x")] == [1, 2]
        scope.close()


def test_an_mjs_module_with_export_default_is_fresh_per_scope_too(tmp_path):
    folder = js_source(
        tmp_path,
        "let calls = 0\nexport default { async init () {}, async get () { return ++calls },\n"
        "  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {} }\n",
        file="dataSourceApp.mjs",
    )
    for _ in range(2):
        scope = session(folder)
        assert call(scope, "get", "x") == 1
        scope.close()


@pytest.mark.parametrize(
    ("returned", "named"),
    [
        ("{ a: () => 1 }", "get result.a is a function"),
        (
            "(() => { const a = {}; a.self = a; return a })()",
            "get result.self refers back to itself (a cycle)",
        ),
        ("{ n: 10n }", "get result.n is the BigInt 10n"),
        ("[1, NaN]", "get result[1] is NaN"),
    ],
)
def test_a_result_that_is_not_json_is_a_named_failure_of_that_call(tmp_path, returned, named):
    scope = session(
        js_module(tmp_path, f"  async init () {{}},\n  async get () {{ return {returned} }}")
    )
    with pytest.raises(ConnectorCallError) as failure:
        scope.get("x")
    assert f'get("x"): raised NotJSON: {named}' in str(failure.value)


def test_a_thrown_error_shows_its_message_the_js_stack_and_the_console_lines(tmp_path):
    folder = js_source(
        tmp_path,
        "module.exports = {\n  async init () {},\n  async get (id) {\n"
        "    console.log('looking up', { id })\n    console.error('about to fail')\n"
        "    return new Date().toIsoString()\n  },\n"
        "  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}\n}\n",
    )
    with pytest.raises(ConnectorCallError) as failure:
        session(folder).get("x")
    error = failure.value
    assert "raised TypeError: (intermediate value).toIsoString is not a function" in error.problem
    assert f"{folder / 'dataSourceApp.js'}:6:" in error.detail
    assert "log: looking up { id: 'x' }" in error.detail
    assert "error: about to fail" in error.detail
    assert "bridge.js" not in error.detail, "the stack shows the module's frames, not ours"


def test_process_exit_is_a_named_failure_and_the_process_survives_it(tmp_path):
    folder = js_module(
        tmp_path,
        "  async init () {},\n  async get (id) { if (id === 'bye') process.exit(3); return id }",
    )
    scope = session(folder)
    with pytest.raises(
        ConnectorCallError, match=r"raised ProcessExit: the module called process.exit\(3\)"
    ):
        scope.get("bye")
    assert call(scope, "get", "still-here") == "still-here"


@pytest.mark.parametrize(
    "hang", ["return new Promise(() => {})", "while (true) {}"], ids=["unsettled", "busy-loop"]
)
def test_a_hung_call_times_out_and_the_next_scope_gets_a_new_process(tmp_path, hang):
    folder = js_module(
        tmp_path,
        f"  async init () {{}},\n  async get (id) {{ if (id === 'hang') {{ {hang} }} return id }}",
    )
    scope = session(folder, timeout=HANG_TIMEOUT)
    with pytest.raises(ConnectorCallError) as failure:
        scope.get("hang")
    assert failure.value.timed_out
    with pytest.raises(ConnectorCallError, match="node process running the module is gone"):
        scope.get("after")
    scope.close()
    fresh = session(folder)
    assert call(fresh, "get", "after") == "after"


def test_a_syntax_error_is_a_load_failure_naming_file_and_line(tmp_path):
    js_source(
        tmp_path, "module.exports = {\n  async init () {},\n  async get (id) { return { id: }\n}\n"
    )
    with pytest.raises(InputError, match=rf"{tmp_path / 'dataSourceApp.js'}:3: SyntaxError"):
        load_connector(str(tmp_path))


def test_a_missing_npm_package_says_to_run_npm_install_in_the_connector_folder(tmp_path):
    js_source(tmp_path, "const axios = require('axios')\nmodule.exports = {}\n")
    with pytest.raises(InputError) as failure:
        load_connector(str(tmp_path))
    assert f"Cannot find module 'axios': run `npm install` in {tmp_path}" in str(failure.value)


def test_a_module_that_exports_no_object_is_a_load_failure(tmp_path):
    js_source(tmp_path, "module.exports = 42\n")
    with pytest.raises(InputError, match="exports number; a data source module is an object"):
        load_connector(str(tmp_path))


def test_missing_methods_are_reported_by_the_interface_check(tmp_path):
    js_source(tmp_path, "module.exports = { async init () {}, async get () {} }\n")
    connector = load_connector(str(tmp_path)).create()
    assert connector.missing() == ["insert", "patch", "delete", "get_updates"]


def test_a_folder_with_both_a_python_and_a_js_module_names_both(tmp_path):
    js_module(tmp_path, "  async init () {},\n  async get () {}")
    (tmp_path / "dataSourceApp.py").write_text("class DataSource: ...\n")
    with pytest.raises(InputError, match="holds dataSourceApp.py and dataSourceApp.js"):
        load_connector(str(tmp_path))


@pytest.mark.parametrize(
    ("node", "says"),
    [
        ("no-such-node-anywhere", "CONFORMANCE_NODE=no-such-node-anywhere is not an executable"),
        ("OLD", "is NodeJS 16.20.0; JS connectors need NodeJS 18 or newer"),
    ],
)
def test_no_node_or_an_old_node_is_one_clear_error(tmp_path, monkeypatch, node, says):
    if node == "OLD":
        node = tmp_path / "node16"
        node.write_text("#!/bin/sh\necho v16.20.0\n")
        node.chmod(0o755)
    monkeypatch.setenv("CONFORMANCE_NODE", str(node))
    js_module(tmp_path / "c", "  async init () {},\n  async get () {}")
    with pytest.raises(InputError, match=says) as failure:
        load_connector(str(tmp_path / "c"))
    assert "point CONFORMANCE_NODE (or --connector-node) at a node executable" in str(failure.value)


@pytest.mark.parametrize(
    "path",
    [
        BRIDGE,
        BRIDGE.parent / "compiled.js",
        BRIDGE.parent / "vendor" / "interceptors.cjs",
        BRIDGE.parent / "vendor" / "LICENSE",
    ],
)
def test_the_bridge_and_its_interceptors_are_shipped_as_package_data(path):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["conformance.runtime"]
    shipped = path.relative_to(BRIDGE.parents[1]).as_posix()
    assert path.is_file()
    assert any(fnmatch.fnmatch(shipped, p) for p in patterns), shipped


def test_the_bundled_interceptors_name_their_version_and_license():
    bundle = (BRIDGE.parent / "vendor" / "interceptors.cjs").read_text()
    build = json.loads((ROOT / "tools" / "interceptors-bundle" / "package.json").read_text())
    pinned = build["dependencies"]["@mswjs/interceptors"]
    assert bundle.startswith(f"// @mswjs/interceptors {pinned} (MIT license")
    assert (
        f"@mswjs/interceptors {pinned} (MIT" in (BRIDGE.parent / "vendor" / "LICENSE").read_text()
    )
