"""The server's clock, which tests bend: skew it, freeze it, step it.

Time is ``base + offset`` where ``base`` is real wall-clock time, or a fixed instant while
frozen. Freezing is how a test makes several writes share one millisecond (the boundary that
``gt`` vs ``ge`` sync bugs hide in); the offset is how it simulates a server clock that
disagrees with the client's.

Deliberately *not* monotonic: moving the offset backwards, or unfreezing behind real time,
makes later writes get earlier ``lastModified`` values, exactly as a real server whose clock
was corrected would. Tests that want monotonic time simply don't do that.
"""

from __future__ import annotations

import threading
import time

from mock_api.timefmt import format_ms


def _real_ms() -> int:
    return time.time_ns() // 1_000_000


class ServerClock:
    """Milliseconds since the epoch as the mock server sees them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset_ms = 0
        self._frozen_base: int | None = None

    @property
    def offset_ms(self) -> int:
        """Skew added to the base time; negative means the server runs behind."""
        return self._offset_ms

    @offset_ms.setter
    def offset_ms(self, value: int) -> None:
        with self._lock:
            self._offset_ms = int(value)

    @property
    def frozen(self) -> bool:
        """Whether time currently stands still."""
        return self._frozen_base is not None

    def now_ms(self) -> int:
        """The server's current time; constant while frozen."""
        base = self._frozen_base
        return (_real_ms() if base is None else base) + self._offset_ms

    def now(self) -> str:
        """The current server time in wire format."""
        return format_ms(self.now_ms())

    def freeze(self, at_ms: int | None = None) -> int:
        """Stop time at ``at_ms`` (server time, offset included) or at the current instant.

        Returns the frozen server time so a test can compute expected timestamps.
        """
        with self._lock:
            if at_ms is None:
                self._frozen_base = _real_ms()
            else:
                self._frozen_base = int(at_ms) - self._offset_ms
            return self._frozen_base + self._offset_ms

    def advance(self, ms: int) -> int:
        """Step time forward (or back, if negative): moves the frozen instant, else the offset.

        Returns the new server time.
        """
        with self._lock:
            if self._frozen_base is not None:
                self._frozen_base += int(ms)
            else:
                self._offset_ms += int(ms)
        return self.now_ms()

    def unfreeze(self) -> None:
        """Let time run again from real time plus the offset (it may jump either way)."""
        with self._lock:
            self._frozen_base = None

    def reset(self) -> None:
        """Back to real time with no skew."""
        with self._lock:
            self._frozen_base = None
            self._offset_ms = 0
