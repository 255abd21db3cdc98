"""`syncpeng` on a NodeJS module: `init -d --lang js` scaffolds one that runs at once, and the
method commands run it as they run a Python one (--mock, -o, -v)."""

from __future__ import annotations

import json

from tests.helpers import ROOT
from tests.helpers.cli import syncpeng
from tests.helpers.node import needs_node

pytestmark = needs_node

EXPECTED = {
    "dataSourceApp.js",
    "package.json",
    "in.json",
    "account.json",
    "account.example.json",
    "schema.json",
    "conformance.toml",
    ".gitignore",
}


def test_init_d_lang_js_scaffolds_a_js_module_with_package_json_and_node_modules_ignored(tmp_path):
    ran = syncpeng("init", "-d", "--lang", "js", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert {p.name for p in tmp_path.iterdir()} == EXPECTED
    assert "node_modules/" in (tmp_path / ".gitignore").read_text().splitlines()
    assert json.loads((tmp_path / "package.json").read_text())["main"] == "dataSourceApp.js"


def test_the_js_scaffold_inserts_then_gets_then_lists_against_the_mock(tmp_path):
    assert syncpeng("init", "-d", "--lang", "js", cwd=tmp_path).code == 0
    inserted = syncpeng("insert", "--mock", cwd=tmp_path)
    assert inserted.code == 0, inserted.err
    new_id = inserted.json()["id"]
    got = syncpeng("get", "--mock", "--id", new_id, "-v", cwd=tmp_path)
    assert got.code == 0, got.err
    assert got.json()["name"] == "Oliver"
    assert f"> GET https://api.cats.test/cats/{new_id}" in got.err, "-v shows the JS request"
    assert "authorization: ***" in got.err
    listed = syncpeng("getupdates", "--mock", "-o", "changes.json", cwd=tmp_path)
    assert listed.code == 0, listed.err
    changes = json.loads((tmp_path / "changes.json").read_text())
    assert [entry["id"] for entry in changes["entries"]] == [new_id]


def test_a_js_error_fails_the_command_and_v_shows_the_stack_and_console(tmp_path):
    assert syncpeng("init", "-d", "--lang", "js", cwd=tmp_path).code == 0
    module = tmp_path / "dataSourceApp.js"
    module.write_text(
        module.read_text().replace(
            "async get (id) {",
            "async get (id) {\n    console.log('looking up', id)\n    throw new Error('kaboom')",
        )
    )
    ran = syncpeng("get", "--mock", "--id", "x", "-v", cwd=tmp_path)
    assert ran.code == 1
    assert 'get("x") raised Error: kaboom' in ran.err
    assert f"{module}:" in ran.err
    assert "log: looking up x" in ran.err


def test_v_shows_the_requests_of_a_module_using_axios(npm_clients):
    folder = npm_clients / "cli-axios"
    folder.mkdir()
    assert syncpeng("init", "-d", "--lang", "js", cwd=folder).code == 0
    corpus = ROOT / "tests" / "connectors" / "clients_js" / "axios" / "dataSourceApp.js"
    (folder / "dataSourceApp.js").write_text(corpus.read_text())
    inserted = syncpeng("insert", "--mock", cwd=folder)
    assert inserted.code == 0, inserted.err
    new_id = inserted.json()["id"]
    got = syncpeng("get", "--mock", "--id", new_id, "-v", cwd=folder)
    assert got.code == 0, got.err
    assert f"> GET https://api.cats.test/cats/{new_id}" in got.err, "-v shows axios' request"
    assert "authorization: ***" in got.err
