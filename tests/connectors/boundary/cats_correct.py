"""The example cats connector, for broken variants that each override exactly one behaviour."""

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parents[3] / "examples" / "cats" / "dataSourceApp.py"
_spec = importlib.util.spec_from_file_location("examples_cats_dataSourceApp", _path)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

Correct = _module.DataSource
RETRYABLE = _module.RETRYABLE


async def fetch_changes(connector, params):
    """Every record of a change listing, following Link: rel="next" (for variants that
    rebuild getUpdates around one changed idea); returns (records, first response)."""
    response = await connector._send("GET", "/cats", params=params)
    first, records = response, []
    while True:
        response.raise_for_status()
        records += response.json()
        next_page = response.links.get("next")
        if not next_page:
            return records, first
        response = await connector._send("GET", next_page["url"])
