"""Which connectors one CI runner checks: `--connector-shard=K/N` over a job matrix.

Users already have an engine that goes beyond one machine: their CI's job matrix. What it needs
from us is a split that is deterministic (every runner computes the same one without talking to
the others), total (every connector in exactly one shard) and balanced. Balance comes from the
per-connector durations of an earlier report when there is one (longest first, each to the
least-loaded shard: greedy LPT, within 4/3 of optimal), and from counts when there is none.
A connector's checks always stay together, so each connector is loaded once per run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.errors import InputError


@dataclass(frozen=True)
class Shard:
    """The K-th (1-based) of N shards."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """Read `K/N` as --connector-shard gives it, with a message that says what is wrong."""
    parts = text.split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise InputError(
            f"--connector-shard={text}: expected K/N with whole numbers, e.g. 2/4 for the "
            "second of four shards"
        )
    index, count = (int(p) for p in parts)
    if count < 1 or not 1 <= index <= count:
        raise InputError(
            f"--connector-shard={text}: K must be between 1 and N, and N at least 1 "
            f"(e.g. 1/{max(count, 1)})"
        )
    return Shard(index, count)


def assign(
    connectors: Sequence[str], count: int, durations: Mapping[str, float] | None = None
) -> list[list[str]]:
    """Split `connectors` into `count` shards, each list in the order the connectors were given.

    Connectors without a known duration weigh the mean of the known ones (or 1 when none is
    known, which balances by count). Ties break by name and shard number, never by chance.
    """
    unique = list(dict.fromkeys(connectors))
    known = [durations[c] for c in unique if durations and c in durations]
    default = sum(known) / len(known) if known else 1.0
    weight = {c: max(float((durations or {}).get(c, default)), 0.0) for c in unique}
    loads = [0.0] * count
    sizes = [0] * count
    where: dict[str, int] = {}
    for connector in sorted(unique, key=lambda c: (-weight[c], c)):
        shard = min(range(count), key=lambda s: (loads[s], sizes[s], s))
        where[connector] = shard
        loads[shard] += weight[connector]
        sizes[shard] += 1
    shards: list[list[str]] = [[] for _ in range(count)]
    for connector in unique:
        shards[where[connector]].append(connector)
    return shards


def select(
    connectors: Sequence[str], shard: Shard, durations: Mapping[str, float] | None = None
) -> list[str]:
    """The connectors this runner checks."""
    return assign(connectors, shard.count, durations)[shard.index - 1]


def load_durations(path: Path) -> dict[str, float]:
    """Per-connector seconds (the sum of its checks' durations) from an earlier conformance.json.

    Keys are node keys as reports name connectors (the --connector path, `/`-separated).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"--connector-durations={path}: no such file; pass the conformance.json of an "
            "earlier run (--connector-report writes it), or leave the option out to balance "
            "by count"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"--connector-durations={path}: not a readable report ({exc})") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise InputError(
            f'--connector-durations={path}: has no "results" list; pass a conformance.json '
            "written by --connector-report"
        )
    totals: dict[str, float] = {}
    for row in results:
        if not isinstance(row, dict):
            continue
        connector, seconds = row.get("connector"), row.get("duration", 0.0)
        if isinstance(connector, str) and isinstance(seconds, (int, float)):
            totals[connector] = totals.get(connector, 0.0) + float(seconds)
    return totals
