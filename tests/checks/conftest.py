"""Shared by the broken-connector tables."""

import hypothesis.core
import pytest

# The stateful test meets a defect only in the programs its random search draws. The tables pin
# hypothesis' seed, as `pytest --hypothesis-seed` does, so every run draws the same programs;
# where timing still decides whether those programs meet the defect, the table says so
# (MAY_ALSO_FAIL).
SEED = 0


@pytest.fixture
def pinned_hypothesis_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hypothesis.core, "global_force_seed", SEED)
