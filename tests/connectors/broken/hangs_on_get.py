"""get blocks forever (a sync method stuck on a socket): the per-call timeout must stop it."""

import threading

from cats_correct import Correct


class DataSource(Correct):
    def get(self, id):
        threading.Event().wait()
