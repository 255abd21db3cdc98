"""Shared helpers for the harness's own tests: run checks on a connector, find test connectors."""

from pathlib import Path

from conformance.checks import BY_ID, CHECKS
from conformance.loader import load_connector
from conformance.runner import Options, Outcome, run_check

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "connectors" / "broken"
EXAMPLE = ROOT / "examples" / "cats"


def run_all(target: Path | str, **options) -> dict[str, Outcome]:
    """Every registered check on one connector, keyed by check ID."""
    spec = load_connector(str(target))
    opts = Options(examples=options.pop("examples", 10), **options)
    return {check.id: run_check(check, spec, opts) for check in CHECKS}


def run_one(target: Path | str, check_id: str, **options) -> Outcome:
    spec = load_connector(str(target))
    return run_check(
        BY_ID[check_id], spec, Options(examples=options.pop("examples", 10), **options)
    )
