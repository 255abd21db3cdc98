"""The connector's wall clock: written down while recording, handed back in order in replay,
shifted on request, in every runtime (in process, the Python worker, the NodeJS bridge), and only
the connector's; monotonic clocks and the per-call timeout stay real.

Replays here run with the recording made an hour in the past (`offset_ms`), so a runtime that
read the real clock instead of the recording could never give the recorded values back.
"""

import datetime
import time

import pytest

from conformance.connector.load import load_connector
from conformance.errors import ConnectorCallError
from conformance.options import ISOLATION_ENV
from conformance.runtime import clock_routing
from conformance.runtime.clock import ClockSource, active, skewed, using
from conformance.runtime.session import Session
from tests.helpers import HANG_TIMEOUT
from tests.helpers.node import js_module, js_source, needs_node

HOUR_AGO = -3_600_000

PYTHON_CLOCK = """
import asyncio
import datetime
import time
from datetime import date, datetime as DT, timezone


class DataSource:
    async def init(self, account):
        pass

    async def get(self, id):
        if id == "hang":
            await asyncio.sleep(3600)
        return {
            "token": int(time.time() * 1000),
            "float": repr(time.time()),
            "ns": time.time_ns(),
            "now": DT.now().isoformat(),
            "aware": DT.now(timezone.utc).isoformat(),
            "utcnow": datetime.datetime.utcnow().isoformat(),
            "today": date.today().isoformat(),
            "dttoday": DT.today().isoformat(),
            "monotonic_runs": time.monotonic() > 0,
        }

    def insert(self, value):  # a sync method: it runs in a thread, and its reads are routed too
        return {"id": str(int(time.time() * 1000))}

    async def patch(self, id, value):
        pass

    async def delete(self, id):
        pass

    async def get_updates(self, last_sync):
        return {"nextSync": None, "entries": []}
"""

JS_CLOCK = """
  async init () {},
  async get (id) {
    if (id === 'hang') await new Promise(() => {})
    class Stamp extends Date {}
    return {
      token: Date.now(),
      made: new Date().toISOString(),
      called: Date(),
      sub: new Stamp().getTime(),
      fixed: new Date(0).getTime(),
      isDate: new Date() instanceof Date && new Stamp() instanceof Date &&
        new Date().constructor === Date &&
        Object.prototype.toString.call(new Date()) === '[object Date]',
      parsed: Date.parse('2020-01-01T00:00:00Z')
    }
  }"""


def reads_of(spec, timeout: float = 30) -> tuple[dict, object]:
    session = Session(spec.create(), {}, timeout=timeout)
    try:
        return session.get("x"), session.insert({})
    finally:
        session.close()


def python_spec(tmp_path, monkeypatch, isolation: str):
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    folder = tmp_path / "clocked"
    folder.mkdir()
    (folder / "dataSourceApp.py").write_text(PYTHON_CLOCK)
    return load_connector(str(folder))


# --- one call's reads -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def routing_installed():
    clock_routing.install()


def test_a_recording_call_reads_the_real_clock_plus_its_offset_and_writes_each_read_down():
    reads = clock_routing.CallClock(None, offset_ms=HOUR_AGO)
    before = time.time_ns() // 1000
    token = clock_routing.routed(reads)
    try:
        seconds, moment = time.time(), datetime.datetime.now(datetime.timezone.utc)
    finally:
        clock_routing.unrouted(token)
    after = time.time_ns() // 1000
    assert [r["via"] for r in reads.taken] == ["time.time", "datetime.now"]
    for read in reads.taken:
        assert before - 3_600_000_000 <= read["us"] <= after - 3_600_000_000
    assert seconds == reads.taken[0]["us"] / 1e6
    assert moment.timestamp() == pytest.approx(reads.taken[1]["us"] / 1e6, abs=1e-6)


def test_a_replaying_call_hands_back_the_recorded_reads_in_order_whatever_it_asks_for():
    recorded = [{"via": "time.time", "us": 1_000_000_123_456}, {"via": "x", "us": 86_400_000_001}]
    reads = clock_routing.CallClock(recorded)
    token = clock_routing.routed(reads)
    try:
        first = time.time_ns()
        second = datetime.datetime.now(datetime.timezone.utc)
    finally:
        clock_routing.unrouted(token)
    assert first == 1_000_000_123_456_000
    assert second == datetime.datetime(1970, 1, 2, 0, 0, 0, 1, tzinfo=datetime.timezone.utc)
    assert [r["us"] for r in reads.taken] == [1_000_000_123_456, 86_400_000_001]


def test_a_read_the_recording_cannot_answer_is_real_and_marked_and_so_is_every_later_one():
    reads = clock_routing.CallClock([{"via": "time.time", "us": 5}])
    token = clock_routing.routed(reads)
    try:
        assert time.time() == 5e-6
        assert time.time() > 1e9 and time.time() > 1e9
    finally:
        clock_routing.unrouted(token)
    assert [r.get("unrecorded", False) for r in reads.taken] == [False, True, True]


def test_outside_a_routed_call_the_clock_is_real_and_monotonic_is_never_routed():
    with using(ClockSource(offset_ms=HOUR_AGO)) as source:  # a check runs; this is harness code
        assert abs(time.time() - datetime.datetime.now().timestamp()) < 60
    reads = clock_routing.CallClock([])
    token = clock_routing.routed(reads)
    try:
        time.monotonic(), time.perf_counter()
    finally:
        clock_routing.unrouted(token)
    assert source.items == [] and reads.taken == []


def test_datetime_stand_ins_keep_isinstance_and_pickling_of_real_datetimes():
    import pickle

    real = clock_routing._real_datetime(2020, 1, 2, 3, 4, 5)
    assert isinstance(real, datetime.datetime) and isinstance(real, datetime.date)
    assert issubclass(datetime.datetime, datetime.date)
    assert pickle.loads(pickle.dumps(real)) == real
    assert pickle.loads(pickle.dumps(datetime.date(2020, 1, 2))) == datetime.date(2020, 1, 2)


def test_a_read_made_by_a_library_is_marked_so_a_check_can_tell_the_modules_own_reads():
    import sysconfig

    library = {}
    where = sysconfig.get_paths()["stdlib"] + "/some_library.py"
    exec(compile("import time\ndef stamp():\n    return time.time()\n", where, "exec"), library)
    reads = clock_routing.CallClock(None)
    token = clock_routing.routed(reads)
    try:
        library["stamp"](), time.time()
    finally:
        clock_routing.unrouted(token)
    assert [r.get("library", False) for r in reads.taken] == [True, False]
    source = ClockSource()
    source.took(reads.taken)
    assert (source.reads, source.own_reads) == (2, 1)
    assert source.items[0]["library"] is True and "library" not in source.items[1]


# --- the source a backend installs -----------------------------------------------------------


def test_a_source_plans_an_offset_or_the_recorded_reads_once_per_worker():
    class Worker:
        pass

    assert ClockSource().plan(Worker()) == {"offset": 0}
    assert ClockSource(offset_ms=-5000).plan(Worker()) == {"offset": -5000}
    source = ClockSource([{"via": "a", "us": 1}, {"via": "b", "us": 2}])
    first = Worker()
    assert source.plan(first) == {"source": source.number, "at": 0, "items": source.items}
    source.took([{"via": "a", "us": 1}])
    assert source.plan(first) == {"source": source.number, "at": 1}
    with pytest.raises(ValueError):
        ClockSource([], offset_ms=1)


def test_a_replaying_source_explains_an_exhausted_recording():
    source = ClockSource([{"via": "time.time", "us": 1}])
    source.took([{"via": "time.time", "us": 1}, {"via": "Date.now", "us": 9, "unrecorded": True}])
    assert source.problem() == (
        "the connector read the clock (Date.now) as clock read #2, but the cassette holds only "
        "1 clock read(s)"
    )
    assert source.reads == 2


def test_the_source_is_active_only_inside_its_block():
    with using(ClockSource()) as source:
        assert active() is source
    assert active() is None


def test_skew_is_one_more_source_in_mock_and_live_and_shifts_a_recording_as_recorded(
    tmp_path, monkeypatch
):
    spec = python_spec(tmp_path, monkeypatch, "inline")
    ahead = 5 * 60_000
    with skewed(ahead) as source:  # no source: mock and live
        assert active() is source
        token = reads_of(spec)[0]["token"]
    assert token >= time.time() * 1000 + ahead - 60_000 and source.reads == 9

    with using(ClockSource()) as recording:
        with skewed(-ahead) as source:
            assert source is recording, "recording: the shifted reads are what is written down"
            behind = reads_of(spec)[0]["token"]
        assert recording.offset_ms == 0
    assert behind <= time.time() * 1000 - ahead
    with using(ClockSource(recording.items)) as replaying, skewed(ahead) as source:
        assert source is replaying, "replay: the recorded reads were shifted already"
        assert reads_of(spec)[0]["token"] == behind


# --- every runtime ----------------------------------------------------------------------------


@pytest.mark.parametrize("isolation", ["process", "inline"])
def test_python_connectors_replay_the_clock_they_recorded(tmp_path, monkeypatch, isolation):
    spec = python_spec(tmp_path, monkeypatch, isolation)
    with using(ClockSource(offset_ms=HOUR_AGO)) as recording:
        recorded = reads_of(spec)
    vias = [item["via"] for item in recording.items]
    assert vias == ["time.time"] * 2 + ["time.time_ns"] + ["datetime.now"] * 2 + [
        "datetime.utcnow",
        "date.today",
        "datetime.today",
        "time.time",
    ]
    assert recorded[0]["token"] <= time.time() * 1000 - 3_500_000, "the offset was applied"

    with using(ClockSource(recording.items)) as replaying:
        assert reads_of(spec) == recorded, "byte for byte, an hour later"
    assert replaying.problem() is None and replaying.ahead() == []

    with using(ClockSource(recording.items[:3])) as short:
        reads_of(spec)  # the call answers: the connector never sees our bookkeeping
    assert "as clock read #4, but the cassette holds only 3 clock read(s)" in (
        short.problem() or ""
    )
    assert reads_of(spec)[0]["token"] > recorded[0]["token"] + 3_500_000, "unrouted: real"


@pytest.mark.parametrize("isolation", ["process", "inline"])
def test_a_hanging_python_call_still_times_out_under_a_replayed_clock(
    tmp_path, monkeypatch, isolation
):
    spec = python_spec(tmp_path, monkeypatch, isolation)
    session = Session(spec.create(), {}, timeout=HANG_TIMEOUT)
    try:
        with (
            using(ClockSource([{"via": "time.time", "us": 1}])),
            pytest.raises(ConnectorCallError, match=f"did not return within {HANG_TIMEOUT:g} s"),
        ):
            session.get("hang")
    finally:
        session.close()


@needs_node
@pytest.mark.parametrize("module", ["cjs", "mjs"])
def test_js_modules_replay_the_clock_they_recorded(tmp_path, module):
    export = "module.exports =" if module == "cjs" else "export default"
    folder = js_source(
        tmp_path / "clocked",
        f"{export} {{{JS_CLOCK},\n  async insert () {{ return {{ id: String(Date.now()) }} }},\n"
        "  async patch () {}, async delete () {}, async getUpdates () { return {} }\n}\n",
        file=f"dataSourceApp.{'js' if module == 'cjs' else 'mjs'}",
    )
    spec = load_connector(str(folder))

    with using(ClockSource(offset_ms=HOUR_AGO)) as recording:
        recorded = reads_of(spec)
    vias = [item["via"] for item in recording.items]
    assert vias[:4] == ["Date.now", "new Date()", "Date()", "new Date()"]
    assert recorded[0]["fixed"] == 0 and recorded[0]["isDate"] is True
    assert recorded[0]["parsed"] == 1577836800000
    assert recorded[0]["token"] <= time.time() * 1000 - 3_500_000, "the offset was applied"

    with using(ClockSource(recording.items)) as replaying:
        assert reads_of(spec) == recorded, "byte for byte, an hour later"
    assert replaying.problem() is None

    with using(ClockSource(recording.items[:1])) as short:
        reads_of(spec)
    assert "as clock read #2, but the cassette holds only 1 clock read(s)" in (
        short.problem() or ""
    )
    assert reads_of(spec)[0]["token"] > recorded[0]["token"] + 3_500_000, "unrouted: real"


@needs_node
def test_a_hanging_js_call_still_times_out_under_a_replayed_clock(tmp_path):
    spec = load_connector(str(js_module(tmp_path / "clocked", JS_CLOCK)))
    session = Session(spec.create(), {}, timeout=HANG_TIMEOUT)
    try:
        with (
            using(ClockSource([{"via": "Date.now", "us": 1}])),
            pytest.raises(ConnectorCallError, match=f"did not return within {HANG_TIMEOUT:g} s"),
        ):
            session.get("hang")
    finally:
        session.close()


# --- the harness's own code is not the connector's, inline ------------------------------------


@pytest.mark.parametrize("in_memory", [True, False])
def test_inline_the_pipeline_answering_a_call_reads_the_real_clock_not_the_connectors(in_memory):
    import asyncio
    import uuid

    from conformance.http.message import Request, Response
    from conformance.http.pipeline import Pipeline
    from conformance.runtime import draw_routing
    from conformance.runtime.python import InProcess

    seen = []

    def terminal(request):  # harness code that reads the clock and draws, as httpx's jar does
        seen.append((time.time(), uuid.uuid4()))
        return Response(200)

    sender = InProcess(Pipeline([], terminal, offline=True, in_memory=in_memory))
    reads = clock_routing.CallClock([{"via": "time.time", "us": 7}])
    draws = draw_routing.CallDraws([])
    tokens = clock_routing.routed(reads), draw_routing.routed(draws)
    try:
        sender.send(Request("GET", "http://x/"))  # a sync client in the connector's call
        asyncio.run(sender.asend(Request("GET", "http://x/")))  # an async one
        assert time.time() == 7e-6, "the connector's own read still gets the recorded value"
    finally:
        clock_routing.unrouted(tokens[0])
        draw_routing.unrouted(tokens[1])
    assert all(t > 1e9 for t, _ in seen) and len(seen) == 2
    assert reads.taken == [{"via": "time.time", "us": 7}] and draws.taken == []
