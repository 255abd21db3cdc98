"""The `fleet` fixture: four copies of examples/cats in connectors/, two deliberately broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.fleet import make_connector


@pytest.fixture
def fleet(pytester: pytest.Pytester) -> Path:
    """alpha, beta: correct; gamma: loses deletes; delta: re-delivers (a warning)."""
    root = pytester.path / "connectors"
    make_connector(root, "alpha")
    make_connector(root, "beta")
    make_connector(root, "gamma", "nodelete")
    make_connector(root, "delta", "redeliver")
    return root
