"""Credentials revoked mid-session: every call must raise, none may answer as if all were well.

From a chosen point on the backend's fault stage answers every request 401 itself (on the mock
and on any real API alike, conformance/http/faults.py), as when a token expires or is revoked
mid-sync; nothing is sent, so a real account is never locked out, and replay stages the same
401s from the same point on.
"""

from __future__ import annotations

from typing import Any

from conformance.checks.api import Context, check
from conformance.checks.faults import _fresh, _raised
from conformance.checks.samples import change_for, sample_record
from conformance.errors import ConnectorCallError


@check(
    "faults.auth",
    title="a 401 (credentials revoked mid-session) makes every call raise",
    suffers="expired credentials look like 'no changes' or 'record deleted': silent sync stop "
    "or deletions",
    needs={"schema"},
)
def auth(ctx: Context) -> None:
    faults = ctx.backend.faults
    session, replica, world = _fresh(ctx, "credentials revoked after init")
    replica.sync(session)
    (existing,) = world.create(1)
    ctx.expect("faults injected", "no request met the staged 401")
    before = faults.injected
    faults.answer(401, times=None)
    ctx.note("from here on every request gets 401 Unauthorized")
    calls = [
        ("get", lambda: session.get(existing)),
        ("insert", lambda: session.insert(sample_record(ctx.schema, 1))),
        ("patch", lambda: session.patch(existing, change_for(ctx.schema, 2))),
        ("delete", lambda: session.delete(existing)),
        ("get_updates", lambda: session.get_updates(replica.token)),
    ]
    answered = []
    try:
        for name, call in calls:
            try:
                result = call()
            except ConnectorCallError as exc:
                if not _raised(exc):
                    raise
                continue
            answered.append(f"{name} returned {_brief(result)} instead of raising")
    finally:
        faults.clear()
        ctx.count("faults injected", faults.injected - before)
    if answered:
        raise ctx.fail(
            "under 401 Unauthorized these calls answered as if all were well (get -> None reads "
            "as 'deleted'; an empty getUpdates as 'no changes'):\n"
            + "\n".join(f"- {a}" for a in answered)
        )


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
