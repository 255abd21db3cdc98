"""Modules written with the HTTP clients authors actually use (axios, got, node-fetch, raw
https.request) pass every check in mock mode with default settings: the bridge routes their
requests to the mock before any DNS lookup (no `transport = "loopback"`, no ENOTFOUND). Each has
a broken twin that fails its check for the right reason, so the routing is shown to carry the
defect to the checks, not to hide it.
"""

from __future__ import annotations

import pytest

from conformance.checks import CHECKS
from tests.helpers import ROOT, run_all, run_one
from tests.helpers.node import needs_node
from tests.helpers.npm import copy_module

pytestmark = needs_node

CORPUS = ROOT / "tests" / "connectors" / "clients_js"
CLIENTS = ("axios", "got", "node_fetch", "https_request")

# folder -> (the broken twin, the check it fails, a phrase of the failure)
TWINS = {
    "axios": ("patch_clears_fields.js", "crud.patch-partial", "fields the patch did not name"),
    "got": ("first_page_only.mjs", "faults.pagination", "never delivered it: a lost insert"),
    "node_fetch": ("insert_ignores_status.js", "errors.invalid-insert", 'its "id" is None'),
    "https_request": ("get_null_on_any_error.js", "faults.transient", "returned None under a 503"),
}


@pytest.mark.parametrize("client", CLIENTS)
def test_a_module_using_the_client_passes_every_check_in_mock_mode(npm_clients, client):
    folder = copy_module(npm_clients, CORPUS / client)
    outcomes = run_all(folder, examples=25)
    assert {cid: o.status for cid, o in outcomes.items()} == {c.id: "passed" for c in CHECKS}, {
        cid: o.message for cid, o in outcomes.items() if o.status != "passed"
    }


@pytest.mark.parametrize("client", CLIENTS)
def test_the_broken_twin_fails_its_check_for_the_right_reason(npm_clients, client):
    twin, check, phrase = TWINS[client]
    outcome = run_one(copy_module(npm_clients, CORPUS / client) / twin, check)
    assert outcome.status == "failed", outcome.render()
    assert phrase in outcome.message, outcome.render()
