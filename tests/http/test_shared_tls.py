"""Clients made with httpx's default verification share one TLS context once the stubs are in.

A connector that makes a client per execution scope had httpx load the CA bundle for each one
(tens of milliseconds, most of a replayed check's time, docs/performance.md). Sharing is what
httpx advises; a client that asks for anything but the default still gets its own context.
"""

from __future__ import annotations

import ssl

import httpx

from conformance.http import stubs


def context_of(client: httpx.AsyncClient | httpx.Client) -> ssl.SSLContext:
    return client._transport._pool._ssl_context  # type: ignore[attr-defined]


def test_default_clients_share_one_context():
    stubs.install()
    first, second = httpx.AsyncClient(), httpx.AsyncClient()
    assert context_of(first) is context_of(second)
    assert context_of(httpx.Client()) is context_of(first)
    assert context_of(first).verify_mode == ssl.CERT_REQUIRED


def test_a_client_that_asks_for_other_verification_gets_its_own():
    stubs.install()
    shared = context_of(httpx.AsyncClient())
    unverified = httpx.AsyncClient(verify=False)
    assert context_of(unverified) is not shared
    assert context_of(unverified).verify_mode == ssl.CERT_NONE
    own = ssl.create_default_context()
    assert context_of(httpx.AsyncClient(verify=own)) is own


def test_another_ca_bundle_in_the_environment_is_another_context(monkeypatch):
    stubs.install()
    shared = context_of(httpx.AsyncClient())
    monkeypatch.setenv("SSL_CERT_FILE", ssl.get_default_verify_paths().openssl_cafile)
    assert context_of(httpx.AsyncClient()) is not shared
