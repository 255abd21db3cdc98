"""get raises on a 404 instead of returning None."""

from cats_correct import Correct


class DataSource(Correct):
    async def get(self, id):
        response = await self._send("GET", f"/cats/{id}")
        response.raise_for_status()
        return response.json()
