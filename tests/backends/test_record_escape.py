"""Recording a connector whose client the harness does not route (a raw socket speaking HTTP/1.1
by hand) is refused: every call that would send fails naming HOST:PORT and the routed clients,
and no check passes on an empty cassette."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ROOT

ESCAPES = ROOT / "tests" / "connectors" / "escapes"


@pytest.mark.parametrize("isolation", ["process", "inline"])
def test_recording_a_raw_socket_connector_is_refused_naming_host_port_and_routed_clients(
    pytester, kinto, isolation
):
    connector = kinto.connector_copy(ESCAPES, pytester.path / "escapes")
    cassettes = pytester.path / "cassettes"
    before = len(kinto.records())
    result = pytester.runpytest(
        f"--connector={connector}",
        "--connector-mode=record",
        f"--cassette-dir={cassettes}",
        f"--connector-isolation={isolation}",
        "-k",
        "crud.round-trip or updates.shape",
    )
    output = result.stdout.str()
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 2 and "passed" not in outcomes, output
    # the report masks the account's address (it is a value of account.json) by its name
    host_port = kinto.url.split("//", 1)[1].split("/", 1)[0]
    named = [host_port, "<SECRET:baseUrl.host>"]
    assert any(
        f"the connector opened a connection to {where} that no routed HTTP client" in output
        for where in named
    ), output
    assert "routed: httpx, requests, urllib3, urllib/http.client and aiohttp" in output
    assert len(kinto.records()) == before  # nothing reached the server
    for cassette in cassettes.glob("*.json") if cassettes.exists() else ():
        assert json.loads(cassette.read_text())["interactions"] == [], cassette.name
