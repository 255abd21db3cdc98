"""getUpdates answers 401 Unauthorized with an empty batch, as if nothing had changed.

Expired or revoked credentials then look like a quiet tool: the platform stops syncing without
a word. faults.auth catches it on a real Kinto: the harness answers 401 from a point on itself.
"""

from kinto_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        params = {"_sort": "last_modified", "_limit": 1}
        response = await self._send("GET", self.records, params=params)
        if response.status_code == 401:  # the defect: "no access" read as "no changes"
            return {"nextSync": last_sync, "entries": []}
        return await super().get_updates(last_sync)
