"""The fault checks on a real Kinto these tests start: staged at the request boundary, recorded
with the injected answers marked, and replayed offline to the same verdict for the same reason.
"""

import json
import re
import shutil
import time

import httpx
import pytest

from conformance.checks import CHECKS
from tests.backends.test_kinto_live import BROKEN, FAST, collection, copy, offline
from tests.helpers import ROOT
from tests.helpers.node import needs_node

REQUEST_LINE = re.compile(r'"(GET|POST|PUT|PATCH|DELETE|HEAD) +/v1/')


def requests_seen(kinto) -> int:
    """Requests in Kinto's log, once a sentinel request shows every earlier one was written
    (as tests/backends/test_replay_kinto_axios.py counts them)."""
    sentinel = f"/v1/?sentinel={time.monotonic_ns()}"
    httpx.get(f"{kinto.url.removesuffix('/v1')}{sentinel}", timeout=10)
    log = kinto.workdir / "kinto.log"
    while sentinel.split("?")[1] not in log.read_text(errors="replace"):
        time.sleep(0.05)
    return len(REQUEST_LINE.findall(log.read_text(errors="replace"))) - 1


BROKEN_JS = ROOT / "tests" / "connectors" / "kinto_broken_js"
TWINS = [
    ("swallows_errors", "faults.transient", "exists but getUpdates never delivered it"),
    ("empty_on_401", "faults.auth", "get_updates returned Updates("),
    ("token_after_query", "faults.concurrent-write", "while the only listing answer"),
]


def copy_js(kinto, dest, name):
    """The JS twins' folder next to an account for this server, with the example itself as the
    correct connector they extend (its in-tree path does not resolve from a copy)."""
    folder = kinto.connector_copy(BROKEN_JS, dest / "kinto-js", collection=name)
    shutil.copy(ROOT / "examples" / "kinto-js" / "dataSourceApp.js", folder / "kinto_correct.js")
    return folder


FAULTS = (
    "faults.clock-skew",
    "faults.concurrent-write",
    "faults.same-millisecond",
    "faults.transient",
    "faults.auth",
)


@pytest.mark.parametrize(
    ("runtime", "connector", "check", "reason"),
    [("py", *twin) for twin in TWINS]
    + [pytest.param("js", *twin, marks=needs_node) for twin in TWINS],
)
def test_a_broken_kinto_twin_fails_live_in_record_and_offline_replay_for_the_same_reason(
    kinto, pytester, tmp_path, runtime, connector, check, reason
):
    name = collection()
    if runtime == "py":
        folder = copy(kinto, pytester.path, source=BROKEN, collection=name)
    else:
        folder = copy_js(kinto, pytester.path, name)
    cassettes = tmp_path / "cassettes"
    args = [f"--connector={folder / f'{connector}.{runtime}'}", "-k", check, *FAST]
    for mode in ("live", "record"):
        result = pytester.runpytest(
            *args, f"--connector-mode={mode}", f"--cassette-dir={cassettes}"
        )
        result.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
        result.stdout.fnmatch_lines([f"*{reason}*"])
        assert kinto.records(name) == [], "second-scope writes are cleaned up like every write"
    offline(folder)
    replayed = pytester.runpytest(*args, "--connector-mode=replay", f"--cassette-dir={cassettes}")
    replayed.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    replayed.stdout.fnmatch_lines([f"*{reason}*"])


def test_the_kinto_example_passes_the_fault_checks_and_its_cassettes_mark_what_was_staged(
    kinto, pytester, tmp_path
):
    name = collection()
    folder = copy(kinto, pytester.path, collection=name)
    cassettes = tmp_path / "cassettes"
    args = [f"--connector={folder}", "-k", "faults", f"--cassette-dir={cassettes}", *FAST]
    recorded = pytester.runpytest(*args, "--connector-mode=record")
    recorded.assert_outcomes(passed=len(FAULTS) + 1, deselected=len(CHECKS) - len(FAULTS) - 1)
    assert kinto.records(name) == []
    interactions = {
        check: json.loads((cassettes / f"{check}.json").read_text())["interactions"]
        for check in ("faults.transient", "faults.auth")
    }
    for check, recorded_ones in interactions.items():
        staged = [i for i in recorded_ones if i.get("injected")]
        assert staged, f"{check}: the injected answers are in the cassette, marked"
        assert {i["response"]["status"] for i in staged} <= {401, 429, 500, 503}
    auth = [bool(i.get("injected")) for i in interactions["faults.auth"]]
    first, last = auth.index(True), len(auth) - 1 - auth[::-1].index(True)
    assert all(auth[first : last + 1]), "while credentials are revoked nothing reaches the API"
    assert not any(auth[last + 1 :]), "the harness's own cleanup meets no staged fault"
    offline(folder)
    replayed = pytester.runpytest(*args, "--connector-mode=replay")
    replayed.assert_outcomes(passed=len(FAULTS) + 1, deselected=len(CHECKS) - len(FAULTS) - 1)


@pytest.mark.parametrize("check", ["faults.transient", "faults.auth", "faults.concurrent-write"])
def test_kinto_sees_exactly_the_recorded_requests_that_were_not_injected(
    kinto, pytester, tmp_path, check
):
    folder = copy(kinto, pytester.path, collection=collection())
    cassettes = tmp_path / "cassettes"
    before = requests_seen(kinto)
    recorded = pytester.runpytest(
        f"--connector={folder}", "-k", check, f"--cassette-dir={cassettes}",
        "--connector-mode=record", *FAST,
    )  # fmt: skip
    recorded.assert_outcomes(passed=1, deselected=len(CHECKS) - 1)
    interactions = json.loads((cassettes / f"{check}.json").read_text())["interactions"]
    sent = [i for i in interactions if not i.get("injected")]
    assert requests_seen(kinto) - before - 1 == len(sent), "the sentinel aside"
