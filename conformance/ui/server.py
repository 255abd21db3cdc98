"""`syncpeng ui`: bind 127.0.0.1, print the URL with this launch's token, serve until Ctrl-C.

The socket is bound here, before uvicorn starts, so the URL (with the port the system chose
when none was asked for) is known and printed at once, and a port already in use is one clear
error. uvicorn serves the socket and handles Ctrl-C by finishing in-flight responses and
returning; the access log is off (the URL carries the token, which must not land in a log).
"""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

from conformance.errors import InputError
from conformance.ui.security import new_token
from conformance.ui.workspace import Workspace

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
    sock.set_inheritable(True)
    return sock


def workspace(folder: str, cassette_dir: str | None) -> Workspace:
    path = Path(folder).resolve()
    if not path.is_dir():
        raise InputError(f"{folder}: no such folder; give the connector folder (default: .)")
    cassettes = Path(cassette_dir).resolve() if cassette_dir else None
    if cassettes is not None and not cassettes.is_dir():
        raise InputError(f"--cassette-dir {cassette_dir}: no such folder")
    return Workspace(path, cassettes)  # a module that does not load yet is said on the page


def serve(
    ws: Workspace,
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
    app = build_app(ws, token=token, port=port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    announce(f"syncpeng ui: serving {ws.folder} at {url}")
    announce("(Ctrl-C stops it)")
    if open_browser:
        webbrowser.open(url)
    server.run(sockets=[sock])
