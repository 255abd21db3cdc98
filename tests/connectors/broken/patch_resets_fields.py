"""patch sends a full record built from the patch alone, clearing every field not given."""

from cats_correct import Correct

DEFAULTS = {"notes": None, "toys": []}


class DataSource(Correct):
    async def patch(self, id, value):
        return await super().patch(id, {**DEFAULTS, **value})
