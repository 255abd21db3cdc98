"""nextSync never advances: every sync returns everything again, forever."""

from cats_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        result = await super().get_updates(None)
        return {"nextSync": None, "entries": result["entries"]}
