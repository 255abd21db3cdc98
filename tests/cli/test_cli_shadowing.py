"""Another `conformance` first on the path (the unrelated distribution of that name, or a folder)
stops `syncpeng` and pytest's plugin with one line naming it and the fix, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.distributions import fake_distribution

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
THEIRS = "def compliance():\n    return 'someone else'\n"


def run(args: list[str], cwd: Path, *path: Path) -> subprocess.CompletedProcess[str]:
    """`args` under Python with `path` first on sys.path, then this work tree (for the entry
    package), and no installed pytest plugin autoloaded: the test names the one it loads."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(p) for p in (*path, ROOT)),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def other_distribution(tmp_path: Path) -> Path:
    """A site folder where the index's unrelated `conformance` 0.3.0 is installed."""
    site = tmp_path / "site"
    fake_distribution(site, "conformance", "0.3.0", init=THEIRS)
    return site


def test_syncpeng_names_the_distribution_that_shadows_ours(
    tmp_path: Path, other_distribution: Path
) -> None:
    done = run(["-m", "connector_conformance_entry", "test"], tmp_path, other_distribution)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("syncpeng: error: the Python package 'conformance' imported ")
    assert f"from {other_distribution / 'conformance'} is not connector-conformance's" in (
        done.stderr
    )
    assert "belongs to the distribution 'conformance' 0.3.0" in done.stderr
    assert "fix: pip uninstall conformance && pip install --force-reinstall" in done.stderr


def test_the_pytest_plugin_names_the_distribution_that_shadows_ours(
    tmp_path: Path, other_distribution: Path
) -> None:
    args = ["-m", "pytest", "-p", "connector_conformance_entry.plugin", "--connector=."]
    done = run(args, tmp_path, other_distribution)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("ERROR: connector-conformance plugin: the Python package")
    assert "belongs to the distribution 'conformance' 0.3.0" in lines[0]


def test_a_folder_named_conformance_in_the_current_directory_is_named(tmp_path: Path) -> None:
    (tmp_path / "conformance").mkdir()
    (tmp_path / "conformance" / "__init__.py").write_text(THEIRS)
    done = run(["-m", "connector_conformance_entry", "--version"], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"imported from {tmp_path / 'conformance'}" in done.stderr
    assert "a folder of that name comes first on sys.path" in done.stderr


def test_with_ours_first_the_plugin_and_the_command_work(tmp_path: Path) -> None:
    done = run(["-m", "pytest", "-p", "connector_conformance_entry.plugin", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--connector-mode" in done.stdout  # the shim loaded the real plugin
    done = run(["-m", "connector_conformance_entry", "--version"], tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("syncpeng "), done.stderr


def test_the_entry_points_go_through_the_checking_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["syncpeng"] == "connector_conformance_entry:main"
    assert project["entry-points"]["pytest11"] == {
        "conformance": "connector_conformance_entry.plugin"
    }


def test_another_conformance_that_fails_on_import_is_still_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    fake_distribution(site, "conformance", "0.3.0", init="raise ImportError('needs numpy\\nx')\n")
    done = run(["-m", "connector_conformance_entry", "--help"], tmp_path, site)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert "belongs to the distribution 'conformance' 0.3.0" in done.stderr


def test_version_warns_when_another_distribution_shares_the_import_name(
    tmp_path: Path, other_distribution: Path
) -> None:
    # ours first on the path (it wins for now), theirs installed behind it
    done = run(
        ["-m", "connector_conformance_entry", "--version"], tmp_path, ROOT, other_distribution
    )
    assert done.returncode == 0 and done.stdout.startswith("syncpeng "), done.stderr
    assert done.stderr.startswith("syncpeng: warning: the distribution 'conformance' also ")
    assert "pip uninstall conformance" in done.stderr
    clean = run(["-m", "connector_conformance_entry", "--version"], tmp_path)
    assert clean.returncode == 0 and clean.stderr == ""
