"""The seed sample's misspelling: the platform reads "entries" and sees nothing."""

from cats_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        result = await super().get_updates(last_sync)
        return {"nextSync": result["nextSync"], "entires": result["entries"]}
