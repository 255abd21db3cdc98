"""How fields are compared: JSON equality, with one rule for the empty values APIs omit."""

from conformance.checks.diff import field_diff


def test_null_and_empty_list_may_read_back_absent_null_or_empty():
    for written in (None, []):
        for read in ({}, {"toys": None}, {"toys": []}):
            assert field_diff({"toys": written}, read, ["toys"]) == [], (written, read)


def test_a_non_empty_list_or_an_empty_string_must_read_back_as_written():
    assert field_diff({"toys": [{"name": "ball"}]}, {}, ["toys"])
    assert field_diff({"toys": []}, {"toys": [{"name": "ball"}]}, ["toys"])
    assert field_diff({"notes": ""}, {}, ["notes"])
    assert field_diff({"age": 0}, {"age": None}, ["age"])
