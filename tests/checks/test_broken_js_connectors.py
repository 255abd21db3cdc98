"""The checks judge a NodeJS module as they judge a Python one: each broken JS connector under
tests/connectors/broken_js fails exactly the checks its defect touches, for its reason, and the
JS example passes them all. The modules mirror tests/connectors/broken (each one spreads the
correct examples/cats-js module and overrides one method), plus defects only JS can have.
"""

import pytest

from conformance.checks import CHECKS
from tests.helpers import HANG_TIMEOUT, ROOT, run_all, run_one
from tests.helpers.broken_tables import assert_fails_exactly
from tests.helpers.node import needs_node

pytestmark = needs_node

BROKEN_JS = ROOT / "tests" / "connectors" / "broken_js"
EXAMPLE_JS = ROOT / "examples" / "cats-js"

SYNCING_CHECKS = (
    "updates.progression",
    "sync.stateful",
    "faults.clock-skew",
    "faults.concurrent-write",
    "faults.same-millisecond",
    "faults.pagination",
    "faults.transient",
    "faults.auth",
)

# module -> {check ID: a phrase the failure must contain}; every other check must pass.
EXPECTED = {
    "missing_delete.js": {
        "interface": "DataSource lacks delete",
        "crud.delete": "raised TypeError: the module has no method delete",
        "crud.acknowledged": "raised TypeError: the module has no method delete",
        "updates.progression": "delete(",
        "sync.stateful": "delete(",
        "errors.missing-id": "delete(",
    },
    "insert_drops_notes.js": {
        "crud.round-trip": "notes: expected",
        "sync.stateful": "does not hold what the acknowledged writes put there",
    },
    # records.schema: a server-set field of the wrong type is compared by no round trip
    "timestamp_as_number.js": {
        "records.schema": "at $.lastModified: 1733000000000 is not of type 'string'",
    },
    "get_omits_required.js": {
        "records.schema": "at $: 'name' is a required property",
        "crud.round-trip": "name: expected",
        "crud.patch-partial": "name: expected",
        "crud.acknowledged": "name: expected",
        "updates.progression": "does not carry its current value",
        "sync.stateful": "differs from the source",
    },
    "patch_resets_fields.js": {
        "crud.patch-partial": "fields the patch did not name were changed",
    },
    "delete_is_noop.js": {
        "crud.delete": "after delete returned a record",
        "crud.acknowledged": "still returns the record",
        "updates.progression": "was deleted but getUpdates reported",
        "sync.stateful": "was deleted (delete returned) but get still returns it",
        "faults.transient": "returned under a 429 but the record still exists",
        "faults.auth": "delete returned",
        "errors.missing-id": "patch of a deleted id",
    },
    "get_raises_on_missing.js": {
        "crud.delete": "raised HttpError: GET",
        "crud.acknowledged": "raised HttpError: GET",
        "sync.stateful": "raised HttpError",
        "errors.missing-id": "answered 404",
    },
    "entires.js": {
        check: 'returned the key "entires"'
        for check in ("updates.shape", "records.schema", *SYNCING_CHECKS)
    },
    "next_sync_not_json.js": {
        check: "raised NotJSON: getUpdates result.nextSync.version is the BigInt 1n"
        for check in ("updates.shape", "records.schema", *SYNCING_CHECKS)
    },
    "updates_without_deletes.js": {
        "updates.progression": "was deleted but getUpdates reported",
        "sync.stateful": "the deletion never reached the other side",
        "faults.clock-skew": "the deletion never reached the other side",
        "faults.concurrent-write": "the deletion never reached the other side",
        "faults.pagination": "the deletion never reached the other side",
    },
    "hangs_on_get.js": {
        check: f"did not return within {HANG_TIMEOUT:g} s"
        for check in (
            "crud.round-trip",
            "crud.patch-partial",
            "crud.delete",
            "crud.acknowledged",
            "records.schema",
            "updates.progression",
            "sync.stateful",
            "faults.transient",
            "faults.auth",
            "errors.missing-id",
        )
    },  # fmt: skip
    "token_from_local_clock.js": {
        "sync.stateful": "differs from the source",
        "faults.clock-skew": "server clock behind",
    },
    "token_after_query.js": {
        "sync.stateful": ("differs from the source", "the token makes no progress"),
        "faults.clock-skew": "server clock behind",
        "faults.concurrent-write": "a write landed before the response",
        "faults.same-millisecond": "the token makes no progress",
    },
    "gt_filter.js": {
        "faults.same-millisecond": "writes in the token's own millisecond were lost",
    },
    "one_page.js": {
        "sync.stateful": "differs from the source",
        "faults.concurrent-write": "a lost insert",
        "faults.pagination": "the first sync, over 10 records",
        "faults.transient": "a lost insert",
    },
    "get_none_on_error.js": {
        "faults.transient": "returned None under a 503",
        "faults.auth": "get returned None",
    },
    "patch_ignores_404.js": {"errors.missing-id": "returned without error"},
    "insert_ignores_errors.js": {
        "faults.transient": "insert returned id 'undefined' under a 503",
        "faults.auth": "insert returned",
        "errors.invalid-insert": "get finds no such record",
    },
}

# Defects the stateful test meets only in some random programs (a patch must leave out a field
# that held a value): the check that finds them every time is listed above; the stateful test
# may fail on them too, and is not required to.
MAY_ALSO_FAIL = {
    "patch_resets_fields.js": {"sync.stateful"},
    # A strict `gt` filter: faults.same-millisecond finds it every time. The stateful test
    # finds it in most runs, but 2 of 4 clean-clone CI runs missed it (one per table) on a busy
    # machine, once with the seed pinned: timing decides whether its programs share a millisecond.
    "gt_filter.js": {"sync.stateful"},
}


def test_every_check_is_shown_failing_by_some_broken_js_connector():
    shown = {check_id for failures in EXPECTED.values() for check_id in failures}
    assert shown == {check.id for check in CHECKS}


# The connectors that hang forever; every other one runs with the default per-call timeout.
HANGING = ("hangs_on_get.js",)


@pytest.mark.parametrize("connector", sorted(EXPECTED))
@pytest.mark.usefixtures("pinned_hypothesis_seed")
def test_broken_js_connector_fails_exactly_its_checks_for_the_right_reason(connector):
    assert_fails_exactly(
        BROKEN_JS / connector,
        EXPECTED[connector],
        hangs=connector in HANGING,
        may_also_fail=MAY_ALSO_FAIL.get(connector, ()),
    )


def test_the_js_example_passes_every_check():
    outcomes = run_all(EXAMPLE_JS, examples=25)
    assert {cid: o.status for cid, o in outcomes.items()} == {c.id: "passed" for c in CHECKS}


def test_a_reproduction_spells_the_methods_as_the_js_module_does():
    outcome = run_one(BROKEN_JS / "entires.js", "updates.shape")
    assert outcome.status == "failed"
    assert "getUpdates(null)" in outcome.script and "get_updates(" not in outcome.script
    assert outcome.message.startswith("getUpdates(null)")
