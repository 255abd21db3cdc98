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

from conformance.errors import InputError
from conformance.ui import cassettes, checks, methods, mockdata
from conformance.ui.timeline import Timeline
from conformance.ui.workspace import METHODS, Workspace


def _command(data: dict[str, Any]) -> str:
    command = data.get("command")
    if command not in METHODS:
        raise InputError(f"{command!r}: not a method; one of {', '.join(METHODS)}")
    return command


class Views:
    def __init__(self, folder: Path, cassette_dir: Path | None) -> None:
        self.ws = Workspace(folder, cassette_dir)
        self.timeline = Timeline()
        self.run: checks.CheckRun | None = None

    # -- Module and Run a method ----------------------------------------------------------

    def module(self) -> dict[str, Any]:
        return self.ws.module_view()

    def inputs(self) -> dict[str, Any]:
        return {"inputs": self.ws.inputs(), "methods": list(METHODS)}

    def run_method(self, data: dict[str, Any]) -> dict[str, Any]:
        live = bool(data.get("live"))
        return methods.run_method(self.ws, _command(data), data.get("block"), live=live)

    def save(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"saved": self.ws.save_block(_command(data), data.get("block")).name}

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
        return {"checks": checks.catalogue()}

    def check_start(self, data: dict[str, Any]) -> dict[str, Any]:
        wanted = data.get("checks") or []
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            raise InputError('"checks" must be a list of check ids')
        examples = data.get("examples")
        if examples is not None and (not isinstance(examples, int) or examples < 1):
            raise InputError('"examples" must be a positive whole number')
        self.run = checks.launch(self.ws, wanted, examples, self.run)
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

    def cassette(self, check: str) -> dict[str, Any]:
        return cassettes.cassette_view(self.ws, check)
