"""A real Radicale (CardDAV) server on 127.0.0.1 for live tests, and the script that re-records
its cassettes.

`RadicaleServer` writes a config (htpasswd auth with a plain-text password file, storage in a
temporary folder), starts `python -m radicale` on a free port, waits for it to answer and creates
an address book for the account; `stop()` ends the process it started (by its own pid).
`connector_copy()` puts a copy of a connector folder next to an account.json pointing at this
server, so the committed examples/carddav/account.json stays the replay account.

Re-record the committed cassettes of examples/carddav (or of the JS client-chosen-id connector
under tests/connectors):

    python -m tests.helpers.radicale record [carddav|carddav-js]
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.helpers.kinto import RECORDED_STEPS, free_port

ROOT = Path(__file__).resolve().parents[2]
# name -> (connector folder, where its committed cassettes live)
EXAMPLES = {
    "carddav": (ROOT / "examples" / "carddav", ROOT / "cassettes" / "carddav"),
    "carddav-js": (
        ROOT / "tests" / "connectors" / "carddav_js",
        ROOT / "tests" / "connectors" / "carddav_js" / "cassettes",
    ),
}
START_TIMEOUT = 30.0
MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
    <D:displayname>conformance</D:displayname>
  </D:prop></D:set>
</D:mkcol>"""


def radicale_available() -> bool:
    try:
        import radicale  # noqa: F401
    except ImportError:
        return False
    return True


class RadicaleServer:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.username = "carddav-tester"
        self.password = secrets.token_urlsafe(12)
        self.addressbook = f"{self.url}/{self.username}/contacts/"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RadicaleServer:
        users = self.workdir / "users"
        users.write_text(f"{self.username}:{self.password}\n")
        config = self.workdir / "radicale.ini"
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[storage]\n"
            f"filesystem_folder = {self.workdir / 'collections'}\n"
            "[logging]\n"
            "level = warning\n"
        )
        self.log = open(self.workdir / "radicale.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                httpx.get(f"{self.url}/", timeout=1)
                break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"radicale did not start; see {self.workdir / 'radicale.log'}")
            time.sleep(0.1)
        self.new_addressbook("contacts")
        return self

    def new_addressbook(self, name: str) -> str:
        """Create an address book of the account (MKCOL); its URL, for `account(addressBookUrl=)`:
        each test in its own book never sees another test's cards."""
        url = f"{self.url}/{self.username}/{name}/"
        response = httpx.request(
            "MKCOL",
            url,
            content=MKCOL,
            headers={"Content-Type": "application/xml"},
            auth=(self.username, self.password),
            timeout=10,
        )
        response.raise_for_status()
        return url

    def account(self, **extra: object) -> dict[str, object]:
        return {
            "addressBookUrl": self.addressbook,
            "username": self.username,
            "password": self.password,
            **extra,
        }

    def connector_copy(self, source: Path, dest: Path, **account: object) -> Path:
        """A copy of a connector folder whose account.json points at this server."""
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("cassettes", "__pycache__"))
        (dest / "account.json").write_text(json.dumps(self.account(**account)))
        return dest

    def cards(self, addressbook: str | None = None) -> list[str]:
        """The names of the vCards an address book holds now (PROPFIND depth 1)."""
        response = httpx.request(
            "PROPFIND",
            addressbook or self.addressbook,
            headers={"Depth": "1"},
            auth=(self.username, self.password),
            timeout=10,
        )
        response.raise_for_status()
        return sorted(set(re.findall(r"/([^/<]+\.vcf)</", response.text)))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


def record_committed_cassettes(example: str = "carddav") -> int:
    """Re-record the example's cassettes against a fresh server, then audit them for secrets."""
    source, cassettes = EXAMPLES[example]
    with tempfile.TemporaryDirectory() as tmp:
        server = RadicaleServer(Path(tmp)).start()
        try:
            # the copy keeps the folder's name: a cassette names the connector it recorded
            connector = server.connector_copy(source, Path(tmp) / source.name)
            env = dict(os.environ, CONNECTOR_CONFORMANCE_STATE_DIR=str(Path(tmp) / "state"))
            code = subprocess.call(
                [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                 f"--connector={connector}", "--connector-mode=record",
                 f"--connector-steps={RECORDED_STEPS}", f"--cassette-dir={cassettes}"],
                cwd=ROOT, env=env,
            )  # fmt: skip
        finally:
            server.stop()
    if code not in (0, 1):
        return code
    return subprocess.call(
        [sys.executable, "-m", "conformance.recording", "audit", str(cassettes)],
        cwd=ROOT,
    )


if __name__ == "__main__":
    if sys.argv[1:2] != ["record"] or sys.argv[2:] not in ([], *([e] for e in EXAMPLES)):
        sys.exit(f"usage: python -m tests.helpers.radicale record [{'|'.join(EXAMPLES)}]")
    sys.exit(record_committed_cassettes(*sys.argv[2:]))
