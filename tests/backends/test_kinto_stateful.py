"""sync.stateful from cassettes, against a real Kinto server the tests start themselves: the
programs hypothesis ran are recorded, and replayed offline without hypothesis.

Bounded in time: few examples and steps, a short consistency budget. `--hypothesis-seed` fixes
the programs drawn, so the broken connectors' defects are met on every run (50 rules drawn, a
sixth of them deletes, as many patches); the same failure replays because the recording holds
every program.
"""

import json

import pytest

from conformance.backends.leftovers import ledger_dir
from conformance.checks import BY_ID, CHECKS
from conformance.connector.load import load_connector
from conformance.runner import Options, run_check
from tests.backends.test_kinto_live import BROKEN, collection, copy, offline

STATEFUL = ["-k", "sync.stateful", "-p", "no:cacheprovider", "--connector-consistency=0.5"]
SMALL = ["--connector-examples=5", "--connector-steps=10", "--hypothesis-seed=0"]


def both(pytester, target, cassettes, *args):
    """Record against the server, then replay offline (the account at a closed port)."""
    common = [f"--connector={target}", f"--cassette-dir={cassettes}", *STATEFUL, *SMALL, *args]
    recorded = pytester.runpytest(*common, "--connector-mode=record")
    offline(target if target.is_dir() else target.parent)
    replayed = pytester.runpytest(*common, "--connector-mode=replay")
    return recorded, replayed


def test_the_kinto_example_records_and_replays_sync_stateful_offline(kinto, tmp_path):
    name = collection()
    folder = copy(kinto, tmp_path, collection=name)
    spec = load_connector(str(folder))
    options = dict(examples=5, steps=10, consistency=0.5, cassette_dir=str(tmp_path / "c"))
    recorded = run_check(BY_ID["sync.stateful"], spec, Options(mode="record", **options))
    assert recorded.status == "passed", recorded.render()
    cassette = tmp_path / "c" / "sync.stateful.json"
    # the guard's guarantees hold while recording: marked records only, all of them deleted
    assert recorded.coverage["live records created"] > 0
    assert recorded.coverage["live records cleaned"] == recorded.coverage["live records created"]
    assert kinto.records(name) == []
    assert not list(ledger_dir(spec).glob("*.json")), "no ledger left for a later cleanup"
    inserts = [
        i
        for i in json.loads(cassette.read_text())["interactions"]
        if i["request"]["method"] == "POST"
    ]
    assert inserts and all("conformance-run-" in i["request"]["body"] for i in inserts)
    offline(folder)
    spec = load_connector(str(folder))
    replayed = run_check(BY_ID["sync.stateful"], spec, Options(mode="replay", **options))
    assert replayed.status == "passed", replayed.render()
    # the same programs, the same calls: the same examples, pages and live records counted
    assert recorded.coverage["examples"] >= 5, "hypothesis may run a few more than asked"
    assert replayed.coverage == recorded.coverage
    assert replayed.not_exercised == recorded.not_exercised

    # a cassette whose programs name a rule the check no longer has: one clear error
    data = json.loads(cassette.read_text())
    data["draws"][0]["programs"][0][0]["rule"] = "begin"
    cassette.write_text(json.dumps(data))
    mismatch = run_check(BY_ID["sync.stateful"], spec, Options(mode="replay", **options))
    assert mismatch.status == "error"
    assert mismatch.message.startswith(f"{cassette}: program 1 runs the rule 'begin', which the ")
    assert "re-record with `pytest --connector=" in mismatch.message
    assert "Traceback" not in mismatch.message


@pytest.mark.parametrize(
    ("connector", "reason"),
    [
        ("drops_tombstones.py", "the deletion never reached the other side"),
        # in a `read` during the program, or at the end: where the shrunk program meets it
        ("patch_via_put.py", "(does not hold what the acknowledged|did not take effect)"),
    ],
)
def test_a_broken_kinto_connector_fails_sync_stateful_on_record_and_the_same_on_replay(
    kinto, pytester, tmp_path, connector, reason
):
    folder = copy(kinto, pytester.path, source=BROKEN)
    recorded, replayed = both(pytester, folder / connector, tmp_path / "cassettes")
    recorded.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    replayed.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    recorded.stdout.re_match_lines([f".*{reason}"])
    replayed.stdout.re_match_lines(
        [f".*{reason}", ".*The minimal program, replayed from the cassette", r".*state\.teardown"]
    )
    assert calls(replayed) == calls(recorded), "the same minimal program makes the same calls"


def calls(result) -> str:
    """The failure's reproduction and coverage line (hypothesis may print more after it)."""
    calls, coverage = result.stdout.str().split("Reproduce with")[1].split("coverage:", 1)
    return calls + "coverage:" + coverage.split("\n")[0]
