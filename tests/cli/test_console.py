"""The CLI's masking is the recording scrubber's policy, shown as *** (cli/console.py)."""

from __future__ import annotations

import base64
from urllib.parse import quote

from conformance.cli.console import MASK, Masker
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


def test_plain_urls_stay_visible_but_urls_holding_credentials_do_not() -> None:
    mask = Masker(ACCOUNT)
    assert (
        mask("POST https://tenant.example.com/v1/cats") == "POST https://tenant.example.com/v1/cats"
    )
    with_credentials = {"baseUrl": "https://ada:pw-secret@tenant.example.com"}
    assert "pw-secret" not in Masker(with_credentials)(
        "GET https://ada:pw-secret@tenant.example.com"
    )


def test_credential_headers_and_query_parameters_are_hidden_whole() -> None:
    mask = Masker(ACCOUNT)
    headers = mask.headers({"authorization": "Bearer issued-elsewhere", "accept": "json"})
    assert headers == {"authorization": MASK, "accept": "json"}
    assert mask.url("https://x.test/cats?access_token=issued&page=2") == (
        f"https://x.test/cats?access_token={MASK}&page=2"
    )


def test_the_masker_hides_exactly_what_a_cassette_would_hide_except_plain_urls() -> None:
    # one policy: every secret the scrubber knows, minus the account's plain URLs
    cassette = Scrubber(account_secrets(ACCOUNT))
    for value, name in account_secrets(ACCOUNT).items():
        shown = Masker(ACCOUNT)(value)
        if name in ("baseUrl", "baseUrl.host"):
            assert shown == value
        else:
            assert shown == MASK and cassette.text(value) == f"<SECRET:{name}>"
