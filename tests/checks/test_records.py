"""Records generated from schema.json: writable fields only, always valid for the schema."""

import json

from hypothesis import find, given, settings
from jsonschema import Draft202012Validator

from conformance.checks.strategies import patches, records
from conformance.connector.schema import parse_schema
from tests.helpers import EXAMPLE

RAW = json.loads((EXAMPLE / "schema.json").read_text())
SCHEMA = parse_schema(RAW, "schema.json")


def test_read_only_fields_are_known_and_never_writable():
    assert SCHEMA.read_only == {"id", "lastModified"}
    assert "id" not in SCHEMA.writable and "name" in SCHEMA.writable


@settings(max_examples=200)
@given(records(SCHEMA))
def test_generated_records_validate_and_skip_read_only_fields(record):
    Draft202012Validator(RAW).validate(record)
    assert "name" in record
    assert not set(record) & SCHEMA.read_only


@settings(max_examples=100)
@given(records(SCHEMA, all_fields=True))
def test_all_fields_fills_every_writable_field(record):
    assert set(record) == set(SCHEMA.writable)


@settings(max_examples=200)
@given(patches(SCHEMA))
def test_patches_are_non_empty_subsets_of_writable_fields(change):
    assert change and set(change) <= set(SCHEMA.writable)
    Draft202012Validator({**RAW, "required": []}).validate(change)


def test_nullable_fields_generate_both_null_and_a_value():
    full = records(SCHEMA, all_fields=True)
    assert find(full, lambda r: r["notes"] is None)["notes"] is None
    assert isinstance(find(full, lambda r: isinstance(r["notes"], str))["notes"], str)
