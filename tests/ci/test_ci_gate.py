"""The fleet gate, end to end through pytest: many connectors, merged results, baseline, JUnit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers.fleet import make_connector

# The gate is about merging, reporting and baselining results, not about which checks exist: the
# fleet runs the core checks only, so the counts below stay those of six checks per connector.
CORE_CHECKS = ("-k", "not faults and not errors and not sync and not acknowledged and not records")
FAST = ("--connector-examples=3", "-p", "no:cacheprovider", *CORE_CHECKS)


def results(report_dir: Path) -> dict[tuple[str, str], dict]:
    data = json.loads((report_dir / "conformance.json").read_text())
    return {(r["connector"], r["check"]): r for r in data["results"]}


def test_a_glob_runs_every_connector_and_the_report_names_each_failure(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    run = pytester.runpytest("--connector=connectors/*", "--connector-report=out", *FAST)
    run.assert_outcomes(passed=22, failed=2)
    found = results(pytester.path / "out")
    assert len(found) == 24
    assert {c for c, _ in found} == {f"connectors/{n}" for n in ("alpha", "beta", "gamma", "delta")}
    lost = found[("connectors/gamma", "crud.delete")]
    assert lost["status"] == "failed" and lost["severity"] == "failure"
    assert lost["verdict"] == "failed" and lost["mode"] == "mock" and lost["duration"] > 0
    assert "resurrect" in lost["suffers"] or "come back" in lost["suffers"]
    assert "delete(" in lost["script"]
    warned = found[("connectors/delta", "updates.progression")]
    assert warned["status"] == "warned" and warned["verdict"] == "passed"
    assert found[("connectors/alpha", "crud.round-trip")]["status"] == "passed"
    markdown = (pytester.path / "out" / "conformance.md").read_text()
    assert "| `connectors/gamma` | ✅ | ✅ | ✅ | ❌ | ✅ | ❌ |" in markdown
    assert "❌ `connectors/gamma` · `crud.delete` (failure)" in markdown
    assert "⚠️ `connectors/delta` · `updates.progression` (warning)" in markdown


def test_results_merged_from_two_xdist_workers_match_a_single_process_run(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    single = pytester.runpytest_subprocess(
        "--connector=connectors/*", "--connector-report=one", "-p", "no:xdist", *FAST
    )
    single.assert_outcomes(passed=22, failed=2)
    double = pytester.runpytest_subprocess(
        "--connector=connectors/*", "--connector-report=two", "-n", "2", *FAST
    )
    double.assert_outcomes(passed=22, failed=2)
    double.stdout.fnmatch_lines(["*2 workers [[]24 items[]]*"])
    one, two = results(pytester.path / "one"), results(pytester.path / "two")
    assert one.keys() == two.keys()
    assert {k: r["status"] for k, r in one.items()} == {k: r["status"] for k, r in two.items()}
    # the warnings summary reads the merged results too, so it survives xdist
    double.stdout.fnmatch_lines(["*connectors/delta::updates.progression (warning)*"])


def test_a_connector_that_cannot_load_fails_alone_and_the_others_still_run(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    make_connector(fleet, "omega", "noimport")
    run = pytester.runpytest("--connector=connectors/*", "--connector-report=out", *FAST)
    run.assert_outcomes(passed=22, failed=3)
    run.stdout.fnmatch_lines(["FAILED connectors/omega::load*"])
    run.stdout.fnmatch_lines(["*cannot load connector connectors/omega*RuntimeError*"])
    load = results(pytester.path / "out")[("connectors/omega", "load")]
    assert load["status"] == "error" and "cannot even be imported" in load["message"]


def write_baseline(path: Path, *keys: tuple[str, str]) -> None:
    entries = [{"connector": c, "check": k, "reason": f"known: {k}"} for c, k in keys]
    path.write_text(json.dumps({"known_failures": entries}))


def test_the_baseline_tolerates_known_failures_but_a_new_one_fails_the_run(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    write_baseline(pytester.path / "baseline.json", ("connectors/gamma", "crud.delete"))
    run = pytester.runpytest(
        "--connector=connectors/*", "--connector-baseline=baseline.json", "--junitxml=j.xml", *FAST
    )
    run.assert_outcomes(passed=22, failed=1, xfailed=1)
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    run.stdout.fnmatch_lines(["FAILED connectors/gamma::updates.progression*"])
    cases = {c.get("name"): c for c in ET.parse(pytester.path / "j.xml").iter("testcase")}
    # JUnit: a baselined failure is a skip with the baseline's reason, not a failure
    skipped = [
        c
        for c in ET.parse(pytester.path / "j.xml").iter("testcase")
        if c.find("skipped") is not None
    ]
    assert [(c.get("classname"), c.get("name")) for c in skipped] == [
        ("connectors.gamma", "crud.delete")
    ]
    assert "known: crud.delete" in skipped[0].find("skipped").get("message")
    assert cases["updates.progression"] is not None


def test_stale_baseline_entries_are_named_but_do_not_fail_the_run(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    write_baseline(
        pytester.path / "baseline.json",
        ("connectors/gamma", "crud.delete"),
        ("connectors/gamma", "updates.progression"),
        ("connectors/alpha", "crud.patch-partial"),  # alpha is correct: this entry is stale
    )
    run = pytester.runpytest(
        "--connector=connectors/*",
        "--connector-baseline=baseline.json",
        "--connector-report=out",
        *FAST,
    )
    run.assert_outcomes(passed=21, xfailed=2, xpassed=1)
    assert run.ret == pytest.ExitCode.OK
    run.stdout.fnmatch_lines(
        [
            "*2 known failure(s) tolerated by baseline.json*",
            "*1 baseline entry now passes: remove it from the baseline (stale entries do not fail*",
            "  connectors/alpha / crud.patch-partial",
        ]
    )
    found = results(pytester.path / "out")
    assert found[("connectors/alpha", "crud.patch-partial")]["baseline"] == "stale"
    known = found[("connectors/gamma", "crud.delete")]
    assert known["baseline"] == "known" and known["baseline_reason"] == "known: crud.delete"
    markdown = (pytester.path / "out" / "conformance.md").read_text()
    assert "Baseline entries that now pass" in markdown and "📌" in markdown


def test_a_baseline_written_from_a_run_makes_the_next_run_pass(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    first = pytester.runpytest(
        "--connector=connectors/*", "--connector-write-baseline=baseline.json", *FAST
    )
    first.assert_outcomes(passed=22, failed=2)
    first.stdout.fnmatch_lines(["*baseline with 2 failure(s) written to baseline.json*"])
    written = json.loads((pytester.path / "baseline.json").read_text())["known_failures"]
    assert [(e["connector"], e["check"]) for e in written] == [
        ("connectors/gamma", "crud.delete"),
        ("connectors/gamma", "updates.progression"),
    ]
    assert all(e["reason"] for e in written)
    second = pytester.runpytest(
        "--connector=connectors/*", "--connector-baseline=baseline.json", *FAST
    )
    second.assert_outcomes(passed=22, xfailed=2)


def test_a_bad_baseline_is_one_clear_line(pytester: pytest.Pytester, fleet: Path) -> None:
    (pytester.path / "baseline.json").write_text(
        json.dumps(
            {
                "known_failures": [
                    {"connector": "connectors/gamma", "check": "crud.nope", "reason": "x"}
                ]
            }
        )
    )
    run = pytester.runpytest("--connector=connectors/*", "--connector-baseline=baseline.json")
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    run.stderr.fnmatch_lines(["*baseline.json: known_failures[[]0[]]: unknown check 'crud.nope'*"])
    assert "Traceback" not in run.stderr.str()


def test_warnings_pass_unless_strict_and_reports_show_them_as_warnings(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    run = pytester.runpytest(
        "--connector=connectors/delta", "--connector-strict", "--connector-report=out", *FAST
    )
    run.assert_outcomes(passed=5, failed=1)
    row = results(pytester.path / "out")[("connectors/delta", "updates.progression")]
    assert row["status"] == "warned" and row["severity"] == "warning" and row["verdict"] == "failed"


def test_junit_test_names_are_the_check_ids(pytester: pytest.Pytester, fleet: Path) -> None:
    pytester.runpytest("--connector=connectors/gamma", "--junitxml=j.xml", *FAST)
    cases = list(ET.parse(pytester.path / "j.xml").iter("testcase"))
    assert {c.get("name") for c in cases} == {
        "interface",
        "crud.round-trip",
        "crud.patch-partial",
        "crud.delete",
        "updates.shape",
        "updates.progression",
    }
    assert {c.get("classname") for c in cases} == {"connectors.gamma"}
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {"crud.delete", "updates.progression"}


def test_the_markdown_is_appended_to_the_github_step_summary(
    pytester: pytest.Pytester, fleet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = pytester.path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    pytester.runpytest("--connector=connectors/gamma", "--connector-report=out", *FAST)
    text = summary.read_text()
    assert text.startswith("earlier step\n")
    assert "## Connector conformance FAILS" in text and "`connectors/gamma`" in text


def test_the_header_and_report_say_where_each_account_came_from_never_its_values(
    pytester: pytest.Pytester, fleet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cr3t-value-never-printed"
    monkeypatch.setenv("CONFORMANCE_ACCOUNT_ALPHA", json.dumps({"apiToken": secret}))
    (fleet / "beta" / "account.json").rename(fleet / "beta" / "account.example.json")
    (pytester.path / "gamma.json").write_text(json.dumps({"apiToken": secret}))
    run = pytester.runpytest(
        "--connector=connectors/*",
        "--connector-account=gamma=gamma.json",
        "--connector-report=out",
        *FAST,
    )
    run.stdout.fnmatch_lines(
        [
            "connector accounts:",
            "  connectors/alpha: environment variable CONFORMANCE_ACCOUNT_ALPHA",
            "  connectors/beta: connectors/beta/account.example.json (example account*",
            "  connectors/delta: connectors/delta/account.json",
            "  connectors/gamma: --connector-account gamma=gamma.json",
        ]
    )
    run.assert_outcomes(passed=22, failed=2)  # the accounts were really used: checks ran
    found = results(pytester.path / "out")
    assert found[("connectors/alpha", "interface")]["account_source"] == (
        "environment variable CONFORMANCE_ACCOUNT_ALPHA"
    )
    for name in ("conformance.json", "conformance.md", "conformance.html"):
        assert secret not in (pytester.path / "out" / name).read_text()
    assert secret not in run.stdout.str()


def test_the_randomized_profile_undoes_ci_derandomization(
    pytester: pytest.Pytester, fleet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(
        """
        from hypothesis import settings

        def pytest_collection_finish(session):
            print("derandomize =", settings.default.derandomize)
        """
    )
    monkeypatch.setenv("CI", "true")
    gate = pytester.runpytest_subprocess("--connector=connectors/alpha", "-s", *FAST)
    gate.stdout.fnmatch_lines(["derandomize = True"])  # what hypothesis does on CI by itself
    explore = pytester.runpytest_subprocess(
        "--connector=connectors/alpha", "-s", "--hypothesis-profile=conformance-randomized", *FAST
    )
    explore.stdout.fnmatch_lines(["derandomize = False"])
    explore.assert_outcomes(passed=6)


def test_checks_skipped_before_they_run_still_get_a_row_with_the_reason(
    pytester: pytest.Pytester, fleet: Path
) -> None:
    (fleet / "alpha" / "schema.json").unlink()
    run = pytester.runpytest("--connector=connectors/alpha", "--connector-report=out", *FAST)
    found = results(pytester.path / "out")
    skipped = {check for (_, check), r in found.items() if r["status"] == "skipped"}
    assert skipped and len(found) == 6
    run.assert_outcomes(passed=6 - len(skipped), skipped=len(skipped))
    row = found[("connectors/alpha", sorted(skipped)[0])]
    assert "needs a schema.json" in row["message"] and row["verdict"] == "skipped"
    assert "⏭️" in (pytester.path / "out" / "conformance.md").read_text()
