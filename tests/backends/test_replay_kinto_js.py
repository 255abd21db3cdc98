"""The NodeJS Kinto connector replays its committed cassettes offline: its requests, performed by
httpx in the harness, were recorded by vcrpy exactly as a Python connector's are."""

import json

from conformance.recording.audit import audit
from tests.helpers import ROOT, outcomes_in
from tests.helpers.node import needs_node

KINTO_JS = ROOT / "examples" / "kinto-js"
COMMITTED = ROOT / "cassettes" / "kinto-js"


@needs_node
def test_the_committed_kinto_js_cassettes_replay_offline(pytester):
    result = pytester.runpytest(
        f"--connector={KINTO_JS}", "--connector-mode=replay", f"--cassette-dir={COMMITTED}"
    )
    result.assert_outcomes(**outcomes_in("replay"))


def test_the_kinto_js_cassettes_hold_no_secret_of_its_account():
    account = json.loads((KINTO_JS / "account.json").read_text())
    assert sorted(p.name for p in COMMITTED.iterdir())
    assert audit([COMMITTED], account) == []
