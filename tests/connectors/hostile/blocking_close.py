"""A sync close() that never returns."""

import threading

from cats_correct import Correct


class DataSource(Correct):
    def close(self):
        threading.Event().wait()
