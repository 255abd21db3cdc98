"""Who may talk to the UI: the browser that opened the printed URL, on this machine, no one else.

The server binds 127.0.0.1, but that alone does not stop another local user, a web page the
same browser has open (a cross-site `fetch` or form post), or a DNS-rebinding page whose name
now resolves to 127.0.0.1. So every request must carry the launch's random token, first in the
printed URL's `?token=` and from then on in an HttpOnly, SameSite=Strict cookie; its Host must
name the loopback address and our port; and an Origin, when the browser sends one, must be ours.
This is a pure ASGI middleware so that the server-sent event streams pass through untouched.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

COOKIE = "syncpeng_ui"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def new_token() -> str:
    """A fresh token per launch: a URL left in a shell history is worthless after exit."""
    return secrets.token_urlsafe(24)


class Guard:
    """Refuses (403, one plain line) any request without the token, or from elsewhere."""

    def __init__(self, app: ASGIApp, *, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":  # the UI has none: refuse rather than let one by
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = self.refusal(Request(scope))
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        """None to let the request through, else the response that refuses it."""
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return _refuse(f"refused: Host {host!r} is not this UI (127.0.0.1 only)")
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.origins:
            return _refuse(f"refused: a request from {origin!r}, another site")
        given = parse_qs(request.url.query).get("token", [None])[0]
        if given is not None and secrets.compare_digest(given, self.token):
            # Trade the token in the URL for a cookie, and drop it from the address bar.
            kept = [(k, v) for k, v in parse_qsl(request.url.query) if k != "token"]
            target = request.url.path + (f"?{urlencode(kept)}" if kept else "")
            redirect = RedirectResponse(target, 303)
            redirect.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return redirect
        cookie = request.cookies.get(COOKIE, "")
        if cookie and secrets.compare_digest(cookie, self.token):
            return None
        return _refuse(
            "refused: no valid token; open the URL that `syncpeng ui` printed (it changes at "
            "each launch)"
        )


def _refuse(message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=403)
