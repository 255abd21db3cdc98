"""After an empty batch the token falls back to the one before it (an earlier value).

The chain alternates: empty, then the last changes re-delivered, then empty again. Nothing is
lost, but every other sync sends again what the platform already holds, without end.
"""

from cats_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        previous = last_sync.get("previous") if last_sync else None
        inner = last_sync.get("inner") if last_sync else None
        result = await super().get_updates(inner)
        if not result["entries"]:
            return {"nextSync": {"inner": previous, "previous": inner}, "entries": []}
        token = {"inner": result["nextSync"], "previous": inner}
        return {"nextSync": token, "entries": result["entries"]}
