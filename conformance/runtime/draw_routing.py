"""The connector's own randomness, routed per call: what a Python connector draws while one of
its calls runs is handed back from a recording, or drawn for real and written down.

Replay answers requests from a cassette in recorded order, so a connector that names resources
itself (`PUT <addressbook>/<uuid4>.vcf`) must draw the same names again. Both Python runtimes
(in process, python.py; and the worker, python_worker.py) install the same patches once, before
any connector module is imported, and route a draw only while a `CallDraws` is set for the
running call (a context variable: asyncio tasks and `asyncio.to_thread` inherit it). Outside a
connector call (the harness's own ids, hypothesis) and in calls without a plan (mock and live
runs) the patched functions are the real ones.

What is routed, and how:
- `uuid.uuid4()`: kind "uuid4", the UUID as a string.
- `os.urandom(n)`, and through `random._urandom` (bound at import by `random`) everything
  `secrets` and `random.SystemRandom` draw: kind "urandom", the bytes as hex.
- The `random` module's functions (`random.random`, `choice`, `randint`, ...): they share one
  hidden `random.Random`, so recording every float would be noise. Instead each execution scope
  gets its own `random.Random`, seeded on its first use from one recorded draw of kind "seed":
  the same seed gives the same sequence, which is all replay needs. `random.Random()` instances
  the connector makes itself are seeded by CPython from the OS, not through `os.urandom`, and
  are not routed (docs/recording.md says so).

Standard library only, and nothing of `conformance`: the worker process imports this module.
"""

from __future__ import annotations

import contextvars
import os
import random
import uuid
from collections.abc import Callable
from typing import Any

KINDS = ("uuid4", "urandom", "seed")

_real_urandom = os.urandom
_current: contextvars.ContextVar[CallDraws | None] = contextvars.ContextVar("draws", default=None)
_installed = False


class ScopeRandom:
    """The `random.Random` behind one execution scope's `random.*` calls, seeded lazily."""

    def __init__(self) -> None:
        self._instance: random.Random | None = None

    def instance(self, draws: CallDraws) -> random.Random:
        if self._instance is None:
            seed = draws.draw(
                "seed",
                lambda: int.from_bytes(_real_urandom(8), "big"),
                fits=lambda v: isinstance(v, int) and not isinstance(v, bool),
            )
            self._instance = random.Random(seed)
        return self._instance


class CallDraws:
    """What one connector call draws.

    `ahead[start:]` is the recorded draws still to come (a replay), handed back in order while each
    matches the kind asked for; None means draw real values. `taken` lists every draw of the
    call, for the harness: a draw the recording could not answer is drawn for real and marked
    `"unrecorded"` with what the cassette held there, and so is every draw after it (the
    connector has left the recorded path).
    """

    def __init__(
        self, ahead: list[Any] | None, scope: ScopeRandom | None = None, start: int = 0
    ) -> None:
        self.ahead = ahead
        self.scope = scope or ScopeRandom()
        self.taken: list[dict[str, Any]] = []
        self._next = start  # where this call starts in `ahead` (a worker keeps the whole list)
        self._lost = False

    def draw(self, kind: str, real: Callable[[], Any], fits: Callable[[Any], bool]) -> Any:
        if self.ahead is None:
            value = real()
            self.taken.append({"kind": kind, "value": value})
            return value
        item = self.ahead[self._next] if self._next < len(self.ahead) else None
        recorded = item.get("kind") if isinstance(item, dict) else None
        if not self._lost and recorded == kind and fits(item.get("value")):  # type: ignore[union-attr]
            self._next += 1
            self.taken.append(item)  # type: ignore[arg-type]
            return item["value"]  # type: ignore[index]
        self._lost = True
        value = real()
        self.taken.append({"kind": kind, "value": value, "unrecorded": True, "recorded": recorded})
        return value


def routed(draws: CallDraws | None) -> contextvars.Token[CallDraws | None]:
    """Route the draws of the code that runs in this context (until `unrouted(token)`)."""
    return _current.set(draws)


def unrouted(token: contextvars.Token[CallDraws | None]) -> None:
    _current.reset(token)


def install() -> None:
    """Patch uuid, os, random (and so secrets) once; harmless when nothing is routed."""
    global _installed
    if _installed:
        return
    _installed = True
    uuid.uuid4 = _uuid4
    os.urandom = _urandom
    random._urandom = _urandom  # type: ignore[attr-defined]
    hidden = random._inst  # type: ignore[attr-defined]
    for name in random.__all__:
        function = getattr(random, name, None)
        if getattr(function, "__self__", None) is hidden:
            setattr(random, name, _module_function(name, function))


def _uuid4() -> uuid.UUID:
    draws = _current.get()
    if draws is None:
        return uuid.UUID(bytes=_real_urandom(16), version=4)
    text = draws.draw(
        "uuid4", lambda: str(uuid.UUID(bytes=_real_urandom(16), version=4)), fits=_is_uuid
    )
    return uuid.UUID(text)


def _urandom(size: int) -> bytes:
    draws = _current.get()
    if draws is None:
        return _real_urandom(size)

    def fits(value: Any) -> bool:
        return isinstance(value, str) and len(value) == 2 * size and _is_hex(value)

    return bytes.fromhex(draws.draw("urandom", lambda: _real_urandom(size).hex(), fits=fits))


def _module_function(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def routed_function(*args: Any, **kwargs: Any) -> Any:
        draws = _current.get()
        if draws is None:
            return original(*args, **kwargs)
        return getattr(draws.scope.instance(draws), name)(*args, **kwargs)

    routed_function.__name__ = routed_function.__qualname__ = name
    routed_function.__doc__ = original.__doc__
    return routed_function


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True
