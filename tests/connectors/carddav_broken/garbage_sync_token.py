"""getUpdates sends a sync-token the server never issued on every incremental sync: CardDAV
answers 403 with a <valid-sync-token/> precondition, which says nothing about credentials."""

from carddav_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        if last_sync:
            last_sync = {"syncToken": "http://radicale.org/ns/sync/not-a-token-it-issued"}
        return await super().get_updates(last_sync)
