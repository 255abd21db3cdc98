"""Every request needs ``Authorization: Bearer <token>``; the token set decides which."""

from __future__ import annotations

import pytest

from mock_api import CatsAPI

BASE = "https://api.cats.test"
TOKEN = "good-token"  # the conftest api fixture accepts exactly this


def test_missing_authorization_is_401(call):
    resp = call("GET", "/cats", token=None)
    assert resp.status == 401
    assert resp.json() == {"error": "unauthorized"}
    assert "Bearer" in resp.headers["WWW-Authenticate"]


def test_wrong_token_is_401(call):
    assert call("GET", "/cats", token="nope").status == 401


def test_accepted_token_passes(call):
    assert call("GET", "/cats").status == 200


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer ", "Token good-token", TOKEN])
def test_malformed_authorization_is_401(call, header):
    assert call("GET", "/cats", token=None, headers={"Authorization": header}).status == 401


def test_scheme_is_case_insensitive(call):
    assert (
        call("GET", "/cats", token=None, headers={"authorization": f"bearer {TOKEN}"}).status == 200
    )


def test_any_nonempty_token_when_tokens_is_none():
    api = CatsAPI(tokens=None)
    ok = api.handle("GET", f"{BASE}/cats", {"Authorization": "Bearer whatever"})
    missing = api.handle("GET", f"{BASE}/cats", {})
    assert (ok.status, missing.status) == (200, 401)


@pytest.mark.parametrize("placeholder", ["None", "null", "undefined"])
def test_stringified_missing_token_is_refused_even_when_any_token_is_accepted(placeholder):
    api = CatsAPI(tokens=None)
    resp = api.handle("GET", f"{BASE}/cats", {"Authorization": f"Bearer {placeholder}"})
    assert resp.status == 401


def test_tokens_can_be_changed_at_runtime(api, call):
    api.tokens = {"rotated"}
    assert call("GET", "/cats").status == 401
    assert call("GET", "/cats", token="rotated").status == 200


def test_auth_is_checked_before_writes(api, call):
    assert call("POST", "/cats", {"name": "Tom"}, token="nope").status == 401
    assert api.records() == []
