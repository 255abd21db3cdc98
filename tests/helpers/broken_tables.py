"""How a broken-connector table is judged, for the Python and the NodeJS tables alike: the
connector fails exactly the checks listed, each for its reason and leading with what the
platform suffers, and every other check passes (or warns, where the table says so)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from tests.helpers import HANG_TIMEOUT, run_all

# The stateful test meets a defect only in the examples whose random steps reach it; where it is
# expected to fail, give it enough examples that missing is practically impossible.
STATEFUL_EXAMPLES = 100

# The stateful check reports its first failing program unshrunk: how far shrinking gets within
# its time budget depends on the machine's load, and a table judges the reason, not the size.
NO_SHRINKING = 0.0

Phrases = str | tuple[str, ...]


def assert_fails_exactly(
    connector: Path,
    expected: Mapping[str, Phrases],
    *,
    hangs: bool = False,
    may_also_fail: Collection[str] = (),
    warns: Collection[str] = (),
) -> None:
    """`expected`: check ID -> a phrase its failure must contain (or alternatives);
    `may_also_fail`: checks that meet the defect only in some programs, judged neither way;
    `hangs`: the connector never returns, so a short per-call timeout keeps the run short."""
    overrides = (
        {"sync.stateful": {"examples": STATEFUL_EXAMPLES}} if "sync.stateful" in expected else {}
    )
    options: dict = {"shrink_seconds": NO_SHRINKING}
    if hangs:
        options["timeout"] = HANG_TIMEOUT
    outcomes = run_all(connector, overrides=overrides, **options)
    optional = set(may_also_fail)
    failed = {cid for cid, o in outcomes.items() if o.status == "failed"} - optional
    assert failed == set(expected), {cid: o.message for cid, o in outcomes.items()}
    for check_id, phrases in expected.items():
        outcome = outcomes[check_id]
        phrases = phrases if isinstance(phrases, tuple) else (phrases,)
        assert any(p in outcome.message for p in phrases), outcome.render()
        assert outcome.suffers, "every failure leads with what the platform suffers"
    for check_id in set(outcomes) - set(expected) - optional:
        wanted = "warned" if check_id in warns else "passed"
        assert outcomes[check_id].status == wanted, outcomes[check_id].render()
