"""The live backend: the API named by account.json, with nothing written but the safety ledger.

HTTP goes through the recorder anyway (kept in memory, never saved) so a refused credential can
be reported as such, and through the page-size rewrite when conformance.toml names the parameter
(backends/pages.py), then to the network. Reads wait up to --connector-consistency seconds to
see the harness's own writes (eventual consistency).
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import ClassVar

from conformance.backends.guard import POLL_INTERVAL, LiveGuard
from conformance.backends.leftovers import Ledger, ledger_dir
from conformance.backends.pages import PageSize
from conformance.backends.real import RealBackend
from conformance.connector.load import ConnectorSpec
from conformance.http.tape import Recorder
from conformance.http.terminals import NetworkTerminal
from conformance.options import DEFAULT_CONSISTENCY


def page_size(spec: ConnectorSpec) -> PageSize | None:
    """What conformance.toml's [live] asks the page size to be rewritten to, if anything."""
    live = spec.settings.live
    return PageSize(live.page_size_param, live.page_size) if live.page_size_param else None


class LiveBackend(RealBackend):
    name: ClassVar[str] = "live"

    def start(self, stack: ExitStack) -> None:
        consistency = self.options.consistency
        budget = DEFAULT_CONSISTENCY if consistency is None else consistency
        self.attempts = LiveGuard.attempts_for(budget)
        self.guard = LiveGuard(
            self.spec, check=self.check, attempts=self.attempts, pause=POLL_INTERVAL
        )
        self.guard.ledger = Ledger(ledger_dir(self.spec) / f"{self.guard.run_id}-{self.check}.json")
        self.guard.marks_every_write = True
        self.before_traffic()
        self.started = time.time()
        live = self.spec.settings.live
        guess = live.page_size if live.guess_page_size else None
        self.pipe(stack, page_size(self.spec), Recorder(), NetworkTerminal(), guess=guess)

    def before_traffic(self) -> None:
        """Set up what must exist before the first request (recording draws)."""
