"""A replay miss that differs from a recorded request only in a time says so."""

import pytest

from conformance.recording.clocklike import clock_note, clock_shaped_difference

BASE = "https://api.example/v1/records?_sort=last_modified&_limit=1"


def get(url: str, body: str = "") -> dict:
    return {"method": "GET", "url": url, "body": body}


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("1796599627589", "1796599500000"),  # milliseconds
        ("1796599627", "1796599500"),  # seconds
        ("1796599627.589", "1796599500.125"),  # seconds with a fraction
        ("1796599627589123", "1796599500000000"),  # microseconds
        ("2026-12-07T00:57:38Z", "2026-12-07T00:55:02Z"),
        ("2026-12-07T00:57:38.123456+00:00", "2026-12-07T00:55:02.000001+00:00"),
    ],
)
def test_a_request_that_differs_only_in_a_time_names_both_values(sent, kept):
    recorded = [get(f"{BASE}&_since=1"), get(f"{BASE}&_since={kept}")]
    assert clock_shaped_difference(get(f"{BASE}&_since={sent}"), recorded) == (sent, kept)


def test_percent_encoded_iso_times_in_the_query_are_seen():
    sent = get(f"{BASE}&after=2026-12-07T00%3A57%3A38Z")
    kept = get(f"{BASE}&after=2026-12-07T00%3A55%3A02Z")
    assert clock_shaped_difference(sent, [kept]) == ("2026-12-07T00:57:38Z", "2026-12-07T00:55:02Z")


def test_a_time_in_the_body_counts_and_the_rest_of_the_body_must_match():
    sent = {"method": "POST", "url": BASE, "body": '{"since": 1796599627589, "q": "a"}'}
    same = {"method": "POST", "url": BASE, "body": '{"since": 1796599500000, "q": "a"}'}
    other = {"method": "POST", "url": BASE, "body": '{"since": 1796599500000, "q": "b"}'}
    assert clock_shaped_difference(sent, [other]) is None
    assert clock_shaped_difference(sent, [other, same]) == ("1796599627589", "1796599500000")


@pytest.mark.parametrize(
    ("sent", "recorded"),
    [
        (get(f"{BASE}&_since=1796599627589"), get(f"{BASE}&_since=1796599627589&x=1")),
        (get(f"{BASE}&_since=1796599627589"), {**get(f"{BASE}&_since=1"), "method": "POST"}),
        (get(f"{BASE}&id=12345"), get(f"{BASE}&id=12346")),  # not clock-shaped: 5 digits
        (get(f"{BASE}&id=12345678901"), get(f"{BASE}&id=12345678902")),  # 11 digits: an id
        (get(f"{BASE}&_since=1796599627589"), get(f"{BASE}&_since=1796599627589")),  # identical
    ],
)
def test_anything_else_is_not_called_a_clock_difference(sent, recorded):
    assert clock_shaped_difference(sent, [recorded]) is None
    assert clock_note(sent, [recorded]) == ""


def test_the_note_says_what_differs_and_why_it_may():
    note = clock_note(get(f"{BASE}&_since=1796599627589"), [get(f"{BASE}&_since=1796599500000")])
    assert "only in a clock-shaped value (1796599627589 where the cassette has 1796599500000)" in (
        note
    )
    assert "docs/runtimes.md" in note
