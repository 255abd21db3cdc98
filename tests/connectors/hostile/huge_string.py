"""get returns a 20 MB string in a field: every output must cut it and say its size."""

from cats_correct import Correct


class DataSource(Correct):
    async def get(self, id):
        record = await super().get(id)
        if record is not None:
            record = {**record, "name": "x" * 20_000_000}
        return record
