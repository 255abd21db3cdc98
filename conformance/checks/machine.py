"""The state machine of sync.stateful: the platform's calls, and (on the mock) the world's.

The platform keeps a replica built from getUpdates and a model of the writes the connector
acknowledged; after a final sync both are held against `get` of every id the program created.
Hypothesis has no async state machines; each example owns one `Session` (one event loop = one
execution scope, as the platform runs a sync) and every rule is plain sync code calling it.

Every rule is `@recorded`: its arguments go through the backend before it runs, so a recording
backend writes each program down and a replay runs the same rules with the same arguments
(conformance/checks/programs.py). The machine never asks which of these it is doing.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    precondition,
    rule,
)

from conformance.checks.acknowledged import Acknowledged
from conformance.checks.api import Context
from conformance.checks.replica import (
    NO_PROGRESS,
    QUIET_CALLS,
    REDELIVERY,
    Replica,
    confirm_quiet,
)
from conformance.checks.strategies import patches, records
from conformance.connector.contract import Updates
from conformance.errors import ConnectorCallError

SKEWS_MS = (0, 5 * 60_000, -5 * 60_000)  # server clock minutes ahead of / behind the connector's
PAGE_SIZES = (2, 3, 50)
LATE_RESPONSE_S = 0.005  # a write landing "before the response" also meets a little latency


def build_machine(ctx: Context) -> type[RuleBasedStateMachine]:
    """A state machine class bound to this check run's context (hypothesis wants a class)."""
    schema = ctx.schema
    deletes = ctx.capabilities.deletes_in_updates

    def recorded(rule: Callable[..., Any]) -> Callable[..., Any]:
        """The step written down (when recording) before the rule runs, so the program of a
        rule that fails or hangs ends with that rule."""

        @functools.wraps(rule)
        def step(self: Any, **args: Any) -> Any:
            return rule(self, **ctx.backend.step(rule.__name__, args))

        return step

    class PlatformSync(RuleBasedStateMachine):
        """The platform's side: writes through the connector and syncs into a replica."""

        cats = Bundle("records")

        def __init__(self) -> None:
            super().__init__()
            ctx.count("examples")
            ctx.calls.clear()
            ctx.backend.reset()
            ctx.backend.start_program()
            self.session = ctx.session()
            self.replica = Replica()
            self.model = Acknowledged()  # what the platform believes it wrote
            self.created: list[str] = []
            self.frozen = False
            self.landed = 0  # writes by another client that landed during a getUpdates call
            self.completed = True  # False while a rule runs; teardown checks only after success

        # -- the platform's calls --------------------------------------------------------

        @initialize(target=cats, record=records(schema))
        @recorded
        def start(self, record: dict[str, Any]) -> str:
            """Connect as the platform does (a first sync takes the token), then write once:
            later syncs are incremental, where connectors lose data, and patch and delete
            have a record to work on from the first step."""
            return self._start(record)

        def _start(self, record: dict[str, Any]) -> str:
            self.completed = False
            self._sync()
            new_id = _call(ctx, self.session.insert, record)
            self.created.append(new_id)
            self.model.inserted(new_id, record)
            self.completed = True
            return new_id

        @rule(target=cats, record=records(schema))
        @recorded
        def insert(self, record: dict[str, Any]) -> str:
            self.completed = False
            new_id = _call(ctx, self.session.insert, record)
            self.created.append(new_id)
            self.model.inserted(new_id, record)
            self.completed = True
            return new_id

        @rule(id=cats, change=patches(schema))
        @recorded
        def patch(self, id: str, change: dict[str, Any]) -> None:
            self.completed = False
            _call(ctx, self.session.patch, id, change)
            self.model.patched(id, change)
            self.completed = True

        @rule(id=consumes(cats))
        @recorded
        def delete(self, id: str) -> None:
            self.completed = False
            _call(ctx, self.session.delete, id)
            self.model.deleted(id)
            self.completed = True

        @rule(id=cats)
        @recorded
        def read(self, id: str) -> None:
            """get must show every write acknowledged so far (patch -> patch -> get)."""
            self.completed = False
            problem = self.model.judge(id, _call(ctx, self.session.get, id))
            if problem:
                raise ctx.fail(problem)
            self.completed = True

        @rule()
        @recorded
        def sync(self) -> None:
            self.completed = False
            self._sync()
            self.completed = True

        def _sync(self) -> Updates:
            updates = _call(ctx, self.session.get_updates, self.replica.token)
            self.replica.apply(updates)
            return updates

        # -- the final sync and the invariant --------------------------------------------

        def teardown(self) -> None:
            try:
                if self.completed:
                    self._final_sync()
                    truth = _memo(lambda id: _call(ctx, self.session.get, id))
                    problems = self.replica.differences(
                        self.created, truth, schema, deletes=deletes
                    )
                    if problems:
                        raise ctx.fail(
                            "after the final sync the replica built from getUpdates differs "
                            "from the source (get of each id):\n"
                            + "\n".join(f"- {p}" for p in problems)
                        )
                    problems = self.model.differences(truth)
                    if problems:
                        raise ctx.fail(
                            "writes the connector acknowledged did not take effect (get of each "
                            "id, against every write that returned):\n"
                            + "\n".join(f"- {p}" for p in problems)
                        )
                    ctx.count("re-deliveries", self.replica.redelivered)
                    if self.replica.redelivered:
                        ctx.warn(REDELIVERY)
            finally:
                self.session.close()

        def _final_sync(self) -> None:
            ctx.note("final sync: getUpdates until a batch comes back empty")
            for _ in range(QUIET_CALLS):
                self._between_syncs()
                landed = self.landed
                if not self._sync().entries and self.landed == landed:
                    break  # quiet, and nothing landed during the call: the chain is drained
            else:
                raise ctx.fail(NO_PROGRESS)
            self._world_stops()
            ctx.note("the chain went quiet: it must stay quiet while nothing changes")

            def sync() -> Updates:
                self._between_syncs()
                return self._sync()

            problem = confirm_quiet(sync)
            if problem:
                raise ctx.fail(problem)

        def _world_stops(self) -> None:
            """No write may land any more (writes armed for a getUpdates call are dropped)."""

        def _between_syncs(self) -> None:
            """Where the world moves on between two syncs (nothing, without the mock)."""

    if not ctx.provides("mock"):
        return PlatformSync  # a real API: the platform's calls only, no world to arrange
    api = ctx.mock

    class PlatformSyncWithFaults(PlatformSync):
        """The world around the platform, where the mock lets us arrange it."""

        @initialize(
            target=PlatformSync.cats,
            record=records(schema),
            skew=st.sampled_from(SKEWS_MS),
            frozen=st.booleans(),
            page=st.sampled_from(PAGE_SIZES),
        )
        @recorded
        def start(self, record: dict[str, Any], skew: int, frozen: bool, page: int) -> str:
            """Set the server up (clock skew, a frozen clock, page size), then connect."""
            api.clock.offset_ms = skew
            if frozen:
                api.clock.freeze()
            self.frozen = frozen
            api.page_size = api.max_page_size = page
            ahead = f"{abs(skew) // 60_000} min {'ahead of' if skew > 0 else 'behind'}"
            ctx.note(
                f"server: clock {ahead if skew else 'in step with'} the connector's"
                f"{', frozen' if frozen else ''}; listing pages of {page}"
            )
            return self._start(record)

        def _between_syncs(self) -> None:
            if self.frozen:
                api.clock.advance(1)  # time passes between syncs, even on a frozen server

        @precondition(lambda self: self.frozen)
        @rule()
        @recorded
        def tick(self) -> None:
            api.clock.advance(1)
            ctx.note("the server clock moves on 1 ms")

        @rule(target=PlatformSync.cats, record=records(schema))
        @recorded
        def other_insert(self, record: dict[str, Any]) -> str:
            new_id = api.create_as_other(record)["id"]
            self.created.append(new_id)
            self.model.inserted(new_id, record)
            ctx.note(f"another client creates {new_id}: {_json(record)}")
            return new_id

        @rule(id=PlatformSync.cats, change=patches(schema))
        @recorded
        def other_patch(self, id: str, change: dict[str, Any]) -> None:
            if api.record(id) is None:
                return  # the connector's delete or insert did not do what it said
            api.patch_as_other(id, change)
            self.model.patched(id, change)
            ctx.note(f"another client patches {id}: {_json(change)}")

        @rule(id=consumes(PlatformSync.cats))
        @recorded
        def other_delete(self, id: str) -> None:
            if api.record(id) is None:
                return
            api.delete_as_other(id)
            self.model.deleted(id)
            ctx.note(f"another client deletes {id}")

        @rule(
            record=records(schema),
            when=st.sampled_from(("between pages", "before the response")),
        )
        @recorded
        def insert_during_next_sync(self, record: dict[str, Any], when: str) -> None:
            """Arm a write by another client that lands inside the next listing."""

            def write() -> None:
                new_id = api.create_as_other(record)["id"]
                self.created.append(new_id)
                self.model.inserted(new_id, record)
                self.landed += 1
                ctx.note(f"(during the call above) another client creates {new_id} {when}")

            self._arm(write, when)
            ctx.note(f"another client will create a record {when} of the next getUpdates")

        @rule(
            id=PlatformSync.cats,
            change=patches(schema),
            when=st.sampled_from(("between pages", "before the response")),
        )
        @recorded
        def patch_during_next_sync(self, id: str, change: dict[str, Any], when: str) -> None:
            def write() -> None:
                if api.record(id) is not None:
                    api.patch_as_other(id, change)
                    self.model.patched(id, change)
                    self.landed += 1
                    ctx.note(f"(during the call above) another client patches {id} {when}")

            self._arm(write, when)
            ctx.note(f"another client will patch {id} {when} of the next getUpdates")

        def _arm(self, write: Any, when: str) -> None:
            fired = False

            def hook(request: Any, response: Any) -> None:
                nonlocal fired
                if fired or request.method != "GET" or request.path != "/cats":
                    return
                if when == "between pages" and 'rel="next"' not in response.headers.get("Link", ""):
                    return
                fired = True
                write()
                if when == "before the response":
                    api.delays.append(lambda req, resp: LATE_RESPONSE_S if req is request else None)

            api.after_handle.append(hook)

        def _world_stops(self) -> None:
            api.after_handle.clear()
            ctx.count("same-ms ties", _ties(api.records() + api.tombstones()))

    return PlatformSyncWithFaults


class Hung(BaseException):
    """A call that hit the per-call timeout: stop at once (each shrink would cost a timeout)."""

    def __init__(self, error: ConnectorCallError) -> None:
        super().__init__(str(error))
        self.error = error


def _call(ctx: Context, method: Any, *args: Any) -> Any:
    try:
        return method(*args)
    except ConnectorCallError as exc:
        exc.script = ctx.script()  # type: ignore[attr-defined]  # this run's calls, kept
        if exc.timed_out:
            raise Hung(exc) from None
        raise


def _ties(docs: list[dict[str, Any]]) -> int:
    """Records sharing their lastModified with another: writes the token boundary may split."""
    stamps = [d.get("lastModified") for d in docs]
    return sum(stamps.count(s) > 1 for s in stamps)


def _memo(get: Any) -> Any:
    """One get per id, whichever comparison asks first (the replica's, then the model's)."""
    seen: dict[str, Any] = {}

    def cached(id: str) -> Any:
        if id not in seen:
            seen[id] = get(id)
        return seen[id]

    return cached


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
