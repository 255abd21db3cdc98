"""`syncpeng ui`: bind 127.0.0.1, print the URL with this launch's token, serve until Ctrl-C.

The socket is bound here, before uvicorn starts, so the URL (with the port the system chose
when none was asked for) is known and printed at once, and a port already in use is one clear
error. uvicorn serves the socket and handles Ctrl-C by finishing in-flight responses and
returning; the access log is off (the URL carries the token, which must not land in a log).
The harness behind the views is imported on a thread once the server is up, so the first
answer does not wait for hypothesis, httpx and the mock.
"""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from conformance.errors import InputError
from conformance.ui.security import new_token

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        reason = exc.strerror or exc
        raise InputError(f"--port {port}: cannot listen on {HOST} ({reason})") from None
    sock.listen(64)
    return sock


def folders(folder: str, cassette_dir: str | None) -> tuple[Path, Path | None]:
    """The connector folder and the cassettes, checked to exist; a module that does not load
    yet is said on the page, where the author can fix it without restarting."""
    path = Path(folder).resolve()
    if not path.is_dir():
        raise InputError(f"{folder}: no such folder; give the connector folder (default: .)")
    cassettes = Path(cassette_dir).resolve() if cassette_dir else None
    if cassettes is not None and not cassettes.is_dir():
        raise InputError(f"--cassette-dir {cassette_dir}: no such folder")
    return path, cassettes


def serve(
    folder: Path,
    cassette_dir: Path | None = None,
    *,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    import uvicorn

    from conformance.ui.app import build_app

    sock = bind(port)
    port = sock.getsockname()[1]
    token = new_token()
    url = f"http://{HOST}:{port}/?token={token}"
    app = build_app(folder, cassette_dir, token=token, port=port)

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            announce(f"syncpeng ui: serving {folder} at {url}")
            announce("(Ctrl-C stops it)")
            threading.Thread(target=app.app.state.views, daemon=True).start()  # warm-up
            if open_browser:
                webbrowser.open(url)

    config = uvicorn.Config(  # no websockets (none to serve, nothing to import), no lifespan
        app, log_level="warning", access_log=False, lifespan="off", ws="none", http="h11"
    )
    with suppress(KeyboardInterrupt):  # uvicorn shuts down gracefully, then re-raises Ctrl-C
        Server(config).run(sockets=[sock])
    announce("syncpeng ui: stopped")


def run_ui(
    folder: str, cassette_dir: str | None, port: int, browser: bool, say: Callable[[str], None]
) -> None:
    """The `syncpeng ui` command, as the CLI parsed it."""
    path, cassettes = folders(folder, cassette_dir)
    serve(path, cassettes, port=port, open_browser=browser, announce=say)
