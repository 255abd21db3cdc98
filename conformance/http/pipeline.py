"""The one path every request of the connector takes: steps chosen once per check, then an answer.

A backend composes a `Pipeline` when its check starts (the page-size rewrite, the request
guard, the recorder, a fault stage, then a terminal that answers: the mock, the network or a
cassette) and makes it the active one with `use`. Every runtime hands what it caught to
`active().send`, whatever the client and whichever process it ran in, so the steps never learn
which runtime or library made the request, and the backends never learn how it was caught.

Steps are synchronous middleware, `step(request, send) -> Response`, where `send` is the rest
of the chain: a step may rewrite the request, answer it itself (an injected fault, a refusal),
or look at the answer on its way back (the recorder). Synchronous because every catcher can
wait (a worker's request is served on a thread of its own, and async clients in process run the
chain on a thread when it can block), and because a step that holds a response while another
client writes is then plain code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from conformance.http.message import Exchange, HttpFailure, Request, Response
from conformance.http.stubs import sockets
from conformance.http.terminals import NetworkTerminal

Send = Callable[[Request], Response]
Watcher = Callable[[Exchange], None]


class Step(Protocol):
    def __call__(self, request: Request, send: Send) -> Response: ...


class Terminal(Protocol):
    """What answers a request at the end of the chain."""

    def __call__(self, request: Request) -> Response: ...


class Pipeline:
    """Steps in order, then the terminal; watchers see each finished exchange.

    Capabilities a caller may ask (never which backend built it):
    - `offline`: no request reaches the network (the mock in process, or a cassette);
    - `in_memory`: answers without blocking I/O, so an async catcher may call it inline;
    - `direct`: "host:port" a connector may still reach without being routed (the mock
      served on loopback, hosts conformance.toml allows); everything else is refused at the
      socket.

    What went wrong at the boundary is kept for the runner to judge once the check is over
    (`boundary`): failures the terminal raised (nothing staged them: a refused connection, a
    request the mock or the cassette cannot answer) and connections refused at the socket
    because no routed client made them (`escaped`, reported by the runtime that refused them).
    """

    def __init__(
        self,
        steps: Sequence[Step],
        terminal: Terminal,
        *,
        offline: bool,
        in_memory: bool = False,
        direct: Sequence[str] = (),
    ) -> None:
        self.steps = list(steps)
        self.terminal = terminal
        self.offline = offline
        self._in_memory = in_memory
        self.direct = tuple(direct)
        self._watchers: list[Watcher] = []
        self._chain = _compose(self.steps, self._answer)
        self.answered = 0  # requests the terminal answered (the API, the mock, the cassette)
        self.failures: list[tuple[Request, HttpFailure]] = []  # the terminal's, unstaged
        self.escapes: list[str] = []  # connections refused at the socket, first first

    def escaped(self, why: str) -> None:
        """A runtime refused a connection no routed client made (conformance/http/stubs/
        sockets.py inline, a worker's `unrouted` event): the check cannot be judged."""
        self.escapes.append(why)

    def _answer(self, request: Request) -> Response:
        try:
            response = self.terminal(request)
        except HttpFailure as failure:
            self.failures.append((request, failure))
            raise
        self.answered += 1
        return response

    @property
    def in_memory(self) -> bool:
        """Answers without blocking now: not while a step may hold an answer and run other
        connector calls meanwhile (the fault stage's `hold`), which must not run on the
        event loop of the call whose answer is held."""
        return self._in_memory and not any(getattr(s, "may_block", False) for s in self.steps)

    def send(self, request: Request) -> Response:
        """Answer `request` or raise HttpFailure; watchers see it either way."""
        start = time.perf_counter()
        try:
            response = self._chain(request)
        except HttpFailure as failure:
            self._notify(Exchange(request, None, failure, time.perf_counter() - start))
            raise
        self._notify(Exchange(request, response, None, time.perf_counter() - start))
        return response

    @contextmanager
    def watching(self, watcher: Watcher) -> Iterator[None]:
        """Call `watcher` with every exchange finished while the block runs."""
        self._watchers = [*self._watchers, watcher]
        try:
            yield
        finally:
            self._watchers = [w for w in self._watchers if w is not watcher]

    def _notify(self, exchange: Exchange) -> None:
        for watcher in self._watchers:
            watcher(exchange)


def _compose(steps: Sequence[Step], terminal: Terminal) -> Send:
    send: Send = terminal
    for step in reversed(steps):
        send = _bind(step, send)
    return send


def _bind(step: Step, rest: Send) -> Send:
    return lambda request: step(request, rest)


_lock = threading.Lock()
_active: Pipeline | None = None
_default: list[Pipeline] = []  # outside any check: to the network, one pooled transport


def active() -> Pipeline:
    """The pipeline of the check running now; outside a check, requests go to the network as
    they would without the harness (a connector used from a plain script, `syncpeng` live)."""
    pipeline = _active
    if pipeline is None:
        if not _default:
            _default.append(Pipeline([], NetworkTerminal(), offline=False))
        return _default[0]
    return pipeline


def _escaped_here(why: str) -> None:
    """A socket refused in this process (inline isolation) belongs to the check running now."""
    pipeline = _active
    if pipeline is not None:
        pipeline.escaped(why)


sockets.reporters.append(_escaped_here)


def current() -> Pipeline | None:
    """The active pipeline, or None outside a check."""
    return _active


@contextmanager
def use(pipeline: Pipeline) -> Iterator[Pipeline]:
    """Make `pipeline` the process's active one while the block runs (one check at a time per
    process, like time-machine's clock and the randomness source)."""
    global _active
    with _lock:
        previous, _active = _active, pipeline
    try:
        if pipeline.offline:
            with sockets.offline():
                yield pipeline
        else:
            yield pipeline
    finally:
        with _lock:
            _active = previous
        close = getattr(pipeline.terminal, "close", None)
        if close is not None:
            close()
