"""The run API: a front end learns of every check through events, in order, with its outcome."""

from conformance.checks import BY_ID
from conformance.connector.load import load_connector
from conformance.options import Options
from conformance.run import CheckFinished, CheckStarted, RunFinished, RunStarted, run_checks
from tests.helpers import EXAMPLE


def test_events_bracket_each_check_and_the_run_and_carry_the_outcomes():
    spec = load_connector(str(EXAMPLE))
    checks = [BY_ID["interface"], BY_ID["crud.round-trip"]]
    seen = []
    finished = run_checks(spec, checks, Options(examples=3), handlers=[seen.append])
    assert [type(e) for e in seen] == [
        RunStarted, CheckStarted, CheckFinished, CheckStarted, CheckFinished, RunFinished
    ]  # fmt: skip
    assert seen[0] == RunStarted("cats", ("interface", "crud.round-trip"))
    assert [e.check for e in seen if isinstance(e, CheckStarted)] == [c.id for c in checks]
    outcomes = [e.outcome for e in seen if isinstance(e, CheckFinished)]
    assert [(o.check, o.status) for o in outcomes] == [
        ("interface", "passed"),
        ("crud.round-trip", "passed"),
    ]
    assert seen[-1] is finished and finished.outcomes == tuple(outcomes)


def test_every_handler_hears_every_event():
    spec = load_connector(str(EXAMPLE))
    first, second = [], []
    run_checks(
        spec, [BY_ID["interface"]], Options(examples=3), handlers=[first.append, second.append]
    )
    assert first == second and len(first) == 4
