"""`syncpeng init -d` writes a complete connector folder and never destroys an author's work."""

from __future__ import annotations

import fnmatch
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import conformance.cli.scaffolding as scaffolding
from tests.helpers.cli import scaffolded, syncpeng

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
# The tests run the work tree's package, which no CI runner could install: name what it should.
INSTALL = ("--install", "connector-conformance")
EXPECTED = {
    "dataSourceApp.py",
    "in.json",
    "account.json",
    "account.example.json",
    "schema.json",
    "conformance.toml",
    ".gitignore",
}


def test_init_d_in_the_current_empty_folder_writes_the_connector_files(tmp_path):
    ran = syncpeng("init", "-d", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert {p.name for p in tmp_path.iterdir()} == EXPECTED
    in_json = json.loads((tmp_path / "in.json").read_text())
    assert set(in_json) == {"init", "get", "insert", "patch", "delete", "getupdates"}
    assert json.loads((tmp_path / "account.json").read_text()) == json.loads(
        (tmp_path / "account.example.json").read_text()
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignore_keeps_credentials_and_mock_state_out_of_git(tmp_path):
    folder = scaffolded(tmp_path / "c")
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)

    def ignored(name: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", name], cwd=folder).returncode == 0

    assert ignored("account.json") and ignored(".syncpeng-mock.json")
    assert not ignored("account.example.json") and not ignored("dataSourceApp.py")


def test_init_d_dir_creates_the_folder(tmp_path):
    ran = syncpeng("init", "-d", "new/connector", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert {p.name for p in (tmp_path / "new" / "connector").iterdir()} == EXPECTED


def test_existing_files_are_named_and_nothing_is_written(tmp_path):
    (tmp_path / "dataSourceApp.py").write_text("# my work\n")
    (tmp_path / "in.json").write_text("{}")
    ran = syncpeng("init", "-d", cwd=tmp_path)
    assert ran.code == 2
    assert "dataSourceApp.py, in.json already exist" in ran.err and "--force" in ran.err
    assert "Traceback" not in ran.err
    assert (tmp_path / "dataSourceApp.py").read_text() == "# my work\n"
    assert {p.name for p in tmp_path.iterdir()} == {"dataSourceApp.py", "in.json"}


def test_force_overwrites(tmp_path):
    (tmp_path / "dataSourceApp.py").write_text("# my work\n")
    ran = syncpeng("init", "-d", "--force", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert "class DataSource" in (tmp_path / "dataSourceApp.py").read_text()


def test_a_file_where_the_folder_should_be_is_bad_input(tmp_path):
    (tmp_path / "taken").write_text("")
    ran = syncpeng("init", "-d", "taken", cwd=tmp_path)
    assert ran.code == 2 and "not a folder" in ran.err


def test_every_template_is_shipped_as_package_data():
    """The wheel carries exactly what pyproject's package-data names: no template left out."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["conformance.cli.scaffold"]
    templates = {t for files in scaffolding.SCAFFOLDS.values() for t in files.values()}
    for template in templates:
        assert (scaffolding.TEMPLATES / template).is_file(), template
        assert any(fnmatch.fnmatch(template, p) for p in patterns), template


def test_init_ci_writes_a_workflow_naming_each_connectors_secret(tmp_path):
    scaffolded(tmp_path / "connectors" / "hub-spot")
    ran = syncpeng("init", "--ci", *INSTALL, cwd=tmp_path)
    assert ran.code == 0, ran.err
    workflow = (tmp_path / ".github" / "workflows" / "conformance.yml").read_text()
    assert "CONFORMANCE_ACCOUNT_HUB_SPOT: ${{ secrets.CONFORMANCE_ACCOUNT_HUB_SPOT }}" in workflow
    assert "--connector='connectors/*'" in workflow or "connectors/*" in workflow


def test_init_ci_never_overwrites_an_existing_workflow_without_force(tmp_path):
    target = tmp_path / ".github" / "workflows" / "conformance.yml"
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n")
    ran = syncpeng("init", "--ci", *INSTALL, cwd=tmp_path)
    assert ran.code == 2
    assert "conformance.yml: already exists" in ran.err and "Traceback" not in ran.err
    assert target.read_text() == "# mine\n"
    assert syncpeng("init", "--ci", "--force", *INSTALL, cwd=tmp_path).code == 0
    assert target.read_text() != "# mine\n"
