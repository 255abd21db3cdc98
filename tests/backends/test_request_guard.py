"""The request guard step (backends/request_guard.py), driven through a real Pipeline with an
API stand-in as its terminal: which ids it learns, where it looks, what it refuses."""

import json

import pytest

from conformance.backends.guard import LiveGuard
from conformance.backends.request_guard import RequestGuard, ids_in, url_names
from conformance.connector.contract import Entry, Updates
from conformance.connector.load import load_connector
from conformance.http.message import HttpFailure, Request, Response
from conformance.http.pipeline import Pipeline
from tests.helpers import ROOT

BASE = "https://api.test/v1/records"
FOREIGN = "rec-customer"


class Api:
    """Answers a listing with a customer's record, creates with a new id, echoes the rest."""

    def __init__(self):
        self.received: list[str] = []

    def __call__(self, request: Request) -> Response:
        self.received.append(f"{request.method} {request.url}")
        if request.method == "GET" and request.url.split("?")[0] == BASE:
            return _json({"data": [{"id": FOREIGN, "owner_id": "u-7", "title": "t"}]})
        if request.method == "POST":
            return _json({"data": {"id": "rec-new", "parentId": "rec-parent"}})
        return _json({"data": {"id": request.url.rsplit("/", 1)[-1]}})


def _json(value) -> Response:
    return Response(200, [("content-type", "application/json")], json.dumps(value).encode())


@pytest.fixture
def setup():
    spec = load_connector(str(ROOT / "examples" / "kinto"))
    guard = LiveGuard(spec, check="x", attempts=1, pause=0)
    step = RequestGuard(guard)
    api = Api()
    return guard, step, api, Pipeline([step], api, offline=False)


def send(pipeline, method, url, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    return pipeline.send(Request(method, url, body=data))


def test_ids_are_the_values_of_id_like_fields_anywhere_in_the_answer():
    answer = {"data": [{"id": "a", "title": "id"}, {"_id": 7, "user_id": "u", "parentId": "p"}]}
    assert sorted(ids_in(answer)) == ["7", "a", "p", "u"]
    assert list(ids_in({"identity": "x", "valid": True, "id": True, "title": "b"})) == []


def test_url_names_are_decoded_path_segments_and_query_values():
    segments, values = url_names(f"{BASE}/rec%2Dx?filter={FOREIGN}&limit=5")
    assert segments == ["v1", "records", "rec-x"]
    assert url_names("https://dav.test/book/uid-1.vcf")[0] == ["book", "uid-1.vcf", "uid-1"]
    assert values == [FOREIGN, "5"]


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "PUT", "POST"])
def test_a_write_naming_a_seen_foreign_id_in_its_path_is_refused_and_not_sent(setup, method):
    guard, step, api, pipeline = setup
    send(pipeline, "GET", BASE)
    with pytest.raises(HttpFailure, match=f"names '{FOREIGN}', a record this run did not create"):
        send(pipeline, method, f"{BASE}/{FOREIGN}")
    assert f"{method} {BASE}/{FOREIGN}" not in api.received, "refused, not sent"
    assert step.refused == [f"{method} {BASE}/{FOREIGN}"]
    assert pipeline.failures == [], "a refusal is the step's, not a failure of the API"


def test_a_foreign_id_in_a_query_value_is_refused_too(setup):
    _, step, api, pipeline = setup
    send(pipeline, "GET", BASE)
    with pytest.raises(HttpFailure) as refused:
        send(pipeline, "DELETE", f"{BASE}?id={FOREIGN}")
    assert refused.value.kind == "blocked"
    assert step.refused == [f"DELETE {BASE}?id={FOREIGN}"]


def test_reads_of_foreign_ids_pass_and_a_body_mentioning_one_is_only_a_warning(setup):
    _, step, api, pipeline = setup
    send(pipeline, "GET", BASE)
    send(pipeline, "GET", f"{BASE}/{FOREIGN}")
    send(pipeline, "POST", BASE, {"data": {"title": "x", "relatedTo": FOREIGN}})
    assert step.refused == []
    assert api.received[-1] == f"POST {BASE}"
    assert step.warnings == [
        f"POST {BASE} mentions '{FOREIGN}' in its body, a record this run did not create "
        "(sent anyway: a body may reference other records)"
    ]


def test_own_ids_probes_and_ids_born_in_a_write_answer_may_be_written(setup):
    guard, step, api, pipeline = setup
    send(pipeline, "POST", BASE, {"data": {"title": "x"}})  # answers rec-new, parentId rec-parent
    send(pipeline, "GET", BASE)
    send(pipeline, "PATCH", f"{BASE}/rec-new")  # created by this run, not yet on the ledger
    guard.created["rec-own"] = None
    guard.seen.add("rec-own")
    send(pipeline, "DELETE", f"{BASE}/rec-own")
    probe = guard.probe_id("never-existed")
    guard.seen.add(probe)
    send(pipeline, "DELETE", f"{BASE}/{probe}")
    assert step.refused == []


def test_ids_never_seen_are_not_protected(setup):
    """The documented limit: an id the run never saw (hard-coded, say) is written."""
    _, step, api, pipeline = setup
    send(pipeline, "DELETE", f"{BASE}/hard-coded-id")
    assert step.refused == [] and api.received == [f"DELETE {BASE}/hard-coded-id"]


def test_an_answer_naming_the_record_its_url_names_teaches_nothing(setup):
    """GET /buckets/default answers id "default": a container, written through, not a record."""
    guard, step, api, pipeline = setup
    send(pipeline, "GET", "https://api.test/v1/buckets/default")
    assert "default" not in guard.seen
    send(pipeline, "POST", "https://api.test/v1/buckets/default/collections/c/records")
    assert step.refused == []


def test_get_updates_results_teach_the_ids_they_report_whatever_the_api_format(setup):
    guard, step, api, pipeline = setup

    class Connector:
        calls: list = []
        timeout = 1

        def get_updates(self, last_sync):
            return Updates(next_sync=None, entries=(Entry("xml-only-id", "upsert", {}),))

    guard.session(Connector).get_updates(None)
    with pytest.raises(HttpFailure):
        send(pipeline, "DELETE", "https://api.test/dav/book/xml-only-id.vcf")
    assert step.refused


def test_the_harness_cleanup_deletes_its_own_records_but_not_a_foreign_one_on_the_way(setup):
    """Cleanup runs the connector under test: its own ids pass, the connector's extra write to a
    foreign record is refused there too."""
    guard, step, api, pipeline = setup
    send(pipeline, "GET", BASE)
    guard.created["rec-own"] = None

    class Tidy:
        calls: list = []
        timeout = 1

        def delete(self, id):
            send(pipeline, "DELETE", f"{BASE}/{id}")
            send(pipeline, "DELETE", f"{BASE}/{FOREIGN}")

        def close(self):
            pass

    guard.cleanup(Tidy)
    assert f"DELETE {BASE}/rec-own" in api.received
    assert f"DELETE {BASE}/{FOREIGN}" not in api.received
    assert step.refused == [f"DELETE {BASE}/{FOREIGN}"]
    assert guard.cleanup_problems, "the connector's refused delete is reported"
