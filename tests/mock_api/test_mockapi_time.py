"""Server clock controls, the timestamp format, and ``X-Server-Time`` on every response."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_api import ServerClock, format_ms, parse_ms

TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")


def test_format_is_rfc3339_utc_with_milliseconds():
    assert format_ms(1_555_941_714_123) == "2019-04-22T14:01:54.123Z"
    assert format_ms(0) == "1970-01-01T00:00:00.000Z"
    assert format_ms(-1) == "1969-12-31T23:59:59.999Z"


@given(st.integers(0, 253_402_300_799_999))
def test_format_and_parse_round_trip(ms):
    assert parse_ms(format_ms(ms)) == ms


@pytest.mark.parametrize(
    "text",
    ["2019-04-22T14:01:54.123Z", "2019-04-22T14:01:54.123+00:00", "2019-04-22T16:01:54.123+02:00"],
)
def test_parse_accepts_offsets(text):
    assert parse_ms(text) == 1_555_941_714_123


def test_parse_accepts_missing_fraction():
    assert parse_ms("2019-04-22T14:01:54Z") == 1_555_941_714_000


@pytest.mark.parametrize(
    "text",
    [
        "2019-04-22T14:01:54.1234Z",
        "2019-04-22T14:01:54.12Z",
        "2019-04-22 14:01:54Z",
        "2019-04-22T14:01:54",
        "2019-02-30T00:00:00Z",
        "2019-04-22T24:00:00Z",
        "2019-04-22t14:01:54z",
    ],
)
def test_parse_rejects_other_spellings(text):
    with pytest.raises(ValueError):
        parse_ms(text)


def _real_ms_around(read):
    """(real ms before, what `read` returned, real ms after): the value must fall between, however
    long the machine took between the reads (a busy machine may take any time at all)."""
    before = time.time() * 1000
    value = read()
    after = time.time() * 1000
    return int(before) - 1, value, int(after) + 1


def test_clock_tracks_real_time_plus_offset():
    clock = ServerClock()
    before, now, after = _real_ms_around(clock.now_ms)
    assert before <= now <= after
    clock.offset_ms = -3_600_000
    before, now, after = _real_ms_around(clock.now_ms)
    assert before - 3_600_000 <= now <= after - 3_600_000
    assert TS.match(clock.now())


def test_freeze_advance_unfreeze():
    clock = ServerClock()
    assert clock.freeze(at_ms=1000) == 1000
    assert clock.frozen and clock.now_ms() == clock.now_ms() == 1000
    assert clock.advance(5) == 1005
    clock.offset_ms = 10
    assert clock.now_ms() == 1015
    clock.unfreeze()
    assert not clock.frozen and clock.now_ms() > 1_500_000_000_000
    clock.reset()
    assert clock.offset_ms == 0


def test_freeze_now_stops_at_current_server_time():
    clock = ServerClock()
    clock.offset_ms = 60_000
    before = time.time_ns() // 1_000_000 + 60_000
    frozen = clock.freeze()
    assert before <= frozen <= before + 1000
    assert clock.now_ms() == frozen


def test_advance_without_freeze_moves_the_offset():
    clock = ServerClock()
    clock.advance(-500)
    assert clock.offset_ms == -500


def test_clock_moved_backwards_gives_older_last_modified(api, create):
    """Documented on purpose: lastModified is just the clock at write time."""
    api.clock.freeze(at_ms=10_000)
    first = create()
    api.clock.advance(-5)
    second = create()
    assert parse_ms(second["lastModified"]) < parse_ms(first["lastModified"])


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/cats", {}, 200),
        ("POST", "/cats", {"body": {"name": "Tom"}}, 201),
        ("POST", "/cats", {"body": {"name": ""}}, 400),
        ("GET", "/cats", {"token": None}, 401),
        ("GET", "/cats/missing", {}, 404),
        ("PUT", "/cats", {}, 405),
        ("GET", "/nowhere", {}, 404),
    ],
)
def test_x_server_time_on_every_response(api, call, method, path, kwargs, status):
    api.clock.freeze(at_ms=1_555_941_714_123)
    resp = call(method, path, **kwargs)
    assert resp.status == status
    assert resp.headers["X-Server-Time"] == "2019-04-22T14:01:54.123Z"


def test_x_server_time_on_delete_204(api, call, create):
    cat = create()
    api.clock.freeze(at_ms=5_000)
    resp = call("DELETE", f"/cats/{cat['id']}")
    assert resp.headers["X-Server-Time"] == format_ms(5_000)


def test_x_server_time_reflects_clock_offset(api, call):
    api.clock.offset_ms = -86_400_000
    before, response, after = _real_ms_around(lambda: call("GET", "/cats"))
    served = parse_ms(response.headers["X-Server-Time"])
    assert before - 86_400_000 <= served <= after - 86_400_000


def test_x_server_time_equals_last_modified_of_the_write(call):
    resp = call("POST", "/cats", {"name": "Tom"})
    assert resp.headers["X-Server-Time"] == resp.json()["lastModified"]
