"""requests, urllib3, urllib/http.client and aiohttp: caught by vcrpy's own patchers.

vcrpy keeps one stub per client library and asks a cassette, for each request, whether it can
answer (`can_play_response_for`) and for the answer (`play_response`). `RelayCassette` is a
stand-in that answers every request of a connector by handing it to the sender, and none of
anybody else's: those go to the network as vcrpy would record them, and nothing is kept. So the
clients are patched at the points vcrpy maintains, with no private internals of ours; httpx is
left to httpx_stub.py (its async side must await, which vcrpy's does not).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import time
from contextlib import ExitStack
from types import ModuleType
from typing import Any

from conformance.http.message import HttpFailure, Request, Response
from conformance.http.stubs import client_errors, route

# aiohttp takes a third of the worker's start to import (0.3-0.9 s), and few connectors use it,
# but vcrpy's patch module imports it if it is installed. So that import is kept from seeing it,
# and aiohttp is patched when somebody's own import of it has finished (`_PatchOnImport`).
_AIOHTTP_DEFERRED = "vcr.patch" not in sys.modules and "aiohttp" not in sys.modules
if _AIOHTTP_DEFERRED:
    sys.modules["aiohttp"] = None  # type: ignore[assignment]  # "import aiohttp" fails here
    try:
        from vcr.patch import CassettePatcherBuilder
    finally:
        del sys.modules["aiohttp"]
else:
    from vcr.patch import CassettePatcherBuilder


class RelayCassette:
    """What vcrpy's stubs call a cassette: here, a relay to the sender of the current context."""

    _path = "connector-conformance-relay"
    custom_patches: tuple[Any, ...] = ()
    # httpx: httpx_stub.py; aiohttp, when deferred: patched on import
    skip_patchers = ("httpx", "httpx2", *(("aiohttp",) if _AIOHTTP_DEFERRED else ()))
    write_protected = False

    def can_play_response_for(self, request: Any) -> bool:
        return route.sender() is not None

    def play_response(self, request: Any) -> dict[str, Any]:
        target = route.sender()
        assert target is not None, "can_play_response_for said the connector sent it"
        caller = sys._getframe(1)
        client = _client(caller)
        caught = _caught(request, client, caller)
        try:
            answer = target.send(caught)
        except HttpFailure as failure:
            raise client_errors.error(failure, client, request.uri) from None
        if answer.delay > 0:
            _wait(answer, client, caller)
        return _vcr_response(answer)

    def filter_request(self, request: Any) -> Any:
        return request

    def append(self, request: Any, response: Any) -> None:
        """Somebody else's request went to the network: nothing of ours to keep."""

    def find_requests_with_most_matches(self, request: Any) -> list[tuple[Any, ...]]:
        return [(request,)]  # aiohttp follows a redirect by asking for the next request


_patched = ExitStack()  # entered once, for the life of the process


def install() -> None:
    cassette = RelayCassette()
    for patcher in CassettePatcherBuilder(cassette).build():
        _patched.enter_context(patcher)
    if _AIOHTTP_DEFERRED and "aiohttp" in sys.modules:  # imported since this module was
        _patch_aiohttp(cassette)
    elif _AIOHTTP_DEFERRED:
        sys.meta_path.insert(0, _PatchOnImport(lambda: _patch_aiohttp(cassette)))


def _patch_aiohttp(cassette: RelayCassette) -> None:
    """What vcrpy's patcher does for aiohttp, once aiohttp is imported."""
    from aiohttp.client import ClientSession
    from vcr.stubs.aiohttp_stubs import vcr_request

    ClientSession._request = vcr_request(cassette, ClientSession._request)  # type: ignore[method-assign]


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Runs `then` right after the first import of the aiohttp package has finished."""

    def __init__(self, then: Any) -> None:
        self._then = then

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "aiohttp":
            return None
        sys.meta_path.remove(self)  # the real finders find it; this runs once
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Then(spec.loader, self._then)
        return spec


class _Then(importlib.abc.Loader):
    """A package's own loader, and `then` once the package has executed."""

    def __init__(self, loader: Any, then: Any) -> None:
        self._loader = loader
        self._then = then

    def create_module(self, spec: Any) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        self._then()

    def __getattr__(self, name: str) -> Any:  # resources, source: the package's own loader's
        return getattr(self._loader, name)


def _wait(answer: Response, client: str, caller: Any) -> None:
    """Hold a late answer back, as a slow server would; past the client's own read timeout the
    client gives up as it would on the network (its timeout error, after that long)."""
    limit = _read_timeout(client, caller)
    if limit is None or answer.delay <= limit:
        time.sleep(answer.delay)
        return
    time.sleep(limit)
    message = f"the answer came {answer.delay:g} s late, past the client's {limit:g} s timeout"
    raise client_errors.error(HttpFailure("timeout", message), client, "")


def _read_timeout(client: str, caller: Any) -> float | None:
    """The client's timeout for this response, where it set one (seconds), else None.

    urllib3 sets the read timeout on the connection before asking for the response (vcrpy's
    VCRConnection, the caller, passes it to the real connection); http.client keeps its
    constructor's; aiohttp has a session-wide ClientTimeout, or one per request."""
    if client == "aiohttp":
        call = caller.f_back.f_locals if caller.f_back is not None else {}
        session = call.get("self")
        given = (call.get("kwargs") or {}).get("timeout") or getattr(session, "timeout", None)
        limits = [getattr(given, part, None) for part in ("total", "sock_read")]
        numbers = [float(v) for v in limits if isinstance(v, int | float) and v > 0]
        return min(numbers) if numbers else None
    timeout = getattr(caller.f_locals.get("self"), "timeout", None)
    return float(timeout) if isinstance(timeout, int | float) and timeout > 0 else None


def _caught(request: Any, client: str, caller: Any) -> Request:
    headers = [
        (str(name), str(v))
        for name, value in request.headers.items()
        for v in (value if isinstance(value, list) else [value])
    ]
    body = request.body
    if client == "aiohttp" and caller.f_back is not None:
        # vcrpy's Request keeps one value per header name; the session's request has them all
        sent = caller.f_back.f_locals.get("headers")
        if sent is not None and hasattr(sent, "items"):
            headers = [(str(name), str(value)) for name, value in sent.items()]
    if client == "aiohttp":  # vcrpy hands over what the caller passed: serialise it as aiohttp
        from conformance.http.stubs import aiohttp_body  # only where aiohttp is installed

        content, kind = aiohttp_body.serialise(body, caller.f_locals.get("kwargs") or {})
        if kind and not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", kind))
    elif body is None:
        content = b""
    elif isinstance(body, str):
        content = body.encode("utf-8")
    elif hasattr(body, "read"):  # a file object: vcrpy's body of a file upload
        content = body.read()
    else:
        content = b"".join(body) if not isinstance(body, bytes | bytearray) else bytes(body)
    return Request(request.method.upper(), request.uri, headers, content, client=client)


def _vcr_response(answer: Response) -> dict[str, Any]:
    answer = answer.for_client()
    headers: dict[str, list[str]] = {}
    for name, value in answer.headers:
        headers.setdefault(name, []).append(value)
    headers["content-length"] = [str(len(answer.body))]
    return {
        "status": {"code": answer.status, "message": answer.reason or _reason(answer.status)},
        "headers": headers,
        "body": {"string": answer.body},
    }


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _client(frame: Any) -> str:
    """Which library's stub asked: vcrpy's stub modules are named after their clients."""
    module = frame.f_globals.get("__name__", "")
    caller = frame.f_locals.get("self")
    if caller is not None:
        for cls in type(caller).__mro__:
            if cls.__module__.startswith("vcr.stubs."):
                module = cls.__module__
                break
    name = module.rpartition(".")[2].removesuffix("_stubs")
    if name == "urllib3" and _called_from(frame, "requests."):
        return "requests"  # requests sends through the plain urllib3 vcrpy patches
    return {"stubs": "http.client"}.get(name, name)


def _called_from(frame: Any, prefix: str, depth: int = 12) -> bool:
    while frame is not None and depth > 0:
        if frame.f_globals.get("__name__", "").startswith(prefix):
            return True
        frame, depth = frame.f_back, depth - 1
    return False
