"""The web app: HTTP only. JSON routes for each view, one event stream, the page's files.

Routes parse the request and hand it to `Views` (ui/views.py), which does the job. Bad input
anywhere is an `InputError` and comes back as `{"error": ...}` with status 422, shown inline by
the page; an unexpected exception comes back the same way as an internal error (500, JSON, one
line), never as a traceback page. Handlers run on starlette's thread pool and every connector
call on a worker thread of its own (ui/jobs.py), so a stuck module never stalls the server.

Only starlette is imported here: `Views` and the harness behind it are imported on first use
(or by the warm-up right after the server starts), so `syncpeng ui` answers within a second.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from conformance.errors import InputError
from conformance.ui.security import Guard

STATIC = Path(__file__).parent / "static"
TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
Job = Callable[[Any, dict[str, Any]], Any]  # (views, the request's JSON) -> the answer


class Lazy:
    """The `Views`, made once on first use, whichever thread asks first."""

    def __init__(self, folder: Path, cassette_dir: Path | None) -> None:
        self._args = (folder, cassette_dir)
        self._views: Any = None
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        with self._lock:
            if self._views is None:
                from conformance.ui.views import Views

                self._views = Views(*self._args)
            return self._views


def _answer(job: Callable[[], Any]) -> Response:
    try:
        return JSONResponse(job())
    except InputError as exc:
        busy = type(exc).__name__ == "Busy"  # the page clears it once the other run is over
        return JSONResponse({"error": str(exc), "busy": busy}, status_code=422)
    except Exception as exc:  # a stuck module or a bug of ours: one line inline, the UI stays up
        stuck = type(exc).__name__ == "Stuck"
        message = str(exc) if stuck else f"internal error: {type(exc).__name__}: {exc}"
        return JSONResponse({"error": message}, status_code=504 if stuck else 500)


async def _body(request: Request) -> dict[str, Any]:
    if request.method != "POST":
        return {}
    try:
        data = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"the request body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    return data


def build_app(folder: Path, cassette_dir: Path | None, *, token: str, port: int) -> Any:
    views = Lazy(folder, cassette_dir)

    def route(path: str, job: Job, method: str = "GET") -> Route:
        async def endpoint(request: Request) -> Response:
            try:
                data = await _body(request)
            except InputError as exc:
                return JSONResponse({"error": str(exc)}, status_code=422)
            data.update({k: v for k, v in request.query_params.items() if k != "token"})
            data.update(request.path_params)
            return await run_in_threadpool(_answer, lambda: job(views(), data))

        return Route(path, endpoint, methods=[method])

    # The page's three files are small package data: held in memory, so a first page load costs
    # no file system round trips (a thread hop each, on a busy machine) per asset.
    assets = {
        path.name: Response(
            path.read_bytes(),
            media_type=TYPES[path.suffix],
            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
        )
        for path in STATIC.iterdir()
        if path.suffix in TYPES
    }

    async def asset(request: Request) -> Response:
        found = assets.get(request.path_params.get("name", "index.html"))
        return found if found is not None else JSONResponse({"error": "no such file"}, 404)

    async def check_events(request: Request) -> Response:
        try:
            events = (await run_in_threadpool(views)).check_events()
        except InputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)

        async def stream() -> Any:
            async for message in events:
                yield f"data: {json.dumps(message)}\n\n"
            yield 'event: end\ndata: {"event": "end"}\n\n'

        headers = {"Cache-Control": "no-store"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    routes = [
        Route("/", asset),
        Route("/static/{name}", asset),
        route("/api/module", lambda v, d: v.module()),
        route("/api/inputs", lambda v, d: v.inputs()),
        route("/api/inputs/reveal", lambda v, d: v.reveal_init(), "POST"),
        route("/api/history", lambda v, d: v.history_view()),
        route("/api/status", lambda v, d: v.status()),
        route("/api/run", lambda v, d: v.run_method(d), "POST"),
        route("/api/save", lambda v, d: v.save(d), "POST"),
        route("/api/mock", lambda v, d: v.mock()),
        route("/api/mock/reset", lambda v, d: v.mock_reset(), "POST"),
        route("/api/timeline", lambda v, d: v.timeline_view()),
        route("/api/timeline/next", lambda v, d: v.timeline_next(), "POST"),
        route("/api/timeline/restart", lambda v, d: v.timeline_restart(), "POST"),
        route("/api/timeline/write", lambda v, d: v.timeline_write(d), "POST"),
        route("/api/checks", lambda v, d: v.check_list()),
        route("/api/checks/run", lambda v, d: v.check_start(d), "POST"),
        Route("/api/checks/events", check_events),
        route("/api/checks/export", lambda v, d: v.check_export(), "POST"),
        route("/api/cassettes", lambda v, d: v.cassette_index()),
        route("/api/cassettes/{check}", lambda v, d: v.cassette(d)),
    ]
    app = Starlette(routes=routes)
    app.state.views = views  # the warm-up (server.py) makes them before the first request
    return Guard(app, token=token, port=port)
