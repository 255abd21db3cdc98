"""What a check is: a stable ID, the harm its failure means, and a function over a `Context`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.checks.context import Context


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
    """Declare a check. `needs` names what it requires: "schema", "mock" (fault knobs), or
    "unrecorded" (inputs drawn outside `ctx.forall`, so cassettes cannot replay it)."""

    def wrap(func: Callable[[Context], None]) -> Check:
        return Check(id=id, title=title, suffers=suffers, run=func, needs=frozenset(needs))

    return wrap


class CheckFailure(Exception):
    """A finding: the platform would suffer `suffers`; `detail` and `script` say how."""

    def __init__(
        self,
        detail: str,
        *,
        script: str = "",
        severity: Severity = Severity.FAILURE,
        suffers: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.script = script
        self.severity = severity
        self.suffers = suffers
