"""The axios Kinto connector (examples/kinto-axios) replays its committed cassettes offline under
--connector-strict, and a replay with the real API up sends it nothing: axios' requests are
caught in the bridge and answered from the cassettes, as `this.httpClient`'s are. Before the
bridge routed node:http, these cassettes recorded nothing and a replay wrote to the real API.
"""

from __future__ import annotations

import json
import re
import time

import httpx

from conformance.recording.audit import audit
from tests.helpers import ROOT, outcomes_in
from tests.helpers.node import needs_node
from tests.helpers.npm import copy_module

pytestmark = needs_node

KINTO_AXIOS = ROOT / "examples" / "kinto-axios"
COMMITTED = ROOT / "cassettes" / "kinto-axios"
REQUEST_LINE = re.compile(r'"(GET|POST|PUT|PATCH|DELETE|HEAD) +/v1/')


def replay(pytester, folder):
    return pytester.runpytest(
        f"--connector={folder}",
        "--connector-mode=replay",
        f"--cassette-dir={COMMITTED}",
        "--connector-strict",
        "-p",
        "no:cacheprovider",
    )


# What a real Kinto cannot show, so --connector-strict fails it: the clock skew itself (the
# harness does not own the module's clock yet) and a same-ms tie (Kinto's stamps never tie).
NOT_EXERCISED_ON_KINTO = ("faults.clock-skew", "faults.same-millisecond")


def strict_outcomes() -> dict[str, int]:
    every = outcomes_in("replay")
    return {**every, "passed": every["passed"] - len(NOT_EXERCISED_ON_KINTO),
            "failed": len(NOT_EXERCISED_ON_KINTO)}  # fmt: skip


def test_the_committed_kinto_axios_cassettes_replay_offline_strict(npm_clients, pytester):
    folder = copy_module(npm_clients, KINTO_AXIOS)
    result = replay(pytester, folder)
    result.assert_outcomes(**strict_outcomes())
    result.stdout.fnmatch_lines(
        [f"*{check} passed, NOT EXERCISED*" for check in NOT_EXERCISED_ON_KINTO], consecutive=False
    )


def test_every_check_that_calls_the_api_recorded_axios_requests():
    for cassette in COMMITTED.glob("*.json"):
        interactions = json.loads(cassette.read_text())["interactions"]
        if cassette.stem != "interface":  # interface makes no call
            assert interactions, f"{cassette.name} recorded nothing"
            agents = {i["request"]["headers"]["user-agent"][0] for i in interactions}
            assert all(agent.startswith("axios/") for agent in agents), agents


def _requests_seen(kinto) -> int:
    """Requests in Kinto's log, once a sentinel request shows every earlier one was written."""
    sentinel = f"/v1/?sentinel={time.monotonic_ns()}"
    httpx.get(f"{kinto.url.removesuffix('/v1')}{sentinel}", timeout=10)
    log = kinto.workdir / "kinto.log"
    while sentinel.split("?")[1] not in log.read_text(errors="replace"):
        time.sleep(0.05)
    return len(REQUEST_LINE.findall(log.read_text(errors="replace"))) - 1


def test_a_replay_with_the_api_up_sends_it_nothing(npm_clients, kinto, pytester, tmp_path):
    folder = kinto.connector_copy(KINTO_AXIOS, npm_clients / "up" / "kinto-axios")
    before = _requests_seen(kinto)
    replay(pytester, folder).assert_outcomes(**strict_outcomes())
    assert _requests_seen(kinto) - before == 1, "only the sentinel of this test reached Kinto"


def test_the_kinto_axios_cassettes_hold_no_secret_of_its_account():
    account = json.loads((KINTO_AXIOS / "account.json").read_text())
    assert sorted(p.name for p in COMMITTED.iterdir())
    assert audit([COMMITTED], account) == []


def test_recording_axios_against_kinto_then_replaying_it_offline(
    npm_clients, kinto, pytester, tmp_path
):
    name = f"c{time.monotonic_ns()}"
    folder = kinto.connector_copy(KINTO_AXIOS, npm_clients / name / "kinto-axios", collection=name)
    cassettes = tmp_path / "cassettes"
    fast = ["--connector-examples=4", "--connector-consistency=0.5", "-p", "no:cacheprovider"]
    recorded = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=record", f"--cassette-dir={cassettes}", *fast
    )
    recorded.assert_outcomes(**outcomes_in("record"))
    account = json.loads((folder / "account.json").read_text())
    account.update(baseUrl="http://127.0.0.1:9/v1", password="another-password")  # offline
    (folder / "account.json").write_text(json.dumps(account))
    replayed = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=replay", f"--cassette-dir={cassettes}",
        "--connector-strict", *fast,
    )  # fmt: skip
    replayed.assert_outcomes(**strict_outcomes())
