"""The web app: JSON routes for each view, one event stream, and the page's static files.

Routes are thin: they parse the request, call the module that does the job (workspace,
methods, timeline, mockdata, checks, cassettes) and return JSON. Bad input anywhere is an
`InputError` and comes back as `{"error": ...}` with status 422, shown inline by the page; an
unexpected exception comes back the same way as an internal error (500, JSON, one line), never
as a traceback page. Sync routes run on starlette's thread pool, and every connector call runs
on a worker thread of its own (ui/jobs.py), so a stuck module never stalls the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from conformance.errors import InputError
from conformance.ui import cassettes, checks, methods, mockdata
from conformance.ui.jobs import Stuck
from conformance.ui.security import Guard
from conformance.ui.timeline import Timeline
from conformance.ui.workspace import METHODS, Workspace

STATIC = Path(__file__).parent / "static"


class State:
    """What the server remembers between requests: the timeline and the last check run."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.timeline = Timeline()
        self.run: checks.CheckRun | None = None


def _answer(job: Callable[[], Any]) -> Response:
    try:
        return JSONResponse(job())
    except InputError as exc:
        return JSONResponse({"error": str(exc)}, status_code=422)
    except Stuck as exc:
        return JSONResponse({"error": str(exc)}, status_code=504)
    except Exception as exc:  # a bug of ours: one line inline, the UI stays up
        return JSONResponse(
            {"error": f"internal error: {type(exc).__name__}: {exc}"}, status_code=500
        )


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"the request body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    return data


def _command(data: dict[str, Any]) -> str:
    command = data.get("command")
    if command not in METHODS:
        raise InputError(f"{command!r}: not a method; one of {', '.join(METHODS)}")
    return command


def build_app(ws: Workspace, *, token: str, port: int) -> Any:
    state = State(ws)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html")

    def module(request: Request) -> Response:
        return _answer(ws.module_view)

    def inputs(request: Request) -> Response:
        return _answer(lambda: {"inputs": ws.inputs(), "methods": list(METHODS)})

    async def posted(request: Request, job: Callable[[dict[str, Any]], Any]) -> Response:
        try:
            data = await _body(request)
        except InputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        return await run_in_threadpool(_answer, lambda: job(data))

    async def run_method(request: Request) -> Response:
        def job(data: dict[str, Any]) -> Any:
            return methods.run_method(
                ws, _command(data), data.get("block"), live=bool(data.get("live"))
            )

        return await posted(request, job)

    async def save_block(request: Request) -> Response:
        def job(data: dict[str, Any]) -> Any:
            path = ws.save_block(_command(data), data.get("block"))
            return {"saved": path.name}

        return await posted(request, job)

    def mock(request: Request) -> Response:
        return _answer(lambda: mockdata.mock_view(ws))

    async def mock_reset(request: Request) -> Response:
        return await posted(request, lambda data: mockdata.reset(ws))

    def timeline(request: Request) -> Response:
        return _answer(state.timeline.view)

    async def timeline_next(request: Request) -> Response:
        return await posted(request, lambda data: state.timeline.step(ws))

    async def timeline_restart(request: Request) -> Response:
        return await posted(request, lambda data: state.timeline.restart())

    async def timeline_write(request: Request) -> Response:
        def job(data: dict[str, Any]) -> Any:
            who = "other" if data.get("who") == "other" else "module"
            action = str(data.get("action", ""))
            return state.timeline.write(ws, who, action, data.get("id"), data.get("fields"))

        return await posted(request, job)

    def check_list(request: Request) -> Response:
        return _answer(lambda: {"checks": checks.catalogue()})

    async def check_start(request: Request) -> Response:
        def job(data: dict[str, Any]) -> Any:
            wanted = data.get("checks") or []
            if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
                raise InputError('"checks" must be a list of check ids')
            state.run = checks.launch(ws, wanted, data.get("examples"), state.run)
            return {"started": True}

        return await posted(request, job)

    async def check_events(request: Request) -> Response:
        run = state.run
        if run is None:
            return JSONResponse({"error": "no check run yet"}, status_code=422)

        async def stream() -> Any:
            async for message in checks.follow(run):
                yield f"data: {json.dumps(message)}\n\n"
            yield "event: end\ndata: {}\n\n"

        headers = {"Cache-Control": "no-store"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    async def check_export(request: Request) -> Response:
        def job(data: dict[str, Any]) -> Any:
            written = checks.export(ws, state.run)
            return {"written": [str(p.relative_to(ws.folder.resolve())) for p in written]}

        return await posted(request, job)

    def cassette_index(request: Request) -> Response:
        return _answer(lambda: cassettes.cassette_list(ws))

    def cassette(request: Request) -> Response:
        return _answer(lambda: cassettes.cassette_view(ws, request.path_params["check"]))

    routes = [
        Route("/", index),
        Route("/api/module", module),
        Route("/api/inputs", inputs),
        Route("/api/run", run_method, methods=["POST"]),
        Route("/api/save", save_block, methods=["POST"]),
        Route("/api/mock", mock),
        Route("/api/mock/reset", mock_reset, methods=["POST"]),
        Route("/api/timeline", timeline),
        Route("/api/timeline/next", timeline_next, methods=["POST"]),
        Route("/api/timeline/restart", timeline_restart, methods=["POST"]),
        Route("/api/timeline/write", timeline_write, methods=["POST"]),
        Route("/api/checks", check_list),
        Route("/api/checks/run", check_start, methods=["POST"]),
        Route("/api/checks/events", check_events),
        Route("/api/checks/export", check_export, methods=["POST"]),
        Route("/api/cassettes", cassette_index),
        Route("/api/cassettes/{check}", cassette),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    return Guard(app, token=token, port=port)
