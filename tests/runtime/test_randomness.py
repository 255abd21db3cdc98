"""The connector's own randomness: written down while recording, handed back in order in replay,
in every runtime (in process, the Python worker, the NodeJS bridge), and only the connector's.
"""

import json
import random
import uuid
from pathlib import Path

import pytest

from conformance.connector.load import load_connector
from conformance.options import ISOLATION_ENV
from conformance.runtime import draw_routing
from conformance.runtime.randomness import RandomSource, active, using
from conformance.runtime.session import Session
from tests.helpers.node import js_module, js_source, needs_node

PYTHON_DRAWS = """
import os
import random
import secrets
import uuid
from uuid import uuid4


class DataSource:
    async def init(self, account):
        pass

    async def get(self, id):
        return {
            "uuid": str(uuid.uuid4()),
            "bound": str(uuid4()),
            "token": secrets.token_hex(4),
            "urandom": os.urandom(3).hex(),
            "random": random.random(),
            "choice": random.choice("abcdefghijklmnop"),
        }

    def insert(self, value):  # a sync method: it runs in a thread, and its draws are routed too
        return {"id": str(uuid.uuid4())}

    async def patch(self, id, value):
        pass

    async def delete(self, id):
        pass

    async def get_updates(self, last_sync):
        return {"nextSync": None, "entries": []}
"""


@pytest.fixture(autouse=True)
def routing_installed():
    """The patches the runtimes install before loading a connector (permanent, and inert
    outside a routed call)."""
    draw_routing.install()


def draws_of(spec) -> tuple[dict, str]:
    session = Session(spec.create(), {}, timeout=10)
    try:
        return session.get("x"), session.insert({})
    finally:
        session.close()


# --- the draws of one call --------------------------------------------------------------------


def test_a_recording_call_draws_real_values_and_writes_each_down_with_its_kind():
    draws = draw_routing.CallDraws(None)
    token = draw_routing.routed(draws)
    try:
        first, second = uuid.uuid4(), uuid.uuid4()
        raw = __import__("os").urandom(2)
    finally:
        draw_routing.unrouted(token)
    assert first != second
    assert draws.taken == [
        {"kind": "uuid4", "value": str(first)},
        {"kind": "uuid4", "value": str(second)},
        {"kind": "urandom", "value": raw.hex()},
    ]


def test_a_replaying_call_hands_back_the_recorded_values_in_order():
    recorded = [
        {"kind": "uuid4", "value": "00000000-0000-4000-8000-000000000001"},
        {"kind": "urandom", "value": "abcd"},
    ]
    draws = draw_routing.CallDraws(recorded)
    token = draw_routing.routed(draws)
    try:
        got = (str(uuid.uuid4()), __import__("os").urandom(2))
    finally:
        draw_routing.unrouted(token)
    assert got == ("00000000-0000-4000-8000-000000000001", b"\xab\xcd")
    assert draws.taken == recorded


def test_a_draw_the_recording_cannot_answer_is_real_and_marked_and_so_is_every_later_one():
    one = str(uuid.UUID(int=1))
    recorded = [{"kind": "urandom", "value": "ab"}, {"kind": "uuid4", "value": one}]
    draws = draw_routing.CallDraws(recorded)
    token = draw_routing.routed(draws)
    try:
        uuid.uuid4()  # the cassette has urandom first: off the recording from here on
        later = uuid.uuid4()
    finally:
        draw_routing.unrouted(token)
    assert [item.get("unrecorded") for item in draws.taken] == [True, True]
    assert [item["recorded"] for item in draws.taken] == ["urandom", "urandom"]
    assert str(later) != one, "never resynchronised by luck"


def test_urandom_of_another_size_than_recorded_is_off_the_recording():
    draws = draw_routing.CallDraws([{"kind": "urandom", "value": "abcd"}])
    token = draw_routing.routed(draws)
    try:
        got = __import__("os").urandom(3)
    finally:
        draw_routing.unrouted(token)
    assert len(got) == 3 and draws.taken[0]["unrecorded"]


def test_the_random_module_is_seeded_once_per_scope_from_one_recorded_draw():
    scope = draw_routing.ScopeRandom()
    draws = draw_routing.CallDraws([{"kind": "seed", "value": 42}], scope)
    token = draw_routing.routed(draws)
    try:
        got = [random.random(), random.randint(1, 10**9), random.choice("abcdefgh")]
    finally:
        draw_routing.unrouted(token)
    expected = random.Random(42)
    assert got == [expected.random(), expected.randint(1, 10**9), expected.choice("abcdefgh")]
    assert draws.taken == [{"kind": "seed", "value": 42}]


def test_outside_a_routed_call_the_functions_are_the_real_ones():
    draw_routing.install()
    with using(RandomSource()) as source:  # a check is running, but this is harness code
        assert uuid.uuid4() != uuid.uuid4()
        random.random()
    assert source.items == []


# --- the source a backend installs -----------------------------------------------------------


def test_a_recording_source_keeps_every_calls_draws_in_order():
    source = RandomSource()
    assert source.ahead() is None, "a recording source asks for real values"
    source.took([{"kind": "uuid4", "value": "a"}])
    source.took([{"kind": "seed", "value": 7}, {"kind": "urandom", "value": "ff"}])
    assert [item["kind"] for item in source.items] == ["uuid4", "seed", "urandom"]
    assert source.problem() is None


def test_a_replaying_source_hands_out_what_is_left_and_explains_an_exhausted_recording():
    source = RandomSource([{"kind": "uuid4", "value": "a"}, {"kind": "uuid4", "value": "b"}])
    source.took([{"kind": "uuid4", "value": "a"}])
    assert source.ahead() == [{"kind": "uuid4", "value": "b"}]
    source.took(
        [
            {"kind": "uuid4", "value": "b"},
            {"kind": "uuid4", "value": "fresh", "unrecorded": True, "recorded": None},
        ]
    )
    assert source.problem() == (
        "the connector drew a uuid4 (fresh) as draw #3, but the cassette holds only 2 draw(s) "
        "of the connector"
    )


def test_a_replaying_source_names_the_kind_the_cassette_recorded_instead():
    source = RandomSource([{"kind": "seed", "value": 1}])
    source.took([{"kind": "urandom", "value": "00", "unrecorded": True, "recorded": "seed"}])
    assert source.problem() == (
        "the connector drew a urandom (00) as draw #1, but the cassette recorded a seed there"
    )


def test_the_source_is_active_only_inside_its_block():
    source = RandomSource()
    with using(source):
        assert active() is source
    assert active() is None


# --- every runtime routes the same draws ------------------------------------------------------


@pytest.mark.parametrize("isolation", ["process", "inline"])
def test_python_connectors_replay_the_draws_they_recorded(tmp_path, monkeypatch, isolation):
    monkeypatch.setenv(ISOLATION_ENV, isolation)
    folder = tmp_path / "drawing"
    folder.mkdir()
    (folder / "dataSourceApp.py").write_text(PYTHON_DRAWS)
    spec = load_connector(str(folder))

    with using(RandomSource()) as recording:
        recorded = draws_of(spec)
    kinds = [item["kind"] for item in recording.items]
    assert kinds == ["uuid4", "uuid4", "urandom", "urandom", "seed", "uuid4"]

    with using(RandomSource(recording.items)) as replaying:
        assert draws_of(spec) == recorded
    assert replaying.problem() is None and replaying.ahead() == []

    assert draws_of(spec) != recorded, "without a source the connector draws for real"


JS_DRAWS = """
  async get (id) {
    const { randomUUID } = require('node:crypto')
    return {
      bound: randomUUID(),
      required: require('crypto').randomUUID(),
      global: globalThis.crypto.randomUUID(),
      random: [Math.random(), Math.random()]
    }
  }"""

MJS_DRAWS = """import { randomUUID } from 'node:crypto'
export default {
  async init () {},
  async get (id) { return { named: randomUUID(), random: Math.random() } },
  async insert () { return { id: randomUUID() } },
  async patch () {}, async delete () {}, async getUpdates () { return { entries: [] } }
}
"""


def js_draws(spec) -> dict:
    session = Session(spec.create(), {}, timeout=10)
    try:
        return session.get("x")
    finally:
        session.close()


@needs_node
@pytest.mark.parametrize("module", ["cjs", "mjs"])
def test_js_modules_replay_randomUUID_and_Math_random(tmp_path, module):
    folder = tmp_path / "drawing"
    if module == "cjs":
        js_module(folder, "async init () {},\n" + JS_DRAWS)
    else:
        js_source(folder, MJS_DRAWS, file="dataSourceApp.mjs")
    spec = load_connector(str(folder))

    with using(RandomSource()) as recording:
        recorded = js_draws(spec)
    kinds = [item["kind"] for item in recording.items]
    assert kinds == (["uuid4", "uuid4", "uuid4", "seed"] if module == "cjs" else ["uuid4", "seed"])

    with using(RandomSource(recording.items)) as replaying:
        assert js_draws(spec) == recorded
    assert replaying.problem() is None
    assert js_draws(spec) != recorded, "without a source the module draws for real"


@needs_node
def test_a_js_module_that_draws_more_than_recorded_is_reported_not_thrown(tmp_path):
    spec = load_connector(str(js_module(tmp_path / "drawing", "async init () {},\n" + JS_DRAWS)))
    with using(RandomSource()) as recording:
        js_draws(spec)
    with using(RandomSource(recording.items[:1])) as replaying:
        js_draws(spec)  # the call still answers: the connector never sees our bookkeeping
    assert "as draw #2, but the cassette holds only 1 draw(s)" in (replaying.problem() or "")


def test_the_bridge_and_the_worker_protocol_use_the_same_kinds():
    bridge = Path(draw_routing.__file__).parent / "node_bridge" / "bridge.js"
    source = bridge.read_text()
    for kind in draw_routing.KINDS:
        if kind != "urandom":  # JS routes randomUUID and Math.random only
            assert f"'{kind}'" in source
    assert json.dumps(draw_routing.KINDS)  # the kinds a cassette may hold: plain JSON strings


def test_a_worker_gets_the_recorded_draws_once_then_only_where_each_call_starts():
    class Worker:  # any object stands for a worker process
        pass

    source = RandomSource([{"kind": "uuid4", "value": "a"}, {"kind": "uuid4", "value": "b"}])
    first, restarted = Worker(), Worker()
    assert source.plan(first) == {"source": source.number, "at": 0, "items": source.items}
    source.took([{"kind": "uuid4", "value": "a"}])
    assert source.plan(first) == {"source": source.number, "at": 1}
    assert source.plan(restarted)["items"] == source.items, "a new process gets them again"
    assert RandomSource().plan(first) == {}, "recording: draw real values"


def test_a_python_worker_killed_mid_check_replays_on_in_the_next_process(tmp_path, monkeypatch):
    from conformance.runtime import python_process

    monkeypatch.setenv(ISOLATION_ENV, "process")
    folder = tmp_path / "drawing"
    folder.mkdir()
    (folder / "dataSourceApp.py").write_text(PYTHON_DRAWS)
    spec = load_connector(str(folder))
    with using(RandomSource()) as recording:
        recorded = [draws_of(spec), draws_of(spec)]
    with using(RandomSource(recording.items)) as replaying:
        replayed = [draws_of(spec)]
        python_process.worker().kill("the test ended it, as a hung call would")
        replayed.append(draws_of(spec))
    assert replayed == recorded
    assert replaying.problem() is None
