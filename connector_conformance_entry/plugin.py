"""The pytest11 entry point: stops pytest with one line when `conformance` is not ours, else
loads the real plugin (conformance.plugin) through pytest's own `pytest_plugins` mechanism."""

from __future__ import annotations

import pytest

from connector_conformance_entry import shadowing_problem

_problem = shadowing_problem()
if _problem is not None:
    raise pytest.UsageError(f"connector-conformance plugin: {_problem}")

pytest_plugins = ["conformance.plugin"]
