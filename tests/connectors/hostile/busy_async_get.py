"""An async get that busy-loops: it never yields to the event loop, so no timeout can fire."""

from cats_correct import Correct


class DataSource(Correct):
    async def get(self, id):
        while True:
            pass
