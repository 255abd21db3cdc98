"""The seed sample with its two most visible defects fixed, so the harness can see past them:
the first sync (lastSync None) lists everything, and the key is `entries`. Its other defects (a
token from the local clock, one page, no deletions, get throwing on 404) remain."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "seed_sample_first_sync_fixed",
    Path(__file__).resolve().parents[1] / "first_sync_fixed" / "dataSourceApp.py",
)
_layer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_layer)


class DataSource(_layer.DataSource):
    async def getUpdates(self, lastSync):
        result = await super().getUpdates(lastSync)
        return {"nextSync": result["nextSync"], "entries": result["entires"]}
