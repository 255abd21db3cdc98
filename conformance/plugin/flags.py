"""The plugin's command-line options, declared in every pytest run of an environment the harness
is installed in, so they import nothing but the option vocabulary (conformance/options.py)."""

from __future__ import annotations

from typing import Any

import pytest

from conformance import options as opts
from conformance.options import ISOLATION_ENV, ISOLATIONS, NODE_ENV, PROFILES


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "connector conformance")
    group.addoption(
        "--connector",
        action="append",
        default=[],
        metavar="PATH",
        help="connector folder, .py file or module to check (repeatable; globs allowed)",
    )
    group.addoption(
        "--connector-mode",
        default="auto",
        help=f"which API the checks talk to: {', '.join(opts.MODES)} (default: auto = mock when "
        "conformance.toml names one, else replay of cassettes)",
    )
    group.addoption(
        "--connector-examples",
        type=int,
        default=None,
        metavar="N",
        help="generated examples per property check and stateful run (default: the profile's)",
    )
    group.addoption(
        "--connector-steps",
        type=int,
        default=None,
        metavar="N",
        help="steps per sync.stateful program (default: the profile's)",
    )
    group.addoption(
        "--connector-profile",
        choices=tuple(PROFILES),
        default="fast",
        help="search effort: fast (default, seconds: "
        + ", ".join(f"{n} {p.examples} examples x {p.steps} steps" for n, p in PROFILES.items())
        + "); thorough is for nightly runs",
    )
    group.addoption(
        "--connector-replay",
        default=None,
        metavar="BLOB",
        help="replay one sync.stateful example from the blob its failure printed",
    )
    group.addoption(
        "--connector-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"per-call timeout for connector methods (default: {opts.DEFAULT_TIMEOUT:g})",
    )
    group.addoption(
        "--connector-transport",
        choices=opts.TRANSPORTS,
        default=None,
        help="answer from the mock in process (every routed client) or serve it on 127.0.0.1",
    )
    _add_recording_options(group)
    _add_shard_options(group)
    group.addoption(
        "--connector-strict",
        action="store_true",
        default=False,
        help="treat warnings (safe but wasteful behaviour) as failures",
    )
    _add_gate_options(group)


def _add_recording_options(group: Any) -> None:
    """Live, record and replay modes (conformance/backends, docs/recording.md)."""
    group.addoption(
        "--cassette-dir",
        default=None,
        metavar="DIR",
        help="where a connector's cassettes live (default: a cassettes/ folder in the connector)",
    )
    group.addoption(
        "--connector-record-mode",
        choices=opts.RECORD_MODES,
        default="all",
        help="with --connector-mode=record, per check: none (replay), once (record missing "
        "cassettes), new_episodes (record missing or stale ones), all/rewrite (record all; "
        "default)",
    )
    group.addoption(
        "--connector-consistency",
        type=float,
        default=None,
        metavar="SECONDS",
        help="live/record: how long a read may wait for the API to show the harness's own "
        f"writes (eventual consistency; default {opts.DEFAULT_CONSISTENCY:g})",
    )
    group.addoption(
        "--connector-cleanup",
        action="store_true",
        default=False,
        help="instead of the checks, delete what earlier (crashed) live runs left in the account",
    )
    group.addoption(
        "--connector-audit-cassettes",
        action="store_true",
        default=False,
        help="add an item per connector that fails when its cassettes hold a secret",
    )
    group.addoption(
        "--connector-node",
        metavar="PATH",
        help=f"the node executable for JS connectors (default: ${NODE_ENV}, else node on PATH)",
    )
    group.addoption(
        "--connector-isolation",
        choices=ISOLATIONS,
        help="where Python connector code runs: in a worker process the harness can time out and "
        "kill (process, the default), or in pytest's own process (inline: faster, but a connector "
        f"that exits or blocks its event loop takes the run down; default: ${ISOLATION_ENV})",
    )


def _add_shard_options(group: Any) -> None:
    """One CI runner of a job matrix checks one shard of the fleet (conformance/ci/shards.py)."""
    group.addoption(
        "--connector-shard",
        default=None,
        metavar="K/N",
        help="check only the K-th of N shards of the connectors given (a connector's checks "
        "stay together; every runner of a job matrix computes the same split)",
    )
    group.addoption(
        "--connector-durations",
        default=None,
        metavar="FILE",
        help="with --connector-shard: balance shards by the per-connector durations in an "
        "earlier run's conformance.json (default: balance by count)",
    )


def _add_gate_options(group: Any) -> None:
    """CI: accounts, reports, baseline (plugin/gate.py)."""
    group.addoption(
        "--connector-account",
        action="append",
        default=[],
        metavar="[NAME=]FILE",
        help="take the account from FILE (for connector NAME, or for every connector) "
        "instead of CONFORMANCE_ACCOUNT_<NAME>, account.json or account.example.json",
    )
    group.addoption(
        "--connector-report",
        default=None,
        metavar="DIR",
        help="write conformance.json, .md and .html for the whole run into DIR "
        "(the Markdown is also appended to $GITHUB_STEP_SUMMARY when set)",
    )
    group.addoption(
        "--connector-baseline",
        default=None,
        metavar="FILE",
        help="known failures (connector, check, reason): they do not fail the run",
    )
    group.addoption(
        "--connector-write-baseline",
        default=None,
        metavar="FILE",
        help="write this run's failures to FILE as a baseline (keeps reasons already in "
        "--connector-baseline)",
    )
