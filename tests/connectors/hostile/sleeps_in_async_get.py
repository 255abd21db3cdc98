"""An async get that blocks its event loop in time.sleep: no asyncio timeout can fire."""

import time

from cats_correct import Correct


class DataSource(Correct):
    async def get(self, id):
        while True:
            time.sleep(1e6)
