"""A recording's episode in the cassette format: the connector's draws and clock reads saved in
order, the settings typed; each validated on load with one message naming the file, field and
fix; and older cassettes (no randomness, no clock) still load, as do the committed ones."""

import json

import pytest

from conformance.errors import InputError
from conformance.recording.cassette import Cassette, load_cassette, save_cassette
from conformance.recording.episode import Episode, Settings

KWARGS = {"connector": "carddav", "version": "v1", "target": "examples/carddav"}
DRAWS = [
    {"kind": "uuid4", "value": "00000000-0000-4000-8000-000000000001"},
    {"kind": "urandom", "value": "beef"},
    {"kind": "seed", "value": 12345678901234},
]


def test_the_connectors_draws_are_saved_and_loaded_in_order(tmp_path):
    path = tmp_path / "crud.round-trip.json"
    save_cassette(
        path, Cassette("carddav", "v1", "crud.round-trip", 1.0, Episode(randomness=DRAWS))
    )
    assert load_cassette(path, **KWARGS).episode.randomness == DRAWS


def test_a_cassette_from_before_recorded_randomness_loads_without_it(tmp_path):
    path = tmp_path / "crud.round-trip.json"
    save_cassette(path, Cassette("carddav", "v1", "crud.round-trip", 1.0))
    assert "randomness" not in json.loads(path.read_text())
    assert "clock" not in json.loads(path.read_text())
    episode = load_cassette(path, **KWARGS).episode
    assert episode.randomness is None and episode.clock is None


@pytest.mark.parametrize(
    ("randomness", "problem"),
    [
        ({"kind": "uuid4"}, r'"randomness" is dict, not a list of draws'),
        ([{"kind": "dice", "value": "4"}], r'"randomness"\[0\] has kind \'dice\'; expected one of'),
        (["uuid4"], r'"randomness"\[0\] has kind None'),
        ([DRAWS[0], {"kind": "seed", "value": "7"}], r'"randomness"\[1\] \(seed\) has value \'7\''),
        ([{"kind": "uuid4", "value": None}], r'"randomness"\[0\] \(uuid4\) has value None'),
    ],
)
def test_malformed_draws_are_one_message_naming_the_file_and_the_fix(tmp_path, randomness, problem):
    corrupt(tmp_path, "randomness", randomness, problem)


READS = [{"via": "time.time", "us": 1796599627589123}, {"via": "Date.now", "us": 1796599627590000}]


def test_the_connectors_clock_reads_and_typed_settings_are_saved_and_loaded(tmp_path):
    path = tmp_path / "crud.round-trip.json"
    settings = Settings(3, "abc", True, 10.0, {"param": "_limit", "size": 1})
    episode = Episode(settings, draws=[{"id": "x"}], randomness=[], clock=READS)
    save_cassette(path, Cassette("carddav", "v1", "crud.round-trip", 1.0, episode))
    assert load_cassette(path, **KWARGS).episode == episode
    keys = list(json.loads(path.read_text()))
    assert keys[keys.index("settings") :][:5] == [
        "settings",
        "draws",
        "randomness",
        "clock",
        "interactions",
    ]


def test_settings_absent_from_old_cassettes_take_the_values_that_replay_them_as_before():
    assert Episode.from_json({"draws": []}).settings == Settings()
    assert Episode.from_json({"draws": [], "settings": {"run_id": "r"}}).settings == Settings(
        run_id="r"
    )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("clock", {"us": 1}, r'"clock" is dict, not a list of clock reads'),
        ("clock", [READS[0], {"via": "x", "us": "1"}], r'"clock"\[1\] is .*; expected \{"via"'),
        ("clock", [{"via": 3, "us": 1}], r'"clock"\[0\].via is 3'),
        ("settings", {"consistency_attempts": "2"}, r'"settings".consistency_attempts is \'2\''),
        ("settings", {"run_id": 7}, r'"settings".run_id is 7'),
        ("settings", [], r'"settings" is list'),
        ("draws", {}, r'"draws" is dict'),
    ],
)
def test_a_malformed_episode_is_one_message_naming_the_field(tmp_path, field, value, problem):
    corrupt(tmp_path, field, value, problem)


def corrupt(tmp_path, field, value, problem):
    path = tmp_path / "crud.round-trip.json"
    save_cassette(path, Cassette("carddav", "v1", "crud.round-trip", 1.0))
    data = json.loads(path.read_text())
    data[field] = value
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=problem) as raised:
        load_cassette(path, **KWARGS)
    message = str(raised.value)
    assert message.startswith(f"{path}: corrupt cassette (")
    assert "re-record with `pytest --connector=examples/carddav --connector-mode=record" in message


def test_every_committed_cassette_loads_as_an_episode():
    from pathlib import Path

    from conformance.recording.episode import Episode

    root = Path(__file__).resolve().parents[2]
    found = [p for p in root.glob("**/cassettes/*.json") if "node_modules" not in p.parts]
    assert found, "the repository commits cassettes"
    for path in found:
        data = json.loads(path.read_text())
        episode = Episode.from_json(data)
        assert episode.to_json()["settings"] == data["settings"], path
