"""The token lags one sync behind: every change is delivered twice, then the chain goes quiet.

Nothing is lost, so this is a warning (bounded re-delivery), not a failure.
"""

from cats_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        older, newer = (last_sync["older"], last_sync["newer"]) if last_sync else (None, None)
        result = await super().get_updates(older)
        return {
            "nextSync": {"older": newer, "newer": result["nextSync"]},
            "entries": result["entries"],
        }
