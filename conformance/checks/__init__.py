"""The registry: every check the harness runs, in the order it runs them.

Adding a check means writing it in its family's module and listing it here, nowhere else; its
ID is stable (reports, baselines and JUnit names key on it) and docs/contract.md describes it.
"""

from __future__ import annotations

from conformance.checks import (
    crud,
    error_handling,
    faults,
    faults_auth,
    faults_concurrent,
    faults_transient,
    interface,
    records_schema,
    stateful,
    updates,
)
from conformance.checks.api import Check, CheckFailure, Severity

CHECKS: tuple[Check, ...] = (
    interface.interface,
    crud.round_trip,
    crud.patch_partial,
    crud.delete,
    crud.acknowledged,
    updates.shape,
    updates.progression,
    stateful.stateful,
    faults.clock_skew,
    faults_concurrent.concurrent_write,
    faults.same_millisecond,
    faults.pagination,
    faults_transient.transient,
    faults_auth.auth,
    error_handling.missing_id,
    error_handling.invalid_insert,
    # last: on a live API its sync from the start reads the whole backlog; run earlier, that
    # time made every later check's backlog longer (another client writing all along)
    records_schema.records_schema,
)

BY_ID: dict[str, Check] = {c.id: c for c in CHECKS}
assert len(BY_ID) == len(CHECKS), "check IDs must be unique"

__all__ = ["BY_ID", "CHECKS", "Check", "CheckFailure", "Severity"]
