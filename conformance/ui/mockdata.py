"""The Mock data view and the timeline's "another client": the persistent mock's store.

The store is `.syncpeng-mock.json` beside the connector, the file `syncpeng --mock` keeps
(mock_api/state.py). It is read and written through the mock itself (`provide_api` from the
mock backend, then `load_state`/`save_state`), so the UI never parses the file's format on its
own, and a write as another client is the mock's own `create_as_other`/`patch_as_other`/
`delete_as_other`, which validate like its HTTP API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.author.method_call import STATE_FILE
from conformance.backends.mock import provide_api
from conformance.errors import InputError
from conformance.ui.jobs import exclusive
from conformance.ui.workspace import Workspace
from mock_api.state import clear_state, load_state, save_state


def _with_store(ws: Workspace, job: Callable[[Any], Any], *, write: bool) -> Any:
    spec = ws.spec()
    state = ws.inside(STATE_FILE)

    def work() -> Any:
        with provide_api(spec) as (_, api):
            try:
                load_state(api, state)
            except (ValueError, TypeError) as exc:
                raise InputError(f"{exc}; reset the mock data to start afresh") from None
            result = job(api)
            if write:
                save_state(api, state)
            return result

    return exclusive(work, deadline=30, what="mock")


def mock_view(ws: Workspace) -> dict[str, Any]:
    """Records and tombstones, in the order the mock lists changes (masked)."""
    masker = ws.masker()

    def read(api: Any) -> dict[str, Any]:
        return {"records": api.records(), "tombstones": api.tombstones()}

    found = _with_store(ws, read, write=False)
    found["file"] = STATE_FILE
    found["exists"] = (ws.folder / STATE_FILE).is_file()
    return _masked(found, masker)


def reset(ws: Workspace) -> dict[str, Any]:
    clear_state(ws.inside(STATE_FILE))
    return mock_view(ws)


def as_other(ws: Workspace, action: str, id: str | None, fields: Any) -> dict[str, Any]:
    """Write to the mock as some other client would (no HTTP, no auth): the world changing."""
    if action not in ("insert", "patch", "delete"):
        raise InputError(f"{action!r}: another client can insert, patch or delete")
    if action != "insert" and not id:
        raise InputError(f"{action} as another client needs the record's id")
    if action != "delete" and not isinstance(fields, dict):
        raise InputError('the fields must be a JSON object, e.g. {"name": "Tom"}')

    def write(api: Any) -> Any:
        try:
            if action == "insert":
                return api.create_as_other(fields)
            if action == "patch":
                return api.patch_as_other(id, fields)
            return api.delete_as_other(id)
        except KeyError:
            raise InputError(f"{id}: no live record with this id on the mock") from None
        except ValueError as exc:  # the mock's own validation (InvalidCat is one)
            raise InputError(f"the mock refused it: {exc}") from None

    return _masked({"written": _with_store(ws, write, write=True)}, ws.masker())


def _masked(data: Any, masker: Any) -> Any:
    if isinstance(data, str):
        return masker(data)
    if isinstance(data, dict):
        return {k: _masked(v, masker) for k, v in data.items()}
    if isinstance(data, list):
        return [_masked(v, masker) for v in data]
    return data
