"""The connector's draws in the cassette format: saved in order with their kind, validated on
load with one message naming the file, and absent from older cassettes, which still load."""

import json

import pytest

from conformance.errors import InputError
from conformance.recording.cassette import Cassette, load_cassette, save_cassette

KWARGS = {"connector": "carddav", "version": "v1", "target": "examples/carddav"}
DRAWS = [
    {"kind": "uuid4", "value": "00000000-0000-4000-8000-000000000001"},
    {"kind": "urandom", "value": "beef"},
    {"kind": "seed", "value": 12345678901234},
]


def test_the_connectors_draws_are_saved_and_loaded_in_order(tmp_path):
    path = tmp_path / "crud.round-trip.json"
    save_cassette(path, Cassette("carddav", "v1", "crud.round-trip", 1.0, randomness=DRAWS))
    assert load_cassette(path, **KWARGS).randomness == DRAWS


def test_a_cassette_from_before_recorded_randomness_loads_without_it(tmp_path):
    path = tmp_path / "crud.round-trip.json"
    save_cassette(path, Cassette("carddav", "v1", "crud.round-trip", 1.0))
    assert "randomness" not in json.loads(path.read_text())
    assert load_cassette(path, **KWARGS).randomness is None


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
    path = tmp_path / "crud.round-trip.json"
    save_cassette(path, Cassette("carddav", "v1", "crud.round-trip", 1.0))
    data = json.loads(path.read_text())
    data["randomness"] = randomness
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=problem) as raised:
        load_cassette(path, **KWARGS)
    message = str(raised.value)
    assert message.startswith(f"{path}: corrupt cassette (")
    assert "re-record with `pytest --connector=examples/carddav --connector-mode=record" in message
