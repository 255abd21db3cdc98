"""The live backend: the API named by account.json, with nothing written but the safety ledger.

HTTP goes through the recorder anyway (kept in memory, never saved) so a refused credential can
be reported as such, and through the page-size rewrite when conformance.toml names the parameter
(backends/pages.py), then to the network. Reads wait up to --connector-consistency seconds to
see the harness's own writes (eventual consistency).
"""

from __future__ import annotations

import socket
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


def allowed(hosts: tuple[str, ...]) -> tuple[str, ...]:
    """[live] allow_unrouted, with the addresses each host name resolves to: the socket guard
    sees the name at the lookup and the address at connect (conformance/http/stubs/sockets.py)."""
    found: list[str] = []
    for entry in hosts:
        host, _, port = entry.rpartition(":")
        found.append(entry)
        try:
            infos = socket.getaddrinfo(host.strip("[]"), int(port), proto=socket.IPPROTO_TCP)
        except OSError:
            continue  # unresolvable now: the connector's own lookup will fail the same way
        found += [f"{info[4][0]}:{port}" for info in infos]
    return tuple(dict.fromkeys(found))


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
        direct = allowed(live.allow_unrouted)
        self.pipe(
            stack, page_size(self.spec), Recorder(), NetworkTerminal(), guess=guess, direct=direct
        )

    def before_traffic(self) -> None:
        """Set up what must exist before the first request (recording draws)."""
