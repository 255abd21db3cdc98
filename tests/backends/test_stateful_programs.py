"""sync.stateful's programs in cassettes, without a mock or a server: recorded as drawn, checked
against the machine when replayed, run again without hypothesis, the last failure reported."""

import json

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, rule

from conformance.backends.draws import RecordedDraws, ReplayedDraws
from conformance.checks.programs import replay_programs, rules_of
from conformance.errors import InputError

WHERE = "cassettes/kinto/sync.stateful.json"
RERECORD = "pytest --connector=examples/kinto --connector-mode=record -k sync.stateful"
RULES = {"start": {"record"}, "patch": {"id", "change"}, "sync": set()}


def replayed(items):
    """What a replay hands the machine, after the cassette's JSON round trip."""
    return ReplayedDraws(json.loads(json.dumps(items)), WHERE, RERECORD)


def test_recorded_programs_replay_as_written_rules_and_arguments_in_order():
    draws = RecordedDraws()
    draws.start_programs()
    for title in ("a", "b"):
        draws.start_program()
        assert draws.step("start", {"record": {"title": title, "tags": ("x",)}}) == {
            "record": {"title": title, "tags": ["x"]}
        }, "the rule gets the JSON value it would get on replay"
        draws.step("patch", {"id": f"id-{title}", "change": {"done": True}})
        draws.step("sync", {})
    programs = replayed(draws.items).programs(RULES)
    assert programs == [
        [
            {"rule": "start", "args": {"record": {"title": t, "tags": ["x"]}}},
            {"rule": "patch", "args": {"id": f"id-{t}", "change": {"done": True}}},
            {"rule": "sync", "args": {}},
        ]
        for t in ("a", "b")
    ]


@pytest.mark.parametrize(
    ("items", "says"),
    [
        ([{"programs": "not a list"}], "malformed programs"),
        ([{"programs": [[{"rule": "sync"}]]}], 'program 1: malformed step {"rule": "sync"}'),
        ([{"programs": [[], [["sync", {}]]]}], "program 2: malformed step"),
        ([{"forall": []}], "asked for 'programs' where the cassette recorded 'forall'"),
        ([], "drew more inputs than the cassette holds"),
    ],
)
def test_a_malformed_cassette_is_one_error_naming_it_and_the_rerecord_command(items, says):
    with pytest.raises(InputError) as error:
        replayed(items).programs(RULES)
    assert says in str(error.value)
    assert str(error.value).startswith(WHERE)
    assert str(error.value).endswith(f"re-record with `{RERECORD}`")


def test_a_rule_the_machine_no_longer_has_is_named_with_the_rules_it_has():
    items = [{"programs": [[{"rule": "start", "args": {"record": {}}}, {"rule": "t", "args": {}}]]}]
    with pytest.raises(InputError) as error:
        replayed(items).programs(RULES)
    assert str(error.value) == (
        f"{WHERE}: program 1 runs the rule 't', which the check no longer has (it has patch, "
        f"start, sync); re-record with `{RERECORD}`"
    )


def test_a_rule_whose_arguments_changed_cannot_replay():
    items = [{"programs": [[{"rule": "patch", "args": {"id": "x", "fields": {}}}]]}]
    with pytest.raises(InputError) as error:
        replayed(items).programs(RULES)
    assert "calls patch with arguments ['fields', 'id'], where the check's rule takes " in str(
        error.value
    )


class Ledger(RuleBasedStateMachine):
    """A machine whose rules log what they were called with; `patch` of "bad" fails."""

    log: list = []
    items = Bundle("items")

    def __init__(self):
        super().__init__()
        self.log.append("new")

    @initialize(target=items, name=st.text())
    def start(self, name):
        self.log.append(("start", name))
        return f"id-{name}"

    @rule(id=items, change=st.dictionaries(st.text(), st.integers()))
    def patch(self, id, change):
        self.log.append(("patch", id, change))
        if change.get("bad"):
            raise AssertionError(f"patch of {id} lost")

    @rule(id=consumes(items))
    def delete(self, id):
        self.log.append(("delete", id))

    def teardown(self):
        self.log.append("teardown")


def program(name, bad):
    return [
        {"rule": "start", "args": {"name": name}},
        {"rule": "patch", "args": {"id": f"id-{name}", "change": {"bad": bad}}},
        {"rule": "delete", "args": {"id": f"id-{name}"}},
    ]


def test_the_machine_s_rules_and_their_arguments_are_what_a_cassette_is_checked_against():
    assert rules_of(Ledger) == {
        "start": frozenset({"name"}),
        "patch": frozenset({"id", "change"}),
        "delete": frozenset({"id"}),
    }


def test_every_program_runs_and_tears_down_and_the_last_failure_is_the_finding():
    Ledger.log = []
    calls = []
    found, flaky = replay_programs(
        Ledger, [program("a", 1), program("b", 0), program("c", 1)], calls
    )
    assert Ledger.log == [
        "new", ("start", "a"), ("patch", "id-a", {"bad": 1}), "teardown",
        "new", ("start", "b"), ("patch", "id-b", {"bad": 0}), ("delete", "id-b"), "teardown",
        "new", ("start", "c"), ("patch", "id-c", {"bad": 1}), "teardown",
    ]  # fmt: skip
    assert str(found.error) == "patch of id-c lost"
    assert not flaky
    # listed as hypothesis lists it on the mock: ids a rule returned go by their bundle name
    assert found.program == [
        "state = Ledger()",
        "items_0 = state.start(name='c')",
        "state.patch(id=items_0, change={'bad': 1})",
        "state.teardown()",
    ]


def test_a_recording_whose_last_program_passed_replays_as_timing_dependent():
    Ledger.log = []
    found, flaky = replay_programs(Ledger, [program("a", 1), program("a", 0)], [])
    assert str(found.error) == "patch of id-a lost"
    assert flaky, "hypothesis saw it fail, then pass on its final replay: FlakyFailure"


def test_programs_that_all_pass_find_nothing():
    Ledger.log = []
    assert replay_programs(Ledger, [program("a", 0)], []) == (None, False)
