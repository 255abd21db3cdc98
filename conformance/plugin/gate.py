"""The CI side of the plugin: one run's results merged across xdist workers, reports, baseline.

How results cross from xdist workers to the controller: each check item's `ReportRow` (its
`Outcome` and the connector's node ID) is attached to its call-phase `TestReport` as a plain-dict
attribute (`report.conformance`, the row's JSON form). pytest turns a
report into a wire-safe dict from its `__dict__` and rebuilds it on the controller with the extra
keys (the route pytest-html's `report.extras` also takes), so the controller's
`pytest_runtest_logreport` sees every outcome, with or without xdist, in the one code path.
`user_properties` would work as well but would also write each outcome's full text into the
JUnit XML as a property; an attribute keeps JUnit as pytest makes it.

Nothing is shared between workers: each worker loads the connectors and runs its checks with its
own mocks and temp files; only the controller writes reports and baselines.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.backends import needs_real_account
from conformance.ci import reports
from conformance.ci.baseline import Baseline, load_baseline, write_baseline
from conformance.connector.accounts import AccountOptions, env_name, resolve_account
from conformance.errors import InputError
from conformance.outcome import Outcome, ReportRow, Status
from conformance.plugin.items import CheckItem, ConformanceFailed, LoadItem
from conformance.recording.scrub import Scrubber, account_secrets

ATTRIBUTE = "conformance"


def account_options(config: pytest.Config) -> AccountOptions:
    return AccountOptions(files=tuple(config.getoption("--connector-account")), cwd=Path.cwd())


def node_key(nodeid: str) -> str:
    """The connector part of a node ID, as reports and baselines name it."""
    return nodeid.split("::", 1)[0]


class Gate:
    """Registered by the plugin when --connector is given; one per process."""

    def __init__(
        self, config: pytest.Config, meta: Callable[[], dict[str, Any]] | None = None
    ) -> None:
        self.config = config
        self.meta = meta or dict  # extra report meta, e.g. which shard of which fleet this was
        self.results: dict[tuple[str, str], ReportRow] = {}
        self.baseline: Baseline | None = None
        path = config.getoption("--connector-baseline")
        try:
            self.accounts = account_options(config)
            if path:
                self.baseline = load_baseline(Path(path))
        except InputError as exc:
            raise pytest.UsageError(str(exc)) from None

    @property
    def is_controller(self) -> bool:
        return not hasattr(self.config, "workerinput")

    # --- header: which account each connector uses --------------------------------------------

    def header_lines(self, targets: list[str]) -> list[str]:
        lines = []
        for target in targets:
            path = Path(target)
            if path.is_dir():
                name, folder = path.resolve().name, path
            elif path.suffix == ".py":
                name, folder = path.stem, path.parent
            else:
                continue  # a module: its account is read when it is imported
            try:
                _, source = resolve_account(name, folder, self.accounts)
            except InputError as exc:
                lines.append(f"  {node_key(target)}: {exc}")
                continue
            line = f"  {target.rstrip('/')}: {source.describe()}"
            mode = self.config.getoption("--connector-mode")
            if needs_real_account(mode) and not source.is_real:
                line += (
                    f" <- a {mode} run needs the real "
                    f"account: set {env_name(name)} or pass --connector-account {name}=FILE"
                )
            lines.append(line)
        return ["connector accounts:", *lines] if lines else []

    # --- baseline: known failures become non-strict xfails ------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if self.baseline is None:
            return
        for item in items:
            if not isinstance(item, (CheckItem, LoadItem)):
                continue
            entry = self.baseline.get(node_key(item.nodeid), item.check_id)
            if entry is not None:
                item.add_marker(
                    pytest.mark.xfail(
                        reason=f"baseline: {entry.reason}", strict=False, raises=ConformanceFailed
                    )
                )

    # --- results: attached on the worker, merged on the controller ----------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Iterator[Any]:
        report = yield
        if isinstance(item, CheckItem) and report.sections:
            # what the connector printed (terminal "Captured stdout", JUnit system-out) is
            # scrubbed of account values like every other output
            hide = _account_scrubber(item)
            report.sections = [(title, hide.text(text)) for title, text in report.sections]
        if isinstance(item, CheckItem) and report.when == "setup" and report.skipped:
            # skipped before it ran (a skip marker, e.g. a check replay cannot do): still a row
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            skipped = Outcome(
                name=item.spec.name,
                check=item.check.id,
                status=Status.SKIPPED,
                message=str(reason).removeprefix("Skipped: "),
                mode="",
            )
            row = ReportRow(
                skipped, node_key(item.nodeid), account_source=item.spec.account_source.describe()
            )
            setattr(report, ATTRIBUTE, row.to_json())
        if isinstance(item, (CheckItem, LoadItem)) and report.when == "call":
            outcome = item.outcome
            node = node_key(item.nodeid)
            if outcome is None:  # the harness itself broke: still a row, named, with pytest's text
                hide = _account_scrubber(item)
                outcome = Outcome(
                    name=node.rsplit("/", 1)[-1],
                    check=item.check_id,
                    status=Status.ERROR,
                    message=hide.text(report.longreprtext),  # a traceback may quote the account
                    mode="",
                )
            row = ReportRow(outcome, node)
            if isinstance(item, CheckItem):
                row.account_source = item.spec.account_source.describe()
            setattr(report, ATTRIBUTE, row.to_json())
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, ATTRIBUTE, None)
        if not isinstance(data, dict) or not self.is_controller:
            return
        result = ReportRow.from_json(data)
        if hasattr(report, "wasxfail"):
            result.verdict = "xfailed" if report.skipped else "xpassed"
            result.baseline = "known" if report.skipped else "stale"
            result.baseline_reason = report.wasxfail.removeprefix("baseline: ")
        else:
            result.verdict = report.outcome
        self.results[(result.node, result.check)] = result

    # --- end of run: reports and baseline, on the controller only -----------------------------

    def sorted_results(self) -> list[ReportRow]:
        return [self.results[k] for k in sorted(self.results)]

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.is_controller:
            return
        results = self.sorted_results()
        directory = self.config.getoption("--connector-report")
        if directory:
            self.written = reports.write_reports(
                Path(directory),
                results,
                step_summary=os.environ.get("GITHUB_STEP_SUMMARY"),
                meta=self.meta(),
            )
        target = self.config.getoption("--connector-write-baseline")
        if target:
            strict = self.config.getoption("--connector-strict")
            failing = [
                (r.node, r.check, r.headline) for r in results if r.outcome.fails_run(strict=strict)
            ]
            self.baseline_written = write_baseline(Path(target), failing, self.baseline)
            self.baseline_count = len(failing)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.is_controller:
            return
        results = self.sorted_results()
        write = terminalreporter.line
        stale = reports.stale_entries(results)
        known = [r for r in results if r.baseline == "known"]
        if self.baseline is not None:
            terminalreporter.section("conformance baseline")
            write(
                f"{len(known)} known failure(s) tolerated by {self.baseline.path} "
                "(shown as xfailed; they do not fail the run)"
            )
            if stale:
                write(
                    f"{len(stale)} baseline "
                    f"{'entry now passes' if len(stale) == 1 else 'entries now pass'}: "
                    f"remove {'it' if len(stale) == 1 else 'them'} from the baseline "
                    "(stale entries do not fail the run):"
                )
                for r in stale:
                    write(f"  {r.node} / {r.check}")
        if hasattr(self, "baseline_written"):
            write(
                f"baseline with {self.baseline_count} failure(s) written to {self.baseline_written}"
            )
        if hasattr(self, "written"):
            terminalreporter.section("conformance reports")
            write(reports.headline(results))
            for path in self.written:
                write(f"  {path}")


def _account_scrubber(item: pytest.Item) -> Scrubber:
    """The secret policy for what pytest itself shows of an item: the account's values."""
    spec = getattr(item, "spec", None)
    account = dict(spec.account) if spec is not None else {}
    settings = spec.settings.account_settings if spec is not None else ()
    return Scrubber(account_secrets(account, settings=settings))
