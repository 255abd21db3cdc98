"""The page-size rewrite and the page count of real backends (conformance/backends/pages.py)."""

import asyncio

import httpx
import pytest

from conformance.backends.pages import Pager, PageSize, rewrite_query
from conformance.http.message import Request, Response
from conformance.http.pipeline import Pipeline
from tests.helpers.http import caught

LIMIT = PageSize("_limit", 1)


@pytest.mark.parametrize(
    ("query", "rewritten"),
    [
        ("_sort=last_modified&_limit=100", "_sort=last_modified&_limit=1"),
        ("_limit=100&_since=17", "_limit=1&_since=17"),
        ("_limit=", "_limit=1"),
        ("_limit", "_limit=1"),
        # repeated: one parameter, where it first appeared (Kinto refuses a repeated _limit)
        ("_limit=5&_sort=x&_limit=10", "_limit=1&_sort=x"),
        # every other byte as the connector sent it, encoding included
        ("_token=eyJ%3D%3D&_limit=5&q=a+b%2Cc", "_token=eyJ%3D%3D&_limit=1&q=a+b%2Cc"),
        # the name compared decoded: %5F is "_"
        ("%5Flimit=5", "%5Flimit=1"),
    ],
)
def test_the_page_size_parameter_is_set_wherever_the_connector_sent_it(query, rewritten):
    assert rewrite_query(query, LIMIT) == rewritten


@pytest.mark.parametrize("query", ["", "_sort=last_modified", "limit=5", "x_limit=5", "_limits=5"])
def test_a_request_without_the_parameter_is_left_alone_and_never_gets_it_added(query):
    assert rewrite_query(query, LIMIT) is None


def _terminal(seen: list[str]):
    def answer(request: Request) -> Response:
        seen.append(request.url)
        return Response(200, [("content-type", "application/json")], b"{}")

    return answer


def _sent(pager: Pager, *urls: str, calls: list[int] | None = None) -> list[str]:
    """Send `urls` through httpx with `pager` a step of the pipeline; what the end received."""
    seen: list[str] = []
    with caught(Pipeline([pager], _terminal(seen), offline=True)), httpx.Client() as client:
        for i, url in enumerate(urls):
            if calls and i in calls:
                pager.new_call()
            client.get(url)
    return seen


def test_sync_and_async_clients_send_the_rewritten_request():
    pager = Pager(LIMIT)
    assert _sent(pager, "https://api.test/records?_limit=100&_sort=x") == [
        "https://api.test/records?_limit=1&_sort=x"
    ]

    async def send() -> str:
        seen: list[str] = []
        with caught(Pipeline([pager], _terminal(seen), offline=True, in_memory=True)):
            async with httpx.AsyncClient() as client:
                await client.get("https://api.test/records", params={"_limit": 50})
        return seen[0]

    assert asyncio.run(send()) == "https://api.test/records?_limit=1"
    assert pager.rewritten == 2


def test_single_record_reads_and_writes_are_not_touched():
    pager = Pager(LIMIT)
    assert _sent(pager, "https://api.test/records/abc", "https://api.test/records/abc?x=1") == [
        "https://api.test/records/abc",
        "https://api.test/records/abc?x=1",
    ]
    assert pager.rewritten == 0


def test_without_a_page_size_nothing_is_rewritten_or_counted():
    pager = Pager(None)
    urls = ["https://api.test/r?_limit=100", "https://api.test/r?_limit=100&_token=2"]
    assert _sent(pager, *urls) == urls
    assert (pager.rewritten, pager.crossed) == (0, 0)


def test_a_page_is_crossed_by_a_further_listing_request_within_one_call():
    pager = Pager(LIMIT)
    _sent(
        pager,
        "https://api.test/r?_limit=100&_since=1",  # call 1: the first page...
        "https://api.test/r?_limit=1&_since=1&_token=a",  # ... the second
        "https://api.test/r?_limit=1&_since=1&_token=b",  # ... the third
        "https://api.test/r?_limit=100&_since=9",  # call 2: a first page again, not a crossing
        "https://api.test/r?_limit=100&_since=9",  # the same URL again: a retry, not a page
        "https://api.test/r/abc",  # a single-record read: not a listing
        calls=[0, 3],
    )
    assert pager.crossed == 2


def test_the_hint_for_a_failure_names_a_page_size_that_was_set_and_never_crossed():
    pager = Pager(LIMIT)
    assert pager.unfollowed() == ""  # no listing request: nothing to say
    _sent(
        pager,
        "https://api.test/r?_limit=100",
        "https://api.test/r?_limit=100&_since=2",
        calls=[0, 1],
    )
    assert "_limit=1 on 2 listing request(s)" in pager.unfollowed()
    _sent(pager, "https://api.test/r?_limit=100", "https://api.test/r?_limit=1&_token=a", calls=[0])
    assert pager.unfollowed() == "", "it crossed a page: paging is not the problem"


def test_the_page_size_round_trips_through_a_cassette_and_rejects_garbage():
    assert PageSize.from_json(LIMIT.to_json()) == LIMIT
    for stored in (None, {}, {"param": "", "size": 1}, {"param": "_limit", "size": 0}, "x"):
        assert PageSize.from_json(stored) is None
