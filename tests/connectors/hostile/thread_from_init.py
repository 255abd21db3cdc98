"""init starts a non-daemon thread that runs forever: a process that waits for it never ends."""

import threading

from cats_correct import Correct


class DataSource(Correct):
    def init(self, account):
        threading.Thread(target=threading.Event().wait, daemon=False).start()
        return super().init(account)
