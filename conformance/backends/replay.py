"""The replay backend: offline, from the check's cassette.

The cassette answers at the end of the request pipeline, in recorded order, and nothing reaches
the network (conformance/http). The cassette's episode (recording/episode.py) hands back every
other input: generated inputs, made-up ids and sync.stateful's programs; the values the
connector itself draws (uuid4, urandom, its `random` seed) and the wall-clock values it reads,
in recorded order, in every runtime (so a sync token taken from its clock replays byte for byte
at any later date and speed). The harness's own clock is set to the recorded start and keeps
ticking (time-machine: monotonic clocks, asyncio and httpx timeouts are untouched since
time-machine 3.0); the guard retries reads exactly as often as the recording did; the
connector's page size is rewritten as it was while recording (the cassette's settings say to
what), so its requests match.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from contextlib import ExitStack
from typing import Any, ClassVar

from conformance.backends.draws import ReplayedDraws
from conformance.backends.guard import LiveGuard
from conformance.backends.pages import PageSize
from conformance.backends.real import RealBackend
from conformance.errors import InputError
from conformance.http.tape import Tape
from conformance.recording.cassette import connector_version, load_cassette, record_command
from conformance.runtime import clock
from conformance.runtime.randomness import RandomSource, using


class ReplayBackend(RealBackend):
    name: ClassVar[str] = "replay"
    provides: ClassVar[frozenset[str]] = frozenset()

    def start(self, stack: ExitStack) -> None:
        folder = self.path.parent
        if not folder.is_dir():
            raise InputError(
                f"{folder}: no such cassette folder; record cassettes with "
                f"`pytest --connector={self.target} --connector-mode=record` or pass "
                "--cassette-dir DIR"
            )
        cassette = load_cassette(
            self.path,
            connector=self.spec.name,
            version=connector_version(self.spec.source),
            target=self.target,
        )
        episode = cassette.episode
        settings = episode.settings
        self.guard = LiveGuard(
            self.spec, check=self.check, attempts=settings.consistency_attempts, pause=0.0,
            run_id=settings.run_id,
        )  # fmt: skip
        # as recorded: cassettes made before every write was marked replay without marking
        self.guard.marks_every_write = settings.marks_every_write
        self.draws = ReplayedDraws(
            episode.draws, str(self.path), record_command(self.target, self.check)
        )
        # Older cassettes hold no randomness or clock reads: real ones, as before.
        if episode.randomness is not None:
            self.randomness = stack.enter_context(using(RandomSource(episode.randomness)))
        if episode.clock is not None:
            self.clock = stack.enter_context(clock.using(clock.ClockSource(episode.clock)))
        import time_machine

        stack.enter_context(time_machine.travel(cassette.recorded_at, tick=True))
        tape = Tape(cassette.interactions, account=self.account, settings=self.settings)
        # the page size the recording was made with, whatever conformance.toml says today
        self.pipe(stack, PageSize.from_json(settings.page_size), tape, tape)

    def draw_id(self) -> str:
        return self.draws.value("id")

    def recorded_examples(self) -> list[Any] | None:
        return self.draws.forall()

    def recorded_programs(self, rules: Mapping[str, Collection[str]]) -> list[Any] | None:
        return self.draws.programs(rules)

    def refused(self) -> str | None:
        return None  # recorded answers: a 401 in a cassette is the connector's to handle
