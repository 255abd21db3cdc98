"""The real API a check talks to in live, record and replay modes, and how each mode is chosen.

- live: the API named by account.json; nothing is written but the safety ledger. HTTP goes
  through the recorder anyway (kept in memory, never saved) so a refused credential can be
  reported as such.
- record: the same, and the check's cassette is written atomically when the check completes.
- replay: offline; vcrpy blocks the network, answers come from the cassette in recorded order,
  the clock is frozen at the recorded start (time-machine, ticking: monotonic clocks, asyncio and
  httpx timeouts are untouched since time-machine 3.0), and generated inputs come from the
  cassette.
- auto (the default): mock when conformance.toml names a mock, else replay when cassettes exist,
  else an error saying how to record them.

`--connector-record-mode` follows pytest-recording's vocabulary, per check (one cassette file is
one episode: a check's traffic cannot be half old and half new and still replay in order):
none = replay; once = replay when a cassette exists, else record; new_episodes = replay when a
cassette of the current connector version exists, else record; all and rewrite = record always.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.backends.draws import RecordedDraws, ReplayedDraws
from conformance.backends.guard import (
    DEFAULT_CONSISTENCY,
    POLL_INTERVAL,
    Ledger,
    LiveGuard,
    ledger_dir,
)
from conformance.connector.load import ConnectorSpec
from conformance.connector.session import Session
from conformance.errors import InputError
from conformance.recording.cassette import (
    Cassette,
    cassette_path,
    connector_version,
    load_cassette,
    record_command,
    save_cassette,
    scrub_interactions,
)
from conformance.recording.scrub import Scrubber, account_secrets
from conformance.recording.vcr import LinearCassette, intercept

REAL_MODES = ("live", "record", "replay")
RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")


def connector_target(spec: ConnectorSpec) -> str:
    """How the user names this connector on the command line, for the commands we suggest."""
    if spec.folder is not None:
        try:
            return os.path.relpath(spec.folder)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(spec.folder)
    return spec.name


def cassette_folder(spec: ConnectorSpec, cassette_dir: str | None) -> Path:
    if cassette_dir:
        return Path(cassette_dir)
    if spec.folder is None:
        raise InputError(
            f"{spec.name}: a module connector has no folder to keep cassettes beside it; "
            "pass --cassette-dir DIR"
        )
    return spec.folder / "cassettes"


def resolve_mode(spec: ConnectorSpec, requested: str, cassette_dir: str | None) -> str:
    """Turn `auto` into a concrete mode for this connector; other modes pass through."""
    if requested != "auto":
        return requested
    if spec.settings.mock:
        return "mock"
    folder = cassette_folder(spec, cassette_dir)
    if folder.is_dir() and any(folder.glob("*.json")):
        return "replay"
    target = connector_target(spec)
    where = spec.folder / "conformance.toml" if spec.folder else spec.name
    raise InputError(
        f'{where}: names no mock API; add mock = "cats" (a bundled mock) or '
        '"package.module:factory" to run in mock mode, or record cassettes of the real API in '
        f"account.json with `pytest --connector={target} --connector-mode=record` (replayed "
        f"from {folder} by default), or run --connector-mode=live"
    )


def effective_mode(mode: str, record_mode: str, path: Path, spec: ConnectorSpec) -> str:
    """What `record` means for one check under a pytest-recording record mode."""
    if mode != "record":
        return mode
    if record_mode == "none":
        return "replay"
    if record_mode == "once" and path.is_file():
        return "replay"
    if record_mode == "new_episodes" and path.is_file():
        try:
            load_cassette(
                path,
                connector=spec.name,
                version=connector_version(spec.source),
                target=connector_target(spec),
            )
        except InputError:
            return "record"
        return "replay"
    return "record"


@dataclass
class RealAPI:
    """What a check needs from a real (or replayed) API: account, guard, draws, the recorder."""

    mode: str
    account: dict[str, Any]
    guard: LiveGuard
    path: Path
    draws: Any = None
    http: LinearCassette | None = None
    recorded_at: float = field(default_factory=time.time)
    completed: bool = False

    @property
    def misses(self) -> list[str]:
        return self.http.misses if self.http is not None else []

    def finish(self, session_factory: Callable[[], Session]) -> None:
        """Delete what the check created (recorded too, so replay deletes in step)."""
        self.guard.cleanup(session_factory)

    def refused(self) -> str | None:
        """The first 401/403 the API answered, as `METHOD URL -> status` (scrubbed)."""
        if self.http is None or self.mode == "replay":
            return None
        scrubber = Scrubber(account_secrets(self.account))
        for request, response in self.http.data:
            code = response["status"]["code"]
            if code in (401, 403):
                return f"{request.method} {scrubber.url(request.uri)} -> HTTP {code}"
        return None

    def scrubber(self) -> Scrubber:
        return Scrubber(account_secrets(self.account))


@contextmanager
def real_api(
    spec: ConnectorSpec,
    check: str,
    *,
    mode: str,
    cassette_dir: str | None,
    record_mode: str = "all",
    consistency: float | None = None,
    timeout: float,
) -> Iterator[RealAPI]:
    """Set up one check's live, record or replay environment, and save what was recorded."""
    target = connector_target(spec)
    folder = cassette_folder(spec, cassette_dir)
    path = cassette_path(folder, check)
    mode = effective_mode(mode, record_mode, path, spec)
    account = dict(spec.account)
    version = connector_version(spec.source)
    with ExitStack() as stack:
        if mode == "replay":
            if not folder.is_dir():
                raise InputError(
                    f"{folder}: no such cassette folder; record cassettes with "
                    f"`pytest --connector={target} --connector-mode=record` or pass "
                    "--cassette-dir DIR"
                )
            cassette = load_cassette(path, connector=spec.name, version=version, target=target)
            attempts = int(cassette.settings.get("consistency_attempts", 1))
            guard = LiveGuard(
                spec, check=check, attempts=attempts, pause=0.0,
                run_id=cassette.settings.get("run_id"),
            )  # fmt: skip
            draws = ReplayedDraws(cassette.draws, str(path), record_command(target, check))
            import time_machine

            stack.enter_context(time_machine.travel(cassette.recorded_at, tick=True))
            http = stack.enter_context(
                intercept(path, replay=cassette.interactions, account=account)
            )
            yield RealAPI(mode, account, guard, path, draws, http, cassette.recorded_at)
            return
        budget = DEFAULT_CONSISTENCY if consistency is None else consistency
        attempts = LiveGuard.attempts_for(budget)
        guard = LiveGuard(spec, check=check, attempts=attempts, pause=POLL_INTERVAL)
        guard.ledger = Ledger(ledger_dir(spec) / f"{guard.run_id}-{check}.json")
        draws = RecordedDraws() if mode == "record" else None
        started = time.time()
        http = stack.enter_context(intercept(path, replay=None, account=account))
        real = RealAPI(mode, account, guard, path, draws, http, started)
        yield real
    if mode == "record" and real.completed:
        save_cassette(
            path,
            Cassette(
                connector=spec.name,
                version=version,
                check=check,
                recorded_at=started,
                settings={
                    "consistency_attempts": attempts,
                    "run_id": guard.run_id,
                    "timeout": timeout,
                },
                draws=draws.items if draws is not None else [],
                interactions=scrub_interactions(http.exchanges(), account),
            ),
        )
