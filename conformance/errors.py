"""The two kinds of trouble the harness reports without a traceback.

`InputError` is the user's input being wrong (a path, a JSON or TOML file, a schema, an option):
the message names the file or field and says how to fix it. `ConnectorCallError` is the
connector itself misbehaving during a call (raising, hanging, returning garbage): that is a
finding about the connector, not a bug in the harness, so it is shown as one too.
"""

from __future__ import annotations

from conformance.shown import cut


class InputError(Exception):
    """Bad input from the user: shown as one line, with a non-zero exit."""


class ConnectorCallError(Exception):
    """A connector call raised, timed out or returned something outside the contract."""

    def __init__(
        self, call: str, problem: str, *, detail: str = "", timed_out: bool = False
    ) -> None:
        call, problem, detail = cut(call), cut(problem), cut(detail)
        super().__init__(f"{call}: {problem}")
        self.call = call
        self.problem = problem
        self.detail = detail
        self.timed_out = timed_out
