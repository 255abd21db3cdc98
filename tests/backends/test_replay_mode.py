"""Replay mode as CI runs it: offline from committed cassettes, and clear about bad cassettes."""

import json
import re
import shutil

import pytest

from conformance.backends import BACKENDS
from conformance.checks import CHECKS
from conformance.checks.api import Check
from conformance.connector.load import load_connector
from conformance.runner import Options, run_check, skip_reason
from tests.helpers import ROOT, checks_in, outcomes_in

KINTO = ROOT / "examples" / "kinto"
COMMITTED = ROOT / "cassettes" / "kinto"


def kinto_with_cassettes(pytester):
    folder = pytester.path / "kinto"
    shutil.copytree(KINTO, folder)
    shutil.copytree(COMMITTED, folder / "cassettes")
    return folder


def test_the_committed_kinto_cassettes_replay_offline(pytester):
    result = pytester.runpytest(
        f"--connector={KINTO}", "--connector-mode=replay", f"--cassette-dir={COMMITTED}"
    )
    result.assert_outcomes(**outcomes_in("replay"))


def test_auto_mode_replays_a_connector_that_names_no_mock_but_has_cassettes(pytester):
    folder = kinto_with_cassettes(pytester)
    result = pytester.runpytest("--connector=kinto", "-k", "round-trip or interface")
    result.assert_outcomes(passed=2, deselected=len(CHECKS) - 2)
    assert folder.is_dir()


def test_replay_blocks_the_network_and_names_a_request_missing_from_the_cassette(pytester):
    folder = kinto_with_cassettes(pytester)
    cassette = folder / "cassettes" / "crud.delete.json"
    data = json.loads(cassette.read_text())
    del data["interactions"][3:]
    cassette.write_text(json.dumps(data))
    result = pytester.runpytest("--connector=kinto", "--connector-mode=replay", "-k", "delete")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        [
            "*crud.delete.json has no recorded answer for * <SECRET:baseUrl>/buckets/*; the "
            "connector or the check changed since recording, so re-record with "
            "`pytest --connector=kinto --connector-mode=record -k crud.delete`"
        ]
    )
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("no folder", "*cassettes: no such cassette folder; record cassettes with*"),
        ("no file", "*crud.delete.json: no cassette for this check; record it against the real*"),
        ("corrupt", "*crud.delete.json:*:*: corrupt cassette (invalid JSON: *); restore it *"),
        (
            "other version",
            "*crud.delete.json: recorded for connector kinto sha256:*, but kinto is now "
            "sha256:* (its dataSourceApp.py changed); re-record with*",
        ),
    ],
)
def test_a_bad_cassette_is_one_clear_message_and_a_non_zero_exit(pytester, damage, message):
    folder = kinto_with_cassettes(pytester)
    cassette = folder / "cassettes" / "crud.delete.json"
    if damage == "no folder":
        shutil.rmtree(folder / "cassettes")
    elif damage == "no file":
        cassette.unlink()
    elif damage == "corrupt":
        cassette.write_text(cassette.read_text()[:500])
    else:
        source = folder / "dataSourceApp.py"
        source.write_text(source.read_text() + "\n# a changed connector\n")
    result = pytester.runpytest("--connector=kinto", "--connector-mode=replay", "-k", "delete")
    assert result.ret != 0
    result.stdout.fnmatch_lines([message])
    assert "Traceback" not in result.stdout.str()


def test_auto_mode_without_mock_or_cassettes_says_how_to_record(pytester):
    folder = pytester.path / "kinto"
    shutil.copytree(KINTO, folder)
    result = pytester.runpytest("--connector=kinto")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*names no mock API;*--connector-mode=record*--connector-mode=live"]
    )


def test_the_audit_item_fails_on_a_cassette_holding_a_secret(pytester):
    folder = kinto_with_cassettes(pytester)
    clean = pytester.runpytest(
        "--connector=kinto", "--connector-audit-cassettes", "-k", "audit-cassettes"
    )
    clean.assert_outcomes(passed=1, deselected=len(CHECKS))
    cassette = folder / "cassettes" / "interface.json"
    password = json.loads((folder / "account.json").read_text())["password"]
    cassette.write_text(cassette.read_text().replace('"check"', f'"leak": "{password}", "check"'))
    leaky = pytester.runpytest(
        "--connector=kinto", "--connector-audit-cassettes", "-k", "audit-cassettes"
    )
    leaky.assert_outcomes(failed=1, deselected=len(CHECKS))
    leaky.stdout.fnmatch_lines(["*interface.json: leak: holds a value of account.json*"])


def test_checks_that_need_the_mock_are_skipped_with_a_reason_outside_mock_mode():
    spec = load_connector(str(KINTO))
    knobs = Check("faults.demo", "t", "s", run=lambda ctx: None, needs=frozenset({"mock"}))
    assert skip_reason(knobs, spec, BACKENDS["mock"]) is None
    for mode in ("live", "record", "replay"):
        reason = skip_reason(knobs, spec, BACKENDS[mode])
        assert (
            reason
            == f"faults.demo needs the mock API's fault knobs, which {mode} mode does not have"
        )
    outcome = run_check(knobs, spec, Options(mode="replay", cassette_dir=str(COMMITTED)))
    assert outcome.status == "skipped"


def test_replay_takes_its_inputs_from_the_cassette_never_from_hypothesis(monkeypatch):
    import conformance.checks.api as context

    def no_hypothesis(*args, **kwargs):
        raise AssertionError("replay must not generate inputs")

    monkeypatch.setattr(context, "given", no_hypothesis)
    spec = load_connector(str(KINTO))
    options = Options(mode="replay", cassette_dir=str(COMMITTED))
    outcomes = {check.id: run_check(check, spec, options).status for check in CHECKS}
    replayed = checks_in("replay")
    assert outcomes == {c.id: "passed" if c.id in replayed else "skipped" for c in CHECKS}


def test_record_modes_choose_per_check_between_recording_and_replaying(tmp_path):
    from conformance.backends import choose_backend
    from conformance.recording.cassette import Cassette, connector_version, save_cassette

    spec = load_connector(str(KINTO))
    save_cassette(tmp_path / "stale.json", Cassette("kinto", "sha256:old", "stale", 0.0))
    version = connector_version(spec.source)
    save_cassette(tmp_path / "current.json", Cassette("kinto", version, "current", 0.0))

    def per_check(mode: str, record_mode: str, check: str) -> str:
        options = Options(mode=mode, record_mode=record_mode, cassette_dir=str(tmp_path))
        return choose_backend(spec, options, check).name

    table = {
        rm: [per_check("record", rm, c) for c in ("missing", "stale", "current")]
        for rm in ("none", "once", "new_episodes", "all", "rewrite")
    }
    assert table == {
        "none": ["replay", "replay", "replay"],
        "once": ["record", "replay", "replay"],
        "new_episodes": ["record", "record", "replay"],
        "all": ["record", "record", "record"],
        "rewrite": ["record", "record", "record"],
    }
    assert per_check("live", "once", "current") == "live"
    assert choose_backend(spec, Options(mode="record", cassette_dir=str(tmp_path))).name == "record"


def test_the_committed_recording_crosses_pages_and_says_how_many(pytester):
    """examples/kinto names its page-size parameter: the recording asked for pages of 1, and the
    replay crosses the same pages (the NOT EXERCISED side: test_kinto_live.py)."""
    args = [
        f"--connector={KINTO}",
        "--connector-mode=replay",
        f"--cassette-dir={COMMITTED}",
        "-k",
        "progression or pagination",
        "--junitxml=j.xml",
        "--connector-strict",
    ]
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=2, deselected=len(CHECKS) - 2)
    assert "NOT EXERCISED" not in result.stdout.str()
    junit = (pytester.path / "j.xml").read_text()
    coverage = r'name="conformance_coverage" value="[^"]*\b[1-9][0-9]* pages crossed'
    crossed = re.findall(coverage, junit)
    assert len(crossed) == 2, junit
    assert "conformance_not_exercised" not in junit
