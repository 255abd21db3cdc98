"""Which API a check talks to: picked here, once per check, and nowhere else.

This is the only module that reads `Options.mode` (pytest-xdist maps --dist to a scheduler the
same way). Everything after asks the chosen backend capability questions (`provides`) and calls
its methods; nobody branches on the mode again.

- mock: a fresh instance of the mock conformance.toml names (backends/mock.py);
- live: the API in account.json, guarded (backends/live.py);
- record: live, saving the check's cassette (backends/record.py);
- replay: offline from the cassette (backends/replay.py);
- auto (the default): mock when conformance.toml names a mock, else replay when cassettes exist,
  else an error saying how to record them.

`--connector-record-mode` follows pytest-recording's vocabulary, per check (one cassette file is
one episode: a check's traffic cannot be half old and half new and still replay in order):
none = replay; once = replay when a cassette exists, else record; new_episodes = replay when a
cassette of the current connector version exists, else record; all and rewrite = record always.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from conformance.backends.base import BaseBackend
from conformance.backends.live import LiveBackend
from conformance.backends.mock import MockBackend
from conformance.backends.real import cassette_folder, connector_target
from conformance.backends.record import RecordBackend
from conformance.backends.replay import ReplayBackend
from conformance.checks.api import Backend, Check
from conformance.connector.load import ConnectorSpec
from conformance.errors import InputError
from conformance.options import MODES, Options
from conformance.recording.cassette import cassette_path, connector_version, load_cassette

BACKENDS: dict[str, type[BaseBackend]] = {
    "mock": MockBackend,
    "live": LiveBackend,
    "record": RecordBackend,
    "replay": ReplayBackend,
}
assert set(BACKENDS) == set(MODES) - {"auto"}, "every mode but auto names a backend"

__all__ = ["Backend", "BaseBackend", "choose_backend", "needs_real_account", "open_backend"]


def choose_backend(
    spec: ConnectorSpec, options: Options, check: str | None = None
) -> type[BaseBackend]:
    """The backend of this run (resolving auto), or of one `check` (resolving the record mode).

    `validate(spec)` on the result says whether the connector can run there at all (the mock
    it names loads), for a collector to report once before any check runs.
    """
    mode = options.mode
    if mode not in BACKENDS and mode != "auto":
        raise InputError(
            f"--connector-mode={mode} is not available; choose one of {', '.join(MODES)}"
        )
    if mode == "auto":
        mode = _auto(spec, options.cassette_dir)
    if mode == "record" and check is not None:
        mode = _record_or_replay(spec, options, check)
    return BACKENDS[mode]


@contextmanager
def open_backend(spec: ConnectorSpec, check: Check, options: Options) -> Iterator[BaseBackend]:
    """The backend one check runs on, for the check's duration; finishing it on a clean exit
    saves what it records (a cassette). The caller runs the check and asks the backend to
    clean up, explain problems and scrub the outcome."""
    kind = choose_backend(spec, options, check.id)
    with kind.open(spec, check.id, options) as backend:  # type: ignore[attr-defined]
        yield backend


def needs_real_account(mode: str) -> bool:
    """Does a run in `mode` talk to the real API (so account.example.json will not do)?"""
    return mode in ("live", "record")


def _auto(spec: ConnectorSpec, cassette_dir: str | None) -> str:
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


def _record_or_replay(spec: ConnectorSpec, options: Options, check: str) -> str:
    """What `record` means for one check under a pytest-recording record mode."""
    record_mode = options.record_mode
    path = cassette_path(cassette_folder(spec, options.cassette_dir), check)
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
