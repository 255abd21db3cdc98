"""The seed sample with its two most visible defects fixed, so the harness can see past them:
the first sync (lastSync None) lists everything, and the key is `entries`. Its other defects (a
token from the local clock, one page, no deletions, get throwing on 404) remain."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "seed_sample_port", Path(__file__).resolve().parents[1] / "dataSourceApp.py"
)
_seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_seed)


class DataSource(_seed.DataSource):
    async def getUpdates(self, lastSync):
        nextSync = _seed.toISOString(_seed.datetime.now(_seed.timezone.utc))
        query = f"?q=lastModified ge {lastSync}" if lastSync else ""
        response = await self.httpClient.get(f"/cats{query}")
        return {
            "nextSync": nextSync,
            "entries": [{"id": v["id"], "type": "upsert", "value": v} for v in response],
        }
