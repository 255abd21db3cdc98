"""What each view of the UI does, behind the HTTP routes: one method per action.

`Views` holds the server's memory (the workspace, the timeline, the last check run) and turns a
request's parsed JSON into a call of the module that does the job. It is the harness side of
the UI, with everything that costs to import (hypothesis, httpx, the mock, the checks), so
app.py imports it only once the server is answering (ui/server.py warms it up just after).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from conformance.cli.console import MASK, Masker
from conformance.errors import InputError
from conformance.options import DEFAULT_TIMEOUT
from conformance.ui import cassettes, checks, methods, mockdata
from conformance.ui.history import History
from conformance.ui.jobs import Busy, busy
from conformance.ui.redact import Redactor
from conformance.ui.timeline import Timeline
from conformance.ui.workspace import METHODS, Workspace

BIG_VALUE = 100_000  # characters of value_text past which the value itself is not sent


def _command(data: dict[str, Any]) -> str:
    command = data.get("command")
    if command not in METHODS:
        raise InputError(f"{command!r}: not a method; one of {', '.join(METHODS)}")
    return command


def _listed(command: str, block: Any) -> Any:
    """A block as the history may keep it: init's values are the account's, never listed."""
    if command == "init" and isinstance(block, dict):
        return {key: MASK for key in block}
    return Redactor(Masker()).deep(block)


def _number(data: dict[str, Any], name: str, default: Any, kind: type = float) -> Any:
    value = data.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise InputError(f'"{name}" must be a positive number, got {value!r}')
    return kind(value)


class Views:
    def __init__(self, folder: Path, cassette_dir: Path | None) -> None:
        self.ws = Workspace(folder, cassette_dir)
        self.timeline = Timeline()
        self.run: checks.CheckRun | None = None
        self.history = History()

    # -- Module and Run a method ----------------------------------------------------------

    def module(self) -> dict[str, Any]:
        return self.ws.module_view()

    def inputs(self) -> dict[str, Any]:
        return self.ws.inputs_view()

    def reveal_init(self) -> dict[str, Any]:
        return self.ws.reveal_init()

    def _unmasked(self, command: str, block: Any) -> Any:
        """The init block as the editor shows it until revealed (every value ***) stands for
        in.json's own block: the values the page never saw are used, not the mask."""
        masked = isinstance(block, dict) and block and all(v == MASK for v in block.values())
        if command == "init" and masked:
            saved = self.ws.inputs().get("init")
            if isinstance(saved, dict) and set(saved) == set(block):
                return saved
        return block

    def run_method(self, data: dict[str, Any]) -> dict[str, Any]:
        command = _command(data)
        block = self._unmasked(command, data.get("block"))
        live = bool(data.get("live"))
        timeout = _number(data, "timeout", DEFAULT_TIMEOUT)
        shown_block = _listed(command, data.get("block"))
        try:
            result = methods.run_method(self.ws, command, block, live=live, timeout=timeout)
        except Busy:
            raise
        except InputError as exc:  # refused before the module ran: listed too
            self.history.method_refused(command, shown_block, str(exc))
            raise
        self.history.method_ran(shown_block, result)
        if len(result["value_text"]) > BIG_VALUE:
            result.pop("value", None)  # the page shows value_text; 2 MB are not sent twice
        return result

    def save(self, data: dict[str, Any]) -> dict[str, Any]:
        command = _command(data)
        block = self._unmasked(command, data.get("block"))
        return {"saved": self.ws.save_block(command, block).name}

    def history_view(self) -> dict[str, Any]:
        return self.history.view()

    def status(self) -> dict[str, Any]:
        return {"busy": busy()}

    # -- Mock data and the timeline -------------------------------------------------------

    def mock(self) -> dict[str, Any]:
        return mockdata.mock_view(self.ws)

    def mock_reset(self) -> dict[str, Any]:
        return mockdata.reset(self.ws)

    def timeline_view(self) -> dict[str, Any]:
        return self.timeline.view()

    def timeline_next(self) -> dict[str, Any]:
        return self.timeline.step(self.ws)

    def timeline_restart(self) -> dict[str, Any]:
        return self.timeline.restart()

    def timeline_write(self, data: dict[str, Any]) -> dict[str, Any]:
        who = "other" if data.get("who") == "other" else "module"
        action = str(data.get("action", ""))
        return self.timeline.write(self.ws, who, action, data.get("id"), data.get("fields"))

    # -- Checks -----------------------------------------------------------------------------

    def check_list(self) -> dict[str, Any]:
        return checks.catalogue()

    def check_start(self, data: dict[str, Any]) -> dict[str, Any]:
        wanted = data.get("checks") or []
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            raise InputError('"checks" must be a list of check ids')
        examples = data.get("examples")
        if examples not in (None, "") and (
            isinstance(examples, bool) or not isinstance(examples, int) or examples < 1
        ):
            raise InputError('"examples" must be a positive whole number')
        profile = data.get("profile") or "fast"
        if profile not in checks.PROFILES:
            raise InputError(f'"profile" must be one of {", ".join(checks.PROFILES)}')
        effort = checks.Effort(
            profile=profile,
            examples=examples or None,
            timeout=_number(data, "timeout", DEFAULT_TIMEOUT),
        )
        self.run = checks.launch(self.ws, wanted, effort, self.run, self.history)
        return {"started": True}

    def check_events(self) -> AsyncIterator[dict[str, Any]]:
        if self.run is None:
            raise InputError("no check run yet: start one first")
        return checks.follow(self.run)

    def check_export(self) -> dict[str, Any]:
        written = checks.export(self.ws, self.run)
        return {"written": [str(p.relative_to(self.ws.folder.resolve())) for p in written]}

    # -- Cassettes --------------------------------------------------------------------------

    def cassette_index(self) -> dict[str, Any]:
        return cassettes.cassette_list(self.ws)

    def cassette(self, data: dict[str, Any]) -> dict[str, Any]:
        try:
            offset = int(data.get("offset") or 0)
            limit = int(data.get("limit") or cassettes.PAGE)
        except ValueError:
            raise InputError("offset and limit must be whole numbers") from None
        return cassettes.cassette_view(self.ws, str(data["check"]), offset, limit)
