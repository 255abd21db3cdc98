"""One execution scope of a connector, driven synchronously and written down call by call.

The platform creates a module instance, calls init once, then any number of actions in one
event loop. Checks (and hypothesis, which has no async state machines) are plain sync code, so a
`Session` owns that event loop and runs each call on it under a per-call timeout. Every call is
logged so a failure can be shown as the minimal script of calls that reproduces it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import sysconfig
import traceback
from collections import Counter
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.connector.contract import (
    Connector,
    ContractError,
    Updates,
    check_get_result,
    check_insert_result,
    check_updates_result,
)
from conformance.errors import ConnectorCallError
from conformance.options import DEFAULT_TIMEOUT
from conformance.shown import shown

_NO_RESULT: Any = object()


@dataclass
class Call:
    """One logged call. What it returned is kept as is and rendered only when a script is shown:
    most calls belong to examples that pass, and rendering every result (a whole getUpdates
    batch as JSON) was a tenth of the harness's per-call cost."""

    method: str
    args: tuple[Any, ...]
    outcome: str = ""  # set when the call did not simply return: it raised or timed out
    result: Any = field(default=_NO_RESULT, repr=False)
    remark: str = ""  # e.g. "  (outside the contract)"
    shown_as: str = ""  # the method's name in the module's language (getUpdates in JS)

    def signature(self) -> str:
        return f"{self.shown_as or self.method}({', '.join(_short(a) for a in self.args)})"

    def render(self) -> str:
        outcome = self.outcome
        if not outcome and self.result is not _NO_RESULT:
            outcome = f"-> {_short(self.result, 120)}"
        outcome += self.remark
        line = self.signature()
        return f"{line}  # {outcome}" if outcome else line


@dataclass
class Note(Call):
    """A step of the reproduction that is not a connector call: another client's write, a
    fault switched on, the clock moved. Rendered as a comment so the script stays readable."""

    def render(self) -> str:
        return f"# {self.method}"


def _short(value: Any, limit: int = 200) -> str:
    text = shown(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Session:
    """A connector instance after init, with sync calls that validate what comes back."""

    def __init__(
        self,
        connector: Connector,
        account: dict[str, Any],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        calls: list[Call] | None = None,
        tally: Counter[str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self._connector = connector
        # How the module spells each method (the runtime says: getUpdates in JS), so failures
        # and reproductions read as the author's own code.
        self._names = dict(names or {})
        self._loop = asyncio.new_event_loop()
        self.timeout = timeout
        self.calls: list[Call] = calls if calls is not None else []
        self.tally: Counter[str] = tally if tally is not None else Counter()  # coverage counts
        self.hung: ConnectorCallError | None = None  # a close that never returned
        self._run("init", (account,), shown=("<account.json>",))

    def _run(self, method: str, args: tuple[Any, ...], shown: tuple[Any, ...] = ()) -> Any:
        call = Call(method, shown or args, shown_as=self._names.get(method, ""))
        self.calls.append(call)
        connector = self._connector
        try:
            # A connector in another process whose requests are all answered where they are
            # read is waited for on this thread: the event loop would only wait with it.
            if getattr(connector, "answers_now", None) and connector.answers_now():  # type: ignore[attr-defined]
                result = connector.call_now(method, args, self.timeout)  # type: ignore[attr-defined]
            else:
                coro = getattr(connector, method)(*args)
                result = self._loop.run_until_complete(_within(coro, self.timeout))
        except (asyncio.TimeoutError, TimeoutError):
            call.outcome = f"no answer within {self.timeout:g} s"
            raise ConnectorCallError(
                call.signature(),
                f"did not return within {self.timeout:g} s (the per-call timeout; raise it "
                "with --connector-timeout if the API is slow)",
                timed_out=True,
            ) from None
        except Exception as exc:
            problem = getattr(exc, "call_problem", "") or f"raised {type(exc).__name__}: {exc}"
            call.outcome = problem
            raise ConnectorCallError(
                call.signature(),
                problem,
                detail=getattr(exc, "connector_traceback", "") or _connector_traceback(exc),
            ) from None
        call.result = result
        return result

    def _validated(self, method: str, result: Any, validate: Any) -> Any:
        try:
            return validate(result)
        except ContractError as exc:
            call = self.calls[-1]
            call.remark = "  (outside the contract)"
            raise ConnectorCallError(call.signature(), str(exc)) from None

    def get(self, id: str) -> dict[str, Any] | None:
        result = self._run("get", (id,))
        return self._validated("get", result, check_get_result)

    def insert(self, value: dict[str, Any]) -> str:
        result = self._run("insert", (value,))
        return self._validated("insert", result, check_insert_result)

    def patch(self, id: str, value: dict[str, Any]) -> Any:
        return self._run("patch", (id, value))

    def delete(self, id: str) -> Any:
        return self._run("delete", (id,))

    def get_updates(self, last_sync: Any) -> Updates:
        """Call getUpdates with the token as the platform stores it: after a JSON round trip."""
        stored = json.loads(json.dumps(last_sync))
        result = self._run("get_updates", (stored,))
        updates = self._validated("get_updates", result, check_updates_result)
        self.tally["deletions seen"] += sum(e.is_delete for e in updates.entries)
        return updates

    def close(self) -> ConnectorCallError | None:
        """End the scope (aclose/close, where the connector has one). A close that raises is
        forgiven (it is optional, and must not mask a finding); one that never returns is
        named like a hanging call and returned, so the check can report it once it is over."""
        if self._loop.is_closed():
            return self.hung  # closed already (a check may end a scope early): idempotent
        connector = self._connector
        try:
            if getattr(connector, "answers_now", None) and connector.answers_now():  # type: ignore[attr-defined]
                connector.close_now(self.timeout)  # type: ignore[attr-defined]
            else:
                self._loop.run_until_complete(_within(connector.close(), self.timeout))
        except (asyncio.TimeoutError, TimeoutError):
            call = Call("close", (), outcome=f"no answer within {self.timeout:g} s")
            self.calls.append(call)
            self.hung = ConnectorCallError(
                call.signature(),
                f"did not return within {self.timeout:g} s (the per-call timeout): the "
                "platform waits for close at the end of every execution scope",
                timed_out=True,
            )
        except Exception:  # closing is a courtesy; a failure here must not mask a finding
            pass
        finally:
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()
        return self.hung


if sys.version_info >= (3, 11):

    async def _within(coro: Awaitable[Any], seconds: float) -> Any:
        """The call under the per-call timeout, in the one Task run_until_complete makes:
        `asyncio.wait_for` would wrap it in a second Task per call (Python < 3.12)."""
        async with asyncio.timeout(seconds):
            return await coro

else:  # pragma: no cover - Python 3.10 has no asyncio.timeout

    def _within(coro: Awaitable[Any], seconds: float) -> Awaitable[Any]:
        return asyncio.wait_for(coro, seconds)


_NOT_CONNECTOR_CODE = tuple(
    {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    | {str(Path(__file__).resolve().parents[1])}
)


def _connector_traceback(exc: BaseException) -> str:
    """The frames of the connector's own code: where its author should look, nothing of ours."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith(_NOT_CONNECTOR_CODE)
    ]
    if not frames:
        return ""
    return "".join(traceback.format_list(frames)).rstrip()
