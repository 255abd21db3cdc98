"""The pytest face: `pytest --connector=DIR` runs one item per (connector, check).

The user writes no test file. Each --connector becomes a collector node named after its folder,
holding one item per registered check, so node IDs read `examples/cats::crud.round-trip` and
-k, --deselect, JUnit and xdist all work on check IDs. Given --connector and no explicit test
paths, only the conformance items are collected.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any

import pytest

from conformance.apis import MODES
from conformance.checks import CHECKS, Check
from conformance.errors import InputError
from conformance.loader import ConnectorSpec, load_connector
from conformance.runner import PROFILES, Options, Outcome, run_check
from conformance.session import DEFAULT_TIMEOUT

OUTCOMES = pytest.StashKey[list[Outcome]]()


def pytest_addoption(parser: pytest.Parser) -> None:
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
        default="mock",
        help=f"which API the checks talk to: {', '.join(MODES)} (default: mock)",
    )
    group.addoption(
        "--connector-examples",
        type=int,
        default=None,
        metavar="N",
        help="generated examples per property check and stateful run (default: the profile's)",
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
        help=f"per-call timeout for connector methods (default: {DEFAULT_TIMEOUT:g})",
    )
    group.addoption(
        "--connector-transport",
        choices=("respx", "loopback"),
        default=None,
        help="serve the mock in-process through respx (httpx clients) or on 127.0.0.1",
    )
    group.addoption(
        "--connector-strict",
        action="store_true",
        default=False,
        help="treat warnings (safe but wasteful behaviour) as failures",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[OUTCOMES] = []
    config.addinivalue_line("markers", "conformance: a connector conformance check")
    mode = config.getoption("--connector-mode")
    if config.getoption("--connector") and mode not in MODES:
        raise pytest.UsageError(
            f"--connector-mode={mode} is not available; choose one of {', '.join(MODES)}"
        )
    examples = config.getoption("--connector-examples")
    if examples is not None and examples < 1:
        raise pytest.UsageError("--connector-examples must be at least 1")
    timeout = config.getoption("--connector-timeout")
    if timeout is not None and timeout <= 0:
        raise pytest.UsageError("--connector-timeout must be a positive number of seconds")


def _options(config: pytest.Config) -> Options:
    profile = PROFILES[config.getoption("--connector-profile")]
    return Options(
        mode=config.getoption("--connector-mode"),
        examples=config.getoption("--connector-examples") or profile.examples,
        timeout=config.getoption("--connector-timeout") or DEFAULT_TIMEOUT,
        transport=config.getoption("--connector-transport"),
        steps=profile.steps,
        replay=config.getoption("--connector-replay"),
    )


def _expand(targets: list[str], rootdir: Path) -> list[str]:
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
    for target in _expand(targets, config.rootpath):
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
        spec = load_connector(self.target, cwd=Path(os.getcwd()))
        return [
            CheckItem.from_parent(self, name=check.id, check=check, spec=spec) for check in CHECKS
        ]

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, InputError):
            return f"cannot load connector {self.target}: {excinfo.value}"
        return super().repr_failure(excinfo)  # type: ignore[return-value]


def _node_id(target: str) -> str:
    return target.rstrip("/").replace(os.sep, "/")


class CheckItem(pytest.Item):
    """One check on one connector."""

    def __init__(self, *, check: Check, spec: ConnectorSpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.spec = spec
        self.add_marker(pytest.mark.conformance)
        self.outcome: Outcome | None = None

    def runtest(self) -> None:
        outcome = run_check(self.check, self.spec, _options(self.config))
        self.outcome = outcome
        self.config.stash[OUTCOMES].append(outcome)
        for warning in outcome.warnings:
            self.user_properties.append(("conformance_warning", warning))
        if outcome.status == "skipped":
            pytest.skip(outcome.message)
        strict = self.config.getoption("--connector-strict")
        if outcome.status in ("failed", "error") or (outcome.status == "warned" and strict):
            raise ConformanceFailed(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, ConformanceFailed):
            return excinfo.value.outcome.render()
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Any, int | None, str]:
        # The domain heads failure sections; it must not end the node ID, or pytest's terminal
        # rewrites the dots of check IDs into "::".
        return (
            self.spec.source or self.spec.name,
            None,
            f"connector {self.spec.name}: {self.check.id}",
        )


class ConformanceFailed(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    warned = [o for o in config.stash.get(OUTCOMES, []) if o.status == "warned"]
    if not warned or config.getoption("--connector-strict"):
        return
    terminalreporter.section("conformance warnings")
    for outcome in warned:
        terminalreporter.line(f"{outcome.connector}::{outcome.check} (warning): {outcome.message}")
    terminalreporter.line("(--connector-strict makes warnings fail)")
