"""getUpdates treats any error or slow answer as "no changes" and moves its token on anyway."""

import asyncio
from datetime import datetime, timezone

import httpx
from cats_correct import Correct


class DataSource(Correct):
    async def get_updates(self, last_sync):
        try:
            return await asyncio.wait_for(super().get_updates(last_sync), 0.1)
        except (httpx.HTTPError, asyncio.TimeoutError):
            now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            return {"nextSync": {"since": now, "seen": {}}, "entries": []}
