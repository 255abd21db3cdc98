"""`this.httpClient` and `fetch` in a JS module: requests are performed by httpx in the harness,
so respx (and vcrpy, the live guard, `-v`) see them exactly as they see a Python connector's.
"""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from conformance.errors import ConnectorCallError
from tests.helpers import ROOT
from tests.helpers.node import call, js_module, needs_node, session

pytestmark = needs_node

API = "https://api.test/v1"
NEXT = '<https://api.test/v1/cats?page=2>; rel="next"'

MODULE = ROOT / "tests" / "connectors" / "node_http"


@pytest.fixture
def api():
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{API}/cats/1").respond(json={"id": "1", "name": "Tom"})
        router.post(f"{API}/cats").respond(201, json={"id": "2"})
        router.put(f"{API}/cats/1").respond(json={"put": True})
        router.patch(f"{API}/cats/1").respond(json={"patched": True})
        router.get("https://other.test/x").respond(json="elsewhere")
        router.get(f"{API}/text").respond(text="plain words")
        router.delete(f"{API}/cats/1").respond(204)
        router.get(f"{API}/cats").respond(
            json=[{"id": "1"}],
            headers={
                "X-Server-Time": "2024-01-01T00:00:00.000Z",
                "Link": '<https://api.test/v1/cats?page=2>; rel="next"',
            },
        )
        router.get(f"{API}/cats/nope").respond(
            404, json={"error": "gone"}, headers={"X-Why": "deleted"}
        )
        yield router


@pytest.fixture
def scope(api):
    scope = session(MODULE, {"apiToken": "tok", "baseUrl": API})
    yield scope
    scope.close()


def test_relative_urls_resolve_against_the_account_base_url_with_headers_and_query(scope, api):
    assert call(scope, "get", "record") == {"id": "1", "name": "Tom"}
    request = api.calls.last.request
    assert str(request.url) == f"{API}/cats/1?expand=toys"
    assert request.headers["authorization"] == "Bearer tok"


@pytest.mark.parametrize(
    ("what", "method", "sent"),
    [
        ("post", "POST", {"name": "Tom"}),
        ("put", "PUT", {"name": "Tom"}),
        ("request", "PATCH", {"age": 2}),
    ],
)
def test_bodies_are_sent_as_json_and_the_answer_is_the_parsed_body(scope, api, what, method, sent):
    result = call(scope, "get", what)
    request = api.calls.last.request
    assert request.method == method
    assert json.loads(request.content) == sent
    assert request.headers["content-type"] == "application/json"
    assert result == {"post": {"id": "2"}, "put": {"put": True}, "request": {"patched": True}}[what]


def test_headers_can_be_removed_and_the_base_url_changed(scope, api):
    call(scope, "get", "unauthenticated")
    assert "authorization" not in api.calls.last.request.headers
    assert call(scope, "get", "rebased") == "elsewhere"


def test_a_text_body_resolves_to_text_and_an_empty_one_to_null(scope):
    assert call(scope, "get", "text") == "plain words"
    assert call(scope, "get", "empty") is None


def test_full_gives_status_headers_and_body(scope):
    assert call(scope, "get", "full") == {
        "status": 200,
        "time": "2024-01-01T00:00:00.000Z",
        "link": NEXT,
        "body": [{"id": "1"}],
    }


def test_a_non_2xx_answer_rejects_with_status_headers_and_body(scope):
    assert call(scope, "get", "missing") == {
        "status": 404,
        "body": {"error": "gone"},
        "header": "deleted",
        "message": 'GET https://api.test/v1/cats/nope answered 404: {"error":"gone"}',
    }


def test_global_fetch_is_routed_through_the_harness(scope, api):
    assert call(scope, "get", "fetch") == {
        "status": 201,
        "ok": True,
        "body": {"id": "2"},
        "time": None,
    }
    assert json.loads(api.calls.last.request.content) == {"a": 1}


def test_a_transport_error_reaches_the_module_named_as_in_python(tmp_path):
    folder = js_module(
        tmp_path,
        "  async init () {},\n"
        "  async get () { return await this.httpClient.get('https://api.test/down') }",
    )
    with respx.mock() as router:
        router.get("https://api.test/down").mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(ConnectorCallError) as failure:
            session(folder).get("x")
    assert "raised ConnectError: GET https://api.test/down: refused" in failure.value.problem
    assert "dataSourceApp.js:3:" in failure.value.detail, "the stack reaches the module's await"
