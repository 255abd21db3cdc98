"""The plans a worker's call is handed (docs/runtimes.md): the connector's draws and its clock.

A call message may carry `draws` and `clock`: without a `source`, read real values (the clock
shifted by `offset` ms) and report them; with one, hand back the recording of `source` from
`at` on. A check's recording is sent with its first call to this process only and kept here for
its later calls (and for a few checks: one runs at a time, so a handful is plenty).

Standard library only, and nothing of `conformance` beyond the routing modules: the worker
process imports this module.
"""

from __future__ import annotations

from typing import Any

from conformance.runtime import clock_routing, draw_routing

KEPT_SOURCES = 4  # recordings of the last few checks, per field


class CallPlans:
    def __init__(self) -> None:
        self.randoms: dict[Any, draw_routing.ScopeRandom] = {}  # scope -> its `random.*`
        self._recorded: dict[tuple[str, Any], list[Any]] = {}  # (field, source) -> recording

    def forget(self, scope: Any) -> None:
        self.randoms.pop(scope, None)

    def draws(self, message: dict[str, Any]) -> draw_routing.CallDraws | None:
        """The call's draw plan: none means real randomness, unrouted."""
        plan = message.get("draws")
        if not isinstance(plan, dict):
            return None
        scope = self.randoms.setdefault(message.get("scope", -1), draw_routing.ScopeRandom())
        if "source" not in plan:
            return draw_routing.CallDraws(None, scope)
        items = self._recording("draws", plan)
        return draw_routing.CallDraws(items, scope, start=int(plan.get("at", 0)))

    def clock(self, message: dict[str, Any]) -> clock_routing.CallClock | None:
        """The call's clock plan: none means the real clock, unrouted."""
        plan = message.get("clock")
        if not isinstance(plan, dict):
            return None
        if "source" not in plan:
            return clock_routing.CallClock(None, int(plan.get("offset") or 0))
        items = self._recording("clock", plan)
        return clock_routing.CallClock(items, start=int(plan.get("at", 0)))

    def _recording(self, field: str, plan: dict[str, Any]) -> list[Any]:
        key = (field, plan["source"])
        if isinstance(plan.get("items"), list):
            self._recorded[key] = plan["items"]
            kept = [k for k in self._recorded if k[0] == field]
            for old in kept[:-KEPT_SOURCES]:
                del self._recorded[old]
        return self._recorded.get(key, [])
