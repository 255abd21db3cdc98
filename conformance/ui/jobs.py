"""One connector job at a time, each on a worker thread the web server never waits on forever.

The mock is served by patching httpx process-wide (respx) and the CLI's output capture swaps
sys.stdout, so two runs at once would see each other's traffic: a run that finds another in
progress is refused with a message rather than queued behind it. A run happens on its own
daemon thread; the Session's per-call timeout stops a hanging method, and should a module hang
outside any call (at import, in its constructor), the request still comes back after
`deadline` seconds with the run failed, while the UI stays up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from conformance.errors import InputError

T = TypeVar("T")

_BUSY = threading.Lock()
# Held while this process loads the module (a view reading the connector, or a method run,
# which loads it afresh): loads share one worker or bridge, and a load that hangs at import
# time is ended by killing that process, which failed a second load waiting on it (a Run after
# fixing the file, while the Module view was still waiting on the hung import). In turn, the
# second load waits for the first to end, then starts a fresh process.
LOADING = threading.RLock()


class Busy(InputError):
    """Another run holds the connector."""


class Stuck(RuntimeError):
    """The run did not come back in time; its thread is left behind, the UI goes on."""


def busy() -> bool:
    """Whether a run holds the connector now (the page clears its "in progress" note after)."""
    return _BUSY.locked()


def exclusive(job: Callable[[], T], *, deadline: float, what: str = "run") -> T:
    """Run `job` on a worker thread while holding the one connector lock."""
    if not _BUSY.acquire(blocking=False):
        raise Busy("another run is in progress (checks or a method); wait for it to finish")
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = job()
        except BaseException as exc:  # handed back to the caller's thread below
            box["error"] = exc
        finally:
            _BUSY.release()

    thread = threading.Thread(target=work, name=f"syncpeng-ui-{what}", daemon=True)
    thread.start()
    thread.join(deadline)
    if thread.is_alive():
        raise Stuck(f"the {what} did not finish within {deadline:g} s; the module may be stuck")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def start(job: Callable[[], None], *, what: str) -> threading.Thread:
    """Start a long `job` (a check run) holding the lock; the caller follows its events."""
    if not _BUSY.acquire(blocking=False):
        raise Busy("another run is in progress (checks or a method); wait for it to finish")

    def work() -> None:
        try:
            job()
        finally:
            _BUSY.release()

    thread = threading.Thread(target=work, name=f"syncpeng-ui-{what}", daemon=True)
    thread.start()
    return thread
