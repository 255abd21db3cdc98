"""delete returns success without calling the API: the record stays."""

from cats_correct import Correct


class DataSource(Correct):
    async def delete(self, id):
        return None
