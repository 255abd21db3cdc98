"""The example CardDAV connector, for broken variants that each override exactly one behaviour.

Found through the installed harness (the repository root) rather than this file's location,
because the live tests run copies of this folder next to an account.json for their server.
"""

import importlib.util
from pathlib import Path

import conformance

_path = (
    Path(next(iter(conformance.__path__))).resolve().parent
    / "examples"
    / "carddav"
    / "dataSourceApp.py"
)
_spec = importlib.util.spec_from_file_location("examples_carddav_dataSourceApp", _path)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

Correct = _module.DataSource
to_vcard = _module.to_vcard
