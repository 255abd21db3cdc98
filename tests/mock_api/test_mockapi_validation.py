"""Bad write bodies are 400 with an error that names what is wrong."""

from __future__ import annotations

import pytest

CASES = [
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": 5}, "name"),
    ({"name": None}, "name"),
    ({"name": "Tom", "sex": "other"}, "sex"),
    ({"name": "Tom", "sex": "Female"}, "sex"),
    ({"name": "Tom", "age": -1}, "age"),
    ({"name": "Tom", "age": 31}, "age"),
    ({"name": "Tom", "age": "3"}, "age"),
    ({"name": "Tom", "age": 3.0}, "age"),
    ({"name": "Tom", "age": True}, "age"),
    ({"name": "Tom", "age": None}, "age"),
    ({"name": "Tom", "fluffiness": 101}, "fluffiness"),
    ({"name": "Tom", "fluffiness": -1}, "fluffiness"),
    ({"name": "Tom", "fluffiness": 50.5}, "fluffiness"),
    ({"name": "Tom", "fluffiness": False}, "fluffiness"),
    ({"name": "Tom", "toys": {"name": "ball"}}, "toys"),
    ({"name": "Tom", "toys": ["ball"]}, "toys[0]"),
    ({"name": "Tom", "toys": [{"name": "a"}, {"name": "b", "color": "red"}]}, "toys[1]"),
    ({"name": "Tom", "toys": [{}]}, "toys[0]"),
    ({"name": "Tom", "toys": [{"name": 1}]}, "toys[0].name"),
    ({"name": "Tom", "notes": 5}, "notes"),
    ({"name": "Tom", "color": "black"}, "color"),
    ({"name": "Tom", "id": "abc"}, "id"),
    ({"name": "Tom", "lastModified": "2019-04-22T14:01:54.123Z"}, "lastModified"),
    ({"name": "Tom", "deleted": True}, "deleted"),
]


@pytest.mark.parametrize(("body", "field"), CASES)
def test_bad_create_body_is_400_naming_field(api, call, body, field):
    resp = call("POST", "/cats", body)
    assert resp.status == 400
    assert field in resp.json()["error"]
    assert api.records() == []


@pytest.mark.parametrize(("body", "field"), [(b, f) for b, f in CASES if "name" not in f])
def test_bad_patch_body_is_400_naming_field_and_changes_nothing(api, call, create, body, field):
    cat = create()
    patch = {k: v for k, v in body.items() if k != "name"} or body
    resp = call("PATCH", f"/cats/{cat['id']}", patch)
    assert resp.status == 400
    assert field in resp.json()["error"]
    assert api.records() == [cat]


def test_patch_cannot_null_or_blank_the_name(call, create):
    cat = create()
    assert "name" in call("PATCH", f"/cats/{cat['id']}", {"name": None}).json()["error"]
    assert call("PATCH", f"/cats/{cat['id']}", {"name": ""}).status == 400


def test_echoing_the_whole_record_back_in_a_patch_is_rejected(call, create):
    """A classic connector bug: PATCH with the record as read, read-only fields included."""
    cat = create()
    resp = call("PATCH", f"/cats/{cat['id']}", cat)
    assert resp.status == 400
    assert "read-only" in resp.json()["error"]


def test_name_is_required_on_create(call):
    resp = call("POST", "/cats", {"age": 1})
    assert resp.status == 400
    assert "name" in resp.json()["error"]


@pytest.mark.parametrize("raw", [b"{", b"", b"not json", b"{'name': 'Tom'}", b"\xff\xfe"])
def test_invalid_json_is_400(call, raw):
    resp = call("POST", "/cats", raw=raw)
    assert resp.status == 400
    assert "JSON" in resp.json()["error"]


def test_nan_is_not_json(call):
    resp = call("POST", "/cats", raw=b'{"name": "Tom", "age": NaN}')
    assert resp.status == 400


@pytest.mark.parametrize("body", [[{"name": "Tom"}], "Tom", 1, None])
def test_non_object_body_is_400(call, body):
    resp = call("POST", "/cats", raw=__import__("json").dumps(body).encode())
    assert resp.status == 400
    assert "object" in resp.json()["error"]


def test_boundaries_are_inclusive(call):
    ok = call("POST", "/cats", {"name": "x" * 100, "age": 30, "fluffiness": 100})
    assert ok.status == 201
    assert call("POST", "/cats", {"name": "x", "age": 0, "fluffiness": 0}).status == 201


def test_patch_of_unknown_id_is_404_even_with_bad_body(call):
    assert call("PATCH", "/cats/nope", {"age": "old"}).status == 404
