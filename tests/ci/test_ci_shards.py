"""--connector-shard: every connector lands in exactly one shard, the same one on every runner."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.ci.shards import Shard, assign, load_durations, parse_shard, select
from conformance.errors import InputError

fleets = st.integers(min_value=1, max_value=500).map(
    lambda n: [f"connectors/c{i:03d}" for i in range(n)]
)
shard_counts = st.integers(min_value=1, max_value=32)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(fleets, shard_counts)
def test_every_connector_lands_in_exactly_one_shard(fleet, count):
    shards = assign(fleet, count)
    assert len(shards) == count
    placed = [c for shard in shards for c in shard]
    assert sorted(placed) == sorted(fleet)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(fleets, shard_counts)
def test_without_durations_shards_differ_by_at_most_one_connector(fleet, count):
    sizes = [len(s) for s in assign(fleet, count)]
    assert max(sizes) - min(sizes) <= 1


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.dictionaries(
        st.from_regex(r"connectors/[a-z]{1,8}", fullmatch=True),
        st.floats(min_value=0.0, max_value=100.0),
        min_size=1,
        max_size=200,
    ),
    shard_counts,
)
def test_with_durations_the_slowest_shard_is_within_one_connector_of_the_mean(durations, count):
    shards = assign(list(durations), count, durations)
    loads = [sum(durations[c] for c in shard) for shard in shards]
    mean = sum(durations.values()) / count
    # Greedy list scheduling's guarantee: no shard ends later than the mean plus one job.
    assert max(loads) <= mean + max(durations.values()) + 1e-9


def test_the_assignment_is_the_same_whatever_order_the_runner_listed_the_fleet():
    fleet = [f"c{i}" for i in range(37)]
    durations = {c: float(i % 7) for i, c in enumerate(fleet)}
    forward = {c: k for k, shard in enumerate(assign(fleet, 5, durations)) for c in shard}
    backward = {c: k for k, shard in enumerate(assign(fleet[::-1], 5, durations)) for c in shard}
    assert forward == backward


def test_select_gives_each_runner_its_own_disjoint_part():
    fleet = [f"c{i}" for i in range(10)]
    parts = [select(fleet, Shard(k, 3)) for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(fleet)
    assert all(set(a).isdisjoint(b) for a in parts for b in parts if a is not b)


def test_durations_balance_a_fleet_that_counts_alone_would_not():
    durations = {"slow": 10.0, "a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}
    shards = assign(list(durations), 2, durations)
    assert ["slow"] in shards, "the slow connector gets a shard of its own"


def test_connectors_missing_from_the_durations_weigh_the_mean_of_the_known():
    shards = assign(["known1", "known2", "new1", "new2"], 2, {"known1": 4.0, "known2": 4.0})
    assert sorted(len(s) for s in shards) == [2, 2]


@pytest.mark.parametrize("text", ["2", "0/3", "4/3", "a/b", "1/0", "-1/2", "1/2/3"])
def test_a_malformed_shard_names_the_option_and_the_form(text):
    with pytest.raises(InputError, match=r"--connector-shard=.*K"):
        parse_shard(text)


def test_a_well_formed_shard_reads_back():
    assert str(parse_shard("2/4")) == "2/4"


def test_durations_are_summed_per_connector_from_an_earlier_report(tmp_path):
    report = tmp_path / "conformance.json"
    rows = [
        {"connector": "connectors/a", "check": "crud.delete", "duration": 1.5},
        {"connector": "connectors/a", "check": "crud.round-trip", "duration": 0.5},
        {"connector": "connectors/b", "check": "crud.delete", "duration": 3.0},
    ]
    report.write_text(json.dumps({"version": 1, "results": rows}))
    assert load_durations(report) == {"connectors/a": 2.0, "connectors/b": 3.0}


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("{", "not a readable report"), ("[]", 'no "results" list')],
)
def test_a_bad_durations_file_is_one_clear_message(tmp_path, content, message):
    path = tmp_path / "conformance.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=message) as caught:
        load_durations(path)
    assert "--connector-durations=" in str(caught.value)
