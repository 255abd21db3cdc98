"""The defaults every backend starts from: no guard, no cassette, nothing to explain or scrub.

A backend is the API one check talks to, picked once per check by `open_backend`
(conformance/backends/__init__.py). The runner and the checks only ever call the methods below;
each backend overrides what it does differently, so no caller asks which one it has (the
pattern of pytest-rerunfailures' no-op status DB).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any, ClassVar

from conformance.checks.api import Check
from conformance.connector.load import ConnectorSpec
from conformance.http.faults import FaultStage
from conformance.options import Options
from conformance.outcome import Outcome
from conformance.runtime.session import Session


class BaseBackend:
    """Implements `conformance.checks.api.Backend` with the behaviour of an API we own."""

    name: ClassVar[str] = ""
    provides: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec: ConnectorSpec, options: Options, account: dict[str, Any]) -> None:
        self.spec = spec
        self.options = options
        self.account = account
        # every backend's pipeline carries it ahead of its terminal (conformance/http/faults.py)
        self.faults = FaultStage()

    @classmethod
    def validate(cls, spec: ConnectorSpec) -> None:
        """Fail before any check runs when the connector cannot run on this backend at all."""

    # --- what a check asks (conformance.checks.api.Backend) ------------------------------

    @property
    def mock(self) -> Any:
        raise RuntimeError(
            f"the {self.name} backend has no mock knobs; a check that uses them must declare "
            'needs={"mock"}'
        )

    def reset(self) -> None:
        """Nothing to reset: only a mock can forget its records."""

    def session(self, make: Callable[[], Session]) -> Session:
        return make()

    def fresh_id(self) -> str:
        return str(uuid.uuid4())

    def recorded_examples(self) -> list[Any] | None:
        return None

    def start_forall(self) -> None:
        """Nothing to write down."""

    def example(self, value: Any) -> Any:
        return value

    def page_size(self) -> int | None:
        return None  # the mock's page size is a knob its checks set themselves

    def recorded_programs(self, rules: Mapping[str, Collection[str]]) -> list[Any] | None:
        return None

    def start_programs(self) -> None:
        """Nothing to write down."""

    def start_program(self) -> None:
        """Nothing to write down."""

    def step(self, rule: str, args: dict[str, Any]) -> dict[str, Any]:
        return args

    # --- what the runner asks after the check ---------------------------------------------

    def cleanup(self) -> None:
        """Delete what the check created; an API we own is thrown away instead."""

    def refused_write(self) -> str:
        """The finding "the connector wrote to a record it was not given", when a request guard
        refused such a write during the check (backends/request_guard.py); else ""."""
        return ""

    def explain(self, check: Check, problem: BaseException | None) -> str:
        """A hint to add to the finding, or an InputError when the harness, not the connector,
        is at fault (a replay miss, refused credentials, an unreachable API)."""
        return ""

    def coverage(self) -> dict[str, int]:
        """What the backend saw the check exercise (pages the API served, records created)."""
        return {}

    def annotate(self, outcome: Outcome) -> None:
        """Add what the backend noticed around the check (records it could not delete)."""

    def scrub(self, outcome: Outcome) -> None:
        """Remove account values from what reports show; nothing to hide on a mock."""
