"""Keeps records in a dict and never calls the API: recorded, its cassettes would hold no
interaction and replay green forever."""

import uuid


class DataSource:
    async def init(self, account):
        self.records = {}

    async def get(self, id):
        return self.records.get(id)

    async def insert(self, value):
        id = str(uuid.uuid4())
        self.records[id] = {**value, "id": id}
        return {"id": id}

    async def patch(self, id, value):
        self.records[id].update(value)

    async def delete(self, id):
        self.records.pop(id, None)

    async def get_updates(self, last_sync):
        return {"nextSync": None, "entries": []}
