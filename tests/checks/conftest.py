"""Shared by the broken-connector tables."""

import hypothesis.core
import pytest

# The stateful test meets a defect only in the programs its random search draws: at 100
# examples a miss is rare but real (gt_filter passed sync.stateful once in about 100 runs on a
# busy CI machine). The tables pin hypothesis' seed, as `pytest --hypothesis-seed` does, so they
# show each check failing for its reason in the same programs every run.
SEED = 0


@pytest.fixture
def pinned_hypothesis_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hypothesis.core, "global_force_seed", SEED)
