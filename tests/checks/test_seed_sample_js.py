"""The seed's sample as the platform runs it, in NodeJS, fails by check ID for each of its defects.

`tests/connectors/seed_sample_js/dataSourceApp.js` is the seed's JS verbatim (one stray `;`
removed so it parses). Its defects mask one another, so, as for the Python port, each layer
fixes the defect the previous one showed, and the harness names the next.
"""

import pytest

from tests.helpers import ROOT, run_all
from tests.helpers.node import needs_node

pytestmark = needs_node

SEED = ROOT / "tests" / "connectors" / "seed_sample_js"

LAYERS = {
    # verbatim: the first sync throws before it queries, and get throws on 404
    ".": {
        "updates.shape": "raised TypeError: (intermediate value).toIsoString is not a function",
        "crud.delete": "raised HttpError: GET",
        "errors.missing-id": "answered 404",
    },
    # toISOString spelt right: lastSync (null on a first sync) goes into the filter
    "iso_fixed": {"updates.shape": "cats?q=lastModified ge null answered 400"},
    # the first sync fixed: now the platform sees what it returns
    "first_sync_fixed": {"updates.shape": 'returned the key "entires"'},
    # `entries` too: the sync defects underneath
    "entries_fixed": {
        "faults.clock-skew": "server clock behind",  # token from the local clock
        "faults.pagination": "the first sync, over 10 records",  # one page only
        "updates.progression": "was deleted but getUpdates reported no entry",  # no deletions
        "crud.delete": "raised HttpError",  # get of a deleted id throws
    },
}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_seed_defect_is_reported_by_its_check(layer):
    outcomes = run_all(SEED / layer)
    for check_id, phrase in LAYERS[layer].items():
        outcome = outcomes[check_id]
        assert outcome.status == "failed", outcome.render()
        assert phrase in outcome.message, outcome.render()


def test_the_js_seed_sample_passes_the_single_record_checks_it_gets_right():
    outcomes = run_all(SEED / "entries_fixed")
    for check_id in ("interface", "crud.round-trip", "crud.patch-partial", "updates.shape"):
        assert outcomes[check_id].status == "passed", outcomes[check_id].render()


def test_the_js_error_points_at_the_seed_module_line():
    outcome = run_all(SEED)["updates.shape"]
    assert f"{SEED / 'dataSourceApp.js'}:31:" in outcome.message, outcome.render()
