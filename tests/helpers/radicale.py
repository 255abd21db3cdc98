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

import re
import sys
from pathlib import Path

import httpx

from tests.helpers.servers import ROOT, LocalServer, record_committed_cassettes

# name -> (connector folder, where its committed cassettes live)
EXAMPLES = {
    "carddav": (ROOT / "examples" / "carddav", ROOT / "cassettes" / "carddav"),
    "carddav-js": (
        ROOT / "tests" / "connectors" / "carddav_js",
        ROOT / "tests" / "connectors" / "carddav_js" / "cassettes",
    ),
}
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


class RadicaleServer(LocalServer):
    name = "radicale"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, username="carddav-tester")
        self.url = f"http://127.0.0.1:{self.port}"
        self.addressbook = f"{self.url}/{self.username}/contacts/"

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
        self.launch(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            ready=lambda: httpx.get(f"{self.url}/", timeout=1) is not None,  # any answer
        )
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


if __name__ == "__main__":
    if sys.argv[1:2] != ["record"] or sys.argv[2:] not in ([], *([e] for e in EXAMPLES)):
        sys.exit(f"usage: python -m tests.helpers.radicale record [{'|'.join(EXAMPLES)}]")
    source, cassettes = EXAMPLES[(sys.argv[2:] or ["carddav"])[0]]
    sys.exit(record_committed_cassettes(lambda tmp: RadicaleServer(tmp).start(), source, cassettes))
