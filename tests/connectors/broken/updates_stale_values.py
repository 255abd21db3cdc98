"""getUpdates reports the value a record had when inserted, not its current one."""

from cats_correct import Correct


class DataSource(Correct):
    async def init(self, account):
        await super().init(account)
        self.first_seen = {}

    async def get_updates(self, last_sync):
        result = await super().get_updates(last_sync)
        for entry in result["entries"]:
            if entry["type"] != "delete":
                entry["value"] = self.first_seen.setdefault(entry["id"], entry["value"])
        return result

    async def insert(self, value):
        created = await super().insert(value)
        self.first_seen[created["id"]] = await self.get(created["id"])
        return created
