"""nextSync comes from the connector's clock read after the query (a naive fix of the seed).

A write that lands after the server answered but before we read our clock is older than our
token and was not in the answer: lost.
"""

from datetime import datetime, timezone

from cats_correct import Correct


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class DataSource(Correct):
    async def get_updates(self, last_sync):
        result = await super().get_updates(last_sync)
        result["nextSync"]["since"] = _now()
        return result
