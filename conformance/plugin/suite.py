"""A run with --connector: one item per (connector, check), its header, its summary.

The user writes no test file. Each --connector becomes a collector node named after its folder,
holding one item per registered check, so node IDs read `examples/cats::crud.round-trip` and
-k, --deselect, JUnit and xdist all work on check IDs. Given --connector and no explicit test
paths, only the conformance items are collected. conformance.plugin registers this module only
in such a run: everything the checks need is imported here.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any

import pytest

from conformance import options as opts
from conformance.backends import choose_backend
from conformance.checks import CHECKS
from conformance.ci import shards
from conformance.ci.baseline import LOAD_CHECK
from conformance.connector.load import load_connector
from conformance.errors import InputError
from conformance.options import PROFILES
from conformance.outcome import Status
from conformance.plugin import gate
from conformance.plugin.items import AuditItem, CheckItem, CleanupItem, LoadItem
from conformance.runner import skip_reason

GATE = "conformance-gate"

SHARD_KEY = pytest.StashKey[tuple[shards.Shard, dict[str, float]]]()


def pytest_configure(config: pytest.Config) -> None:
    """Called when conformance.plugin registers this module (a run with --connector)."""
    try:
        _configure_shard(config)
    except InputError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.pluginmanager.register(gate.Gate(config, meta=lambda: _shard_meta(config)), GATE)


def _configure_shard(config: pytest.Config) -> None:
    shard_text, durations_path = (
        config.getoption("--connector-shard"),
        config.getoption("--connector-durations"),
    )
    if durations_path and not shard_text:
        raise InputError(
            f"--connector-durations={durations_path}: only balances shards; pass "
            "--connector-shard=K/N too, or leave it out"
        )
    if shard_text:
        durations = shards.load_durations(Path(durations_path)) if durations_path else {}
        config.stash[SHARD_KEY] = (shards.parse_shard(shard_text), durations)


def _connectors(config: pytest.Config) -> list[str]:
    """The --connector targets, globs expanded, narrowed to this runner's shard if one is set."""
    expanded = _expand(config.getoption("--connector"))
    if SHARD_KEY not in config.stash:
        return expanded
    shard, durations = config.stash[SHARD_KEY]
    by_node = {_node_id(t): t for t in expanded}  # durations name connectors by node key
    return [by_node[n] for n in shards.select(list(by_node), shard, durations)]


def _shard_meta(config: pytest.Config) -> dict[str, Any]:
    """What a sharded run's report says about its place in the fleet, so `syncpeng report
    merge` can prove the shards covered the whole fleet exactly once (ci/merge.py)."""
    if SHARD_KEY not in config.stash:
        return {}
    shard, _ = config.stash[SHARD_KEY]
    fleet = sorted(_node_id(t) for t in _expand(config.getoption("--connector")))
    mine = sorted(_node_id(t) for t in _connectors(config))
    return {"shard": str(shard), "fleet": fleet, "shard_connectors": mine}


def pytest_report_header(config: pytest.Config) -> list[str]:
    found = config.pluginmanager.get_plugin(GATE)
    if not found:
        return []
    lines = found.header_lines(_connectors(config))
    if SHARD_KEY in config.stash:
        shard, durations = config.stash[SHARD_KEY]
        total = len(_expand(config.getoption("--connector")))
        balance = "by earlier durations" if durations else "by count"
        lines.append(
            f"connector shard {shard}: {len(_connectors(config))} of {total} connectors "
            f"(balanced {balance})"
        )
    return lines


def _options(config: pytest.Config) -> opts.Options:
    profile = PROFILES[config.getoption("--connector-profile")]
    return opts.Options(
        mode=config.getoption("--connector-mode"),
        examples=config.getoption("--connector-examples") or profile.examples,
        timeout=config.getoption("--connector-timeout") or opts.DEFAULT_TIMEOUT,
        transport=config.getoption("--connector-transport"),
        steps=config.getoption("--connector-steps") or profile.steps,
        stateful_blob=config.getoption("--connector-replay"),
        cassette_dir=config.getoption("--cassette-dir"),
        record_mode=config.getoption("--connector-record-mode"),
        consistency=config.getoption("--connector-consistency"),
    )


def _expand(targets: list[str]) -> list[str]:
    found: list[str] = []
    for target in targets:
        if glob.has_magic(target):
            matches = sorted(m for m in glob.glob(target) if Path(m).is_dir() or m.endswith(".py"))
            if not matches:
                raise pytest.UsageError(f"--connector={target} matches no folder or .py file")
            found += matches
        else:
            found.append(target)
    return list(dict.fromkeys(found))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With --connector and no explicit paths, the run is the conformance suite alone."""
    if config.getoption("--connector") and config.args_source != pytest.Config.ArgsSource.ARGS:
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    targets = config.getoption("--connector")
    if not targets:
        return
    if config.getoption("--cassette-dir") and len(_expand(targets)) > 1:
        raise pytest.UsageError(
            "--cassette-dir holds one connector's cassettes; run each connector separately "
            "or leave the default (a cassettes/ folder in each connector)"
        )
    for target in _connectors(config):
        collector = ConnectorCollector.from_parent(session, name=target, target=target)
        report = session.ihook.pytest_make_collect_report(collector=collector)
        session.ihook.pytest_collectreport(report=report)
        if report.passed:
            items.extend(i for i in report.result if isinstance(i, pytest.Item))


class ConnectorCollector(pytest.Collector):
    """One connector: loads it once and yields an item per check."""

    def __init__(self, *, target: str, **kwargs: Any) -> None:
        super().__init__(nodeid=_node_id(target), **kwargs)
        self.target = target

    def collect(self) -> list[pytest.Item]:
        accounts = gate.account_options(self.config)
        try:
            spec = load_connector(self.target, cwd=Path(os.getcwd()), accounts=accounts)
            if self.config.getoption("--connector-cleanup"):
                return [CleanupItem.from_parent(self, name="cleanup", spec=spec)]
            options = _options(self.config)
            backend = choose_backend(spec, options)
            backend.validate(spec)
        except InputError as exc:
            # One failing item rather than a collection error: a collection error interrupts
            # the whole run, so one broken connector would stop a fleet's other checks.
            return [LoadItem.from_parent(self, name=LOAD_CHECK, problem=str(exc))]
        items: list[pytest.Item] = []
        for check in CHECKS:
            item = CheckItem.from_parent(
                self, name=check.id, check=check, spec=spec, options=options
            )
            reason = skip_reason(check, spec, backend)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
            items.append(item)
        if self.config.getoption("--connector-audit-cassettes"):
            items.append(AuditItem.from_parent(self, name="audit-cassettes", spec=spec))
        return items

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, InputError):
            return f"cannot load connector {self.target}: {excinfo.value}"
        return super().repr_failure(excinfo)  # type: ignore[return-value]


def _cleanup_summary(terminalreporter: Any) -> None:
    """What --connector-cleanup deleted, or that there was nothing (CleanupItem's lines)."""
    cleaned = [
        (report.nodeid, value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", "") == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "conformance_cleanup"
    ]
    if cleaned:
        terminalreporter.section("conformance cleanup")
        for node, line in cleaned:
            terminalreporter.line(f"{node.removesuffix('::cleanup')}: {line}")


def _node_id(target: str) -> str:
    return target.rstrip("/").replace(os.sep, "/")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    _cleanup_summary(terminalreporter)
    found = config.pluginmanager.get_plugin(GATE)  # merged across xdist workers
    rows = found.sorted_results() if found else []
    _not_exercised(terminalreporter, rows, strict=config.getoption("--connector-strict"))
    warned = [r for r in rows if r.status is Status.WARNED]
    if not warned or config.getoption("--connector-strict"):
        return
    terminalreporter.section("conformance warnings")
    for row in warned:
        terminalreporter.line(f"{row.node}::{row.check} (warning): {row.outcome.message}")
    terminalreporter.line("(--connector-strict makes warnings fail)")


def _not_exercised(terminalreporter: Any, rows: list, *, strict: bool) -> None:
    """Passes that rest on nothing: the property was never exercised (the API never paged...)."""
    hollow = [r for r in rows if r.status is Status.PASSED and r.outcome.not_exercised]
    if not hollow:
        return
    terminalreporter.section("conformance coverage: passed without exercising")
    for row in hollow:
        for gap in row.outcome.not_exercised:
            terminalreporter.line(f"{row.node}::{row.check} passed, NOT EXERCISED: {gap}")
    if not strict:
        terminalreporter.line("(--connector-strict makes these fail)")
