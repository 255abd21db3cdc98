"""The seed's own sample connector, ported faithfully, fails by check ID for each of its defects.

Its defects mask one another (the first sync fails before `entires` is ever returned, and
`entires` hides every later sync), so the port is checked as-is and again with the visible
defects fixed one at a time: each layer shows the harness naming the next defect.
"""

import pytest

from tests.helpers import ROOT, run_all

SEED = ROOT / "tests" / "connectors" / "seed_sample"

LAYERS = {
    # the port as written: lastSync None goes into the query, and get throws on 404
    ".": {
        "updates.shape": "lastModified%20ge%20None",
        "crud.delete": "raised HTTPStatusError: Client error '404 Not Found'",
    },
    # the first sync fixed: now the platform sees what it returns
    "first_sync_fixed": {"updates.shape": 'returned the key "entires"'},
    # `entries` too: the sync defects underneath
    "entries_fixed": {
        "faults.clock-skew": "server clock behind",  # token from the local clock
        "faults.pagination": "the first sync, over 10 records",  # one page only
        "updates.progression": "was deleted but getUpdates reported no entry",  # no deletions
        "crud.delete": "raised HTTPStatusError",  # get of a deleted id throws
    },
}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_seed_defect_is_reported_by_its_check(layer):
    outcomes = run_all(SEED / layer)
    for check_id, phrase in LAYERS[layer].items():
        outcome = outcomes[check_id]
        assert outcome.status == "failed", outcome.render()
        assert phrase in outcome.message, outcome.render()


def test_the_seed_sample_passes_the_single_record_checks_it_gets_right():
    outcomes = run_all(SEED / "entries_fixed")
    for check_id in ("interface", "crud.round-trip", "crud.patch-partial", "updates.shape"):
        assert outcomes[check_id].status == "passed", outcomes[check_id].render()
