"""Each deliberately broken connector fails exactly the checks its defect touches, for its reason.

A check that cannot fail is a defect of the harness: this table is where every check is shown
failing on a connector under tests/connectors/broken, and the example passing them all.
"""

import pytest
from support import BROKEN, EXAMPLE, run_all

from conformance.checks import CHECKS

# connector file -> {check ID: a phrase the failure must contain}; every other check must pass.
EXPECTED = {
    "missing_delete.py": {
        "interface": "DataSource lacks delete",
        "crud.delete": "delete(",
        "updates.progression": "delete(",
    },
    "init_rejects_account.py": {check.id: "init(" for check in CHECKS},
    "insert_drops_notes.py": {"crud.round-trip": "notes: expected"},
    "insert_returns_bare_id.py": {
        "crud.round-trip": 'insert must return an object like {"id": "<new id>"}',
        "crud.patch-partial": "insert must return",
        "crud.delete": "insert must return",
        "updates.shape": "insert must return",
        "updates.progression": "insert must return",
    },
    "patch_resets_fields.py": {"crud.patch-partial": "fields the patch did not name were changed"},
    "delete_is_noop.py": {
        "crud.delete": "after delete returned a record",
        "updates.progression": "was deleted but getUpdates reported",
    },
    "get_raises_on_missing.py": {"crud.delete": "raised HTTPStatusError"},
    "entires.py": {
        "updates.shape": 'returned the key "entires"',
        "updates.progression": 'returned the key "entires"',
    },
    "next_sync_datetime.py": {
        "updates.shape": "nextSync",
        "updates.progression": "is not JSON-serializable",
    },
    "updates_without_deletes.py": {"updates.progression": "was deleted but getUpdates reported"},
    "updates_stale_values.py": {"updates.progression": "does not carry its current value"},
    "updates_token_stuck.py": {"updates.progression": "the token makes no progress"},
    "hangs_on_get.py": {
        "crud.round-trip": "did not return within 0.5 s",
        "crud.patch-partial": "did not return within 0.5 s",
        "crud.delete": "did not return within 0.5 s",
        "updates.progression": "did not return within 0.5 s",
    },
}


def test_every_check_is_shown_failing_by_some_broken_connector():
    shown = {check_id for failures in EXPECTED.values() for check_id in failures}
    assert shown == {check.id for check in CHECKS}


@pytest.mark.parametrize("connector", sorted(EXPECTED))
def test_broken_connector_fails_exactly_its_checks_for_the_right_reason(connector):
    outcomes = run_all(BROKEN / connector, timeout=0.5)
    expected = EXPECTED[connector]
    failed = {cid for cid, o in outcomes.items() if o.status == "failed"}
    assert failed == set(expected), {cid: o.message for cid, o in outcomes.items()}
    for check_id, phrase in expected.items():
        outcome = outcomes[check_id]
        assert phrase in outcome.message, outcome.render()
        assert outcome.suffers, "every failure leads with what the platform suffers"
    for check_id in set(outcomes) - set(expected):
        assert outcomes[check_id].status == "passed", outcomes[check_id].render()


def test_example_connector_passes_every_check():
    outcomes = run_all(EXAMPLE, examples=25)
    assert {cid: o.status for cid, o in outcomes.items()} == {c.id: "passed" for c in CHECKS}


def test_lagging_token_is_a_warning_not_a_failure():
    outcome = run_all(BROKEN / "updates_lagging_token.py")["updates.progression"]
    assert outcome.status == "warned"
    assert "delivered again" in outcome.message


def test_failure_reproduction_is_the_minimal_call_script():
    outcome = run_all(BROKEN / "insert_drops_notes.py", examples=50)["crud.round-trip"]
    lines = outcome.script.splitlines()
    assert [line.split("(")[0] for line in lines] == ["init", "insert", "get"]
    assert '"notes": ""' in lines[1], "hypothesis shrinks the dropped field to its simplest value"
