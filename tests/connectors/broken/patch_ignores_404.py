"""patch treats 404 as done, the way delete may: an edit to a deleted record "succeeds"."""

from cats_correct import Correct


class DataSource(Correct):
    async def patch(self, id, value):
        response = await self._send("PATCH", f"/cats/{id}", json=value)
        if response.status_code == 404:
            return
        response.raise_for_status()
