"""sync.stateful: a failure is a short, readable program of connector calls, and replays."""

import builtins
import re

import pytest
from hypothesis.errors import FlakyFailure
from hypothesis.reporting import report

from conformance.checks.machine import Hung
from conformance.checks.stateful import _finding_in, _shrink_budget
from conformance.errors import ConnectorCallError
from tests.helpers import BROKEN, EXAMPLE, HANG_TIMEOUT, ROOT, run_one

STATEFUL = "sync.stateful"
GROUP = (
    getattr(builtins, "BaseExceptionGroup", None)
    or pytest.importorskip("exceptiongroup").BaseExceptionGroup
)


@pytest.fixture(scope="module")
def lost_deletion():
    # shrink_seconds=None: hypothesis' own shrinking limit, so how small the program gets does
    # not depend on how much shrinking fits into a few seconds on a busy machine.
    outcome = run_one(
        BROKEN / "updates_without_deletes.py",
        STATEFUL,
        examples=60,
        shrink_seconds=None,
    )
    assert outcome.status == "failed", outcome.render()
    return outcome


def test_failure_names_what_the_other_side_holds_wrongly(lost_deletion):
    assert "the deletion never reached the other side" in lost_deletion.message
    assert lost_deletion.suffers


def test_failure_script_is_the_shrunk_sequence_of_calls_and_world_events(lost_deletion):
    lines = lost_deletion.script.splitlines()
    assert lines[0].startswith('init("<account.json>")')
    assert any(line.startswith(("delete(", "# another client deletes")) for line in lines)
    assert "# final sync: getUpdates until a batch comes back empty" in lines
    calls = [line for line in lines if not line.startswith("#")]
    assert len(calls) <= 12, "hypothesis shrinks the program to a handful of calls"


def test_failure_carries_hypothesis_program_and_a_replay_blob(lost_deletion):
    assert "Hypothesis' minimal program" in lost_deletion.message
    assert "state.teardown()" in lost_deletion.message
    assert re.search(r"--connector-replay=\S+", lost_deletion.message)


def test_the_blob_replays_the_failure(lost_deletion):
    blob = re.search(r"--connector-replay=(\S+)", lost_deletion.message).group(1)
    again = run_one(BROKEN / "updates_without_deletes.py", STATEFUL, stateful_blob=blob)
    assert again.status == "failed", again.render()
    assert "the deletion never reached the other side" in again.message


def test_a_replay_that_no_longer_fails_passes(lost_deletion):
    blob = re.search(r"--connector-replay=(\S+)", lost_deletion.message).group(1)
    assert run_one(EXAMPLE, STATEFUL, stateful_blob=blob).status == "passed"


def test_a_blob_that_does_not_fit_is_an_input_error():
    outcome = run_one(EXAMPLE, STATEFUL, stateful_blob="not-a-blob")
    assert outcome.status == "error"
    assert "--connector-replay" in outcome.message


def test_example_connector_passes_without_warnings():
    outcome = run_one(EXAMPLE, STATEFUL, examples=20)
    assert (outcome.status, outcome.warnings) == ("passed", [])


def test_bounded_redelivery_is_a_warning():
    outcome = run_one(BROKEN / "updates_lagging_token.py", STATEFUL, examples=20)
    assert outcome.status == "warned"
    assert "bounded re-delivery" in outcome.message


def test_profiles_and_strict_through_the_plugin(pytester):
    lagging = str(BROKEN / "updates_lagging_token.py")
    args = ["-p", "no:cacheprovider", f"--connector={lagging}", "-k", STATEFUL]
    result = pytester.runpytest(*args, "--connector-profile=thorough", "--connector-examples=3")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*conformance warnings*", "*bounded re-delivery*"])
    strict = pytester.runpytest(*args, "--connector-examples=3", "--connector-strict")
    strict.assert_outcomes(failed=1)
    bad = pytester.runpytest(*args, "--connector-profile=slow")
    assert bad.ret != 0
    bad.stderr.fnmatch_lines(["*invalid choice*slow*"])


def test_a_call_that_hangs_after_a_failure_is_still_a_finding():
    """The first example fails; the next run (shrinking) hangs at its first call. Hypothesis then
    raises FlakyStrategyDefinition ("stopped drawing earlier") while handling the hang: the
    check must see the hang through it, not end in a harness error."""
    hostile = ROOT / "tests" / "connectors" / "hostile" / "fails_then_hangs.py"
    outcome = run_one(hostile, STATEFUL, timeout=HANG_TIMEOUT)
    assert outcome.status == "failed", outcome.render()
    assert f"did not return within {HANG_TIMEOUT:g} s" in outcome.message


@pytest.mark.parametrize(
    "raised",
    [
        lambda hung: FlakyFailure("inconsistent", [ValueError("x"), hung]),  # wrapped by it
        lambda hung: GROUP("two failures", [ValueError("x"), hung]),
        lambda hung: hung,
    ],
)
def test_a_hung_call_is_found_however_hypothesis_hands_it_back(raised):
    hung = Hung(ConnectorCallError("get(1)", "did not return within 1 s", timed_out=True))
    assert _finding_in(raised(hung)) is hung


def test_a_program_cut_short_by_the_shrinking_budget_says_so_and_hypothesis_stays_quiet(capsys):
    """shrink_seconds=0: the budget runs out at hypothesis' first shrink attempt, whatever the
    machine's load. Hypothesis' own words for that are about its 5-minute limit and ask the user
    to report a bug to it; the report says instead that a smaller program may fail too."""
    outcome = run_one(
        BROKEN / "updates_without_deletes.py", STATEFUL, examples=60, shrink_seconds=0
    )
    assert outcome.status == "failed", outcome.render()
    assert "the deletion never reached the other side" in outcome.message
    assert "Hypothesis' smallest program when shrinking stopped at its time budget (0 s" in (
        outcome.message
    )
    assert "minimal program" not in outcome.message
    assert re.search(r"--connector-replay=\S+", outcome.message), "the blob still replays it"
    printed = capsys.readouterr()
    assert "PLEASE REPORT" not in printed.out + printed.err


def test_the_budget_keeps_hypothesis_seed_advice_and_passes_its_other_reports_on(capsys):
    """The suite's derandomized profile never draws a seed, so hypothesis' "@seed(...) to this
    test" advice (its words, 6.x) only shows in a user's randomized run: judged here directly."""
    advice = (
        "\nThis test function exited early because it took too long to shrink. If desired for "
        "debugging, you can reproduce this by adding @seed(1) to this test."
    )
    with _shrink_budget(5.0) as budget:
        report(advice)
        report("Trying example: state.sync()")
    assert not budget.expired, "only the slow-shrinking warning says the budget ran out"
    assert capsys.readouterr().out == "Trying example: state.sync()\n"
