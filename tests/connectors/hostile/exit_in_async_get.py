"""An async get calls sys.exit(3): asyncio re-raises SystemExit out of the event loop."""

import sys

from cats_correct import Correct


class DataSource(Correct):
    async def get(self, id):
        sys.exit(3)
