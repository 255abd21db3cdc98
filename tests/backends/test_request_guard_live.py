"""The guard at the request, against a real Kinto the tests start: a connector's write to a
record the run did not create is refused, the check fails, the record survives; the recording
of that run replays offline to the same verdict."""

import json

import httpx

from conformance.checks import CHECKS
from tests.backends.test_kinto_live import BROKEN, FAST, collection, copy, offline

REFUSED = "*the connector wrote to a record it was not given: DELETE *records/*"


def test_a_write_to_a_foreign_record_is_refused_live_and_the_record_survives(
    kinto, pytester, tmp_path
):
    name = collection()
    url = f"{kinto.url}/buckets/default/collections/{name}/records"
    auth = (kinto.username, kinto.password)
    customer = httpx.post(url, json={"data": {"title": "stale"}}, auth=auth).json()["data"]
    folder = copy(kinto, pytester.path, source=BROKEN, collection=name)
    args = [f"--connector={folder / 'deletes_foreign.py'}", "-k", "crud.delete", *FAST]

    live = pytester.runpytest(*args, "--connector-mode=live")
    live.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    live.stdout.fnmatch_lines([REFUSED])
    assert kinto.password not in live.stdout.str()
    assert customer in kinto.records(name), "it survived, unchanged"

    cassettes = tmp_path / "cassettes"
    recorded = pytester.runpytest(*args, "--connector-mode=record", f"--cassette-dir={cassettes}")
    recorded.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    recorded.stdout.fnmatch_lines([REFUSED])
    assert customer in kinto.records(name)
    tape = json.loads((cassettes / "crud.delete.json").read_text())
    sent = [(i["request"]["method"], i["request"]["url"]) for i in tape["interactions"]]
    assert not any(m == "DELETE" and customer["id"] in u for m, u in sent), "never recorded"
    assert any(m == "DELETE" for m, _ in sent), "the harness's own deletes are"

    offline(folder)
    replayed = pytester.runpytest(*args, "--connector-mode=replay", f"--cassette-dir={cassettes}")
    replayed.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    replayed.stdout.fnmatch_lines([REFUSED])


def test_the_correct_connector_is_not_refused_amid_foreign_records(kinto, pytester):
    """Foreign records in the listings the connector reads are only refused when written."""
    name = collection()
    url = f"{kinto.url}/buckets/default/collections/{name}/records"
    auth = (kinto.username, kinto.password)
    customer = httpx.post(url, json={"data": {"title": "stale"}}, auth=auth).json()["data"]
    folder = copy(kinto, pytester.path, collection=name)
    result = pytester.runpytest(
        f"--connector={folder}",
        "--connector-mode=live",
        "-k",
        "crud.delete or updates.progression",
        *FAST,
    )
    result.assert_outcomes(passed=2, deselected=len(CHECKS) - 2)
    assert [r["id"] for r in kinto.records(name)] == [customer["id"]]


def test_recording_a_connector_whose_get_updates_escapes_is_an_error_unless_allowed(
    kinto, pytester, tmp_path
):
    folder = copy(kinto, pytester.path, source=BROKEN, collection=collection())
    cassettes = tmp_path / "cassettes"
    args = [f"--connector={folder / 'raw_socket_updates.py'}", "-k", "updates.shape", *FAST]
    recorded = pytester.runpytest(*args, "--connector-mode=record", f"--cassette-dir={cassettes}")
    recorded.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)  # Status.ERROR's item
    recorded.stdout.fnmatch_lines(
        ["*updates.shape cannot be judged: the connector opened a connection to * that no routed*"]
    )
    assert not cassettes.exists() or not list(cassettes.glob("*.json")), "nothing saved"

    address = kinto.url.split("//")[1].split("/")[0]
    toml = folder / "conformance.toml"
    toml.write_text(toml.read_text() + f'allow_unrouted = ["{address}"]\n')
    live = pytester.runpytest(*args, "--connector-mode=live")
    live.assert_outcomes(passed=1, deselected=len(CHECKS) - 1)
