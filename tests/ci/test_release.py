"""The release: version from the git tag, a workflow publishing on a tag with PyPI's trusted
publishing, whose build steps .ci/wheel-smoke (run by .ci/run) repeats."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def release() -> dict:
    flow = yaml.safe_load(RELEASE.read_text())
    flow["on"] = flow.pop(True)  # YAML 1.1 reads the key `on` as True
    return flow


def test_it_runs_on_version_tags_only() -> None:
    assert release()["on"] == {"push": {"tags": ["v*"]}}


def test_the_build_sees_the_tags_and_checks_what_it_built() -> None:
    build = release()["jobs"]["build"]
    checkout = build["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0  # setuptools-scm needs the tag
    script = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python -m build" in script and "twine check --strict dist/*" in script
    assert "${GITHUB_REF_NAME#v}" in script  # the version built must be the tag's


def test_publishing_uses_trusted_publishing_and_nothing_else_may_write() -> None:
    flow = release()
    assert flow["permissions"] == {"contents": "read"}
    publish = flow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uses = [step["uses"] for step in publish["steps"]]
    assert uses[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert "password" not in str(publish)  # no token: PyPI trusts the workflow's OIDC identity
    assert "id-token" not in str(flow["jobs"]["build"])


def test_ci_runs_the_release_build_steps_and_the_wheel_smoke_test() -> None:
    smoke = (ROOT / ".ci" / "wheel-smoke").read_text()
    assert "-m build" in smoke and "-m twine check --strict" in smoke
    assert "mktemp -d" in smoke  # the wheel is installed outside the checkout
    assert ".ci/wheel-smoke" in (ROOT / ".ci" / "run").read_text()


def test_the_version_comes_from_git_tags() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert any(r.startswith("setuptools-scm") for r in pyproject["build-system"]["requires"])
    assert "fallback_version" in pyproject["tool"]["setuptools_scm"]
