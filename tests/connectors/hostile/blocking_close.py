"""A sync close() that never returns (and no aclose, which the platform would call first)."""

import threading

from cats_correct import Correct


class DataSource(Correct):
    aclose = None

    def close(self):
        threading.Event().wait()
