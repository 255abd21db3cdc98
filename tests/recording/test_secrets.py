"""Nothing secret reaches a cassette, and the audit catches a cassette that holds one."""

import base64
import json
from urllib.parse import quote

from conformance.recording.__main__ import main
from conformance.recording.audit import audit
from conformance.recording.cassette import Cassette, save_cassette, scrub_interactions
from conformance.recording.episode import Episode

ACCOUNT = {
    "baseUrl": "https://acme-tenant.example.test/api",
    "username": "alice-the-admin",
    "password": "pa ss/w0rd+&?",
    "nested": {"apiKey": "k3y-in-a-nested-object"},
}
ISSUED = "eyJhbGciOiJIUzI1NiJ9.issued-access-token"
REFRESH = "refresh-token-from-the-oauth-exchange"
BASIC = base64.b64encode(b"alice-the-admin:pa ss/w0rd+&?").decode()


def planted_exchanges():
    """Every place a secret can travel: URL, query, headers, bodies, Basic, issued tokens."""
    oauth = (
        {
            "method": "POST",
            "url": "https://acme-tenant.example.test/api/oauth/token",
            "headers": [("Authorization", f"Basic {BASIC}"), ("Content-Type", "application/json")],
            "body": json.dumps({"user": "alice-the-admin", "password": "pa ss/w0rd+&?"}),
        },
        {
            "status": 200,
            "headers": {
                "Set-Cookie": ["session=abcdef123456"],
                "Content-Type": ["application/json"],
            },
            "body": json.dumps({"access_token": ISSUED, "refresh_token": REFRESH, "ttl": 3600}),
        },
    )
    use = (
        {
            "method": "GET",
            "url": "https://acme-tenant.example.test/api/items?api_key=k3y-in-a-nested-object"
            f"&access_token={ISSUED}&page=2&q={quote('pa ss/w0rd+&?', safe='')}",
            "headers": [
                ("Authorization", f"Bearer {ISSUED}"),
                ("X-Api-Key", "k3y-in-a-nested-object"),
                ("Cookie", "session=abcdef123456"),
                ("Host", "acme-tenant.example.test"),
                ("X-Echo", f"echo {BASIC}"),
            ],
            "body": "",
        },
        {
            "status": 200,
            "headers": {"X-Trace": [f"user=alice-the-admin token={REFRESH}"]},
            "body": json.dumps({"items": [], "note": f"your token is {ISSUED}"}),
        },
    )
    return [oauth, use]


def test_no_planted_secret_survives_scrubbing_anywhere():
    text = json.dumps(scrub_interactions(planted_exchanges(), ACCOUNT))
    for secret in [
        "acme-tenant.example.test",
        "alice-the-admin",
        "pa ss/w0rd+&?",
        quote("pa ss/w0rd+&?", safe=""),
        "k3y-in-a-nested-object",
        BASIC,
        ISSUED,
        REFRESH,
        "abcdef123456",
    ]:
        assert secret not in text, f"{secret!r} leaked into the cassette"
    assert "<SECRET:password>" in text
    assert "<SECRET:issued.access_token>" in text
    assert "page=2" in text, "ordinary query parameters stay readable"


def test_the_audit_finds_secrets_left_in_a_cassette_and_names_file_and_place(tmp_path):
    leaky = Cassette("c", "v", "crud.delete", 0.0)
    leaky.interactions = [
        {
            "request": {
                "method": "GET",
                "url": "https://x.test/items?api_key=live-key-1234",
                "headers": {"authorization": ["Bearer abcdefghijklmnop"]},
                "body": json.dumps({"password": "hunter22"}),
            },
            "response": {"status": 200, "headers": {}, "body": "alice-the-admin"},
        }
    ]
    save_cassette(tmp_path / "leaky.json", leaky)
    findings = [str(f) for f in audit([tmp_path], ACCOUNT)]
    assert any("leaky.json: interactions[0].request.url" in f for f in findings)
    assert any(
        "request.headers.authorization[0]: a credential header that was not scrubbed" in f
        for f in findings
    )
    assert any("request.url: a credential query parameter 'api_key'" in f for f in findings)
    assert any("a token field that was not scrubbed" in f for f in findings)
    assert any("response.body: holds a value of account.json" in f for f in findings)


def test_a_scrubbed_cassette_passes_the_audit(tmp_path):
    clean = Cassette("c", "v", "crud.delete", 0.0)
    clean.interactions = scrub_interactions(planted_exchanges(), ACCOUNT)
    save_cassette(tmp_path / "clean.json", clean)
    assert audit([tmp_path], ACCOUNT) == []


def test_the_audit_command_exits_non_zero_on_a_leak(tmp_path, capsys):
    (tmp_path / "account.json").write_text(json.dumps(ACCOUNT))
    leaky = Cassette("c", "v", "x", 0.0, Episode(draws=[{"id": "pa ss/w0rd+&?"}]))
    save_cassette(tmp_path / "cassettes" / "x.json", leaky)
    code = main(["audit", str(tmp_path / "cassettes"), "--account", str(tmp_path / "account.json")])
    out = capsys.readouterr().out
    assert code == 1
    assert "x.json: draws[0].id: holds a value of account.json" in out
    assert main(["audit", str(tmp_path / "nowhere")]) == 2


def test_the_committed_cassettes_hold_no_secret():
    from tests.helpers import ROOT

    assert (ROOT / "cassettes" / "kinto").is_dir()
    assert (
        audit([ROOT / "cassettes"], json.loads((ROOT / "examples/kinto/account.json").read_text()))
        == []
    )


def _planted(tmp_path, where: str, value: str):
    """A cassette with one hand-planted value at `where` (url, header or response body)."""
    cassette = Cassette("c", "v", "crud.delete", 0.0)
    request = {"method": "GET", "url": "https://x.test/items", "headers": {}, "body": ""}
    response = {"status": 200, "headers": {}, "body": "{}"}
    if where == "url":
        request["url"] = f"https://x.test/items/{value}"
    elif where == "body":
        response["body"] = json.dumps({"items": [{"id": "a1", "note": value}]})
    cassette.interactions = [{"request": request, "response": response}]
    save_cassette(tmp_path / "planted.json", cassette)
    return tmp_path / "planted.json"


def test_the_audit_finds_a_live_api_key_without_being_told_the_account(tmp_path, capsys):
    """detect-secrets' detectors know key shapes nobody listed in account.json."""
    stripe = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"  # split: no scanner flags this test file
    path = _planted(tmp_path, "url", stripe)
    assert main(["audit", str(path)]) == 1
    out = capsys.readouterr().out
    assert "planted.json: interactions[0].request.url: holds a Stripe Access Key" in out
    jwt = (
        "eyJhbGciOiJIUzI1NiJ9."
        + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    )
    body = [str(f) for f in audit([_planted(tmp_path, "body", jwt)])]
    assert any("response.body:json.items[0].note: holds a JSON Web Token" in f for f in body)


def test_the_audit_passes_harness_placeholders_and_run_markers(tmp_path):
    path = _planted(tmp_path, "body", "conformance-run-60c05a9e6233 <SECRET:issued.access_token>")
    assert audit([path]) == []


def test_a_record_field_named_token_records_and_replays_unchanged():
    """Scrubbing never changes record data that is not a credential: a `token` field of an
    ordinary record (a gift-card code, a device token) is data, so the cassette keeps it and the
    replayed request, which carries it again, still matches."""
    import asyncio

    import httpx

    from conformance.http.message import Request, Response
    from conformance.http.pipeline import Pipeline
    from conformance.http.tape import Recorder, Tape
    from tests.helpers.http import caught

    record = {"id": "r1", "token": "gift-card-code-123456", "secret": "the-cat-hides-here"}

    def api(request: Request) -> Response:
        body = record if request.method == "GET" else {"id": "r1"}
        return Response(200, [("content-type", "application/json")], json.dumps(body).encode())

    async def traffic() -> list[str]:
        async with httpx.AsyncClient(base_url="https://acme.test") as c:
            inserted = await c.post("/records", json=record)
            fetched = await c.get("/records/r1")
            return [inserted.text, fetched.text]

    def run(steps, terminal) -> list[str]:
        with caught(Pipeline(steps, terminal, offline=True, in_memory=True)):
            return asyncio.run(traffic())

    tape = Recorder()
    recorded = run([tape], api)
    interactions = scrub_interactions(tape.exchanges(), ACCOUNT)
    assert "gift-card-code-123456" in json.dumps(interactions)
    assert "the-cat-hides-here" in json.dumps(interactions)
    replay = Tape(interactions, account=ACCOUNT)
    assert run([], replay) == recorded
    assert replay.misses == [] and replay.played == 2


def test_account_settings_named_in_conformance_toml_are_not_secrets_to_the_audit(tmp_path, capsys):
    """`authMode: "oauth"` used to make every cassette with `/oauth/token` in it a finding."""
    (tmp_path / "account.json").write_text(
        json.dumps({"authMode": "oauth", "clientSecret": "cs-9d8c7b6a5f"})
    )
    cassette = Cassette("c", "v", "x", 0.0)
    cassette.interactions = [
        {
            "request": {"method": "POST", "url": "https://a.test/oauth/token", "headers": {},
                        "body": ""},
            "response": {"status": 200, "headers": {}, "body": "{}"},
        }
    ]  # fmt: skip
    save_cassette(tmp_path / "cassettes" / "x.json", cassette)
    args = ["audit", str(tmp_path / "cassettes"), "--account", str(tmp_path / "account.json")]
    assert main(args) == 1  # undeclared, "oauth" is an account value like any other
    assert "x.json: interactions[0].request.url: holds a value of account.json" in (
        capsys.readouterr().out
    )
    (tmp_path / "conformance.toml").write_text('[account]\nsettings = ["authMode"]\n')
    assert main(args) == 0


def test_a_bad_account_settings_entry_is_one_clear_error(tmp_path, capsys):
    (tmp_path / "account.json").write_text("{}")
    (tmp_path / "conformance.toml").write_text("[account]\nsettings = [3]\n")
    (tmp_path / "c").mkdir()
    assert main(["audit", str(tmp_path / "c"), "--account", str(tmp_path / "account.json")]) == 2
    err = capsys.readouterr().err
    assert "conformance.toml: account.settings must list account.json keys as strings" in err
