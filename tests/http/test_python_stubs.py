"""Every Python client a connector may use behaves, under the harness, as it does on a network:
redirects followed, bodies decoded and streamed, client timeouts and retries honoured, forms,
binary bodies, repeated headers and encoded queries carried intact, and every failure the
harness raises reaching the client as that client's own error, with the harness's message."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import aiohttp
import httpx
import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from tests.helpers.http import caught
from tests.http.terminal import BASE, BIG, BINARY, Scripted

KINDS = ("connect", "reset", "timeout", "blocked", "unmatched")
LATE_LIMIT = 20.0  # /late is 30 s late; a client timeout of 0.2 s must end the wait long before


@pytest.fixture
def api():
    scripted = Scripted()
    with caught(scripted.pipeline()):
        yield scripted


def run(coro):
    return asyncio.run(coro)


# --- redirects -----------------------------------------------------------------------------


def test_requests_follows_a_redirect(api):
    response = requests.get(f"{BASE}/old", timeout=5)
    assert response.json() == {"moved": True}
    assert [r.status_code for r in response.history] == [302]
    assert [r.url for r in api.seen] == [f"{BASE}/old", f"{BASE}/new"]


def test_aiohttp_follows_a_redirect(api):
    async def fetch():
        async with aiohttp.ClientSession() as session, session.get(f"{BASE}/old") as response:
            return await response.json(), [h.status for h in response.history]

    assert run(fetch()) == ({"moved": True}, [302])
    assert [r.url for r in api.seen] == [f"{BASE}/old", f"{BASE}/new"]


def test_urllib_follows_a_redirect(api):
    with urllib.request.urlopen(f"{BASE}/old", timeout=5) as response:
        assert response.read() == b'{"moved": true}'
    assert [r.url for r in api.seen] == [f"{BASE}/old", f"{BASE}/new"]


# --- decoded bodies: Content-Encoding never reaches a client ----------------------------------


def test_requests_gets_the_decoded_body_without_content_encoding(api):
    response = requests.get(f"{BASE}/gzip", timeout=5)
    assert response.content == b"plain"
    assert "content-encoding" not in {k.lower() for k in response.headers}


def test_aiohttp_gets_the_decoded_body_without_content_encoding(api):
    async def fetch():
        async with aiohttp.ClientSession() as session, session.get(f"{BASE}/gzip") as response:
            return await response.read(), dict(response.headers)

    body, headers = run(fetch())
    assert body == b"plain"
    assert "content-encoding" not in {k.lower() for k in headers}


def test_urllib_and_httpx_get_the_decoded_body_without_content_encoding(api):
    with urllib.request.urlopen(f"{BASE}/gzip", timeout=5) as response:
        assert response.read() == b"plain"
        assert response.headers.get("Content-Encoding") is None
    answer = httpx.get(f"{BASE}/gzip")
    assert answer.content == b"plain"
    assert "content-encoding" not in answer.headers


# --- streamed reads ------------------------------------------------------------------------


def test_requests_streams_a_body_in_chunks(api):
    with requests.get(f"{BASE}/big", stream=True, timeout=5) as response:
        chunks = list(response.iter_content(chunk_size=4096))
    assert b"".join(chunks) == BIG
    assert len(chunks) > 1


def test_aiohttp_reads_a_body_in_parts_and_by_line(api):
    async def fetch():
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{BASE}/big") as response:
                first = await response.content.read(100)
                rest = await response.content.read()
            async with session.get(f"{BASE}/big") as response:
                lines = [line async for line in response.content]
        return first + rest, lines

    whole, lines = run(fetch())
    assert whole == BIG
    assert b"".join(lines) == BIG
    assert len(lines) == BIG.count(b"\n")


# --- a client-side timeout -----------------------------------------------------------------


def test_requests_times_out_on_a_late_answer_with_its_own_error(api):
    start = time.monotonic()
    with pytest.raises(requests.Timeout):
        requests.get(f"{BASE}/late", timeout=0.2)
    assert time.monotonic() - start < LATE_LIMIT


def test_aiohttp_times_out_on_a_late_answer_with_its_own_error(api):
    async def fetch():
        timeout = aiohttp.ClientTimeout(total=0.2)
        session = aiohttp.ClientSession(timeout=timeout)
        async with session, session.get(f"{BASE}/late") as response:
            return await response.read()

    start = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):  # aiohttp.ServerTimeoutError is one
        run(fetch())
    assert time.monotonic() - start < LATE_LIMIT


def test_httpx_times_out_on_a_late_answer_with_its_own_error(api):
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{BASE}/late", timeout=0.2)
    assert time.monotonic() - start < LATE_LIMIT


# --- retries -------------------------------------------------------------------------------


def test_a_requests_session_retries_injected_503s_with_urllib3_retry(api):
    api.busy = 2
    session = requests.Session()
    retry = Retry(total=3, status_forcelist=(503,), backoff_factor=0, allowed_methods=None)
    session.mount("https://", HTTPAdapter(max_retries=retry))
    response = session.post(f"{BASE}/busy", json={"n": 1}, timeout=5)
    assert response.json() == {"ok": True}
    assert [r.method for r in api.seen] == ["POST"] * 3
    assert all(r.body == b'{"n": 1}' for r in api.seen)


# --- bodies --------------------------------------------------------------------------------


def test_requests_multipart_and_binary_bodies_arrive_intact(api):
    requests.post(
        f"{BASE}/echo", files={"f": ("x.bin", BINARY)}, data={"k": "v é"}, timeout=5
    ).raise_for_status()
    requests.put(f"{BASE}/echo", data=BINARY, timeout=5).raise_for_status()
    form, raw = api.seen
    assert form.header("Content-Type").startswith("multipart/form-data; boundary=")
    assert BINARY in form.body
    assert 'name="k"\r\n\r\nv é'.encode() in form.body
    assert raw.body == BINARY


def test_aiohttp_json_form_multipart_and_binary_bodies_arrive_as_aiohttp_sends_them(api):
    async def send():
        async with aiohttp.ClientSession() as session:
            await session.post(f"{BASE}/echo", json={"a": [1, "é"]})
            await session.post(f"{BASE}/echo", data={"k": "v w&x"})
            form = aiohttp.FormData()
            form.add_field("f", BINARY, filename="x.bin")
            await session.post(f"{BASE}/echo", data=form)
            await session.put(f"{BASE}/echo", data=BINARY)

    run(send())
    js, urlencoded, multipart, raw = api.seen
    assert js.header("Content-Type") == "application/json"
    assert js.body == b'{"a": [1, "\\u00e9"]}'
    assert urlencoded.header("Content-Type") == "application/x-www-form-urlencoded"
    assert parse_qs(urlencoded.text()) == {"k": ["v w&x"]}
    assert multipart.header("Content-Type").startswith("multipart/form-data; boundary=")
    assert BINARY in multipart.body
    assert raw.body == BINARY


def test_binary_answers_reach_every_client_intact(api):
    assert requests.get(f"{BASE}/binary", timeout=5).content == BINARY
    with urllib.request.urlopen(f"{BASE}/binary", timeout=5) as response:
        assert response.read() == BINARY

    async def fetch():
        async with aiohttp.ClientSession() as session, session.get(f"{BASE}/binary") as response:
            return await response.read()

    assert run(fetch()) == BINARY


# --- headers and queries -------------------------------------------------------------------


def test_repeated_response_headers_are_all_kept(api):
    assert requests.get(f"{BASE}/repeated", timeout=5).headers["X-Multi"] == "one, two"

    async def fetch():
        session = aiohttp.ClientSession()
        sent = [("X-A", "1"), ("X-A", "2")]
        async with session, session.get(f"{BASE}/repeated", headers=sent) as response:
            return response.headers.getall("X-Multi")

    assert run(fetch()) == ["one", "two"]
    assert [v for k, v in api.seen[-1].headers if k.lower() == "x-a"] == ["1", "2"]


QUERY = {"q": "lastModified ge 2024-01-01T00:00:00.000Z", "odd": "a b&c=d/é+%"}


def test_encoded_query_characters_arrive_as_the_client_encoded_them(api):
    requests.get(f"{BASE}/echo", params=QUERY, timeout=5)

    async def fetch():
        async with aiohttp.ClientSession() as session:
            await session.get(f"{BASE}/echo", params=QUERY)

    run(fetch())
    httpx.get(f"{BASE}/echo", params=QUERY)
    for request in api.seen:
        assert {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()} == QUERY


# --- the harness's failures, as each client's own errors -----------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_requests_raises_its_own_error_with_the_harness_message(api, kind):
    expected = requests.Timeout if kind == "timeout" else requests.ConnectionError
    with pytest.raises(expected, match=f"harness says {kind}"):
        requests.get(f"{BASE}/fail/{kind}", timeout=5)


@pytest.mark.parametrize("kind", KINDS)
def test_aiohttp_raises_a_client_error_with_the_harness_message(api, kind):
    async def fetch():
        async with aiohttp.ClientSession() as session:
            await session.get(f"{BASE}/fail/{kind}")

    with pytest.raises(aiohttp.ClientError, match=f"harness says {kind}"):
        run(fetch())


@pytest.mark.parametrize("kind", KINDS)
def test_urllib_raises_url_error_with_the_harness_message(api, kind):
    with pytest.raises(urllib.error.URLError, match=f"harness says {kind}"):
        urllib.request.urlopen(f"{BASE}/fail/{kind}", timeout=5)


@pytest.mark.parametrize("kind", KINDS)
def test_httpx_raises_its_own_error_with_the_harness_message(api, kind):
    expected = {"reset": httpx.ReadError, "timeout": httpx.ReadTimeout}.get(
        kind, httpx.ConnectError
    )
    with pytest.raises(expected, match=f"harness says {kind}"):
        httpx.get(f"{BASE}/fail/{kind}")
