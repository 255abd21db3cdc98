"""A connector whose sync token is its own clock (the seed's pattern) records against a real Kinto
and replays offline later with the same verdicts, in the Python worker, inline and in NodeJS.

Replay runs offline with the harness's clock an hour away from the recording (the cassette's
`recorded_at` is moved back), and every runtime's real clock is later than the recording anyway:
a `_since` the module took from a clock the harness did not hand back could never match. The
control replays the same cassettes without their clock reads (as a cassette recorded before
the harness recorded them) and must miss, with a message that says the request differs only in a
clock-shaped value.
"""

import json

import pytest

from conformance.checks import BY_ID
from conformance.connector.load import load_connector
from conformance.options import ISOLATION_ENV
from conformance.runner import Options, run_check
from tests.backends.test_kinto_live import collection, offline
from tests.helpers import ROOT
from tests.helpers.node import needs_node

CLOCKED = {
    "worker": ROOT / "tests" / "connectors" / "kinto_clock",
    "inline": ROOT / "tests" / "connectors" / "kinto_clock",
    "node": ROOT / "tests" / "connectors" / "kinto_clock_js",
}
READ_BY = {"worker": "time.time", "inline": "time.time", "node": "Date.now"}
CHECKS = ["updates.shape", "updates.progression", "faults.pagination"]


def run(folder, cassettes, mode):
    spec = load_connector(str(folder))
    options = Options(mode=mode, examples=3, consistency=0.5, cassette_dir=str(cassettes))
    return {check: run_check(BY_ID[check], spec, options) for check in CHECKS}


def rewrite(cassettes, change):
    for path in cassettes.glob("*.json"):
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data))


@pytest.mark.parametrize("runtime", ["worker", "inline", pytest.param("node", marks=needs_node)])
def test_a_clock_token_connector_records_and_replays_offline_later(
    kinto, tmp_path, monkeypatch, runtime
):
    monkeypatch.setenv(ISOLATION_ENV, "inline" if runtime == "inline" else "process")
    folder = kinto.connector_copy(CLOCKED[runtime], tmp_path / "clocked", collection=collection())
    cassettes = tmp_path / "cassettes"

    recorded = run(folder, cassettes, "record")
    assert {c: o.status for c, o in recorded.items()} == dict.fromkeys(CHECKS, "passed"), {
        c: o.message for c, o in recorded.items()
    }
    progression = json.loads((cassettes / "updates.progression.json").read_text())
    reads = progression["clock"]
    own = [r for r in reads if not r.get("library")]
    listings = [
        i for i in progression["interactions"]
        if "_sort=last_modified" in i["request"]["url"] and "_token=" not in i["request"]["url"]
    ]  # fmt: skip
    assert {r["via"] for r in own} == {READ_BY[runtime]}
    assert len(own) == len(listings), "one read of the module's own per getUpdates"
    sent = [
        i["request"]["url"] for i in progression["interactions"] if "_since=" in i["request"]["url"]
    ]
    tokens = {f"_since={r['us'] // 1000}" for r in reads}
    sent_tokens = {
        part for url in sent for part in url.split("?")[1].split("&") if "_since=" in part
    }
    assert sent_tokens and sent_tokens <= tokens, "each _since sent is a clock read of the module"

    offline(folder)
    rewrite(cassettes, lambda data: data.update(recorded_at=data["recorded_at"] - 3600))
    replayed = run(folder, cassettes, "replay")
    for check in CHECKS:
        assert replayed[check].status == recorded[check].status, replayed[check].message
        assert replayed[check].coverage == recorded[check].coverage

    rewrite(cassettes, lambda data: data.update(clock=data["clock"][:1]))
    short = run(folder, cassettes, "replay")["updates.progression"]
    assert short.status == "error"
    assert "updates.progression.json: the connector read the clock" in short.message
    assert "as clock read #2, but the cassette holds only 1 clock read(s)" in short.message
    assert "re-record with `pytest --connector=" in short.message

    rewrite(cassettes, lambda data: data.pop("clock"))
    control = run(folder, cassettes, "replay")["updates.progression"]
    assert control.status == "error", "without the recorded reads the token cannot match"
    assert "has no recorded answer for GET" in control.message
    assert "differs from a recorded request only in a clock-shaped value" in control.message


@pytest.mark.parametrize("runtime", ["worker", pytest.param("node", marks=needs_node)])
def test_clock_skew_reaches_a_real_api_through_the_modules_own_clock(
    kinto, tmp_path, monkeypatch, runtime
):
    """On a real API the harness skews the module's clock (not the server's): a token taken
    from it, even before the query, loses the changes made while it runs ahead of the server,
    and the finding replays offline, since the skewed reads are what the cassette holds."""
    monkeypatch.setenv(ISOLATION_ENV, "process")
    folder = kinto.connector_copy(CLOCKED[runtime], tmp_path / "clocked", collection=collection())
    spec = load_connector(str(folder))
    options = Options(mode="record", examples=3, consistency=0.5, cassette_dir=str(tmp_path))
    recorded = run_check(BY_ID["faults.clock-skew"], spec, options)
    assert recorded.status == "failed", recorded.message
    assert "server clock" in recorded.message and recorded.coverage["clocks skewed"] >= 1
    offline(folder)
    replay = Options(mode="replay", examples=3, consistency=0.5, cassette_dir=str(tmp_path))
    replayed = run_check(BY_ID["faults.clock-skew"], load_connector(str(folder)), replay)
    assert (replayed.status, replayed.message) == (recorded.status, recorded.message)


def test_a_module_that_never_reads_its_clock_is_not_exercised_by_skew_on_a_real_api(
    kinto, tmp_path
):
    folder = kinto.connector_copy(
        ROOT / "examples" / "kinto", tmp_path / "k", collection=collection()
    )
    options = Options(mode="live", examples=3, consistency=0.5)
    outcome = run_check(BY_ID["faults.clock-skew"], load_connector(str(folder)), options)
    assert outcome.status == "passed", outcome.message
    assert any(line.startswith("clocks skewed") for line in outcome.not_exercised)
