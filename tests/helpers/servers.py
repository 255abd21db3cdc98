"""What the real servers the tests start have in common (Kinto, Radicale): a free loopback port,
a process started and waited for, an account.json pointing at it, a clean stop, and the script
that re-records a connector's committed cassettes against a fresh one."""

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
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
# sync.stateful's committed cassettes hold every program hypothesis ran (20 examples): at 15
# steps each one was about 1.2 MB, at 10 about 0.75 MB, and replays in about 2 s either way.
RECORDED_STEPS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalServer:
    """A server process of ours on 127.0.0.1, with one account whose password is made up."""

    name = "server"

    def __init__(self, workdir: Path, username: str) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.username = username
        self.password = secrets.token_urlsafe(12)
        self.process: subprocess.Popen[bytes] | None = None

    def launch(self, argv: list[str], ready: Callable[[], bool]) -> None:
        """Start `argv`, logging to <name>.log, and wait until `ready()` (or fail saying where
        the log is): a server that died or never answered is a setup error, not a finding."""
        self.log = open(self.workdir / f"{self.name}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if ready():
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start; see {self.workdir / self.name}.log")
            time.sleep(0.1)

    def account(self, **extra: object) -> dict[str, object]:
        raise NotImplementedError

    def connector_copy(self, source: Path, dest: Path, **account: object) -> Path:
        """A copy of a connector folder whose account.json points at this server."""
        shutil.copytree(
            source, dest, ignore=shutil.ignore_patterns("cassettes", "__pycache__", "node_modules")
        )
        (dest / "account.json").write_text(json.dumps(self.account(**account)))
        return dest

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


def record_committed_cassettes(
    start: Callable[[Path], LocalServer],
    source: Path,
    cassettes: Path,
    prepare: Callable[[Path], None] | None = None,
) -> int:
    """Re-record `cassettes` of the connector in `source` against a fresh server, then audit
    them for secrets. The copy keeps the folder's name: a cassette names its connector.
    `prepare(copy)` readies the copy first (a NodeJS module's `npm install`)."""
    with tempfile.TemporaryDirectory() as tmp:
        server = start(Path(tmp))
        try:
            connector = server.connector_copy(source, Path(tmp) / source.name)
            if prepare is not None:
                prepare(connector)
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
        [sys.executable, "-m", "conformance.recording", "audit", str(cassettes)], cwd=ROOT
    )
