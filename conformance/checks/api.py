"""What a check is and what it may touch: one module, so the two can never import each other.

A `Check` is a stable ID, the harm its failure means, and a function over a `Context`. The
context hands out fresh connector sessions, generated records and, where the backend has them,
the API's fault knobs. Checks never know which backend they run on: they declare what they
need (`needs`) and the runner skips them where the backend does not provide it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conformance.connector.load import ConnectorSpec, method_names
from conformance.connector.schema import Schema
from conformance.errors import ConnectorCallError
from conformance.http.faults import FaultStage
from conformance.options import (
    DEFAULT_EXAMPLES,
    DEFAULT_SHRINK_SECONDS,
    DEFAULT_STEPS,
    DEFAULT_TIMEOUT,
)
from conformance.runtime.session import Call, Note, Session
from conformance.shown import cut


class Severity(str, Enum):
    """A failure loses, corrupts, duplicates or resurrects data; a warning only wastes."""

    FAILURE = "failure"
    WARNING = "warning"


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    suffers: str
    run: Callable[[Context], None]
    needs: frozenset[str] = frozenset()

    def __call__(self, ctx: Context) -> None:
        self.run(ctx)


def check(
    id: str, *, title: str, suffers: str, needs: Iterable[str] = ()
) -> Callable[[Callable[[Context], None]], Check]:
    """Declare a check. `needs` names what it requires: "schema" or "mock" (fault knobs).
    Whatever a check draws goes through the backend (`forall`, `fresh_id`, the program
    methods), so every check without "mock" also runs from cassettes."""

    def wrap(func: Callable[[Context], None]) -> Check:
        return Check(id=id, title=title, suffers=suffers, run=func, needs=frozenset(needs))

    return wrap


def hypothesis_settings(examples: int, **more: Any) -> settings:
    """How every check runs hypothesis: no deadline (a connector call is bounded by the
    harness's own timeout), no example database (a verdict must not depend on earlier runs),
    no health checks (slow data generation is the API's latency, not a bad strategy), and the
    first failure reported, shrunk."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
        **more,
    )


class CheckFailure(Exception):
    """A finding: the platform would suffer the check's `suffers`; `detail` and `script` say how."""

    def __init__(
        self,
        detail: str,
        *,
        script: str = "",
        severity: Severity = Severity.FAILURE,
    ) -> None:
        detail, script = cut(detail), cut(script)
        super().__init__(detail)
        self.detail = detail
        self.script = script
        self.severity = severity


class Backend(Protocol):
    """What a check may ask of the API it runs against, whichever it is.

    `conformance.backends` implements it (mock, live, record, replay) and picks one per check;
    checks ask it capability questions (`provides`) and never which mode they run in.
    """

    name: str  # shown in reports ("mock", "live", ...); never a reason to branch
    provides: frozenset[str]  # "mock" (fault knobs)
    account: dict[str, Any]  # what init receives: account.json, pointed at the mock if any
    # the pipeline's fault stage (conformance/http/faults.py): every backend has one, so a
    # check stages 429s, 401s, resets, delays and held answers on any API
    faults: FaultStage

    @property
    def mock(self) -> Any:
        """The mock's control surface (clock, faults, other clients); only if "mock" provided."""

    def reset(self) -> None:
        """Start a fresh example: the mock forgets its records; a real API cannot."""

    def session(self, make: Callable[[], Session]) -> Session:
        """Open a connector session, guarded where a real account is at stake."""

    def fresh_id(self) -> str:
        """An id that never existed, recorded or replayed where the backend has cassettes."""

    def recorded_examples(self) -> list[Any] | None:
        """The examples of the next `forall` when replaying them, else None (generate)."""

    def start_forall(self) -> None:
        """A new `forall` begins (recording writes its examples down)."""

    def example(self, value: Any) -> Any:
        """A generated example as the check should use it (marked, recorded)."""

    def page_size(self) -> int | None:
        """How many records a listing page of the API holds, where the backend makes the API
        page small (a real API whose page-size parameter conformance.toml names), else None."""

    # A state machine's programs (sync.stateful), as `forall` examples are handled above: each
    # program is its rules in order with their arguments (values, never hypothesis' bundle
    # references), so a replay runs them again without hypothesis and makes exactly the
    # recorded requests.

    def recorded_programs(self, rules: Mapping[str, Collection[str]]) -> list[Any] | None:
        """The programs to run again, in order, each a list of {"rule", "args"} steps checked
        against `rules` (rule name -> argument names); None: generate them."""

    def start_programs(self) -> None:
        """A state machine run begins (recording writes its programs down)."""

    def start_program(self) -> None:
        """One program (one hypothesis example) begins."""

    def step(self, rule: str, args: dict[str, Any]) -> dict[str, Any]:
        """The arguments of a rule about to run, as the rule should use them (recorded)."""


@dataclass
class Context:
    spec: ConnectorSpec
    backend: Backend
    examples: int = DEFAULT_EXAMPLES
    timeout: float = DEFAULT_TIMEOUT
    steps: int = DEFAULT_STEPS  # steps per stateful example (sync.stateful)
    stateful_blob: str | None = None  # --connector-replay: replays one stateful example
    shrink_seconds: float | None = DEFAULT_SHRINK_SECONDS  # None: hypothesis' own limit
    warnings: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    # What the check exercised ("examples", "pages crossed", ...), and what it must have
    # exercised to prove its property: name -> why it matters (see `expect`).
    coverage: Counter[str] = field(default_factory=Counter)
    expected: dict[str, str] = field(default_factory=dict)
    _sessions: list[Any] = field(default_factory=list)

    @property
    def account(self) -> dict[str, Any]:
        return self.backend.account

    @property
    def mock(self) -> Any:
        """The mock's knobs; only checks that declare needs={"mock"} may use them."""
        return self.backend.mock

    def provides(self, capability: str) -> bool:
        return capability in self.backend.provides

    @property
    def schema(self) -> Schema:
        assert self.spec.schema is not None, "checks that need a schema declare needs={'schema'}"
        return self.spec.schema

    @property
    def capabilities(self):
        return self.spec.settings.capabilities

    def session(self) -> Session:
        """A new execution scope: a fresh instance, init'd with the account."""

        def make() -> Session:
            return Session(
                self.spec.create(),
                dict(self.account),
                timeout=self.timeout,
                calls=self.calls,
                tally=self.coverage,
                names=method_names(self.spec),
            )

        session = self.backend.session(make)
        self._sessions.append(session)
        return session

    def fresh_id(self) -> str:
        """An id that never existed (for "get of an unknown id" probes), recorded for replay."""
        return self.backend.fresh_id()

    def note(self, text: str) -> None:
        """Add a non-call step (another client's write, a fault) to the reproduction script."""
        self.calls.append(Note(text, ()))

    def count(self, name: str, n: int = 1) -> None:
        """Add to what this check exercised (shown with its verdict as the coverage line)."""
        self.coverage[name] += n

    def expect(self, name: str, why: str) -> None:
        """Declare that a pass proves nothing unless `name` was exercised at least once: a
        passing check that never did says "not exercised" (and fails under --connector-strict)."""
        self.expected[name] = why

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def fail(self, detail: str, *, severity: Severity = Severity.FAILURE) -> CheckFailure:
        """Build the failure, with the calls of the current example as its reproduction."""
        return CheckFailure(detail, script=self.script(), severity=severity)

    def script(self) -> str:
        """The reproduction: one line per call, a run of identical calls and answers (a live
        backend's reads waiting for consistency) collapsed into one line with its count."""
        lines: list[tuple[str, int]] = []
        for call in self.calls:
            line = call.render()
            if lines and lines[-1][0] == line and not isinstance(call, Note):
                lines[-1] = (line, lines[-1][1] + 1)
            else:
                lines.append((line, 1))
        return "\n".join(
            line if n == 1 else f"{line}  (× {n}: the same call and answer {n} times in a row)"
            for line, n in lines
        )

    def forall(
        self,
        strategy: st.SearchStrategy[Any],
        body: Callable[[Any], None],
        *,
        first: Sequence[Any] = (),
    ) -> None:
        """Run `body` on generated inputs; a failure is re-raised for the shrunk input only.

        `first` are inputs that always run as well, after the generated ones (which hypothesis
        shrinks, unlike its explicit examples): a record with every field set, say, so a dropped
        field cannot hide behind the luck of the draw.

        Each example starts from the call log as it stood before the examples, so the script
        attached to the final (minimal) failure is exactly the calls that reproduce it. When
        recording, every example is written down; when replaying, the recorded examples run
        instead of hypothesis.
        """

        prefix = len(self.calls)  # calls made before the examples (init) belong to each script

        def counted(value: Any) -> None:
            self.count("examples")
            body(value)

        self._generated(strategy, counted, prefix)
        for value in first:
            del self.calls[prefix:]
            counted(value)

    def _generated(
        self, strategy: st.SearchStrategy[Any], body: Callable[[Any], None], prefix: int
    ) -> None:
        recorded = self.backend.recorded_examples()
        if recorded is not None:
            self._forall_replayed(recorded, body, prefix)
            return
        self.backend.start_forall()

        @hypothesis_settings(self.examples)
        @given(strategy)
        def run(example: Any) -> None:
            del self.calls[prefix:]
            example = self.backend.example(example)
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

    def _forall_replayed(
        self, examples: list[Any], body: Callable[[Any], None], prefix: int
    ) -> None:
        """Run the recorded examples in order; re-raise the last failure, as hypothesis did.

        Hypothesis runs the minimal failing example last, so the recording ends with it; every
        example must run, failing or not, to consume the recorded traffic in order.
        """
        last: tuple[Exception, list[Call]] | None = None
        for example in examples:
            del self.calls[prefix:]
            try:
                body(example)
            except Exception as exc:  # as hypothesis would: any exception fails the example
                last = (exc, list(self.calls))
        if last is not None:
            self.calls[:] = last[1]
            raise last[0]

    def close(self) -> None:
        """Close every scope; a close that hung is raised once all are closed."""
        hung = [session.close() for session in self._sessions]
        self._sessions.clear()
        for problem in hung:
            if problem is not None:
                raise problem


class _Hung(BaseException):
    """Carries a timeout past hypothesis, which stops at once on a BaseException."""

    def __init__(self, error: ConnectorCallError) -> None:
        super().__init__(str(error))
        self.error = error
