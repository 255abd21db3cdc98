"""The same API reached three ways: respx-mocked httpx (sync, async) and real loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request

import httpx
import pytest
import respx

from mock_api import CatsAPI
from mock_api.loopback import _Server

AUTH = {"Authorization": "Bearer good-token"}


def test_sync_httpx_client_via_respx(api):
    with api.mock_httpx(), httpx.Client(base_url="https://api.cats.test", headers=AUTH) as client:
        created = client.post("/cats", json={"name": "Tom", "age": 2})
        assert created.status_code == 201
        cat = created.json()
        assert client.get(f"/cats/{cat['id']}").json() == cat
        assert client.patch(f"/cats/{cat['id']}", json={"age": 3}).json()["age"] == 3
        listing = client.get("/cats", params={"q": f"lastModified ge {cat['lastModified']}"})
        assert [c["id"] for c in listing.json()] == [cat["id"]]
        assert client.delete(f"/cats/{cat['id']}").status_code == 204
        assert client.get(f"/cats/{cat['id']}").status_code == 404
        unauthorized = client.get("/cats", headers={"Authorization": "Bearer bad"})
        assert unauthorized.status_code == 401
        assert "x-server-time" in unauthorized.headers
    assert [entry.status for entry in api.log] == [201, 200, 200, 200, 204, 404, 401]


def test_async_httpx_client_via_respx(api):
    api.page_size = 2
    api.clock.freeze()

    async def scenario():
        async with httpx.AsyncClient(headers=AUTH) as client:
            for name in "abcde":
                api.clock.advance(1)  # distinct ms, so listing order is creation order
                resp = await client.post("https://api.cats.test/cats", json={"name": name})
                assert resp.status_code == 201
            names, url = [], "https://api.cats.test/cats"
            while url:
                resp = await client.get(url)
                names += [c["name"] for c in resp.json()]
                url = resp.links.get("next", {}).get("url")
            return names

    with api.mock_httpx():
        assert asyncio.run(scenario()) == list("abcde")


def test_other_hosts_fail_loudly_by_default(api):
    with api.mock_httpx(), httpx.Client() as client:
        with pytest.raises(respx.models.AllMockedAssertionError):
            client.get("https://api.dogs.test/dogs")
        with pytest.raises(respx.models.AllMockedAssertionError):
            client.get("https://api.cats.test.evil/cats", headers=AUTH)


def test_a_url_is_ours_only_by_its_scheme_host_port_and_path_prefix(api):
    """Mentioning the base elsewhere in a URL (a query, another port or scheme) is not enough."""
    with api.mock_httpx("https://gateway.test/v2"), httpx.Client(headers=AUTH) as client:
        assert client.get("https://gateway.test/v2/cats").status_code == 200
        assert client.get("https://gateway.test:443/v2/cats").status_code == 200
        for foreign in (
            "https://evil.test/?next=https://gateway.test/v2/cats",
            "https://gateway.test/v20/cats",
            "https://gateway.test/cats",
            "http://gateway.test/v2/cats",
            "https://gateway.test:8443/v2/cats",
        ):
            with pytest.raises(respx.models.AllMockedAssertionError):
                client.get(foreign)
    assert len(api.log) == 2


def test_repeated_request_headers_reach_the_mock_joined(api):
    with api.mock_httpx(), httpx.Client() as client:
        headers = [("Authorization", AUTH["Authorization"]), ("X-Tag", "a"), ("X-Tag", "b")]
        assert client.get("https://api.cats.test/cats", headers=headers).status_code == 200
    assert api.log[0].headers["x-tag"] == "a, b"


def test_allow_other_hosts_passes_them_through(api):
    other = CatsAPI(tokens=None)
    with other.serve() as base_url, api.mock_httpx(allow_other_hosts=True), httpx.Client() as c:
        assert c.get(f"{base_url}/cats", headers={"Authorization": "Bearer x"}).status_code == 200
        assert c.get("https://api.cats.test/cats", headers=AUTH).status_code == 200
    assert len(other.log) == len(api.log) == 1


def test_extra_base_url_with_path_prefix(api):
    api.page_size = 1
    api.clock.freeze()
    api.create_as_other({"name": "a"}, id="1")
    api.create_as_other({"name": "b"}, id="2")
    with api.mock_httpx("https://gateway.test/cats-api/v2"), httpx.Client(headers=AUTH) as client:
        resp = client.get("https://gateway.test/cats-api/v2/cats")
        assert resp.status_code == 200
        assert resp.links["next"]["url"].startswith("https://gateway.test/cats-api/v2/cats?after=")
        assert client.get(resp.links["next"]["url"]).json()[0]["name"] == "b"
    assert api.log[0].path == "/cats"


def test_mock_is_inactive_after_the_block(api):
    other = CatsAPI(tokens=None)
    with other.serve() as base_url, httpx.Client(headers=AUTH) as client:
        with api.mock_httpx(), pytest.raises(respx.models.AllMockedAssertionError):
            client.get(f"{base_url}/cats")
        assert client.get(f"{base_url}/cats").status_code == 200


def _urllib(method, url, body=None, token="good-token"):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_loopback_server_with_plain_urllib(api):
    api.page_size = 1
    api.clock.freeze()
    with api.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        status, headers, body = _urllib("POST", f"{base_url}/cats", {"name": "Tom"})
        assert status == 201 and "X-Server-Time" in headers
        cat = json.loads(body)
        api.clock.advance(1)  # distinct ms, so listing order is creation order
        _urllib("POST", f"{base_url}/cats", {"name": "Kit"})
        status, headers, body = _urllib("GET", f"{base_url}/cats")
        assert (status, json.loads(body)) == (200, [cat])
        assert headers["Link"].startswith(f"<{base_url}/cats?after=")
        status, _, body = _urllib("PATCH", f"{base_url}/cats/{cat['id']}", {"age": "x"})
        assert status == 400 and "age" in json.loads(body)["error"]
        status, headers, body = _urllib("DELETE", f"{base_url}/cats/{cat['id']}")
        assert (status, body) == (204, b"")
        assert _urllib("GET", f"{base_url}/cats", token=None)[0] == 401
        assert _urllib("GET", f"{base_url}/cats/{cat['id']}")[0] == 404
        assert _urllib("PUT", f"{base_url}/cats")[0] == 405
    assert [e.status for e in api.log] == [201, 201, 200, 400, 204, 401, 404, 405]


def test_loopback_chunked_request_body(api):
    with api.serve() as base_url, httpx.Client(headers=AUTH) as client:
        resp = client.post(f"{base_url}/cats", content=iter([b'{"name":', b' "Chunky"}']))
        assert resp.status_code == 201
        assert resp.json()["name"] == "Chunky"


def test_loopback_shuts_down_fast_with_keepalive_connections_open(api):
    client = httpx.Client(headers=AUTH)
    try:
        with api.serve() as base_url:
            assert client.get(f"{base_url}/cats").status_code == 200
            started = time.monotonic()
        # a shutdown waiting on the open connection would end only at the 5 s join timeout
        assert time.monotonic() - started < 4.0
        with pytest.raises(httpx.TransportError):
            client.get(f"{base_url}/cats")
    finally:
        client.close()


def test_loopback_concurrent_writes_are_all_stored(api):
    with api.serve() as base_url:

        def writer(n):
            with httpx.Client(headers=AUTH) as client:
                for i in range(20):
                    assert client.post(f"{base_url}/cats", json={"name": f"{n}-{i}"}).is_success

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(api.records()) == 80
    assert len({r["id"] for r in api.records()}) == 80


@pytest.mark.parametrize("gone", [BrokenPipeError, ConnectionResetError])
def test_loopback_stays_quiet_when_a_client_leaves_mid_answer(api, capsys, gone):
    server = _Server(api)
    try:
        try:
            raise gone()
        except OSError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a bug in the mock")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "a bug in the mock" in capsys.readouterr().err, "real errors are still shown"
    finally:
        server.server_close()
