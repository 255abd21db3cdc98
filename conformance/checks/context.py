"""What a check may touch: fresh connector sessions, generated records, and the API's knobs.

Checks never know which mode they run in. In mock mode `api` is the mock's control object (the
fault knobs and the true server state); elsewhere it is None and checks that need it are skipped
by the plugin before they start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conformance.checks.registry import CheckFailure, Severity
from conformance.errors import ConnectorCallError
from conformance.loader import ConnectorSpec
from conformance.records import Schema
from conformance.session import DEFAULT_TIMEOUT, Call, Note, Session

DEFAULT_STEPS = 15


@dataclass
class Context:
    spec: ConnectorSpec
    account: dict[str, Any]
    api: Any = None
    examples: int = 20
    timeout: float = DEFAULT_TIMEOUT
    steps: int = DEFAULT_STEPS  # steps per stateful example (sync.stateful)
    replay: str | None = None  # a hypothesis blob that replays one stateful example
    warnings: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    _sessions: list[Session] = field(default_factory=list)

    @property
    def schema(self) -> Schema:
        assert self.spec.schema is not None, "checks that need a schema declare needs={'schema'}"
        return self.spec.schema

    @property
    def capabilities(self):
        return self.spec.settings.capabilities

    def session(self) -> Session:
        """A new execution scope: a fresh instance, init'd with the account."""
        session = Session(
            self.spec.create(), dict(self.account), timeout=self.timeout, calls=self.calls
        )
        self._sessions.append(session)
        return session

    def note(self, text: str) -> None:
        """Add a non-call step (another client's write, a fault) to the reproduction script."""
        self.calls.append(Note(text, ()))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def fail(self, detail: str, *, severity: Severity = Severity.FAILURE) -> CheckFailure:
        """Build the failure, with the calls of the current example as its reproduction."""
        return CheckFailure(detail, script=self.script(), severity=severity)

    def script(self) -> str:
        return "\n".join(call.render() for call in self.calls)

    def forall(self, strategy: st.SearchStrategy[Any], body: Callable[[Any], None]) -> None:
        """Run `body` on generated inputs; a failure is re-raised for the shrunk input only.

        Each example starts a fresh call log, so the script attached to the final (minimal)
        failure is exactly the calls that reproduce it.
        """

        @settings(
            max_examples=self.examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            report_multiple_bugs=False,
        )
        @given(strategy)
        def run(example: Any) -> None:
            self.calls.clear()
            try:
                body(example)
            except ConnectorCallError as exc:
                if exc.timed_out:
                    raise _Hung(exc) from None  # shrinking would cost a full timeout per try
                raise

        try:
            run()
        except _Hung as hung:
            raise hung.error from None

    def close(self) -> None:
        for session in self._sessions:
            session.close()
        self._sessions.clear()


class _Hung(BaseException):
    """Carries a timeout past hypothesis, which stops at once on a BaseException."""

    def __init__(self, error: ConnectorCallError) -> None:
        super().__init__(str(error))
        self.error = error
