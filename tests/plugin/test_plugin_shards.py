"""`--connector-shard=K/N` through pytest: each runner of a job matrix collects its own share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.checks import CHECKS
from conformance.ci.shards import assign

NAMES = ("alpha", "beta", "gamma", "delta", "eps")


@pytest.fixture
def folders(pytester: pytest.Pytester) -> list[str]:
    """Connector folders cheap to collect (one module each; --collect-only never runs them)."""
    from tests.helpers.fleet import make_connector

    for name in NAMES:
        make_connector(pytester.path / "connectors", name)
    return [f"connectors/{n}" for n in sorted(NAMES)]


def collected(pytester: pytest.Pytester, *args: str) -> dict[str, set[str]]:
    result = pytester.runpytest("--connector=connectors/*", "--collect-only", "-q", *args)
    assert result.ret == 0, result.stdout.str()
    found: dict[str, set[str]] = {}
    for line in result.stdout.lines:
        if "::" in line:
            node, check = line.strip().split("::", 1)
            found.setdefault(node, set()).add(check)
    return found


def test_shards_split_the_fleet_whole_connectors_each_in_exactly_one(pytester, folders) -> None:
    seen: list[str] = []
    for k in (1, 2, 3):
        shard = collected(pytester, f"--connector-shard={k}/3")
        assert shard, f"shard {k}/3 is empty"
        for checks in shard.values():  # a connector's checks stay together
            assert checks == {c.id for c in CHECKS}
        seen += shard
    assert sorted(seen) == folders  # every connector once: none lost, none twice


def test_durations_from_an_earlier_report_balance_the_shards(pytester, folders) -> None:
    # gamma alone took as long as all the others together: it gets a shard of its own
    durations = {"connectors/gamma": 40.0, **{f: 10.0 for f in folders if "gamma" not in f}}
    rows = [{"connector": c, "check": "crud.delete", "duration": s} for c, s in durations.items()]
    Path(pytester.path / "earlier.json").write_text(json.dumps({"results": rows}))
    expected = assign(folders, 2, durations)
    assert ["connectors/gamma"] in expected
    for k in (1, 2):
        shard = collected(
            pytester, f"--connector-shard={k}/2", "--connector-durations=earlier.json"
        )
        assert sorted(shard) == sorted(expected[k - 1])


def test_the_header_says_which_shard_and_how_it_was_balanced(pytester, folders) -> None:
    result = pytester.runpytest(
        "--connector=connectors/*", "--collect-only", "--connector-shard=2/2"
    )
    result.stdout.fnmatch_lines(["connector shard 2/2: * of 5 connectors (balanced by count)"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--connector-shard=3"], "--connector-shard=3: expected K/N with whole numbers"),
        (["--connector-shard=5/4"], "K must be between 1 and N"),
        (["--connector-shard=0/4"], "K must be between 1 and N"),
        (
            ["--connector-shard=1/2", "--connector-durations=nowhere.json"],
            "--connector-durations=nowhere.json: no such file",
        ),
        (["--connector-durations=x.json"], "only balances shards; pass --connector-shard=K/N"),
    ],
)
def test_bad_shard_options_are_one_usage_error(pytester, folders, args, message) -> None:
    result = pytester.runpytest("--connector=connectors/*", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_report_that_is_not_one_is_named(pytester, folders) -> None:
    (pytester.path / "bad.json").write_text("[1, 2]")
    result = pytester.runpytest(
        "--connector=connectors/*", "--connector-shard=1/2", "--connector-durations=bad.json"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert '--connector-durations=bad.json: has no "results" list' in result.stderr.str()
