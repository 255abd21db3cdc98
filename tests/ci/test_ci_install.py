"""`syncpeng init --ci` installs the harness the author runs: its index version, its git URL and
commit, or (local path, editable install, checkout) nothing until --install says what."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from conformance.ci.install import install_spec, pip_arguments
from conformance.ci.workflow import WORKFLOW_PATH, write_workflow
from conformance.errors import InputError
from conformance.origin import harness_origin
from tests.helpers.cli import syncpeng
from tests.helpers.distributions import fake_distribution

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def origin_of(site: Path, direct_url: dict | None = None, running: Path | None = None):
    dist = fake_distribution(site, direct_url=direct_url)
    return harness_origin(dist, running or site / "conformance")


def test_from_an_index_the_workflow_pins_the_version(tmp_path: Path) -> None:
    origin = origin_of(tmp_path)
    assert origin.describe() == "from the package index"
    assert install_spec(origin=origin) == "connector-conformance==1.2.3"


def test_from_git_the_workflow_installs_that_url_at_that_commit(tmp_path: Path) -> None:
    record = {
        "url": "https://github.com/acme/connector-conformance.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"},
    }
    origin = origin_of(tmp_path, record)
    expected = f"git+https://github.com/acme/connector-conformance.git@{COMMIT}"
    assert origin.describe() == f"from {expected}"
    assert install_spec(origin=origin) == f"connector-conformance @ {expected}"


def test_a_token_in_the_git_url_never_reaches_the_workflow(tmp_path: Path) -> None:
    record = {
        "url": "https://ghp_secret123:x-oauth@github.com/acme/cc.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT},
        "subdirectory": "harness",
    }
    spec = install_spec(origin=origin_of(tmp_path, record))
    assert spec == f"connector-conformance @ git+https://github.com/acme/cc.git@{COMMIT}" + (
        "#subdirectory=harness"
    )


def test_pep_610_safe_userinfo_is_kept(tmp_path: Path) -> None:
    record = {
        "url": "ssh://git@github.com/acme/cc.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT},
    }
    assert "ssh://git@github.com/acme/cc.git@" in install_spec(origin=origin_of(tmp_path, record))


def test_from_a_remote_archive_the_workflow_installs_that_url(tmp_path: Path) -> None:
    url = "https://example.org/dist/connector_conformance-1.2.3-py3-none-any.whl"
    origin = origin_of(tmp_path, {"url": url, "archive_info": {}})
    assert install_spec(origin=origin) == f"connector-conformance @ {url}"


@pytest.mark.parametrize(
    ("record", "said"),
    [
        ({"url": "file:///home/me/cc", "dir_info": {"editable": True}}, "editable install of"),
        ({"url": "file:///home/me/cc", "dir_info": {}}, "from the local path /home/me/cc"),
        ({"url": "file:///tmp/cc-1.2.3-py3-none-any.whl", "archive_info": {}}, "local path"),
        ({"url": "file:///home/me/cc", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, "file:"),
    ],
)
def test_from_a_local_path_the_command_asks_for_install(
    tmp_path: Path, record: dict, said: str
) -> None:
    running = (
        Path("/home/me/cc/conformance") if record.get("dir_info", {}).get("editable") else None
    )
    origin = origin_of(tmp_path, record, running)
    assert said in origin.describe()
    with pytest.raises(InputError, match=r"pass what it should pip install, e\.g\. --install"):
        install_spec(origin=origin)
    override = "connector-conformance @ git+https://github.com/acme/cc@v1"
    assert install_spec(override, origin) == override  # --install always wins


def test_code_run_from_a_checkout_is_not_the_installed_distribution(tmp_path: Path) -> None:
    origin = origin_of(tmp_path / "site", running=tmp_path / "work" / "conformance")
    assert origin.describe() == f"run from {tmp_path / 'work'}, not an installed distribution"
    assert origin.version == "unknown"  # the installed version is some other code's
    with pytest.raises(InputError):
        install_spec(origin=origin)


def test_install_overrides_the_index_and_must_be_one_line(tmp_path: Path) -> None:
    origin = origin_of(tmp_path)
    assert install_spec("connector-conformance==9", origin) == "connector-conformance==9"
    for bad in ("", "   ", "a\nb"):
        with pytest.raises(InputError, match="--install"):
            install_spec(bad, origin)


def test_the_workflow_installs_the_direct_reference_as_one_argument(tmp_path: Path) -> None:
    spec = f"connector-conformance @ git+https://github.com/acme/cc.git@{COMMIT}"
    path = write_workflow(tmp_path, harness=spec)
    flow = yaml.safe_load(path.read_text())
    installs = [
        line.strip()
        for job in flow["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if "pip install" in line and "--upgrade" not in line and "-r " not in line
    ]
    assert len(installs) == 2  # the gate and the live job
    for line in installs:
        assert shlex.split(line)[4:] == [spec, "pytest-xdist"]
    assert pip_arguments(spec) in path.read_text()


def test_init_ci_from_a_checkout_exits_2_asking_for_install(tmp_path: Path) -> None:
    ran = syncpeng("init", "--ci", cwd=tmp_path)  # the tests run the work tree's package
    assert ran.code == 2, ran.err
    assert "--install" in ran.err and "Traceback" not in ran.err
    assert len(ran.err.strip().splitlines()) == 1
    assert not (tmp_path / WORKFLOW_PATH).exists()
    ran = syncpeng("init", "--ci", "--install", "connector-conformance==1.0", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert (
        "install connector-conformance==1.0 pytest-xdist" in (tmp_path / WORKFLOW_PATH).read_text()
    )


def test_metadata_a_build_left_in_a_source_tree_is_no_installation(tmp_path: Path) -> None:
    # `python -m build` and `pip install -e` write connector_conformance.egg-info into the work
    # tree: first on sys.path, it has no direct_url.json, and is no install from an index.
    dist = fake_distribution(tmp_path)
    (Path(str(dist._path)) / "RECORD").unlink()  # type: ignore[attr-defined]
    origin = harness_origin(dist, tmp_path / "conformance")
    assert origin.kind == "checkout"
    with pytest.raises(InputError):
        install_spec(origin=origin)


def test_an_editable_install_run_from_its_source_tree_is_still_editable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree, site = tmp_path / "tree", tmp_path / "site"
    egg = fake_distribution(tree)  # the .egg-info in the tree, first on sys.path
    (Path(str(egg._path)) / "RECORD").unlink()  # type: ignore[attr-defined]
    fake_distribution(site, direct_url={"url": tree.as_uri(), "dir_info": {"editable": True}})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(tree))
    origin = harness_origin(running=tree / "conformance")
    assert origin.describe() == f"editable install of {tree}"
    assert origin.version == "1.2.3"
