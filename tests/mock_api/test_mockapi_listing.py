"""``GET /cats``: change filters, tombstones, ordering and keyset paging."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_api import CatsAPI, format_ms

AUTH = {"Authorization": "Bearer good-token"}
T0 = 1_555_941_714_000  # 2019-04-22T14:01:54.000Z


def next_link(resp) -> str | None:
    link = resp.headers.get("Link")
    if link is None:
        return None
    m = re.fullmatch(r'<([^>]+)>; rel="next"', link)
    assert m, link
    return m.group(1)


def list_all(api, url: str, between=None) -> list[list[dict]]:
    """Follow Link headers from ``url``; returns the pages."""
    pages = []
    while url:
        resp = api.handle("GET", url, AUTH)
        assert resp.status == 200, resp.body
        pages.append(resp.json())
        url = next_link(resp)
        if url and between:
            between()
    return pages


def ids(items) -> list[str]:
    return [item["id"] for item in items]


def test_empty_listing_is_bare_empty_array(call):
    resp = call("GET", "/cats")
    assert (resp.status, resp.json(), resp.headers.get("Link")) == (200, [], None)
    assert resp.headers["Content-Type"] == "application/json"


def test_sorted_by_last_modified_then_id(api, call):
    api.clock.freeze(at_ms=T0)
    later = api.create_as_other({"name": "late"}, id="0-late")
    api.clock.freeze(at_ms=T0 - 10)
    same_ms = [api.create_as_other({"name": n}, id=n) for n in ("c", "a", "b")]
    body = call("GET", "/cats").json()
    assert ids(body) == ["a", "b", "c", later["id"]]
    assert body[0] == api.record("a")
    assert len(same_ms) == 3


@pytest.fixture
def boundary(api):
    """a and b written in the same millisecond T0, c one millisecond later."""
    api.clock.freeze(at_ms=T0 - 1)
    api.create_as_other({"name": "before"}, id="before")
    api.clock.freeze(at_ms=T0)
    api.create_as_other({"name": "a"}, id="a")
    api.create_as_other({"name": "b"}, id="b")
    api.clock.advance(1)
    api.create_as_other({"name": "c"}, id="c")
    return api


def q(op: str, ts: str) -> str:
    return f"/cats?q=lastModified%20{op}%20{ts.replace('+', '%2B')}"


@pytest.mark.usefixtures("boundary")
@pytest.mark.parametrize(
    ("op", "ts", "expected"),
    [
        ("ge", format_ms(T0), ["a", "b", "c"]),
        ("gt", format_ms(T0), ["c"]),
        ("gt", format_ms(T0 - 1), ["a", "b", "c"]),
        ("ge", format_ms(T0 + 1), ["c"]),
        ("gt", format_ms(T0 + 1), []),
        ("ge", "2019-04-22T14:01:54Z", ["a", "b", "c"]),
        ("gt", "2019-04-22T14:01:54Z", ["c"]),
        ("ge", "2019-04-22T14:01:54.000+00:00", ["a", "b", "c"]),
        ("gt", "2019-04-22T14:01:54+00:00", ["c"]),
        ("gt", "2019-04-22T16:01:54+02:00", ["c"]),
    ],
)
def test_q_filters_strictly_at_the_millisecond_boundary(call, op, ts, expected):
    resp = call("GET", q(op, ts))
    assert resp.status == 200, resp.body
    assert ids(resp.json()) == expected


@pytest.mark.parametrize(
    "raw_q",
    [
        "lastModified%20eq%202019-04-22T14:01:54.000Z",
        "name%20ge%202019-04-22T14:01:54.000Z",
        "lastModified%20ge%20yesterday",
        "lastModified%20ge%202019-04-22T14:01:54.000123Z",
        "lastModified%20ge%202019-04-22T14:01:54.000",
        "lastModified%20ge%202019-04-22%2014:01:54.000Z",
        "lastModified%20ge%202019-13-22T14:01:54.000Z",
        "lastModified%20%20ge%202019-04-22T14:01:54.000Z",
        "lastModified%20ge%201555941714000",
        "lastModified%20ge%20",
        "",
        # '+' not percent-encoded decodes to a space: a real encoding bug in a connector.
        "lastModified%20ge%202019-04-22T14:01:54.000+00:00",
    ],
)
def test_malformed_q_is_400_naming_q(call, raw_q):
    resp = call("GET", f"/cats?q={raw_q}")
    assert resp.status == 400
    assert "q" in resp.json()["error"].split(":")[0]


def test_tombstones_only_with_include_deleted(api, call):
    api.clock.freeze(at_ms=T0)
    api.create_as_other({"name": "keep"}, id="keep")
    api.create_as_other({"name": "gone"}, id="gone")
    api.clock.advance(1)
    api.delete_as_other("gone")
    assert ids(call("GET", "/cats").json()) == ["keep"]
    assert call("GET", "/cats?includeDeleted=false").json() == call("GET", "/cats").json()
    body = call("GET", "/cats?includeDeleted=true").json()
    assert body == [api.record("keep"), api.tombstones()[0]]
    assert body[1] == {"id": "gone", "deleted": True, "lastModified": format_ms(T0 + 1)}
    since = call("GET", q("gt", format_ms(T0)) + "&includeDeleted=true").json()
    assert ids(since) == ["gone"]


@pytest.mark.parametrize("value", ["True", "1", "yes", ""])
def test_include_deleted_must_be_true_or_false(call, value):
    resp = call("GET", f"/cats?includeDeleted={value}")
    assert resp.status == 400
    assert "includeDeleted" in resp.json()["error"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "", " 5"])
def test_limit_out_of_range_is_400(call, limit):
    resp = call("GET", f"/cats?limit={limit}")
    assert resp.status == 400
    assert "limit" in resp.json()["error"]


def test_limit_bounds_are_inclusive(api, call):
    for i in range(101):
        api.create_as_other({"name": f"c{i}"})
    assert len(call("GET", "/cats?limit=100").json()) == 100
    assert len(call("GET", "/cats?limit=1").json()) == 1


def test_default_limit_is_page_size(api, call):
    for i in range(60):
        api.create_as_other({"name": f"c{i}"})
    assert len(call("GET", "/cats").json()) == 50
    api.page_size = 7
    assert len(call("GET", "/cats").json()) == 7
    with pytest.raises(ValueError):
        api.page_size = 0


def test_unknown_or_repeated_query_parameter_is_400(call):
    assert "since" in call("GET", "/cats?since=x").json()["error"]
    assert "limit" in call("GET", "/cats?limit=1&limit=2").json()["error"]


def test_link_keeps_query_and_adds_opaque_cursor(api):
    api.clock.freeze(at_ms=T0)
    for name in "abcde":
        api.create_as_other({"name": name}, id=name)
    url = f"https://api.cats.test{q('ge', format_ms(T0))}&includeDeleted=true&limit=2"
    first = api.handle("GET", url, AUTH)
    link = next_link(first)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "api.cats.test", "/cats")
    query = parse_qs(parts.query)
    assert query["q"] == [f"lastModified ge {format_ms(T0)}"]
    assert query["includeDeleted"] == ["true"]
    assert query["limit"] == ["2"]
    assert query["after"] and "a" not in query["after"][0].split(":")
    pages = list_all(api, url)
    assert [ids(p) for p in pages] == [["a", "b"], ["c", "d"], ["e"]]


def test_no_link_when_page_is_exactly_full(api, call):
    api.create_as_other({"name": "a"})
    api.create_as_other({"name": "b"})
    assert "Link" not in call("GET", "/cats?limit=2").headers


def test_link_uses_the_base_url_the_request_came_in_on(api):
    api.page_size = 1
    api.create_as_other({"name": "a"})
    api.create_as_other({"name": "b"})
    resp = api.handle("GET", "http://127.0.0.1:8123/cats", AUTH)
    assert next_link(resp).startswith("http://127.0.0.1:8123/cats?after=")


def test_record_modified_between_pages_is_not_skipped(api):
    api.page_size = 2
    api.clock.freeze(at_ms=T0)
    for name in "abcd":
        api.create_as_other({"name": name}, id=name)
        api.clock.advance(1)

    def touch_a():
        api.clock.advance(1)
        api.patch_as_other("a", {"age": 9})

    pages = list_all(api, "https://api.cats.test/cats", between=touch_a)
    seen = [item for page in pages for item in page]
    assert ids(seen) == ["a", "b", "c", "d", "a"]
    assert seen[-1]["age"] == 9


def test_bad_cursor_is_400_naming_after(call):
    for cursor in ["garbage!", "bm90LWEtY3Vyc29y", "", "MTIz"]:
        resp = call("GET", f"/cats?after={cursor}")
        assert resp.status == 400, cursor
        assert "after" in resp.json()["error"]


WRITES = st.lists(
    st.tuples(st.sampled_from(["create", "patch", "delete"]), st.integers(0, 30)),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    initial=st.integers(0, 12),
    page=st.integers(1, 4),
    between=st.lists(WRITES, max_size=8),
)
def test_keyset_paging_ends_with_every_record_in_its_final_state(initial, page, between):
    """Whatever other clients write between pages (on a ticking clock), following Link from
    the start sees the final version of every record and tombstone."""
    api = CatsAPI(tokens=None, page_size=page)
    api.clock.freeze(at_ms=T0)
    for i in range(initial):
        api.clock.advance(1)
        api.create_as_other({"name": f"c{i}"})
    batches = iter(between)

    def other_client():
        for op, n in next(batches, []):
            api.clock.advance(1)
            live = [r["id"] for r in api.records()]
            if op == "create" or not live:
                api.create_as_other({"name": f"n{n}"})
            elif op == "patch":
                api.patch_as_other(live[n % len(live)], {"age": n})
            else:
                api.delete_as_other(live[n % len(live)])

    headers = {"Authorization": "Bearer any"}
    url, last_seen = "https://api.cats.test/cats?includeDeleted=true", {}
    while url:
        resp = api.handle("GET", url, headers)
        for item in resp.json():
            last_seen[item["id"]] = item
        url = next_link(resp)
        if url:
            other_client()
    final = {item["id"]: item for item in api.records() + api.tombstones()}
    assert last_seen == final


def test_max_page_size_caps_pages_whatever_the_client_asks(api, call):
    for i in range(5):
        api.create_as_other({"name": f"c{i}"})
    api.max_page_size = 2
    first = call("GET", "/cats?limit=100")
    assert len(first.json()) == 2
    assert 'rel="next"' in first.headers["Link"]
    api.reset()
    assert api.max_page_size is None


def test_pages_followed_counts_listing_requests_that_continue_from_a_cursor(api, call, create):
    api.page_size = 2
    for _ in range(5):
        create()
    response = call("GET", "/cats")
    while 'rel="next"' in response.headers.get("Link", ""):
        link = response.headers["Link"].split(";")[0].strip("<>")
        response = call("GET", link.removeprefix("https://api.cats.test"))
    api.reset()  # a statistic of the object's life, kept across resets
    assert api.pages_followed == 2
