"""The author's module as its file holds it now, never from a cached .pyc.

Python trusts a cached .pyc whose source has the same whole-second mtime and size, so an edit
that keeps the file's size, saved within the second of the last import (the UI's edit and run,
a test that rewrites the file), would run the old code. The module file is compiled from its
source every time it is loaded; what it imports is imported as Python imports it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path


class _SourceOnly(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str) -> object:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


def spec_for(name: str, path: str | Path) -> importlib.machinery.ModuleSpec | None:
    """A module spec that compiles `path` from source (cf. importlib.util's)."""
    return importlib.util.spec_from_file_location(name, path, loader=_SourceOnly(name, str(path)))
