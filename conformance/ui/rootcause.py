"""When several checks fail together, which failure most likely explains the rest.

A plain rule, no inference: the checks build on each other. Everything starts with the module
loading (`interface`); the sync checks write records through insert, patch and delete before
they read changes, so a broken write (`crud.*`) fails them too; every sync check reads
getUpdates, so a malformed result (`updates.shape`) fails them all; and a sync that loses what
lies past the first page (`faults.pagination`) fails every check whose chain crosses a page.
So a failed check of a lower layer is named as the likely cause of the failed checks of the
layers that depend on it, and the page says to fix it first. It is a guess the author can
check (fix the cause, run again), worded as one; docs/ui.md states the rule.
"""

from __future__ import annotations

from collections.abc import Mapping

SYNCING = ("updates.progression", "sync.stateful", "faults.")
# cause -> (the check ID prefixes it likely explains, why)
LAYERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("interface", ("",), "no other check can run a module that does not load or init"),
    (
        "crud.",
        (*SYNCING, "errors.", "records.schema", "crud."),
        "they write and read records through the same calls",
    ),
    ("updates.shape", (*SYNCING, "records.schema"), "they all read getUpdates' result"),
    (
        "faults.pagination",
        ("updates.progression", "sync.stateful", "faults."),
        "their change lists cross a page too",
    ),
)


def explain(verdicts: Mapping[str, str]) -> list[dict[str, object]]:
    """[{cause, explains: [...], why}] for the failed checks, lowest layer first."""
    failed = [check for check, verdict in verdicts.items() if verdict in ("failed", "error")]
    explained: set[str] = set()
    found = []
    for prefix, covers, why in LAYERS:
        causes = [c for c in failed if c.startswith(prefix) and c not in explained]
        for cause in causes[:1]:  # the first of a layer (registry order) stands for it
            rest = [c for c in failed if c not in (cause, *explained) and c.startswith(covers)]
            if rest:
                found.append({"cause": cause, "explains": rest, "why": why})
                explained.update(rest)
            explained.add(cause)
    return found
