"""The seed sample with only its first-sync defect fixed (lastSync None lists everything), so
the harness gets to see what it returns: the misspelt key `entires`."""

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
            "entires": [{"id": v["id"], "type": "upsert", "value": v} for v in response],
        }
