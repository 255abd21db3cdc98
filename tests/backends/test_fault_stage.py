"""The fault stage, the recorder and the replay tape together, without a server: what is staged
is never sent, is recorded marked, and is staged again (not read from the tape) on replay."""

import json

import pytest

from conformance.backends.pages import Pager
from conformance.errors import InputError
from conformance.http.faults import FaultStage
from conformance.http.message import HttpFailure, Request, Response
from conformance.http.pipeline import Pipeline
from conformance.http.tape import Recorder, Tape
from conformance.recording.cassette import (
    Cassette,
    load_cassette,
    save_cassette,
    scrub_interactions,
)

URL = "https://api.example/records"


class Server:
    """A terminal that counts what reached it."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, request: Request) -> Response:
        self.seen.append(f"{request.method} {request.url}")
        return Response(200, [("Content-Type", "application/json")], b'{"data": []}', "live")


def test_an_injected_answer_is_never_sent_and_is_recorded_marked():
    faults, server, recorder = FaultStage(), Server(), Recorder()
    pipeline = Pipeline([recorder, faults], server, offline=False)
    faults.answer(429, retry_after="0")
    answered = pipeline.send(Request("GET", URL))
    assert (answered.status, answered.header("Retry-After"), answered.source) == (
        429,
        "0",
        "injected",
    )
    assert server.seen == [], "an injected answer never reaches the API"
    assert pipeline.send(Request("GET", URL)).status == 200, "armed for one request only"
    marks = [response.get("injected", False) for _, response in recorder.exchanges()]
    assert marks == [True, False]
    stored = scrub_interactions(recorder.exchanges(), {})
    assert [i.get("injected", False) for i in stored] == [True, False]


def test_replay_stages_the_injected_answer_again_and_the_tape_answers_the_rest():
    recorder = Recorder()
    faults = FaultStage()
    live = Pipeline([recorder, faults], Server(), offline=False)
    faults.answer(503, times=None)
    live.send(Request("GET", URL))
    faults.clear()
    live.send(Request("GET", URL))
    tape = Tape(scrub_interactions(recorder.exchanges(), {}))
    replay_faults = FaultStage()
    replay = Pipeline([replay_faults], tape, offline=True, in_memory=True)
    replay_faults.answer(503, times=None)
    assert replay.send(Request("GET", URL)).status == 503
    replay_faults.clear()
    assert replay.send(Request("GET", URL)).status == 200
    assert tape.misses == [] and tape.played == 1, "the injected one is not on the tape's queue"


def test_a_reset_is_a_transport_failure_and_a_hold_runs_its_action_unstaged():
    faults, server = FaultStage(), Server()
    pipeline = Pipeline([faults], server, offline=False)
    faults.reset()
    with pytest.raises(HttpFailure) as failure:
        pipeline.send(Request("GET", URL))
    assert failure.value.code == "ECONNRESET" and "staged by the harness" in failure.value.message
    order: list[str] = []

    def meanwhile(request: Request, response: Response) -> None:
        order.append("held")
        faults.answer(500)  # armed again, but the action's own request passes untouched
        order.append(str(pipeline.send(Request("POST", URL)).status))

    faults.hold(meanwhile)
    assert pipeline.in_memory is False
    assert pipeline.send(Request("GET", URL)).status == 200
    assert order == ["held", "200"] and faults.held == 1
    assert server.seen == [f"GET {URL}", f"POST {URL}"]
    with faults.suspended():
        assert pipeline.send(Request("GET", URL)).status == 200, "suspended: nothing staged"
    assert pipeline.send(Request("GET", URL)).status == 500


def test_a_cassette_whose_injected_mark_is_not_a_boolean_is_refused(tmp_path):
    path = tmp_path / "faults.auth.json"
    interaction = {
        "request": {"method": "GET", "url": URL, "headers": {}, "body": ""},
        "response": {"status": 401, "headers": {}, "body": ""},
        "injected": "yes",
    }
    save_cassette(path, Cassette("c", "v1", "faults.auth", 0.0, interactions=[interaction]))
    with pytest.raises(InputError, match="injected"):
        load_cassette(path, connector="c", version="v1", target="c")
    interaction["injected"] = True
    path.write_text(json.dumps({**json.loads(path.read_text()), "interactions": [interaction]}))
    assert load_cassette(path, connector="c", version="v1", target="c").interactions[0]["injected"]


@pytest.mark.parametrize(
    ("query", "taken"),
    [("_sort=x&_limit=100", "_limit"), ("per_page=50", "per_page"), ("%24top=20", "$top"),
     ("count=true&limit=10", "limit"), ("q=a", None)],
)  # fmt: skip
def test_a_common_page_size_parameter_is_taken_as_if_named(query, taken):
    pager = Pager(None, guess_size=1)
    request = Request("GET", f"{URL}?{query}")
    pager.outgoing(request)
    assert pager.guessed == taken
    if taken:
        assert pager.page is not None and pager.page.size == 1
        assert f"{taken}=1" in request.url.replace("%24", "$")
        assert "guess_page_size = false" in next(iter(pager.coverage()))
    else:
        assert pager.coverage() == {} and request.url == f"{URL}?{query}"


def test_an_explicit_setting_wins_and_no_guess_without_one():
    from conformance.backends.pages import PageSize

    pager = Pager(PageSize("size", 2), guess_size=1)
    pager.outgoing(Request("GET", f"{URL}?limit=100&size=9"))
    assert pager.guessed is None and pager.page == PageSize("size", 2)
    off = Pager(None)
    off.outgoing(Request("GET", f"{URL}?limit=100"))
    assert off.page is None
