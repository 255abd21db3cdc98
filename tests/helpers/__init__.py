"""Shared helpers for the harness's own tests: run checks on a connector, find test connectors."""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conformance.backends import choose_backend
from conformance.checks import BY_ID, CHECKS
from conformance.connector.load import load_connector
from conformance.outcome import Outcome, ReportRow
from conformance.runner import Options, run_check, skip_reason

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "connectors" / "broken"
EXAMPLE = ROOT / "examples" / "cats"

# The per-call timeout for the hostile connectors that hang forever, so their tests end soon.
# Every other test keeps the default timeout: a legitimate call (a page behind a 0.125 s delayed
# response, say) must never time out because the machine is busy. 2 s is 16x that slowest
# legitimate call, and a hang costs it once per failing check (a timeout is never shrunk).
HANG_TIMEOUT = 2.0


def run_all(
    target: Path | str, *, overrides: dict[str, dict] | None = None, **options
) -> dict[str, Outcome]:
    """Every registered check on one connector, keyed by check ID.

    `overrides` maps a check ID to options for that check alone (e.g. more stateful examples).
    """
    spec = load_connector(str(target))
    options.setdefault("examples", 10)
    overrides = overrides or {}
    return {
        check.id: run_check(check, spec, Options(**{**options, **overrides.get(check.id, {})}))
        for check in CHECKS
    }


def run_one(target: Path | str, check_id: str, **options) -> Outcome:
    spec = load_connector(str(target))
    return run_check(
        BY_ID[check_id], spec, Options(examples=options.pop("examples", 10), **options)
    )


def checks_in(mode: str) -> list[str]:
    """IDs of the checks that run (are not skipped) in `mode` on a connector with a schema."""
    spec = load_connector(str(EXAMPLE))
    backend = choose_backend(spec, Options(mode=mode))
    return [c.id for c in CHECKS if skip_reason(c, spec, backend) is None]


def outcomes_in(mode: str) -> dict[str, int]:
    """assert_outcomes() of a run where every check that runs in `mode` passes."""
    ran = len(checks_in(mode))
    return {"passed": ran, "skipped": len(CHECKS) - ran}


def report_row(
    node: str,
    check: str,
    status: str,
    *,
    verdict: str = "",
    baseline: str = "",
    baseline_reason: str = "",
    **outcome: object,
) -> ReportRow:
    """A report row as the gate builds one: the connector's name is the node's last part."""
    outcome.setdefault("mode", "")
    return ReportRow(
        Outcome(name=node.rsplit("/", 1)[-1], check=check, status=status, **outcome),  # type: ignore[arg-type]
        node,
        verdict=verdict,
        baseline=baseline,
        baseline_reason=baseline_reason,
    )


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """Run a block under `mask` (the process-wide umask), then restore the one before."""
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    """A file's permission bits, e.g. 0o644."""
    return stat.S_IMODE(path.stat().st_mode)
