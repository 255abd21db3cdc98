"""The record backend: live, and the check's cassette is written when the check completes.

Besides the HTTP exchanges (scrubbed), the cassette stores every input the check drew (each
example of each `forall`, each made-up id, each program sync.stateful ran), every value the
connector itself drew (uuid4, urandom, a seed for `random`: runtime/randomness.py), every
wall-clock read it made (runtime/clock.py) and the guard's settings (recording/episode.py),
so a replay makes the same requests in the same order without hypothesis or the network.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, ClassVar

from conformance.backends.draws import RecordedDraws
from conformance.backends.live import LiveBackend
from conformance.checks.api import Check
from conformance.errors import InputError
from conformance.recording.cassette import (
    Cassette,
    connector_version,
    remove_stale_temps,
    save_cassette,
    scrub_interactions,
)
from conformance.recording.episode import Episode, Settings
from conformance.runtime import clock
from conformance.runtime.randomness import RandomSource, using


class RecordBackend(LiveBackend):
    name: ClassVar[str] = "record"
    provides: ClassVar[frozenset[str]] = frozenset()

    def start(self, stack: ExitStack) -> None:
        super().start(stack)
        # The connector's own draws (client-chosen ids) are written down, so replay can hand
        # them back: without them, its requests name resources the cassette never saw.
        self.randomness = stack.enter_context(using(RandomSource()))
        # So is every clock read: a token taken from the connector's clock replays as recorded.
        self.clock = stack.enter_context(clock.using(clock.ClockSource()))

    def before_traffic(self) -> None:
        self.draws = RecordedDraws()
        remove_stale_temps(self.path.parent, self.check)  # a killed recording's half-file

    def draw_id(self) -> str:
        return self.draws.value("id", super().draw_id())

    def start_forall(self) -> None:
        self.draws.start_forall()

    def example(self, value: Any) -> Any:
        return self.draws.example(super().example(value))

    def start_programs(self) -> None:
        self.draws.start_programs()

    def start_program(self) -> None:
        self.draws.start_program()

    def step(self, rule: str, args: dict[str, Any]) -> dict[str, Any]:
        return self.draws.step(rule, args)

    def _explain(self, check: Check, problem: BaseException | None) -> str:
        """A cassette of nothing would replay green forever: the check's connector calls
        (init aside) must have left at least one interaction on the tape."""
        if self.calls and not self.answers_to_calls():
            raise InputError(
                f"record: {check.id} recorded no interaction: the connector's {self.calls} "
                "call(s) after init sent no request the harness saw, so a replay would check "
                "nothing; send its requests with a routed HTTP client (docs/runtimes.md). "
                f"Nothing was saved to {self.path}"
            )
        return super()._explain(check, problem)

    def finish(self) -> None:
        save_cassette(
            self.path,
            Cassette(
                connector=self.spec.name,
                version=connector_version(self.spec.source),
                check=self.check,
                recorded_at=self.started,
                episode=self.episode(),
                interactions=scrub_interactions(
                    self.http.exchanges(), self.account, settings=self.settings
                ),
            ),
        )

    def episode(self) -> Episode:
        """Every input of this check's run, as the cassette keeps it for replay."""
        page = self.pager.page
        return Episode(
            settings=Settings(
                consistency_attempts=self.attempts,
                run_id=self.guard.run_id,
                marks_every_write=True,
                timeout=self.options.timeout,
                page_size=page.to_json() if page is not None else None,
            ),
            draws=self.draws.items,
            randomness=self.randomness.items,
            clock=self.clock.items,
        )
