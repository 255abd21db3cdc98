"""insert forgets to send the notes field (a common mapping omission)."""

from cats_correct import Correct


class DataSource(Correct):
    async def insert(self, value):
        return await super().insert({k: v for k, v in value.items() if k != "notes"})
