"""A token the API issues at run time is as secret as account.json: no output shows it.

The local test API is the bundled cats mock served on 127.0.0.1, with an OAuth token endpoint
in front (`POST /oauth/token` answers a client-credentials grant with a fresh access token, the
only Bearer token the API then accepts). The connector fetches the token in init, sends it as
`Authorization: Bearer` and, in `get`, also in the URL (`?access_token=`), then fails with an
httpx error that quotes that URL: every check that reads a record reports the token, unless the
secret policy learned it from the traffic.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mock_api import CatsAPI
from mock_api.wire import json_response
from tests.helpers.cli import edit_json, scaffolded, syncpeng

ISSUED = "issued-at-run-time-7c1e9b2f4d"
CLIENT_SECRET = "client-secret-3a8f6e0b"

FETCH_TOKEN = """        token = httpx.post(
            account["baseUrl"] + "/oauth/token",
            data={"grant_type": "client_credentials", "client_secret": account["clientSecret"]},
        ).json()["access_token"]
        self.token = token
"""
LEAKY_GET = """        response = await self._send("GET", f"/cats/{id}?access_token={self.token}")
        if response.status_code == 404:
            response = await self._send("GET", f"/missing/{id}?access_token={self.token}")
"""


def oauth_api() -> CatsAPI:
    """The cats mock behind a token endpoint: only the token it issued opens the API."""
    api = CatsAPI(tokens={ISSUED})

    def token_endpoint(request):
        if request.method == "POST" and request.path.endswith("/oauth/token"):
            return json_response(200, {"access_token": ISSUED, "token_type": "Bearer"})
        return None

    api.interceptors.append(token_endpoint)
    return api


def oauth_connector(folder: Path, base_url: str) -> Path:
    scaffolded(folder)
    source = (folder / "dataSourceApp.py").read_text()
    source = source.replace(
        """        token = account.get("apiToken")
        if not token:
            raise ValueError("account.json needs an apiToken")
""",
        FETCH_TOKEN,
    )
    source = source.replace(
        """        response = await self._send("GET", f"/cats/{id}")
        if response.status_code == 404:
            return None
""",
        LEAKY_GET,
    )
    assert FETCH_TOKEN in source and LEAKY_GET in source, "the scaffold changed: update the test"
    (folder / "dataSourceApp.py").write_text(source)
    (folder / "conformance.toml").write_text("[capabilities]\ndeletes_in_updates = true\n")
    (folder / "account.example.json").write_text(json.dumps({"clientSecret": "..."}))
    (folder / "account.json").write_text(
        json.dumps({"baseUrl": base_url, "clientSecret": CLIENT_SECRET})
    )
    return folder


def test_an_issued_token_is_masked_in_terminal_reports_and_junit(tmp_path, private_state):
    api = oauth_api()
    with api.serve() as url:
        folder = oauth_connector(tmp_path / "oauth", url)
        done = subprocess.run(
            [
                sys.executable, "-m", "pytest", f"--connector={folder}",
                "--connector-mode=live", "-p", "no:cacheprovider", "-k", "crud",
                f"--connector-report={tmp_path / 'report'}",
                f"--junitxml={tmp_path / 'junit.xml'}", "-o", "junit_logging=all",
            ],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
            env={**__import__("os").environ, "CONNECTOR_CONFORMANCE_STATE_DIR": str(private_state)},
        )  # fmt: skip
    terminal = done.stdout + done.stderr
    assert done.returncode == 1, terminal  # the leaky get fails checks: there is output to read
    assert "404 Not Found" in terminal and "access_token=" in terminal
    outputs = {"terminal": terminal, "junit": (tmp_path / "junit.xml").read_text()}
    for name in ("conformance.json", "conformance.md", "conformance.html"):
        outputs[name] = (tmp_path / "report" / name).read_text()
    for name, text in outputs.items():
        assert ISSUED not in text, f"the issued token leaked into {name}"
        assert CLIENT_SECRET not in text, f"the account's client secret leaked into {name}"
    assert "access_token=<SECRET:issued.access_token>" in outputs["conformance.json"]


@pytest.mark.parametrize("verbose", [True, False])
def test_an_issued_token_is_masked_in_syncpeng_lines(tmp_path, verbose):
    api = oauth_api()
    with api.serve() as url:
        folder = oauth_connector(tmp_path / "oauth", url)
        ran = syncpeng("get", *(["-v"] if verbose else []), "--id", "nope", cwd=folder)
    assert ran.code != 0 and "404 Not Found" in ran.err, ran.err  # the error line is there
    if verbose:
        assert "> POST ***/oauth/token" in ran.err
    assert ISSUED not in ran.err + ran.out
    assert CLIENT_SECRET not in ran.err + ran.out


def test_what_a_connector_prints_is_scrubbed_of_account_values(tmp_path, private_state):
    """Captured stdout shows in the terminal and in JUnit's system-out: account values are
    masked there too (a token learned at run time is not: docs/recording.md says so)."""
    api = CatsAPI(tokens={CLIENT_SECRET})
    with api.serve() as url:
        folder = scaffolded(tmp_path / "printer")
        anchor = "    async def get(self, id: str) -> dict[str, Any] | None:\n"
        source = (folder / "dataSourceApp.py").read_text()
        source = source.replace(
            anchor,
            anchor
            + '        print("debug: token", self.client.headers["Authorization"])\n'
            + '        raise RuntimeError("get is broken")\n',
        )
        assert "print(" in source, "the scaffold changed: update the test"
        (folder / "dataSourceApp.py").write_text(source)
        (folder / "conformance.toml").write_text("[capabilities]\ndeletes_in_updates = true\n")
        edit_json(folder / "account.json", apiToken=CLIENT_SECRET, baseUrl=url)
        done = subprocess.run(
            [
                sys.executable, "-m", "pytest", f"--connector={folder}", "--connector-mode=live",
                "-p", "no:cacheprovider", "-k", "crud.round-trip", "-rA",
                f"--junitxml={tmp_path / 'junit.xml'}", "-o", "junit_logging=all",
            ],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
            env={**__import__("os").environ, "CONNECTOR_CONFORMANCE_STATE_DIR": str(private_state)},
        )  # fmt: skip
    shown = done.stdout + (tmp_path / "junit.xml").read_text()
    assert done.returncode == 1 and "debug: token Bearer <SECRET:" in shown, done.stdout
    assert CLIENT_SECRET not in shown
