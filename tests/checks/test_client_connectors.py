"""Connectors written the ordinary way with another HTTP client (tests/connectors/clients_py)
are checked like the httpx example: every request they make reaches the check's pipeline, in
the worker (the default) and inline, so each passes every check with no setting changed, and
each broken twin fails exactly the checks its defect touches, for its reason."""

import pytest

from conformance.checks import CHECKS
from conformance.options import ISOLATION_ENV
from tests.helpers import ROOT, run_all
from tests.helpers.broken_tables import assert_fails_exactly

CLIENTS = ROOT / "tests" / "connectors" / "clients_py"

CORRECT = ("requests_cats.py", "aiohttp_cats.py")

# connector file -> {check ID: a phrase the failure must contain}; every other check must pass.
EXPECTED = {
    # sync methods, a requests.Session: the PATCH body is a whole record built from the patch
    "requests_patch_resets.py": {
        "crud.patch-partial": "fields the patch did not name were changed",
    },
    # async methods, an aiohttp.ClientSession: the Link to the next page is never followed
    "aiohttp_one_page.py": {
        "sync.stateful": "differs from the source",
        "faults.concurrent-write": "a write landed between pages",
        "faults.pagination": "the first sync, over 10 records",
        "faults.transient": "getUpdates under",
    },
}

# As in test_broken_connectors: the stateful test meets a patch that clears fields only when
# its program patches a record whose unnamed fields held values.
MAY_ALSO_FAIL = {"requests_patch_resets.py": {"sync.stateful"}}


@pytest.mark.parametrize("isolation", ["process", "inline"])
@pytest.mark.parametrize("connector", CORRECT)
def test_client_connector_passes_every_check(connector, isolation, monkeypatch):
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    outcomes = run_all(CLIENTS / connector)
    assert {cid: o.status for cid, o in outcomes.items()} == {c.id: "passed" for c in CHECKS}, {
        cid: o.message for cid, o in outcomes.items() if o.status != "passed"
    }


@pytest.mark.parametrize("connector", sorted(EXPECTED))
@pytest.mark.usefixtures("pinned_hypothesis_seed")
def test_client_twin_fails_exactly_its_checks_for_the_right_reason(connector):
    assert_fails_exactly(
        CLIENTS / connector,
        EXPECTED[connector],
        may_also_fail=MAY_ALSO_FAIL.get(connector, ()),
    )
