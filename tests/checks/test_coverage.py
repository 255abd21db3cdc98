"""Every verdict says what it rests on; a pass that exercised nothing says so; strict fails it."""

from conformance.checks.api import check
from conformance.connector.load import load_connector
from conformance.outcome import Outcome, ReportRow, Status
from conformance.runner import Options, run_check
from tests.helpers import BROKEN, EXAMPLE, run_one


@check("test.hollow", title="expects pages, crosses none", suffers="nothing")
def hollow(ctx):
    ctx.expect("pages crossed", "the API never served a second page")


@check("test.paging", title="expects pages, counts one", suffers="nothing")
def paging(ctx):
    ctx.expect("pages crossed", "the API never served a second page")
    ctx.count("pages crossed")


def test_a_pass_that_never_exercised_its_property_says_so_and_fails_only_when_strict():
    outcome = run_check(hollow, load_connector(str(EXAMPLE)), Options())
    assert outcome.status is Status.PASSED
    assert outcome.not_exercised == ["pages crossed (the API never served a second page)"]
    assert "NOT EXERCISED: pages crossed" in outcome.coverage_line()
    assert not outcome.fails_run(strict=False)
    assert outcome.fails_run(strict=True)


def test_a_pass_that_exercised_its_property_carries_the_count_and_no_gap():
    outcome = run_check(paging, load_connector(str(EXAMPLE)), Options())
    assert outcome.coverage["pages crossed"] >= 1
    assert outcome.not_exercised == []
    assert not outcome.fails_run(strict=True)


def test_the_mock_counts_pages_crossed_deletions_ties_and_faults():
    assert run_one(EXAMPLE, "faults.pagination").coverage["pages crossed"] >= 3
    assert run_one(EXAMPLE, "updates.progression").coverage["deletions seen"] >= 10
    assert run_one(EXAMPLE, "faults.same-millisecond").coverage["same-ms ties"] >= 2
    assert run_one(EXAMPLE, "faults.auth").coverage["faults injected"] == 5
    assert run_one(EXAMPLE, "crud.round-trip", examples=5).coverage["examples"] == 6  # +1 first


def test_re_deliveries_are_counted():
    outcome = run_one(BROKEN / "updates_lagging_token.py", "updates.progression")
    assert outcome.coverage["re-deliveries"] >= 1


def test_a_failure_shows_its_coverage_and_claims_no_gap():
    outcome = run_one(BROKEN / "updates_token_resets_when_quiet.py", "updates.progression")
    assert outcome.status is Status.FAILED
    assert outcome.not_exercised == []
    assert "coverage:" in outcome.render()


def test_the_report_keeps_coverage_under_one_new_key_and_reads_it_back():
    outcome = Outcome(
        "cats",
        "updates.progression",
        Status.PASSED,
        coverage={"examples": 3, "pages crossed": 0},
        not_exercised=["pages crossed (why)"],
    )
    data = ReportRow(outcome, "examples/cats").to_json()
    assert data["coverage"] == {
        "counts": {"examples": 3, "pages crossed": 0},
        "not_exercised": ["pages crossed (why)"],
    }
    back = ReportRow.from_json(data).outcome
    assert (back.coverage, back.not_exercised) == (outcome.coverage, outcome.not_exercised)


def test_a_run_of_identical_calls_is_one_line_with_its_count():
    from conformance.checks.api import Context
    from conformance.runtime.session import Call

    ctx = Context(spec=None, backend=None)  # type: ignore[arg-type]
    ctx.calls[:] = [Call("insert", ({"a": 1},), "-> {}")] + [Call("get", ("x",), "-> null")] * 21
    assert ctx.script().splitlines() == [
        'insert({"a": 1})  # -> {}',
        'get("x")  # -> null  (× 21: the same call and answer 21 times in a row)',
    ]
