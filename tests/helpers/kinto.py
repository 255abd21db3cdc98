"""A real Kinto server on 127.0.0.1 for live tests, and the script that re-records its cassettes.

`KintoServer` initialises a memory-backend config, starts `kinto start` on a free port, waits for
`GET /v1/` and creates an account through the accounts plugin; `stop()` ends the process it
started (by its own pid). `connector_copy()` puts a copy of a connector folder next to an
account.json pointing at this server, so the committed examples/kinto/account.json stays the
replay account.

Re-record the committed cassettes (needs `pip install -e ".[kinto]"`) of examples/kinto, of its
NodeJS twin examples/kinto-js, of examples/kinto-axios (the same with axios; npm and the npm
registry are needed to install it into the temporary copy), or of examples/kinto-requests (the
Python one written with requests):

    python -m tests.helpers.kinto record [kinto|kinto-js|kinto-axios|kinto-requests]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from tests.helpers.servers import ROOT, LocalServer, record_committed_cassettes

KINTO_EXAMPLE = ROOT / "examples" / "kinto"


def kinto_available() -> bool:
    return shutil.which("kinto", path=str(Path(sys.executable).parent)) is not None or (
        shutil.which("kinto") is not None
    )


def _kinto() -> str:
    local = Path(sys.executable).parent / "kinto"
    return str(local) if local.exists() else "kinto"


class KintoServer(LocalServer):
    name = "kinto"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, username="kinto-tester")
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> KintoServer:
        ini = self.workdir / "kinto.ini"
        subprocess.run(
            [_kinto(), "init", "--ini", str(ini), "--backend", "memory", "--cache-backend",
             "memory", "--host", "127.0.0.1"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        self.launch(
            [_kinto(), "start", "--ini", str(ini), "--port", str(self.port)],
            ready=lambda: httpx.get(f"{self.url}/", timeout=1).status_code == 200,
        )
        response = httpx.put(
            f"{self.url}/accounts/{self.username}",
            json={"data": {"password": self.password}},
            timeout=10,
        )
        response.raise_for_status()
        return self

    def account(self, **extra: object) -> dict[str, object]:
        return {
            "baseUrl": self.url,
            "username": self.username,
            "password": self.password,
            "pageSize": 5,
            **extra,
        }

    def records(self, collection: str = "tasks") -> list[dict]:
        response = httpx.get(
            f"{self.url}/buckets/default/collections/{collection}/records",
            auth=(self.username, self.password),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["data"]


def npm_install(folder: Path) -> None:
    """The module's packages, from its own package-lock.json, as its author installs them."""
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=folder, check=True)


EXAMPLES = ("kinto", "kinto-js", "kinto-axios", "kinto-requests")

if __name__ == "__main__":
    if sys.argv[1:2] != ["record"] or not set(sys.argv[2:]) <= set(EXAMPLES) or sys.argv[3:]:
        sys.exit(f"usage: python -m tests.helpers.kinto record [{'|'.join(EXAMPLES)}]")
    example = (sys.argv[2:] or ["kinto"])[0]
    source = ROOT / "examples" / example
    sys.exit(
        record_committed_cassettes(
            lambda tmp: KintoServer(tmp).start(),
            source,
            ROOT / "cassettes" / example,
            prepare=npm_install if (source / "package.json").exists() else None,
        )
    )
