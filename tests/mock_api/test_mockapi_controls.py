"""Harness controls: request log, fault interceptors, after-handle hooks, oracle, reset."""

from __future__ import annotations

import pytest

from mock_api import InvalidCat, Request, error_response, json_response

T0 = 1_555_941_714_000


def test_log_records_method_path_query_status_without_authorization(api, call):
    call("GET", "/cats?limit=5", headers={"X-Trace": "1"})
    call("POST", "/cats", {"name": ""})
    first, second = api.log
    assert (first.method, first.path, first.query, first.status) == (
        "GET",
        "/cats",
        {"limit": ["5"]},
        200,
    )
    assert first.headers == {"x-trace": "1"}
    assert "authorization" not in first.headers
    assert first.server_time
    assert (second.method, second.status, second.body) == ("POST", 400, b'{"name": ""}')
    api.log.clear()
    assert api.log == []


def test_interceptor_short_circuits_before_auth_and_handling(api, call):
    seen: list[Request] = []

    def throttle(request: Request):
        seen.append(request)
        if request.method == "POST":
            return json_response(429, {"error": "slow down"}, {"Retry-After": "2"})
        return None

    api.interceptors.append(throttle)
    resp = call("POST", "/cats", {"name": "Tom"}, token=None)
    assert (resp.status, resp.headers["Retry-After"]) == (429, "2")
    assert "X-Server-Time" in resp.headers
    assert api.records() == []
    assert call("GET", "/cats").status == 200
    assert [r.method for r in seen] == ["POST", "GET"]
    assert [entry.status for entry in api.log] == [429, 200]


def test_first_interceptor_response_wins(api, call):
    api.interceptors.append(lambda request: error_response(500, "boom"))
    api.interceptors.append(lambda request: error_response(503, "never"))
    assert call("GET", "/cats").status == 500


def test_interceptor_response_object_is_not_mutated(api, call):
    canned = error_response(500, "boom")
    api.interceptors.append(lambda request: canned)
    call("GET", "/cats")
    assert "X-Server-Time" not in canned.headers


def test_after_handle_write_lands_between_request_and_response(api, call):
    """The listing the client receives predates a write the server already committed."""
    api.clock.freeze(at_ms=T0)

    def concurrent_write(request, response):
        if request.method == "GET":
            api.create_as_other({"name": "racer"}, id="racer")

    api.after_handle.append(concurrent_write)
    resp = call("GET", "/cats")
    assert resp.json() == []
    assert resp.headers["X-Server-Time"] == api.record("racer")["lastModified"]


def test_after_handle_can_replace_the_response(api, call):
    api.after_handle.append(lambda request, response: error_response(502, "bad gateway"))
    resp = call("POST", "/cats", {"name": "Tom"})
    assert resp.status == 502
    assert len(api.records()) == 1  # the write happened; only the answer was lost
    assert api.log[-1].status == 502


def test_between_pages_runs_only_when_a_next_page_exists(api, call):
    api.page_size = 1
    api.create_as_other({"name": "a"})
    api.create_as_other({"name": "b"})
    calls = []
    hook = api.between_pages(lambda request, response: calls.append(response.headers["Link"]))
    call("GET", "/cats")
    call("GET", "/cats?limit=5")
    assert len(calls) == 1
    api.after_handle.remove(hook)
    call("GET", "/cats")
    assert len(calls) == 1


def test_other_client_writes_bypass_http_but_use_the_clock(api):
    api.clock.freeze(at_ms=T0)
    cat = api.create_as_other({"name": "Other", "toys": [{"name": "ball"}]}, id="x1")
    assert cat == {
        "id": "x1",
        "name": "Other",
        "toys": [{"name": "ball"}],
        "lastModified": "2019-04-22T14:01:54.000Z",
    }
    api.clock.advance(1)
    assert api.patch_as_other("x1", {"notes": None})["notes"] is None
    api.clock.advance(1)
    tomb = api.delete_as_other("x1")
    assert tomb == {"id": "x1", "deleted": True, "lastModified": "2019-04-22T14:01:54.002Z"}
    assert api.log == []
    assert api.record("x1") is None
    with pytest.raises(KeyError):
        api.patch_as_other("x1", {"age": 1})
    with pytest.raises(KeyError):
        api.delete_as_other("x1")
    with pytest.raises(ValueError):
        api.create_as_other({"name": "again"}, id="x1")


def test_other_client_writes_are_validated(api):
    with pytest.raises(InvalidCat, match="age"):
        api.create_as_other({"name": "x", "age": 99})
    cat = api.create_as_other({"name": "x"})
    with pytest.raises(InvalidCat, match="id"):
        api.patch_as_other(cat["id"], {"id": "y"})


def test_reset_empties_state_and_undoes_test_changes(api, call):
    api.create_as_other({"name": "a"})
    gone = api.create_as_other({"name": "b"})
    api.delete_as_other(gone["id"])
    call("GET", "/cats")
    api.interceptors.append(lambda request: None)
    api.after_handle.append(lambda request, response: None)
    api.page_size = 3
    api.clock.freeze(at_ms=0)
    api.clock.offset_ms = 5
    api.reset()
    assert (api.records(), api.tombstones(), api.log) == ([], [], [])
    assert (api.interceptors, api.after_handle, api.page_size) == ([], [], 50)
    assert not api.clock.frozen and api.clock.offset_ms == 0
    assert api.tokens == {"good-token"}
