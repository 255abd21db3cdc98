"""The connector can be instantiated and offers the six calls the platform makes."""

from __future__ import annotations

from conformance.checks.api import Context, check
from conformance.connector.contract import METHODS


@check(
    "interface",
    title="the six methods exist and init accepts the account",
    suffers="the platform cannot load the connector at all: every sync through it stops",
)
def interface(ctx: Context) -> None:
    connector = ctx.spec.create()
    missing = connector.missing() if hasattr(connector, "missing") else []
    if missing:
        raise ctx.fail(
            f"DataSource lacks {', '.join(missing)}; the contract needs "
            f"{', '.join(METHODS)} (getUpdates is accepted for get_updates)"
        )
    ctx.session()
