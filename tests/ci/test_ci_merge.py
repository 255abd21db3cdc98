"""`syncpeng report merge`: the shards of a fleet give the verdict one run over it would give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.ci.merge import merge
from conformance.cli.main import main
from conformance.errors import InputError
from tests.helpers.fleet import make_connector

CORE_CHECKS = ("-k", "not faults and not errors and not sync")
FAST = ("--connector-examples=3", "-p", "no:cacheprovider", *CORE_CHECKS)
BASELINE = {
    "known_failures": [
        {"connector": "connectors/gamma", "check": "crud.delete", "reason": "ticket 1"},
        {"connector": "connectors/alpha", "check": "crud.delete", "reason": "fixed since"},
        {"connector": "connectors/gone", "check": "crud.delete", "reason": "removed"},
    ]
}


def verdicts(report: Path) -> dict[tuple[str, str], tuple[str, str, str]]:
    data = json.loads((report / "conformance.json").read_text())
    return {
        (r["connector"], r["check"]): (r["status"], r["verdict"], r["baseline"])
        for r in data["results"]
    }


def test_merged_shards_give_the_verdicts_of_one_run_over_the_fleet(
    pytester: pytest.Pytester, fleet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_connector(fleet, "epsilon", "noimport")  # a load error is a row too
    (pytester.path / "baseline.json").write_text(json.dumps(BASELINE))
    fleet_args = ("--connector=connectors/*", "--connector-baseline=baseline.json", *FAST)
    pytester.runpytest(*fleet_args, "--connector-report=single")
    for k in (1, 2, 3):
        pytester.runpytest(*fleet_args, f"--connector-shard={k}/3", f"--connector-report=s{k}")
    shards = [str(pytester.path / f"s{k}") for k in (1, 2, 3)]
    merged = pytester.path / "merged"
    capsys.readouterr()  # the runs above printed too
    status = main(["report", "merge", *shards, "-o", str(merged), "--baseline",
                   str(pytester.path / "baseline.json")])  # fmt: skip
    single = verdicts(pytester.path / "single")
    assert {c for c, _ in single} == {
        f"connectors/{n}" for n in ("alpha", "beta", "gamma", "delta", "epsilon")
    }
    assert verdicts(merged) == single
    # gamma's lost deletes are baselined, delta only warns; epsilon cannot load: the fleet fails
    assert status == 1
    assert single[("connectors/epsilon", "load")][1] == "failed"
    assert single[("connectors/gamma", "crud.delete")] == ("failed", "xfailed", "known")
    assert single[("connectors/alpha", "crud.delete")] == ("passed", "xpassed", "stale")
    out = capsys.readouterr().out
    assert out.count("connectors/alpha / crud.delete") == 1  # the stale entry, named once
    assert "name connectors no shard checked:\n  connectors/gone / crud.delete" in out
    assert "FAILED connectors/epsilon::load" in out
    assert "merged from 3 shard(s)" in out
    assert (merged / "conformance.md").is_file() and (merged / "conformance.html").is_file()
    # the folders of shards 1 and 2 alone are not the fleet: the missing shard is named
    with pytest.raises(InputError, match="no report from shard 3/3: the fleet's verdict is unkn"):
        merge([Path(s) for s in shards[:2]])


def test_shards_that_split_differently_fail_the_merge(pytester: pytest.Pytester) -> None:
    for name in ("a", "b", "c"):
        make_connector(pytester.path / "connectors", name)
    rows = [
        {"connector": f"connectors/{name}", "check": "crud.delete", "duration": seconds}
        for name, seconds in (("a", 1.0), ("b", 100.0), ("c", 1.0))
    ]
    (pytester.path / "durations.json").write_text(json.dumps({"results": rows}))
    only = ("--connector=connectors/*", *FAST, "-k", "interface")
    # shard 1 balanced by count, shard 2 by durations: they disagree about the split
    pytester.runpytest(*only, "--connector-shard=1/2", "--connector-report=s1")
    pytester.runpytest(
        *only, "--connector-shard=2/2", "--connector-durations=durations.json",
        "--connector-report=s2",
    )  # fmt: skip
    with pytest.raises(InputError, match="exactly once.*no shard: connectors/b; .*twice: conn"):
        merge([pytester.path / "s1", pytester.path / "s2"])


def row(connector: str, check: str, status: str) -> dict:
    return {"connector": connector, "check": check, "status": status, "verdict": "passed"}


def shard(tmp_path: Path, name: str, *rows: dict) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "conformance.json").write_text(json.dumps({"results": list(rows)}))
    return folder


def test_a_passing_fleet_exits_zero_and_appends_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    one = shard(tmp_path, "s1", row("c/a", "crud.delete", "passed"))
    two = shard(tmp_path, "s2", row("c/b", "crud.delete", "warned"))
    assert main(["report", "merge", str(one), str(two), "-o", str(tmp_path / "out")]) == 0
    text = summary.read_text()
    assert text.startswith("earlier step\n")
    assert "## Connector conformance passes: 1 passed, 1 warning (2 connectors)" in text
    # strict: the warning fails the fleet, as --connector-strict would
    assert (
        main(["report", "merge", str(one), str(two), "-o", str(tmp_path / "o2"), "--strict"]) == 1
    )


def test_a_shard_without_a_report_fails_the_merge_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = shard(tmp_path, "s1", row("c/a", "crud.delete", "passed"))
    (tmp_path / "s2").mkdir()  # the runner crashed before writing
    args = ["report", "merge", str(one), str(tmp_path / "s2"), str(tmp_path / "s3")]
    assert main([*args, "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"shard report {tmp_path / 's2'}: it holds no conformance.json" in err
    assert f"shard report {tmp_path / 's3'}: no such folder" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()  # no report that could be read as a pass


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not readable JSON"),
        ('{"results": [{"check": "x"}]}', "not a conformance report .bad or missing field"),
        ('{"results": [{"connector": "c", "check": "x", "status": "great"}]}', "not a conf"),
        ("[]", "not a conformance report"),
    ],
)
def test_a_broken_shard_report_is_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / "conformance.json").write_text(text)
    with pytest.raises(InputError, match=message) as caught:
        merge([tmp_path / "s1"])
    assert "s1" in str(caught.value)


def test_overlapping_shards_are_an_error_not_an_overwrite(tmp_path: Path) -> None:
    one = shard(tmp_path, "s1", row("c/a", "crud.delete", "failed"))
    two = shard(tmp_path, "s2", row("c/a", "crud.delete", "passed"))
    with pytest.raises(InputError, match="c/a / crud.delete is reported by both .*s1 and .*s2"):
        merge([one, two])
