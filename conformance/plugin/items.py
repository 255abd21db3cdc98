"""The pytest items a connector becomes: one per check, or one saying why it could not load.

Every item fails the same way, by raising `ConformanceFailed` with an `Outcome`, so one
`repr_failure` shows every failure as the outcome's text (the harm, what happened, the calls
that reproduce it) instead of a traceback into the harness. Kept apart from the plugin's entry
point so the gate can tell items apart without importing the plugin that registers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.backends.leftovers import clean_leftovers
from conformance.backends.real import cassette_folder
from conformance.checks import Check
from conformance.ci.baseline import LOAD_CHECK
from conformance.connector.load import ConnectorSpec
from conformance.errors import ConnectorCallError, InputError
from conformance.options import DEFAULT_TIMEOUT, Options
from conformance.outcome import Outcome, Status
from conformance.recording.audit import audit
from conformance.recording.scrub import Scrubber, account_secrets
from conformance.runner import run_check


class ConformanceFailed(Exception):
    """A finding (or a connector that cannot be checked), carried to `repr_failure`."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


class ConformanceItem(pytest.Item):
    """What every item of a connector shares: its failure text and the heading above it.

    `check_id` is the last part of the node ID (`<path>::<check_id>`), `label` what the failure
    heading calls the item, and `line` what `reportinfo` gives pytest (CheckItem says 0).
    """

    check_id: str
    label: str
    line: int | None = None

    @property
    def where(self) -> Any:
        """The file a failure heading names, and the connector's name in it."""
        return self.nodeid.split("::")[0]

    @property
    def connector_name(self) -> str:
        return self.where

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, ConformanceFailed):
            return excinfo.value.outcome.render()
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Any, int | None, str]:
        # The domain heads failure sections; it must not end the node ID, or pytest's terminal
        # rewrites the dots of check IDs into "::".
        return self.where, self.line, f"connector {self.connector_name}: {self.label}"


class _OnSpec(ConformanceItem):
    """An item about a loaded connector: headed by its source file and its own name."""

    def __init__(self, *, spec: ConnectorSpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    @property
    def where(self) -> Any:
        return self.spec.source or self.spec.name  # a path, so pytest shows it relative

    @property
    def connector_name(self) -> str:
        return self.spec.name


class LoadItem(ConformanceItem):
    """A connector that cannot be loaded: fails with the loader's message, names the connector."""

    check_id = label = LOAD_CHECK

    def __init__(self, *, problem: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problem = problem
        self.add_marker(pytest.mark.conformance)
        self.outcome: Outcome | None = None

    def runtest(self) -> None:
        self.outcome = Outcome(
            name=self.parent.name if self.parent else self.name,
            check=LOAD_CHECK,
            status=Status.ERROR,
            suffers="the connector cannot be loaded: none of its checks ran",
            message=f"cannot load connector {self.parent.name if self.parent else ''}: "
            f"{self.problem}",
            mode=self.config.getoption("--connector-mode"),
        )
        raise ConformanceFailed(self.outcome)


class CheckItem(_OnSpec):
    """One check on one connector."""

    line = 0

    def __init__(self, *, check: Check, options: Options, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.check_id = self.label = check.id
        self.options = options
        self.add_marker(pytest.mark.conformance)
        self.outcome: Outcome | None = None

    def runtest(self) -> None:
        outcome = run_check(self.check, self.spec, self.options)
        self.outcome = outcome
        for warning in outcome.warnings:
            self.user_properties.append(("conformance_warning", warning))
        if coverage := outcome.coverage_line():
            self.user_properties.append(("conformance_coverage", coverage))
        for gap in outcome.not_exercised:
            self.user_properties.append(("conformance_not_exercised", gap))
        if outcome.status is Status.SKIPPED:
            pytest.skip(outcome.message)
        if outcome.fails_run(strict=self.config.getoption("--connector-strict")):
            raise ConformanceFailed(outcome)


class CleanupItem(_OnSpec):
    """--connector-cleanup: delete what earlier live runs of this connector left behind, and
    say what was deleted (or that nothing was) in the terminal summary."""

    check_id = label = "cleanup"

    def runtest(self) -> None:
        timeout = self.config.getoption("--connector-timeout") or DEFAULT_TIMEOUT
        try:
            cassettes: Path | None = cassette_folder(
                self.spec, self.config.getoption("--cassette-dir")
            )
        except InputError:  # a module connector without --cassette-dir: no cassettes to tidy
            cassettes = None
        try:
            lines = clean_leftovers(self.spec, dict(self.spec.account), timeout, cassettes)
        except (InputError, ConnectorCallError) as exc:
            settings = self.spec.settings.account_settings
            scrubbed = Scrubber(account_secrets(self.spec.account, settings=settings)).text(
                str(exc)
            )
            raise ConformanceFailed(
                Outcome(self.spec.name, self.check_id, Status.ERROR, message=scrubbed)
            ) from None
        for line in lines:
            self.user_properties.append(("conformance_cleanup", line))


class AuditItem(_OnSpec):
    """--connector-audit-cassettes: fails when a cassette of this connector holds a secret."""

    check_id, label = "audit-cassettes", "audit"

    def runtest(self) -> None:
        try:
            folder = cassette_folder(self.spec, self.config.getoption("--cassette-dir"))
            settings = self.spec.settings.account_settings
            findings = (
                audit([folder], self.spec.account, settings=settings) if folder.is_dir() else []
            )
        except InputError as exc:
            raise ConformanceFailed(
                Outcome(self.spec.name, self.check_id, Status.ERROR, message=str(exc))
            ) from None
        if findings:
            message = "\n".join(str(f) for f in findings)
            raise ConformanceFailed(
                Outcome(
                    self.spec.name,
                    self.check_id,
                    Status.FAILED,
                    suffers="a secret is committed in a cassette: anyone who reads the "
                    "repository can use it",
                    message=message
                    + "\nscrub or re-record these cassettes, then rotate the secret",
                )
            )
