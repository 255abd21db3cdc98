"""The NodeJS bridge's catching side, driven over the worker protocol by a stand-in harness: every
client a module may use (axios, got, node-fetch, superagent, https.request, fetch) has its
request relayed with the `http` op, the answer reaches it as that client reads a network answer
(redirects followed, HTTP errors as responses, failures with their Node error codes, `delay`
waited), and a socket opened by hand (undici's own request, net.connect) is refused unless the
scope allows its host:port.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conformance.runtime import node_process
from conformance.runtime.worker import Worker
from tests.helpers import ROOT
from tests.helpers.node import needs_node
from tests.helpers.npm import copy_module

pytestmark = needs_node

PROBE = ROOT / "tests" / "connectors" / "node_clients"
URL = "https://api.test/v1/cats?page=1"
CAUGHT = ("axios", "got", "node-fetch", "fetch", "superagent", "https")
ON_HTTP = ("axios", "got", "node-fetch", "superagent", "https")  # all built on node:http


def ok(body: Any, status: int = 200, **extra: Any) -> dict[str, Any]:
    return {
        "status": status,
        "headers": [["content-type", "application/json"]],
        "body": json.dumps(body),
        **extra,
    }


class StandIn:
    """Answers each `http` op of the bridge with `answer(request)`; keeps the requests."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Callable[[dict[str, Any]], Any] = lambda request: ok({"seen": request["url"]})

    def serve(self, worker: Worker, message: dict[str, Any]) -> None:
        self.requests.append(message["request"])
        answer = self.answer(message["request"])
        if isinstance(answer, tuple):  # (name, message): an error reply of the protocol
            worker.reply_error(message["id"], *answer)
        else:
            worker.reply(message["id"], answer)


@pytest.fixture(scope="module")
def probe(npm_clients):
    return copy_module(npm_clients, PROBE) / "dataSourceApp.js"


@pytest.fixture
def harness() -> StandIn:
    return StandIn()


@pytest.fixture
def bridge(harness) -> Iterator[Worker]:
    worker = Worker([node_process.find_node(), str(node_process.BRIDGE)], harness.serve)
    worker.hello()
    yield worker
    worker.kill("the test is over")


SCOPES = iter(range(1, 10_000))


def run(bridge: Worker, probe, *request: Any, allow: list[str] | None = None) -> dict[str, Any]:
    """One get([client, method, url, option]) in a fresh scope: what the module saw."""
    scope = next(SCOPES)
    opened = bridge.request("open", scope=scope, module=str(probe), allow=allow or []).result(60)
    assert opened["ok"], opened
    answer = bridge.request("call", scope=scope, method="get", args=[list(request)]).result(60)
    bridge.event("close", scope=scope)
    assert answer["ok"], answer
    return {**answer["value"], "escaped": answer.get("escaped"), "logs": answer["logs"]}


@pytest.mark.parametrize("client", CAUGHT)
def test_each_client_is_relayed_and_answered_by_the_harness(bridge, harness, probe, client):
    seen = run(bridge, probe, client, "POST", URL)
    assert (seen["status"], seen["body"]) == (200, {"seen": URL})
    [request] = harness.requests
    assert request["client"] == ("fetch" if client == "fetch" else "node:http")
    assert (request["method"], request["url"]) == ("POST", URL)
    assert json.loads(request["body"]) == {"cat": "Tom"}
    assert ["x-probe", client] in [[k.lower(), v] for k, v in request["headers"]]


@pytest.mark.parametrize("client", ("axios", "got", "node-fetch", "fetch", "superagent"))
def test_a_redirect_is_relayed_as_is_and_the_client_follows_it(bridge, harness, probe, client):
    def answer(request):
        if request["url"].endswith("/start"):
            return {"status": 302, "headers": [["location", "/v1/final"]], "body": ""}
        return ok({"at": request["url"]})

    harness.answer = answer
    seen = run(bridge, probe, client, "GET", "https://api.test/v1/start")
    assert seen["body"] == {"at": "https://api.test/v1/final"}
    assert [r["url"] for r in harness.requests] == [
        "https://api.test/v1/start",
        "https://api.test/v1/final",
    ]


@pytest.mark.parametrize(
    "failure",
    [
        {"name": "connect", "code": "ECONNREFUSED", "message": "the API is down"},
        ("ConnectError", "All connection attempts failed"),  # as the harness names it today
    ],
    ids=["pipeline failure", "error reply"],
)
@pytest.mark.parametrize("client", CAUGHT)
def test_a_failure_reaches_the_client_as_its_network_error(bridge, harness, probe, client, failure):
    harness.answer = lambda request: failure
    error = run(bridge, probe, client, "GET", URL)["error"]
    if client == "fetch":  # as undici's fetch: TypeError('fetch failed') caused by the system error
        assert (error["name"], error["causeCode"]) == ("TypeError", "ECONNREFUSED")
    else:
        assert error["code"] == "ECONNREFUSED", error
        assert "api.test" in error["message"]


@pytest.mark.parametrize("client", ("axios", "got", "superagent"))
def test_an_http_error_stays_a_response(bridge, harness, probe, client):
    harness.answer = lambda request: ok({"error": "no such cat"}, status=404)
    assert run(bridge, probe, client, "GET", URL)["error"]["status"] == 404


def test_encoding_and_length_headers_of_the_api_do_not_describe_the_decoded_body(
    bridge, harness, probe
):
    body = json.dumps({"name": "Tom"})
    harness.answer = lambda request: {
        "status": 200,
        "headers": [["content-type", "application/json"], ["content-encoding", "gzip"],
                    ["content-length", "3"]],
        "body": body,
    }  # fmt: skip
    for client in ON_HTTP + ("fetch",):
        assert run(bridge, probe, client, "GET", URL)["body"] == {"name": "Tom"}, client


def test_a_streamed_answer_is_read_as_a_stream(bridge, harness, probe):
    harness.answer = lambda request: ok([{"id": str(i)} for i in range(2000)])
    seen = run(bridge, probe, "axios", "GET", URL, {"stream": True})
    assert len(seen["body"]) == 2000


def test_the_answer_waits_for_its_delay(bridge, harness, probe):
    harness.answer = lambda request: ok({"late": True}, delay=0.3)
    seen = run(bridge, probe, "axios", "GET", URL)
    assert seen["body"] == {"late": True}
    assert seen["ms"] >= 300


@pytest.mark.parametrize(
    ("client", "name", "code"),
    [("axios", "AxiosError", "ECONNABORTED"), ("got", "TimeoutError", "ETIMEDOUT"),
     ("fetch", "TimeoutError", None), ("node-fetch", "FetchError", None)],
)  # fmt: skip
def test_a_client_timeout_meets_a_slow_api_as_on_the_network(
    bridge, harness, probe, client, name, code
):
    harness.answer = lambda request: ok({"late": True}, delay=30)
    error = run(bridge, probe, client, "GET", URL, {"timeout": 200})["error"]
    assert error["name"] == name, error
    assert code is None or error["code"] == code


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


def _accepted(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return False
    return True


@pytest.mark.parametrize(("client", "named"), [("undici", "undici"), ("net", "raw net.Socket")])
def test_a_socket_opened_by_hand_is_refused_naming_where_and_who(
    bridge, harness, probe, listener, client, named
):
    port = listener.getsockname()[1]
    where = f"127.0.0.1:{port}"
    seen = run(
        bridge, probe, client, "GET", f"http://{where}/x", {"host": "127.0.0.1", "port": port}
    )
    assert seen["error"]["code"] == "EBLOCKED"
    assert where in seen["error"]["message"] and named in seen["error"]["message"]
    assert "Routed clients: this.httpClient, node:http" in seen["error"]["message"]
    assert seen["escaped"] == [{"target": where, "client": seen["escaped"][0]["client"]}]
    assert named in seen["escaped"][0]["client"]
    assert any(where in line for line in seen["logs"]), "a module that swallows it is still seen"
    assert not _accepted(listener), "nothing reached the socket"
    assert harness.requests == []


def test_a_host_port_the_scope_allows_may_be_connected_to(bridge, probe, listener):
    port = listener.getsockname()[1]
    option = {"host": "127.0.0.1", "port": port}
    seen = run(bridge, probe, "net", "GET", "", option, allow=[f"127.0.0.1:{port}"])
    assert seen.get("connected") is True, seen
    assert seen["escaped"] is None


def test_an_answer_the_client_cannot_take_is_an_error_not_a_made_up_response(
    bridge, harness, probe
):
    harness.answer = lambda request: {"status": 99, "headers": [], "body": ""}
    error = run(bridge, probe, "axios", "GET", URL)["error"]
    assert error["code"] == "EHARNESS" and "could not answer GET" in error["message"], error


def test_named_esm_imports_of_node_https_are_caught_too(bridge, harness, tmp_path):
    module = tmp_path / "dataSourceApp.mjs"
    module.write_text(
        "import { request } from 'node:https'\n"
        "export default {\n"
        "  async init () {},\n"
        "  get (url) {\n"
        "    return new Promise((resolve, reject) => {\n"
        "      request(url, (res) => {\n"
        "        res.resume()\n"
        "        res.on('end', () => resolve(res.statusCode))\n"
        "      })\n"
        "        .on('error', reject).end()\n"
        "    })\n"
        "  },\n"
        "  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}\n"
        "}\n"
    )
    harness.answer = lambda request: ok({}, status=201)
    scope = next(SCOPES)
    assert bridge.request("open", scope=scope, module=str(module)).result(60)["ok"]
    answer = bridge.request("call", scope=scope, method="get", args=[URL]).result(60)
    assert answer["value"] == 201, answer
    assert [r["client"] for r in harness.requests] == ["node:http"]
