"""Installing the npm packages a test module needs, once per test session, from the registry.

A JS connector's packages are installed by `npm install` in its own folder, as an author does;
the tests do the same into a temporary folder that holds copies of the modules, so node_modules
is never committed. Without npm or the registry the tests that need it are skipped, except in
CI (CI=true), where a skip would hide that the clients were never tried: there they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

# What the test modules import; one install serves them all (node resolves node_modules upwards).
# got 14 is the last major that runs on NodeJS 20; undici 6 on NodeJS 18.
CLIENT_PACKAGES = {
    "axios": "^1.7.0",
    "got": "^14.4.0",
    "node-fetch": "^2.7.0",
    "superagent": "^10.2.0",
    "undici": "^6.21.0",
}
_UNREACHABLE = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ENETUNREACH", "ECONNRESET")


def _give_up(why: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why}; CI must reach the npm registry to test the NodeJS HTTP clients")
    pytest.skip(why)


def install_clients(folder: Path) -> Path:
    """`npm install` of CLIENT_PACKAGES into `folder`; returns it."""
    npm = shutil.which("npm")
    if npm is None:
        _give_up("no npm on PATH: cannot install axios, got and node-fetch for the JS client tests")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"name": "client-tests", "private": True, "dependencies": CLIENT_PACKAGES}
    (folder / "package.json").write_text(json.dumps(manifest, indent=2))
    done = subprocess.run(
        [npm, "install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-2000:]
        if any(code in tail for code in _UNREACHABLE):
            _give_up(f"the npm registry is unreachable ({tail.splitlines()[-1]})")
        raise AssertionError(f"npm install failed in {folder}:\n{tail}")
    return folder


def copy_module(installed: Path, source: Path) -> Path:
    """A copy of the connector folder `source` beside the installed node_modules."""
    target = installed / source.name
    if not target.exists():
        shutil.copytree(source, target)
    return target
