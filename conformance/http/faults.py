"""The fault stage: a pipeline step that stages the world's misfortunes at the request boundary.

Every backend's pipeline carries one `FaultStage` just ahead of its terminal (the mock, the
network or a cassette), so a fault check stages the same event on any API, in any runtime and
through any routed client, by asking the backend (`ctx.backend.faults`), never its mode:

- `answer(...)`: chosen requests are answered by the harness itself, not sent: a 429 with
  Retry-After, a 500/503, a 401 from a point on (credentials revoked), or a connection reset.
  The answer is marked `source="injected"`; the recorder (ahead of this stage) writes it into
  the cassette marked `"injected": true`, and replay stages it again at the same request, since
  the check drives the stage the same way (its inputs are replayed), so no injected answer ever
  needs, or reaches, the API;
- `delay(...)`: a real answer handed over late (a slow API);
- `hold(...)`: a real answer held while the check acts (another client writes through a second
  execution scope), then released. The stage is suspended while the action runs, so the second
  scope's own requests pass untouched and are recorded as ordinary interactions, in the order
  they were made, which replay repeats.

Plans are consumed in order of arrival of requests; `clear()` drops them all (the backend calls
it before its cleanup, so a fault never meets the harness's own cleanup requests).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from conformance.http.message import HttpFailure, Request, Response
from conformance.http.pipeline import Send

Matches = Callable[[Request], bool]
STAGED = "staged by the harness"  # in every staged failure's message, for whoever must tell


def any_request(request: Request) -> bool:
    return True


@dataclass
class _Plan:
    kind: str  # "answer", "reset", "delay", "hold"
    matches: Matches
    skip: int  # matching requests to let through before acting
    times: int | None  # how many to act on; None: every one until cleared
    status: int = 0
    retry_after: str | None = None
    seconds: float = 0.0
    action: Callable[[Request, Response], None] | None = None

    def take(self, request: Request) -> bool:
        """Does this plan act on `request` (consuming one turn)?"""
        if not self.matches(request):
            return False
        if self.skip:
            self.skip -= 1
            return False
        if self.times is None:
            return True
        if self.times <= 0:
            return False
        self.times -= 1
        return True


class FaultStage:
    """A pipeline step; idle (passes every request on) until a check arms it."""

    def __init__(self) -> None:
        self._plans: list[_Plan] = []
        self._lock = threading.RLock()
        self._suspended = 0
        self.injected = 0  # answers the stage gave itself (or resets it raised)
        self.held = 0  # real answers held while the check acted
        # what an action raised while an answer was held: kept for the check, never handed to
        # the connector's client as if the request had failed
        self.problems: list[BaseException] = []

    # --- what a check arms --------------------------------------------------------------

    def answer(
        self,
        status: int,
        *,
        retry_after: str | None = None,
        matches: Matches = any_request,
        skip: int = 0,
        times: int | None = 1,
    ) -> None:
        """Answer matching requests with `status` without sending them (times=None: every one
        from now until `clear`, as a revoked credential)."""
        self._add(_Plan("answer", matches, skip, times, status=status, retry_after=retry_after))

    def reset(self, *, matches: Matches = any_request, skip: int = 0, times: int = 1) -> None:
        """Fail matching requests as a connection reset, without sending them."""
        self._add(_Plan("reset", matches, skip, times))

    def delay(
        self, seconds: float, *, matches: Matches = any_request, skip: int = 0, times: int = 1
    ) -> None:
        """Send matching requests, and hand their answers over `seconds` late."""
        self._add(_Plan("delay", matches, skip, times, seconds=seconds))

    def hold(
        self,
        action: Callable[[Request, Response], None],
        *,
        matches: Matches = any_request,
        skip: int = 0,
        times: int = 1,
    ) -> None:
        """Send a matching request, then run `action(request, answer)` while its answer is held
        (the stage suspended, so the action's own requests pass), then hand the answer over."""
        self._add(_Plan("hold", matches, skip, times, action=action))

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()

    @property
    def armed(self) -> bool:
        return bool(self._plans)

    @property
    def may_block(self) -> bool:
        """A held answer runs connector calls of another scope: the pipeline must not be
        called on the event loop of the call it holds (pipeline.Pipeline.in_memory)."""
        return any(plan.kind == "hold" for plan in self._plans)

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Requests made while the block runs pass untouched (the harness's own)."""
        with self._lock:
            self._suspended += 1
        try:
            yield
        finally:
            with self._lock:
                self._suspended -= 1

    # --- the pipeline step --------------------------------------------------------------

    def __call__(self, request: Request, send: Send) -> Response:
        plan = self._plan_for(request)
        if plan is None:
            return send(request)
        if plan.kind == "answer":
            self.injected += 1
            return injected_answer(plan.status, plan.retry_after)
        if plan.kind == "reset":
            self.injected += 1
            raise HttpFailure(
                "reset", f"{request.method} {request.url}: connection reset ({STAGED})"
            )
        response = send(request)
        if plan.kind == "delay":
            response.delay = max(response.delay, plan.seconds)
            return response
        assert plan.action is not None
        self.held += 1
        with self.suspended():
            try:
                plan.action(request, response)
            except Exception as exc:  # noqa: BLE001 - the check reads it after the call
                self.problems.append(exc)
        return response

    def _plan_for(self, request: Request) -> _Plan | None:
        with self._lock:
            if self._suspended:
                return None
            for plan in self._plans:
                if plan.take(request):
                    return plan
        return None

    def _add(self, plan: _Plan) -> None:
        with self._lock:
            self._plans.append(plan)


def injected_answer(status: int, retry_after: str | None = None) -> Response:
    """The answer the stage gives in the API's stead: a JSON error body, as most APIs send."""
    headers = [("Content-Type", "application/json")]
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    body = json.dumps({"error": f"staged {status}", "injected": True}).encode()
    return Response(status, headers, body, reason=_REASONS.get(status, ""), source="injected")


_REASONS = {
    401: "Unauthorized",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
