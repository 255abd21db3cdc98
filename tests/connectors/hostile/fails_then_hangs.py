"""The first session loses every record (get answers None); every later session hangs on each
call. Under sync.stateful the first example fails, and then whatever hypothesis runs next
(shrinking, or its final replay of the failing program) hits the per-call timeout: the check
must still end as a finding, never as a harness error."""

import threading

from cats_correct import Correct

_sessions = 0  # module state: the worker keeps it across the sessions of one check


class DataSource(Correct):
    async def init(self, account):
        global _sessions
        _sessions += 1
        self.first = _sessions == 1
        return await super().init(account)

    async def get(self, id):
        if self.first:
            return None
        threading.Event().wait()

    async def insert(self, record):
        if not self.first:
            threading.Event().wait()
        return await super().insert(record)

    async def getUpdates(self, syncToken):
        if not self.first:
            threading.Event().wait()
        return await super().getUpdates(syncToken)
