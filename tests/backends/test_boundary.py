"""Nothing escapes silently: traffic around the harness, calls that never reach the API, and
recordings of nothing are errors, in every mode and both Python isolations."""

import json

import pytest

from conformance.backends.base import BaseBackend
from conformance.backends.guard import LiveSafetyError
from conformance.checks.api import Check
from conformance.connector.load import load_connector
from conformance.errors import InputError
from conformance.http.pipeline import Pipeline, use
from conformance.options import ISOLATION_ENV
from conformance.outcome import Outcome, Status
from conformance.runner import Options, _run_on, _Unjudged
from tests.helpers import ROOT, run_one

BOUNDARY = ROOT / "tests" / "connectors" / "boundary"
ISOLATIONS = ["process", "inline"]


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_raw_socket_insert_makes_the_check_an_error_naming_the_connection(monkeypatch, isolation):
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    outcome = run_one(BOUNDARY / "raw_socket_insert.py", "errors.invalid-insert", examples=3)
    assert outcome.status is Status.ERROR, outcome.message
    assert outcome.message.startswith(
        "errors.invalid-insert cannot be judged: the connector opened a connection to "
        "api.cats.test:443 that no routed HTTP client made"
    )
    assert "send it with a routed HTTP client" in outcome.message


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_calls_that_never_reach_the_api_make_a_passing_check_an_error(monkeypatch, isolation):
    """errors.invalid-insert passes when every insert fails to connect: it proved nothing."""
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    outcome = run_one(BOUNDARY / "ignores_base_url.py", "errors.invalid-insert", examples=3)
    assert outcome.status is Status.ERROR, outcome.message
    assert outcome.message.startswith(
        "none of the connector's "
    ) and "request(s) reached the API, so errors.invalid-insert proved nothing" in (outcome.message)
    assert "https://api.cats.example/cats is not the mock API's address" in outcome.message


def test_the_correct_twins_still_pass():
    for check in ("errors.invalid-insert", "crud.round-trip"):
        outcome = run_one(BOUNDARY / "correct.py", check, examples=3)
        assert outcome.status is Status.PASSED, outcome.message


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_recording_a_connector_that_sends_nothing_is_an_error_and_saves_nothing(
    monkeypatch, tmp_path, isolation
):
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    cassettes = tmp_path / "cassettes"
    outcome = run_one(
        BOUNDARY / "answers_from_memory.py",
        "crud.round-trip",
        examples=3,
        mode="record",
        cassette_dir=str(cassettes),
    )
    assert outcome.status is Status.ERROR, outcome.message
    assert outcome.message.startswith("record: crud.round-trip recorded no interaction: ")
    assert not list(cassettes.glob("*.json")), "no green cassette of nothing"


class Blaming(BaseBackend):
    """A backend that, like the real ones, calls a LiveSafetyError a harness bug."""

    name = "blaming"

    def explain(self, check, problem):
        if isinstance(problem, LiveSafetyError):
            raise InputError(f"{check.id}: {problem} (a harness bug: please report it)")
        return ""


def test_an_escaped_request_wins_over_the_harness_bug_diagnosis():
    """A client that bypassed the harness made the check touch an id it did not create: the
    message names the bypass, not a harness bug."""
    spec = load_connector(str(BOUNDARY / "correct.py"))

    def escaping(ctx):
        from conformance.http.pipeline import current

        current().escaped(
            "the connector opened a connection to api.test:443 that no routed HTTP client made"
        )
        raise LiveSafetyError("refused to read 'x': the harness did not create it")

    check = Check(id="sync.stateful", title="t", suffers="s", run=escaping)
    outcome = Outcome(name="n", check=check.id, status=Status.PASSED, mode="replay")
    with use(Pipeline([], lambda request: None, offline=True)), pytest.raises(_Unjudged):
        _run_on(Blaming(spec, Options(), {}), check, spec, Options(), outcome)
    assert outcome.status is Status.ERROR
    assert outcome.message.startswith("sync.stateful cannot be judged: the connector opened")
    assert "harness bug" not in outcome.message


def test_the_unrouted_event_of_a_worker_reaches_the_active_pipeline():
    """The worker protocol's `unrouted` event (docs/runtimes.md), as the NodeJS bridge sends it."""
    from conformance.runtime.remote import serve

    message = {"op": "unrouted", "scope": 3, "message": "a connection to 10.0.0.1:80"}
    with use(Pipeline([], lambda request: None, offline=True)) as pipeline:
        serve(None, json.loads(json.dumps(message)))
    assert pipeline.escapes == ["a connection to 10.0.0.1:80"]


def test_a_nodejs_raw_socket_insert_is_an_error_too():
    """The bridge refuses the socket and sends the same `unrouted` event as the Python worker:
    the check cannot pass on a refused connection the module swallowed."""
    connector = ROOT / "tests" / "connectors" / "boundary_js" / "raw_socket_insert.js"
    outcome = run_one(connector, "errors.invalid-insert", examples=3)
    assert outcome.status is Status.ERROR, outcome.message
    assert outcome.message.startswith("errors.invalid-insert cannot be judged: ")
    assert "api.cats.test:443" in outcome.message and "does not route" in outcome.message
