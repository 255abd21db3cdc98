"""Shared helpers for the harness's own tests: run checks on a connector, find test connectors."""

from pathlib import Path

from conformance.backends import choose_backend
from conformance.checks import BY_ID, CHECKS
from conformance.connector.load import load_connector
from conformance.runner import Options, Outcome, run_check, skip_reason

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "connectors" / "broken"
EXAMPLE = ROOT / "examples" / "cats"


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
