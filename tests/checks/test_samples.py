"""Scripted scenarios write deterministic records; the invalid ones must really be invalid."""

import pytest

from conformance.checks.samples import change_for, invalid_records, sample_record
from conformance.connector.load import load_connector
from mock_api import CatsAPI, InvalidCat
from tests.helpers import EXAMPLE

SCHEMA = load_connector(str(EXAMPLE)).schema


@pytest.mark.parametrize("i", range(6))
def test_sample_records_are_valid_and_differ_by_index(i):
    api = CatsAPI()
    created = api.create_as_other(sample_record(SCHEMA, i))
    assert created["name"] == f"cat-{i}"
    assert sample_record(SCHEMA, i) != sample_record(SCHEMA, i + 1)
    api.patch_as_other(created["id"], change_for(SCHEMA, i + 1))


def test_every_invalid_record_is_refused_by_the_api():
    cases = invalid_records(SCHEMA)
    assert {what for what, _ in cases} >= {
        "required field 'name' missing",
        "'sex' outside its enum",
        "'age' is a string, not a number",
        "'name' is a number, not a string",
    }
    for _what, record in cases:
        with pytest.raises(InvalidCat):
            CatsAPI().create_as_other(record)
