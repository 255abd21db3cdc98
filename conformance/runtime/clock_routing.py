"""The connector's wall clock, routed per call: what a Python connector reads from the clock while
one of its calls runs is handed back from a recording, or read for real (plus an offset) and
written down.

A connector that takes its sync token from its own clock (the seed's sample does) asks the API
for `_since=<now>`; replay answers from a cassette, so the replayed call must read the same
value again, whatever the replay's date or speed. Both Python runtimes (in process, python.py;
the worker, python_worker.py) install the same patches once, before any connector module is
imported, and route a read only while a `CallClock` is set for the running call (a context
variable, as draw_routing.py does for randomness). Outside a connector call, and in calls without
a plan (mock and live runs), the patched functions answer what the real ones answer.

Owned: `time.time`, `time.time_ns`, `datetime.datetime.now`, `.utcnow`, `.today` and
`datetime.date.today`. Not owned, by design: `time.monotonic`, `time.perf_counter` and every
timer (timeouts must keep firing for real), `time.localtime()`/`gmtime()` without argument, and
clocks read by C extensions. `datetime.datetime` and `datetime.date` are C types whose methods
cannot be replaced, so the `datetime` module's two names are bound to subclasses that answer
`isinstance` for every real datetime (freezegun's technique); code that imported the classes
before `install()` keeps the real ones, which is why the runtimes install first.

Every read is one integer of microseconds since the epoch: exact in JSON for both Python and
JavaScript (nanoseconds would exceed 2**53), and the resolution of `datetime`. Whatever the
connector asks for (a float from `time.time`, a datetime) is computed from that integer, so a
recorded read gives back the same bytes on replay.

Standard library only, and nothing of `conformance`: the worker process imports this module.
"""

from __future__ import annotations

import contextvars
import copyreg
import datetime
import sys
import sysconfig
import time
from collections.abc import Callable
from typing import Any

_real_time = time.time
_real_time_ns = time.time_ns
_real_datetime = datetime.datetime
_real_date = datetime.date
_current: contextvars.ContextVar[CallClock | None] = contextvars.ContextVar("clock", default=None)
_installed = False
# Where the standard library and installed packages live: a read made from there is a library's
# (httpx's cookie jar reads time.time() for every exchange), not the connector's own code's.
_LIBRARIES = tuple(
    {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
)


class CallClock:
    """What one connector call reads from the clock.

    `ahead[start:]` is the recorded reads still to come (a replay), handed back in order; None
    means read the real clock plus `offset_ms` (recording, or a check that skews the clock).
    `taken` lists every read of the call for the harness, `{"via": <function>, "us": <int>}`; a
    read the recording cannot answer is real, marked `"unrecorded"`, and so is every read after
    it (the connector has left the recorded path).
    """

    def __init__(self, ahead: list[Any] | None, offset_ms: int = 0, start: int = 0) -> None:
        self.ahead = ahead
        self.offset_us = int(offset_ms) * 1000
        self.taken: list[dict[str, Any]] = []
        self._next = start
        self._lost = False

    def read(self, via: str, library: bool = False) -> int:
        """One read; `library` marks a read made by a library rather than the connector's code
        (reported as `"library": true`, so a check can tell whether the module itself read)."""
        said = {"via": via, "library": True} if library else {"via": via}
        if self.ahead is None:
            value = _real_time_ns() // 1000 + self.offset_us
            self.taken.append({**said, "us": value})
            return value
        item = self.ahead[self._next] if self._next < len(self.ahead) else None
        recorded = item.get("us") if isinstance(item, dict) else None
        if not self._lost and isinstance(recorded, int) and not isinstance(recorded, bool):
            self._next += 1
            self.taken.append({**said, "us": recorded})
            return recorded
        self._lost = True
        value = _real_time_ns() // 1000
        self.taken.append({**said, "us": value, "unrecorded": True})
        return value


def routed(clock: CallClock | None) -> contextvars.Token[CallClock | None]:
    """Route the clock reads of the code that runs in this context (until `unrouted(token)`)."""
    return _current.set(clock)


def unrouted(token: contextvars.Token[CallClock | None]) -> None:
    _current.reset(token)


def _micros(via: str) -> int | None:
    clock = _current.get()
    if clock is None:
        return None
    caller = sys._getframe(2).f_code.co_filename  # who called time.time() (or datetime.now())
    return clock.read(via, library=caller.startswith(_LIBRARIES))


def _time() -> float:
    us = _micros("time.time")
    return _real_time() if us is None else us / 1e6


def _time_ns() -> int:
    us = _micros("time.time_ns")
    return _real_time_ns() if us is None else us * 1000


def _moment(us: int, tz: datetime.tzinfo | None) -> datetime.datetime:
    """The datetime of `us` microseconds since the epoch, local time or in `tz`: computed with
    integers (no float rounding), so a recorded read replays to the same microsecond."""
    utc = _real_datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        microseconds=us
    )
    if tz is None:
        return utc.astimezone().replace(tzinfo=None)
    return utc.astimezone(tz)


class _RealClassCheck(type):
    """`isinstance(x, datetime.datetime)` stays true for datetimes made by the real class."""

    _real: type

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls._real)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, cls._real)


def _same(cls: type, value: Any, make: Callable[..., Any]) -> Any:
    """`value` as an instance of the class the connector called (a subclass it made itself)."""
    if cls in (_Date, _DateTime):
        return value
    return make(value)


class _Date(_real_date, metaclass=_RealClassCheck):
    _real = _real_date

    @classmethod
    def today(cls) -> Any:
        us = _micros("date.today")
        if us is None:
            return _real_date.today() if cls is _Date else super().today()
        day = _moment(us, None).date()
        return _same(cls, day, lambda d: cls(d.year, d.month, d.day))


class _DateTime(_real_datetime, metaclass=_RealClassCheck):
    _real = _real_datetime

    @classmethod
    def now(cls, tz: datetime.tzinfo | None = None) -> Any:
        us = _micros("datetime.now")
        if us is None:
            return _real_datetime.now(tz) if cls is _DateTime else super().now(tz)
        return _same(cls, _moment(us, tz), _copy(cls))

    @classmethod
    def utcnow(cls) -> Any:
        us = _micros("datetime.utcnow")
        if us is None:
            return _real_datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        moment = _moment(us, datetime.timezone.utc).replace(tzinfo=None)
        return _same(cls, moment, _copy(cls))

    @classmethod
    def today(cls) -> Any:
        us = _micros("datetime.today")
        if us is None:
            return _real_datetime.now() if cls is _DateTime else super().today()
        return _same(cls, _moment(us, None), _copy(cls))


def _copy(cls: type) -> Callable[[datetime.datetime], Any]:
    return lambda d: cls(*d.timetuple()[:6], d.microsecond, d.tzinfo, fold=d.fold)


for _cls, _name in ((_Date, "date"), (_DateTime, "datetime")):
    _cls.__name__ = _cls.__qualname__ = _name
    _cls.__module__ = "datetime"  # pickled as datetime.<name>: the real class elsewhere


def _reduce(stand_in: type) -> Callable[[Any], tuple[Any, ...]]:
    """Pickle finds a class by its module and name, and `datetime.datetime` is the stand-in
    once installed: a real datetime pickles as the stand-in's, which is the real class again
    in a process without the stand-in."""
    return lambda value: (stand_in, value.__reduce_ex__(4)[1])


def install() -> None:
    """Patch time and datetime once; harmless when nothing is routed."""
    global _installed
    if _installed:
        return
    _installed = True
    time.time = _time
    time.time_ns = _time_ns
    datetime.date = _Date  # type: ignore[misc]
    datetime.datetime = _DateTime  # type: ignore[misc]
    copyreg.pickle(_real_date, _reduce(_Date))
    copyreg.pickle(_real_datetime, _reduce(_DateTime))
