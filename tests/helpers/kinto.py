"""A real Kinto server on 127.0.0.1 for live tests, and the script that re-records its cassettes.

`KintoServer` initialises a memory-backend config, starts `kinto start` on a free port, waits for
`GET /v1/` and creates an account through the accounts plugin; `stop()` ends the process it
started (by its own pid). `connector_copy()` puts a copy of a connector folder next to an
account.json pointing at this server, so the committed examples/kinto/account.json stays the
replay account.

Re-record the committed cassettes (needs `pip install -e ".[kinto]"`) of examples/kinto, or of
its NodeJS twin examples/kinto-js:

    python -m tests.helpers.kinto record [kinto|kinto-js]
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
KINTO_EXAMPLE = ROOT / "examples" / "kinto"
START_TIMEOUT = 30.0
# sync.stateful's committed cassettes hold every program hypothesis ran (20 examples): at 15
# steps each one was about 1.2 MB, at 10 about 0.75 MB, and replays in about 2 s either way.
RECORDED_STEPS = 10


def kinto_available() -> bool:
    return shutil.which("kinto", path=str(Path(sys.executable).parent)) is not None or (
        shutil.which("kinto") is not None
    )


def _kinto() -> str:
    local = Path(sys.executable).parent / "kinto"
    return str(local) if local.exists() else "kinto"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KintoServer:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.username = "kinto-tester"
        self.password = secrets.token_urlsafe(12)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> KintoServer:
        ini = self.workdir / "kinto.ini"
        subprocess.run(
            [_kinto(), "init", "--ini", str(ini), "--backend", "memory", "--cache-backend",
             "memory", "--host", "127.0.0.1"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        self.log = open(self.workdir / "kinto.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [_kinto(), "start", "--ini", str(ini), "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{self.url}/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"kinto did not start; see {self.workdir / 'kinto.log'}")
            time.sleep(0.1)
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

    def connector_copy(self, source: Path, dest: Path, **account: object) -> Path:
        """A copy of a connector folder whose account.json points at this server."""
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("cassettes", "__pycache__"))
        (dest / "account.json").write_text(json.dumps(self.account(**account)))
        return dest

    def records(self, collection: str = "tasks") -> list[dict]:
        response = httpx.get(
            f"{self.url}/buckets/default/collections/{collection}/records",
            auth=(self.username, self.password),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["data"]

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


def record_committed_cassettes(example: str = "kinto") -> int:
    """Re-record cassettes/<example> against a fresh server, then audit them for secrets."""
    source = ROOT / "examples" / example
    with tempfile.TemporaryDirectory() as tmp:
        server = KintoServer(Path(tmp)).start()
        try:
            connector = server.connector_copy(source, Path(tmp) / example)
            env = dict(os.environ, CONNECTOR_CONFORMANCE_STATE_DIR=str(Path(tmp) / "state"))
            code = subprocess.call(
                [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                 f"--connector={connector}", "--connector-mode=record",
                 f"--connector-steps={RECORDED_STEPS}",
                 f"--cassette-dir={ROOT / 'cassettes' / example}"],
                cwd=ROOT, env=env,
            )  # fmt: skip
        finally:
            server.stop()
    if code not in (0, 1):
        return code
    return subprocess.call(
        [sys.executable, "-m", "conformance.recording", "audit", str(ROOT / "cassettes" / example)],
        cwd=ROOT,
    )


if __name__ == "__main__":
    if sys.argv[1:2] != ["record"] or sys.argv[2:] not in ([], ["kinto"], ["kinto-js"]):
        sys.exit("usage: python -m tests.helpers.kinto record [kinto|kinto-js]")
    sys.exit(record_committed_cassettes(*sys.argv[2:]))
