"""The CLI's masking is the recording scrubber's policy, shown as *** (cli/console.py)."""

from __future__ import annotations

import base64
from urllib.parse import quote

from conformance.author.console import MASK, Masker
from conformance.recording.scrub import Scrubber, account_secrets

ACCOUNT = {
    "apiToken": "tok/en+with=chars",
    "user": "ada",
    "password": "hunter2-long",
    "baseUrl": "https://tenant.example.com/v1",
    "nested": {"clientSecret": "deep-secret-value"},
}


def test_account_values_and_the_forms_a_client_derives_are_masked() -> None:
    mask = Masker(ACCOUNT)
    basic = base64.b64encode(b"ada:hunter2-long").decode()  # "ada" is too short to be a secret
    basic_pair = base64.b64encode(b"tok/en+with=chars:hunter2-long").decode()
    text = f"token {ACCOUNT['apiToken']} q={quote(ACCOUNT['apiToken'], safe='')} {basic_pair}"
    masked = mask(text + " " + ACCOUNT["nested"]["clientSecret"])
    assert masked == f"token {MASK} q={MASK} {MASK} {MASK}"
    assert mask(basic) == basic  # nothing secret inside that the account could tell


def test_urls_are_masked_unless_conformance_toml_names_them_settings() -> None:
    """A secret can sit in a URL's path, so URLs are not exempt; a key the connector's
    conformance.toml lists under [account] settings is configuration and stays visible."""
    assert Masker(ACCOUNT)("POST https://tenant.example.com/v1/cats") == f"POST {MASK}/cats"
    shown = Masker(ACCOUNT, settings=["baseUrl"])
    assert shown("POST https://tenant.example.com/v1/cats") == (
        "POST https://tenant.example.com/v1/cats"
    )
    assert shown(ACCOUNT["password"]) == MASK
    with_credentials = {"baseUrl": "https://ada:pw-secret@tenant.example.com"}
    assert "pw-secret" not in Masker(with_credentials)(
        "GET https://ada:pw-secret@tenant.example.com"
    )


def test_a_setting_value_is_not_mangled_inside_other_text() -> None:
    """`authMode: "oauth"` used to turn `/oauth/token` into `/<SECRET:authMode>/token`."""
    account = {"authMode": "oauth", "bucket": "cats-prod", "apiKey": "k-1234567890"}
    settings = ["authMode", "bucket"]
    scrubber = Scrubber(account_secrets(account, settings=settings))
    assert scrubber.text("POST /oauth/token?bucket=cats-prod") == (
        "POST /oauth/token?bucket=cats-prod"
    )
    assert scrubber.text("key k-1234567890") == "key <SECRET:apiKey>"
    assert "oauth" not in Scrubber(account_secrets(account)).text("/oauth/token")  # undeclared


def test_credential_headers_and_query_parameters_are_hidden_whole() -> None:
    mask = Masker(ACCOUNT)
    headers = mask.headers({"authorization": "Bearer issued-elsewhere", "accept": "json"})
    assert headers == {"authorization": MASK, "accept": "json"}
    assert mask.url("https://x.test/cats?access_token=issued&page=2") == (
        f"https://x.test/cats?access_token={MASK}&page=2"
    )


def test_the_masker_hides_exactly_what_a_cassette_would_hide() -> None:
    # one policy: every secret the scrubber knows, URLs included
    cassette = Scrubber(account_secrets(ACCOUNT))
    for value, name in account_secrets(ACCOUNT).items():
        assert Masker(ACCOUNT)(value) == MASK and cassette.text(value) == f"<SECRET:{name}>"


def test_a_token_learned_from_an_exchange_is_masked_in_every_later_line() -> None:
    mask = Masker(ACCOUNT)
    mask.learn(
        "https://auth.test/oauth/token",
        [("content-type", "application/x-www-form-urlencoded")],
        b'{"access_token": "issued-at-run-time-9f8e7d", "token_type": "Bearer"}',
    )
    mask.learn("https://x.test/cats", [("Authorization", "Bearer sent-by-connector-1a2b")], b"")
    line = "GET /cats/issued-at-run-time-9f8e7d failed: token sent-by-connector-1a2b refused"
    assert mask(line) == f"GET /cats/{MASK} failed: token {MASK} refused"
