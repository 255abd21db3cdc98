"""The example cats connector, for hostile variants that each override exactly one behaviour."""

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parents[3] / "examples" / "cats" / "dataSourceApp.py"
_spec = importlib.util.spec_from_file_location("examples_cats_dataSourceApp", _path)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

Correct = _module.DataSource
