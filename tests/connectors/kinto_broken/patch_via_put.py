"""patch sends PUT: Kinto replaces the whole record, so fields the patch did not name are lost."""

from kinto_correct import Correct


class DataSource(Correct):
    async def patch(self, id, value):
        response = await self._send("PUT", f"{self.records}/{id}", json={"data": value})
        response.raise_for_status()
