"""Shared fixtures: a fresh cats API and a tiny caller that speaks to ``handle()`` directly."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mock_api import CatsAPI, Response

BASE = "https://api.cats.test"
TOKEN = "good-token"

Call = Callable[..., Response]


@pytest.fixture
def api() -> CatsAPI:
    return CatsAPI(tokens={TOKEN})


@pytest.fixture
def call(api: CatsAPI) -> Call:
    """``call(method, path, body=None, token=TOKEN, raw=None, headers=None)`` -> Response.

    ``body`` is JSON-encoded; ``raw`` sends bytes verbatim; ``token=None`` omits Authorization.
    """

    def _call(
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = TOKEN,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else b"" if body is None else json.dumps(body).encode()
        if payload:
            sent.setdefault("Content-Type", "application/json")
        return api.handle(method, BASE + path, sent, payload)

    return _call


@pytest.fixture
def create(call: Call) -> Callable[..., dict[str, Any]]:
    """POST a cat (default name "Tom") and return the created record, asserting 201."""

    def _create(**fields: Any) -> dict[str, Any]:
        fields.setdefault("name", "Tom")
        resp = call("POST", "/cats", fields)
        assert resp.status == 201, resp.body
        return resp.json()

    return _create
