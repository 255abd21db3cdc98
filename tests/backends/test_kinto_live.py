"""Live and record mode against a real Kinto server that these tests start and stop themselves.

Bounded in time: few examples per property, a short consistency budget, and each test in its
own collection so tests never see each other's records.
"""

import base64
import json
import shutil
import socket
import sys
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from conformance.backends.leftovers import ledger_dir
from conformance.checks import CHECKS
from conformance.connector.load import load_connector
from conformance.runtime.python import PythonRuntime
from tests.helpers import ROOT, checks_in, outcomes_in
from tests.helpers.kinto import KINTO_EXAMPLE

BROKEN = ROOT / "tests" / "connectors" / "kinto_broken"
FAST = ["--connector-examples=4", "--connector-consistency=0.5", "-p", "no:cacheprovider"]


def offline(folder: Path, **changes) -> None:
    """Point the account at a closed port: a replay that reached the network would fail."""
    account = json.loads((folder / "account.json").read_text())
    account.update({"baseUrl": "http://127.0.0.1:9/v1", **changes})
    (folder / "account.json").write_text(json.dumps(account))


def collection() -> str:
    return f"c{uuid.uuid4().hex[:10]}"


def copy(kinto, tmp_path, source=KINTO_EXAMPLE, **account):
    account.setdefault("collection", collection())
    return kinto.connector_copy(source, tmp_path / "kinto", **account)


def test_the_kinto_example_passes_live_and_leaves_nothing_behind(kinto, pytester):
    name = collection()
    folder = copy(kinto, pytester.path, collection=name)
    result = pytester.runpytest(f"--connector={folder}", "--connector-mode=live", *FAST)
    result.assert_outcomes(**outcomes_in("live"))
    assert kinto.records(name) == []
    assert not (folder / "cassettes").exists(), "live mode writes no cassette"


@pytest.mark.parametrize(
    ("connector", "check", "reason"),
    [
        ("patch_via_put.py", "crud.patch-partial", "fields the patch did not name were changed"),
        ("drops_tombstones.py", "updates.progression", "was deleted but getUpdates reported"),
        # pages of 1 (the harness rewrites _limit): the tombstone lands on the unread page 2
        ("first_page_only.py", "updates.progression", "getUpdates reported no entry"),
        ("first_page_only.py", "faults.pagination", "getUpdates never delivered it"),
        ("first_page_only.py", "faults.pagination", "never asked for a second page"),
        ("token_resets_when_quiet.py", "updates.progression", "every other sync re-sends"),
        ("delete_stale_revision.py", "crud.acknowledged", "still returns the record"),
    ],
)
def test_live_mode_catches_broken_kinto_connectors_against_the_real_server(
    kinto, pytester, connector, check, reason
):
    name = collection()
    folder = copy(kinto, pytester.path, source=BROKEN, collection=name)
    result = pytester.runpytest(
        f"--connector={folder / connector}", "--connector-mode=live", "-k", check, *FAST
    )
    result.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    result.stdout.fnmatch_lines([f"*{reason}*"])
    assert kinto.records(name) == [], "a failing check still deletes what it created"


def test_without_the_page_size_setting_a_first_page_reader_fails_on_the_recognised_limit(
    kinto, pytester
):
    """No page_size_param: the harness recognises the `_limit` the connector sends, rewrites it
    as if named, and the coverage line says so and how to turn it off."""
    folder = copy(kinto, pytester.path, source=BROKEN)
    (folder / "conformance.toml").write_text("[capabilities]\ndeletes_in_updates = true\n")
    args = [f"--connector={folder / 'first_page_only.py'}", "--connector-mode=live", "-k",
            "faults.pagination", *FAST]  # fmt: skip
    result = pytester.runpytest(*args)
    result.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    result.stdout.fnmatch_lines(
        ["*listing requests with _limit taken as the page size*guess_page_size = false*"]
    )


def test_with_the_guess_turned_off_a_first_page_reader_passes_but_not_exercised(kinto, pytester):
    """A real Kinto serves a handful of records in one page: no verdict may pretend it paged."""
    folder = copy(kinto, pytester.path, source=BROKEN)
    (folder / "conformance.toml").write_text(
        "[capabilities]\ndeletes_in_updates = true\n[live]\nguess_page_size = false\n"
    )
    args = [f"--connector={folder / 'first_page_only.py'}", "--connector-mode=live", "-k",
            "progression", "--junitxml=j.xml", *FAST]  # fmt: skip
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=1, deselected=len(CHECKS) - 1)
    result.stdout.fnmatch_lines(
        ["*updates.progression passed, NOT EXERCISED: pages crossed*names the page-size*"]
    )
    junit = (pytester.path / "j.xml").read_text()
    assert 'name="conformance_not_exercised" value="pages crossed' in junit
    strict = pytester.runpytest(*args, "--connector-strict")
    strict.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    strict.stdout.fnmatch_lines(["*NOT EXERCISED: pages crossed*"])


def test_record_then_replay_crosses_the_same_pages_offline(kinto, tmp_path):
    """The cassette holds the rewritten requests and the page size; replay crosses the same
    pages, also when conformance.toml no longer asks for small pages."""
    from conformance.checks import BY_ID
    from conformance.runner import Options, run_check

    folder = copy(kinto, tmp_path)
    cassettes = str(tmp_path / "cassettes")
    paged = ["updates.progression", "faults.pagination"]

    def run(mode):
        spec = load_connector(str(folder))
        options = Options(mode=mode, examples=3, consistency=0.5, cassette_dir=cassettes)
        return {c: run_check(BY_ID[c], spec, options) for c in paged}

    recorded = run("record")
    assert {c: o.status for c, o in recorded.items()} == dict.fromkeys(paged, "passed")
    assert all(o.coverage["pages crossed"] > 0 for o in recorded.values())
    saved = json.loads((tmp_path / "cassettes" / "faults.pagination.json").read_text())
    assert saved["settings"]["page_size"] == {"param": "_limit", "size": 1}
    offline(folder)
    (folder / "conformance.toml").write_text("[capabilities]\ndeletes_in_updates = true\n")
    replayed = run("replay")
    for check in paged:
        assert replayed[check].status == "passed", replayed[check].message
        assert replayed[check].coverage == recorded[check].coverage


OTHER_WRITES = 100


def test_records_the_harness_did_not_create_are_untouched_amid_other_activity(kinto, pytester):
    name = collection()
    url = f"{kinto.url}/buckets/default/collections/{name}/records"
    auth = (kinto.username, kinto.password)
    customer = httpx.post(url, json={"data": {"title": "a customer's task"}}, auth=auth).json()
    stop = threading.Event()

    def someone_else_working():
        # A bounded number of writes, not a rate: on a slow machine a rate piles up records
        # that each getUpdates must page through within the per-call timeout.
        for n in range(OTHER_WRITES):
            if stop.is_set():
                return
            httpx.post(url, json={"data": {"title": f"other {n}"}}, auth=auth)
            stop.wait(0.5)

    worker = threading.Thread(target=someone_else_working, daemon=True)
    worker.start()
    try:
        folder = copy(kinto, pytester.path, collection=name)
        result = pytester.runpytest(f"--connector={folder}", "--connector-mode=live", *FAST)
    finally:
        stop.set()
        worker.join(5)
    result.assert_outcomes(**outcomes_in("live"))
    left = {r["id"]: r for r in kinto.records(name)}
    assert left[customer["data"]["id"]] == customer["data"], "unchanged, not deleted"
    assert all(not r["title"].startswith("conformance-run-") for r in left.values())


def test_record_then_replay_offline_reproduces_the_run(kinto, pytester, tmp_path):
    folder = copy(kinto, pytester.path)
    cassettes = tmp_path / "cassettes"
    recorded = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=record", f"--cassette-dir={cassettes}", *FAST
    )
    recorded.assert_outcomes(**outcomes_in("record"))
    assert sorted(p.stem for p in cassettes.glob("*.json")) == sorted(checks_in("record"))
    offline(folder, password="another-password")
    replayed = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=replay", f"--cassette-dir={cassettes}", *FAST
    )
    replayed.assert_outcomes(**outcomes_in("replay"))
    written = "".join(p.read_text() for p in cassettes.glob("*"))
    basic = base64.b64encode(f"{kinto.username}:{kinto.password}".encode()).decode()
    for secret in (kinto.url.split("//")[1], kinto.username, kinto.password, basic):
        assert secret not in written, f"{secret!r} reached a cassette"


def test_a_recorded_failure_replays_as_the_same_failure_offline(kinto, pytester, tmp_path):
    folder = copy(kinto, pytester.path, source=BROKEN)
    cassettes = tmp_path / "cassettes"
    args = [f"--connector={folder / 'patch_via_put.py'}", "-k", "patch-partial", *FAST]
    recorded = pytester.runpytest(*args, "--connector-mode=record", f"--cassette-dir={cassettes}")
    recorded.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    offline(folder)
    replayed = pytester.runpytest(*args, "--connector-mode=replay", f"--cassette-dir={cassettes}")
    replayed.assert_outcomes(failed=1, deselected=len(CHECKS) - 1)
    first = recorded.stdout.str().split("Reproduce with")[1].split("=====")[0]
    again = replayed.stdout.str().split("Reproduce with")[1].split("=====")[0]
    assert again == first, "the same minimal example, the same calls"


def test_an_interrupted_recording_cleans_up_and_keeps_the_previous_cassette(
    kinto, tmp_path, monkeypatch
):
    # A real Ctrl-C in the harness's own process: the inline runtime lets it through.
    monkeypatch.setenv("CONFORMANCE_PYTHON_ISOLATION", "inline")
    from conformance.checks import BY_ID
    from conformance.runner import Options, run_check

    name = collection()
    folder = copy(kinto, tmp_path, collection=name)
    (folder / "dataSourceApp.py").write_text(
        (folder / "dataSourceApp.py").read_text() + "\n\nclass Interrupted(DataSource):\n"
        "    async def get(self, id):\n"
        "        raise KeyboardInterrupt\n"
    )
    spec = load_connector(str(folder))
    options = Options(mode="record", examples=3, cassette_dir=str(tmp_path / "c"), consistency=0)
    assert run_check(BY_ID["crud.round-trip"], spec, options).status == "passed"
    previous = (tmp_path / "c" / "crud.round-trip.json").read_text()
    factory = spec.runtime.factory
    spec.runtime = PythonRuntime(sys.modules[factory.__module__].Interrupted, spec.name)
    with pytest.raises(KeyboardInterrupt):
        run_check(BY_ID["crud.round-trip"], spec, options)
    assert kinto.records(name) == [], "the interrupted check deleted what it had inserted"
    assert (tmp_path / "c" / "crud.round-trip.json").read_text() == previous
    assert not list(ledger_dir(spec).glob("*.json")), "nothing left for a later cleanup"


def test_leftovers_of_a_crashed_run_are_found_and_removed(kinto, pytester, private_state):
    from conformance.backends.guard import LiveGuard
    from conformance.backends.leftovers import Ledger
    from conformance.runtime.session import Session

    name = collection()
    folder = copy(kinto, pytester.path, collection=name)
    spec = load_connector(str(folder))
    guard = LiveGuard(spec, check="crud.delete", attempts=1, pause=0)
    guard.ledger = Ledger(ledger_dir(spec) / f"{guard.run_id}-crud.delete.json")
    session = guard.session(lambda: Session(spec.create(), dict(spec.account)))
    crashed = session.insert(guard.mark({"title": "left by a crash"}))
    session.close()  # ... and the process dies here: no cleanup ran
    url = f"{kinto.url}/buckets/default/collections/{name}/records"
    auth = (kinto.username, kinto.password)
    marked = httpx.post(
        url, json={"data": {"title": "conformance-run-0123456789ab lost ledger"}}, auth=auth
    ).json()["data"]["id"]
    customer = httpx.post(url, json={"data": {"title": "customer"}}, auth=auth).json()["data"]
    assert {r["id"] for r in kinto.records(name)} == {crashed, marked, customer["id"]}

    result = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=live", "--connector-cleanup"
    )
    result.assert_outcomes(passed=1)
    assert [r["id"] for r in kinto.records(name)] == [customer["id"]]
    assert not list(ledger_dir(spec).glob("*.json"))


def test_an_unreachable_live_api_is_one_clear_error(pytester):
    folder = pytester.path / "kinto"
    shutil.copytree(KINTO_EXAMPLE, folder, ignore=shutil.ignore_patterns("cassettes"))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    account = json.loads((folder / "account.json").read_text())
    (folder / "account.json").write_text(
        json.dumps({**account, "baseUrl": f"http://127.0.0.1:{port}/v1"})
    )
    result = pytester.runpytest(f"--connector={folder}", "--connector-mode=live", "-k", "delete")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*cannot reach the live API named in *account.json (ConnectError*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_bad_credentials_are_one_clear_error_without_the_secret(kinto, pytester):
    folder = copy(kinto, pytester.path, password="wrong-password-123")
    result = pytester.runpytest(f"--connector={folder}", "--connector-mode=live", "-k", "delete")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*the API refused the credentials in account.json (GET <SECRET:baseUrl>/* -> HTTP 401)*"]
    )
    assert "wrong-password-123" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_a_check_whose_calls_never_reached_the_api_is_an_error_not_a_pass(pytester):
    """errors.invalid-insert accepts "insert raised"; a connection error is not that."""
    folder = pytester.path / "kinto"
    shutil.copytree(KINTO_EXAMPLE, folder, ignore=shutil.ignore_patterns("cassettes"))
    offline(folder)
    result = pytester.runpytest(
        f"--connector={folder}", "--connector-mode=live", "-k", "invalid-insert", *FAST
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*never reached it, so errors.invalid-insert proved nothing*"])
