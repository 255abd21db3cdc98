"""What the live, record and replay backends share: a guard, a recorder, honest explanations.

Against a real account (or its recording) the harness owes more than on a mock: the guard keeps
the checks to the harness's own records and deletes them afterwards (inside the recording, so a
replay deletes in step); a replay that met a request its cassette lacks is a harness error naming
the request and the re-record command; an unreachable API or refused credentials are reported as
such rather than as connector findings; and every message is scrubbed of account values before
anyone sees it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from conformance.backends.base import BaseBackend
from conformance.backends.guard import GuardedSession, LiveGuard, LiveSafetyError, unreachable
from conformance.backends.pages import Pager, PageSize
from conformance.backends.request_guard import RequestGuard
from conformance.checks.api import Check, CheckFailure
from conformance.connector.load import ConnectorSpec
from conformance.errors import ConnectorCallError, InputError
from conformance.http.pipeline import Pipeline, Step, Terminal, use
from conformance.http.tape import Recorder, Tape
from conformance.options import Options
from conformance.outcome import Outcome
from conformance.recording.cassette import cassette_path, learn_exchanges, record_command
from conformance.recording.scrub import Scrubber, account_secrets
from conformance.runtime.clock import ClockSource
from conformance.runtime.randomness import RandomSource
from conformance.runtime.session import Session


def connector_target(spec: ConnectorSpec) -> str:
    """How the user names this connector on the command line, for the commands we suggest."""
    if spec.folder is not None:
        try:
            return os.path.relpath(spec.folder)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(spec.folder)
    return spec.name


def cassette_folder(spec: ConnectorSpec, cassette_dir: str | None) -> Path:
    """Where a connector's cassettes live: --cassette-dir, else cassettes/ in its folder."""
    if cassette_dir:
        return Path(cassette_dir)
    if spec.folder is None:
        raise InputError(
            f"{spec.name}: a module connector has no folder to keep cassettes beside it; "
            "pass --cassette-dir DIR"
        )
    return spec.folder / "cassettes"


class RealBackend(BaseBackend):
    """A real API behind a guard and an HTTP recorder; subclasses set both up in `start`."""

    guard: LiveGuard
    http: Recorder | Tape  # this check's traffic: recorded, or replayed from its cassette
    randomness: RandomSource | None = None  # the connector's draws, where they are routed
    clock: ClockSource | None = None  # the connector's clock reads, where they are routed

    def __init__(self, spec: ConnectorSpec, options: Options, check: str) -> None:
        super().__init__(spec, options, dict(spec.account))
        self.check = check
        self.target = connector_target(spec)
        self.path = cassette_path(cassette_folder(spec, options.cassette_dir), check)
        self.settings = spec.settings.account_settings
        self.scrubber = Scrubber(account_secrets(self.account, settings=self.settings))
        self.pager = Pager(None)
        self.request_guard: RequestGuard | None = None
        self.pipeline: Pipeline | None = None
        self.calls = 0  # connector calls of the check, init and cleanup not counted
        self.aside = 0  # answers to init and to the cleanup: not the check's own traffic

    @classmethod
    @contextmanager
    def open(cls, spec: ConnectorSpec, check: str, options: Options) -> Iterator[RealBackend]:
        backend = cls(spec, options, check)
        with ExitStack() as stack:
            backend.start(stack)
            yield backend
        backend.finish()  # only when the check went through: a failed run saves nothing

    def start(self, stack: ExitStack) -> None:
        raise NotImplementedError

    def pipe(
        self,
        stack: ExitStack,
        page: PageSize | None,
        tape: Recorder | Tape,
        terminal: Terminal,
        *,
        guess: int | None = None,
        direct: Sequence[str] = (),
    ) -> None:
        """From here on, every request of the connector takes this check's pipeline: the page
        size rewritten to `page` and pages counted per connector call (backends/pages.py; with
        no `page`, a common page-size parameter taken and set to `guess`), the request guard
        (backends/request_guard.py: before the tape, so a refused write is never recorded, and
        replay refuses it as the recording did), then the tape (recorder or replay), then the
        fault stage (http/faults.py: after the recorder, which marks injected answers, and
        just ahead of `terminal`, so nothing it answers reaches the API or the cassette's
        queue), then `terminal`; call once the guard exists. `direct`: "host:port" an
        unrouted client may still reach ([live] allow_unrouted)."""
        self.pager = Pager(page, guess_size=guess)
        self.guard.before_call = self._new_call
        self.guard.staged = lambda: self.faults.injected + self.faults.held
        self.http = tape
        self.request_guard = RequestGuard(self.guard, self.scrubber.url)
        steps: list[Step] = [self.pager, self.request_guard]
        if tape is not terminal:
            steps.append(tape)
        steps.append(self.faults)
        offline = tape is terminal
        self.pipeline = Pipeline(steps, terminal, offline=offline, in_memory=offline, direct=direct)
        stack.enter_context(use(self.pipeline))

    def _new_call(self) -> None:
        """A connector call of the check starts (not init, not the harness's cleanup)."""
        self.pager.new_call()
        self.calls += 1

    def finish(self) -> None:
        """Nothing to keep once the check is over."""

    # --- what a check asks ----------------------------------------------------------------

    def session(self, make: Callable[[], Session]) -> GuardedSession:  # type: ignore[override]
        self.pager.new_call()  # init, in `make`, is a connector call of its own
        with self._aside():
            return self.guard.session(make)

    @contextmanager
    def _aside(self) -> Iterator[None]:
        """Count the answers of the block (init, cleanup) apart from the check's calls'."""
        before = self.pipeline.answered if self.pipeline is not None else 0
        try:
            yield
        finally:
            if self.pipeline is not None:
                self.aside += self.pipeline.answered - before

    def answers_to_calls(self) -> int:
        """How many requests of the check's connector calls (init and cleanup aside) the API,
        or the cassette, answered."""
        answered = self.pipeline.answered if self.pipeline is not None else 0
        return answered - self.aside

    def fresh_id(self) -> str:
        return self.guard.probe_id(self.draw_id())

    def draw_id(self) -> str:
        return super().fresh_id()

    def example(self, value: Any) -> Any:
        return self.guard.mark(value)

    def page_size(self) -> int | None:
        return self.pager.page.size if self.pager.page is not None else None

    # --- after the check ------------------------------------------------------------------

    def cleanup(self) -> None:
        """Delete what the check created (recorded too, so replay deletes in step)."""
        timeout = self.options.timeout
        self.faults.clear()  # a fault is never staged on the harness's own cleanup
        with self._aside(), self.faults.suspended():
            self.guard.cleanup(
                lambda: Session(self.spec.create(), dict(self.account), timeout=timeout)
            )

    def refused_write(self) -> str:
        refused = self.request_guard.refused if self.request_guard is not None else []
        if not refused:
            return ""
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        return (
            f"the connector wrote to a record it was not given: {refused[0]}{more}\n\n"
            "The harness refused to send it: the URL names a record this run saw in the API's "
            "answers but did not create, so the record was left untouched (docs/recording.md, "
            '"What the guard protects")'
        )

    def explain(self, check: Check, problem: BaseException | None) -> str:
        try:
            return self._explain(check, problem)
        except InputError as exc:
            self._learn()
            raise InputError(self.scrubber.text(str(exc))) from None

    def _explain(self, check: Check, problem: BaseException | None) -> str:
        """Raise InputError where the harness or the setup is at fault; else a hint or ""."""
        drew = self.randomness.problem() if self.randomness is not None else None
        if drew:  # checked first: an id drawn off the recording then misses every request
            raise InputError(
                f"replay: {self.path}: {drew}; the connector draws differently since recording, "
                f"so re-record with `{record_command(self.target, check.id)}`"
            )
        read = self.clock.problem() if self.clock is not None else None
        if read:  # a token read off the recording misses every request that carries it
            raise InputError(
                f"replay: {self.path}: {read}; the connector reads its clock differently since "
                f"recording, so re-record with `{record_command(self.target, check.id)}`"
            )
        misses = self.http.misses
        if misses:
            raise InputError(
                f"replay: {self.path} has no recorded answer for {misses[0]}"
                + (f" (and {len(misses) - 1} more)" if len(misses) > 1 else "")
                + (self.http.miss_note or "; the connector or the check changed since recording")
                + f", so re-record with `{record_command(self.target, check.id)}`"
            )
        if problem is None and self.guard.unreachable:
            cause = self.guard.unreachable[0]
            raise InputError(
                f"cannot reach the live API named in {self._account_file()}: "
                f"{cause.call} {cause.problem}; {len(self.guard.unreachable)} call(s) never "
                f"reached it, so {check.id} proved nothing (check its baseUrl and that the "
                "service is up)"
            )
        if isinstance(problem, LiveSafetyError):
            raise InputError(f"{check.id}: {problem} (a harness bug: please report it)")
        if isinstance(problem, ConnectorCallError):
            refused = self.refused()
            if refused and refused.endswith("HTTP 401"):
                raise InputError(
                    f"the API refused the credentials in account.json ({refused}); fix them in "
                    f"{self._account_file()}"
                )
            if refused:  # 403: permissions, or the API's own reason (an invalid sync token...)
                return f"the API answered {refused}: {self.forbidden_says()}"
            if unreachable(problem):
                cause = problem.__context__
                raise InputError(
                    f"cannot reach the live API named in {self._account_file()} "
                    f"({type(cause).__name__}: {cause}); check its baseUrl and that the service "
                    "is up"
                )
        if isinstance(problem, CheckFailure):
            return self.pager.unfollowed()
        return ""

    def forbidden_says(self) -> str:
        """What the API's first 403 said (its body, scrubbed and shortened): a 403 is not only
        about credentials, e.g. CardDAV answers an invalid sync token with 403."""
        for _request, response in self.http.exchanges():
            if response["status"] == 403:
                text = " ".join(self.scrubber.text(str(response["body"] or "")).split())
                return repr(text[:300]) if text else "(an empty body)"
        return "(no body)"

    def refused(self) -> str | None:
        """The first 401/403 the API answered, as `METHOD URL -> status` (scrubbed)."""
        for request, response in self.http.exchanges():
            if response.get("injected"):
                continue  # a 401 the fault stage answered is the check's, not the account's
            code = response["status"]
            if code in (401, 403):
                return f"{request['method']} {self.scrubber.url(request['url'])} -> HTTP {code}"
        return None

    def coverage(self) -> dict[str, int]:
        created = len(self.guard.created)
        return {
            "live records created": created,
            "live records cleaned": created - len(self.guard.alive()),
            "pages crossed": self.pager.crossed,
            **self.pager.coverage(),
        }

    def annotate(self, outcome: Outcome) -> None:
        if self.request_guard is not None:
            outcome.warnings.extend(self.request_guard.warnings)
        if self.guard.cleanup_problems:
            outcome.warnings.append(
                "could not delete every record the check created ("
                + "; ".join(self.guard.cleanup_problems)
                + f"); remove them with `pytest --connector={self.target} --connector-mode=live "
                "--connector-cleanup`"
            )

    def scrub(self, outcome: Outcome) -> None:
        """No secret reaches a report: messages and scripts are scrubbed like cassettes, with
        the tokens this check's traffic sent or was issued learned first (an OAuth token the
        API handed out at run time is as secret as the account's password)."""
        self._learn()
        outcome.message = self.scrubber.text(outcome.message)
        outcome.script = self.scrubber.text(outcome.script)
        outcome.warnings = [self.scrubber.text(w) for w in outcome.warnings]

    def _learn(self) -> None:
        """Teach the scrubber the tokens this check's traffic sent or was issued."""
        http = getattr(self, "http", None)  # absent when the backend failed to start
        if http is not None:
            learn_exchanges(self.scrubber, http.exchanges())

    def _account_file(self) -> str:
        return str(self.spec.folder / "account.json") if self.spec.folder else "the account"
