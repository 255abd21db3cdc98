"""Retries 429/5xx without limit: while the API is down, a sync never ends."""

import asyncio

from cats_correct import RETRYABLE, Correct


class DataSource(Correct):
    async def _send(self, method, url, **kwargs):
        while True:
            response = await self.client.request(method, url, **kwargs)
            if response.status_code not in RETRYABLE:
                return response
            await asyncio.sleep(0)
