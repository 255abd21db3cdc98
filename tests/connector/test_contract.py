"""The result validators: what the platform can use, and the message when it cannot."""

import json
import math
from datetime import datetime

import pytest

from conformance.connector.contract import (
    ContractError,
    check_get_result,
    check_insert_result,
    check_json,
    check_updates_result,
)


def test_insert_returns_an_object_with_a_non_empty_string_id():
    assert check_insert_result({"id": "a1", "extra": 1}) == "a1"
    for bad in ("a1", {"id": 1}, {"id": ""}, {}, None):
        with pytest.raises(ContractError, match="insert must return"):
            check_insert_result(bad)


def test_get_returns_an_object_or_none():
    assert check_get_result(None) is None
    assert check_get_result({"a": 1}) == {"a": 1}
    with pytest.raises(ContractError, match="get must return the record as an object"):
        check_get_result([{"a": 1}])
    with pytest.raises(ContractError, match="not JSON-serializable"):
        check_get_result({"at": datetime(2020, 1, 1)})


def test_updates_accepts_every_entry_type_of_the_contract():
    result = check_updates_result(
        {
            "nextSync": {"since": "x"},
            "entries": [
                {"id": "1", "type": "upsert", "value": {}},
                {"id": "2", "type": "insert", "value": {}},
                {"id": "3", "type": "update", "value": {}},
                {"id": "4", "type": "delete"},
            ],
        }
    )
    assert [e.type for e in result.entries] == ["upsert", "insert", "update", "delete"]
    assert result.entries[3].is_delete


def test_the_seed_misspelling_is_named_with_the_right_key():
    with pytest.raises(ContractError, match='"entires".*Rename the key to "entries"'):
        check_updates_result({"nextSync": 1, "entires": []})


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ([], "must return"),
        ({"nextSync": 1}, 'no "entries"'),
        ({"entries": []}, 'no "nextSync"'),
        ({"nextSync": math.nan, "entries": []}, "nextSync nan is not JSON-serializable"),
        ({"nextSync": 1, "entries": {}}, '"entries" must be a list'),
        ({"nextSync": 1, "entries": [{"id": 1, "type": "upsert"}]}, 'has "id" 1'),
        ({"nextSync": 1, "entries": [{"id": "1", "type": "create"}]}, "has \"type\" 'create'"),
        ({"nextSync": 1, "entries": [{"id": "1", "type": "upsert"}]}, "must carry the record"),
    ],
)
def test_malformed_updates_name_what_is_wrong(result, message):
    with pytest.raises(ContractError, match=message):
        check_updates_result(result)


class Text(str):
    pass


def _circular() -> dict:
    value: dict = {"a": [1]}
    value["a"].append(value)
    return value


def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [1.5, "x", None, True, {"c": {}}], "d": []},
        {1: "an int key json turns into a string"},
        {"t": (1, 2)},
        {"s": Text("a str subclass")},
        _deep(150),  # deeper than the walk vouches for, well within json's limit
        {"n": math.nan},
        {"i": [-math.inf]},
        {(1, 2): "a tuple key"},
        {"at": datetime(2020, 1, 1)},
        {"set": {1}},
        _circular(),
        _deep(5000),
    ],
)
def test_the_json_walk_gives_json_dumps_verdict_and_message(value):
    """check_json answers without encoding where it can; it must never say otherwise than
    json.dumps(value, allow_nan=False) would, in json's own words."""
    try:
        json.dumps(value, allow_nan=False)
        expected = None
    except RecursionError:
        expected = "nested too deeply to encode"
    except (TypeError, ValueError) as exc:
        expected = f"not JSON-serializable: {exc}"
    if expected is None:
        check_json(value, "get")
    else:
        with pytest.raises(ContractError) as failure:
            check_json(value, "get")
        assert expected in str(failure.value)
