"""Create, read, patch and delete single cats, and what the server stores."""

from __future__ import annotations

import re
import uuid

from mock_api import parse_ms

TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")


def test_create_returns_201_with_full_record_and_server_fields(api, call):
    body = {
        "name": "Tom",
        "sex": "male",
        "age": 3,
        "fluffiness": 80,
        "toys": [{"name": "ball"}],
        "notes": None,
    }
    resp = call("POST", "/cats", body)
    assert resp.status == 201
    cat = resp.json()
    assert uuid.UUID(cat["id"])
    assert TS.match(cat["lastModified"])
    assert {k: v for k, v in cat.items() if k not in ("id", "lastModified")} == body
    assert resp.headers["Location"].endswith("/cats/" + cat["id"])
    assert api.records() == [cat]


def test_absent_optional_fields_stay_absent(create):
    cat = create(name="Minimal")
    assert set(cat) == {"id", "name", "lastModified"}


def test_server_assigns_distinct_ids(create):
    assert create()["id"] != create()["id"]


def test_get_returns_record(call, create):
    cat = create(age=2)
    resp = call("GET", f"/cats/{cat['id']}")
    assert (resp.status, resp.json()) == (200, cat)


def test_get_unknown_is_404(call):
    resp = call("GET", f"/cats/{uuid.uuid4()}")
    assert (resp.status, resp.json()) == (404, {"error": "not found"})


def test_patch_replaces_present_fields_only_and_bumps_last_modified(api, call, create):
    api.clock.freeze(at_ms=1_000_000)
    cat = create(name="Tom", age=2, notes="shy")
    api.clock.advance(5)
    resp = call("PATCH", f"/cats/{cat['id']}", {"age": 3})
    assert resp.status == 200
    patched = resp.json()
    assert patched == {**cat, "age": 3, "lastModified": patched["lastModified"]}
    assert parse_ms(patched["lastModified"]) == parse_ms(cat["lastModified"]) + 5
    assert call("GET", f"/cats/{cat['id']}").json() == patched


def test_patch_replaces_toys_whole(call, create):
    cat = create(toys=[{"name": "ball"}, {"name": "mouse"}])
    patched = call("PATCH", f"/cats/{cat['id']}", {"toys": [{"name": "string"}]}).json()
    assert patched["toys"] == [{"name": "string"}]
    assert call("PATCH", f"/cats/{cat['id']}", {"toys": []}).json()["toys"] == []


def test_patch_can_set_notes_to_null(call, create):
    cat = create(notes="bites")
    patched = call("PATCH", f"/cats/{cat['id']}", {"notes": None}).json()
    assert "notes" in patched and patched["notes"] is None


def test_patch_can_add_a_field_absent_at_creation(call, create):
    cat = create()
    assert call("PATCH", f"/cats/{cat['id']}", {"sex": "female"}).json()["sex"] == "female"


def test_empty_patch_still_bumps_last_modified(api, call, create):
    api.clock.freeze(at_ms=2_000_000)
    cat = create()
    api.clock.advance(1)
    patched = call("PATCH", f"/cats/{cat['id']}", {}).json()
    assert parse_ms(patched["lastModified"]) == 2_000_001


def test_patch_unknown_is_404(call):
    assert call("PATCH", f"/cats/{uuid.uuid4()}", {"age": 1}).status == 404


def test_delete_is_204_empty_then_gone(call, create):
    cat = create()
    resp = call("DELETE", f"/cats/{cat['id']}")
    assert (resp.status, resp.body) == (204, b"")
    assert "Content-Type" not in resp.headers
    assert call("GET", f"/cats/{cat['id']}").status == 404
    assert call("PATCH", f"/cats/{cat['id']}", {"age": 1}).status == 404
    assert call("DELETE", f"/cats/{cat['id']}").status == 404


def test_delete_unknown_is_404(call):
    assert call("DELETE", f"/cats/{uuid.uuid4()}").status == 404


def test_delete_leaves_tombstone_stamped_with_deletion_time(api, call, create):
    api.clock.freeze(at_ms=3_000_000)
    cat = create()
    api.clock.advance(7)
    call("DELETE", f"/cats/{cat['id']}")
    assert api.records() == []
    assert api.tombstones() == [
        {"id": cat["id"], "deleted": True, "lastModified": "1970-01-01T00:50:00.007Z"}
    ]


def test_every_write_gets_current_clock_in_ms_format(api, create, call):
    api.clock.freeze(at_ms=1_555_941_714_123)
    cat = create()
    assert cat["lastModified"] == "2019-04-22T14:01:54.123Z"


def test_unknown_route_is_404_and_wrong_method_is_405(call, create):
    assert call("GET", "/dogs").status == 404
    assert call("GET", "/cats/").status == 404
    assert call("GET", "/cats/a/b").status == 404
    put = call("PUT", "/cats", {"name": "x"})
    assert (put.status, put.headers["Allow"]) == (405, "GET, POST")
    cat = create()
    post = call("POST", f"/cats/{cat['id']}", {"name": "x"})
    assert (post.status, post.headers["Allow"]) == (405, "GET, PATCH, DELETE")


def test_responses_do_not_alias_the_store(api, create):
    cat = create(toys=[{"name": "ball"}])
    api.records()[0]["toys"].append({"name": "leak"})
    api.record(cat["id"])["name"] = "leak"
    assert api.record(cat["id"]) == cat


def test_every_write_bumps_the_revision_sent_as_etag(call, create):
    cat = create(name="Rev")
    first = call("GET", f"/cats/{cat['id']}").headers["ETag"]
    patched = call("PATCH", f"/cats/{cat['id']}", {"age": 4})
    assert patched.headers["ETag"] != first
    assert call("GET", f"/cats/{cat['id']}").headers["ETag"] == patched.headers["ETag"]


def test_if_match_with_a_stale_revision_is_refused_with_412_and_changes_nothing(api, call):
    created = call("POST", "/cats", {"name": "Stale"})
    cat, seen = created.json(), created.headers["ETag"]
    call("PATCH", f"/cats/{cat['id']}", {"age": 4})  # the revision moves on
    stale = {"If-Match": seen}
    assert call("DELETE", f"/cats/{cat['id']}", headers=stale).status == 412
    assert call("PATCH", f"/cats/{cat['id']}", {"age": 9}, headers=stale).status == 412
    assert api.record(cat["id"])["age"] == 4


def test_if_match_with_the_current_revision_or_a_star_writes(api, call):
    created = call("POST", "/cats", {"name": "Fresh"})
    cat = created.json()
    patched = call(
        "PATCH", f"/cats/{cat['id']}", {"age": 4}, headers={"If-Match": created.headers["ETag"]}
    )
    assert patched.status == 200
    assert call("DELETE", f"/cats/{cat['id']}", headers={"If-Match": "*"}).status == 204
    assert api.record(cat["id"]) is None
