"""One verdict for a fleet checked in shards: the shards' conformance.json merged into one.

Each runner of a CI job matrix writes the reports of its own shard (`--connector-shard=K/N
--connector-report=DIR`); the merge job downloads them all and decides. Three rules make the
merged verdict equal to one run over the whole fleet:

- every shard named must have produced a readable report; a missing or unreadable one fails the
  merge by name (a runner that crashed before writing must never read as "nothing failed");
- a sharded run's report says which shard of which fleet it was (`meta.shard`, `meta.fleet`,
  `meta.shard_connectors`); the merge proves every shard K of N reported once and that together
  they covered the fleet exactly once, so a shard that computed a different split (another
  durations file, another fleet) fails the merge instead of dropping connectors;
- a (connector, check) reported by two shards is an error, not a silent overwrite;
- verdicts are derived afresh from each row's status, the merge's strictness and the baseline
  applied over the union, exactly as the pytest gate derives them, so a baseline entry is
  `known` or `stale` wherever its connector ran, and a stale entry is named once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.ci.baseline import Baseline, Entry
from conformance.ci.reports import JSON_NAME
from conformance.errors import InputError
from conformance.outcome import ReportRow, Status


@dataclass
class Merged:
    rows: list[ReportRow]
    shards: int
    unrun: list[Entry] = field(default_factory=list)  # baseline entries no shard ran

    @property
    def passes(self) -> bool:
        return not any(r.gates for r in self.rows)


def report_path(place: Path) -> Path:
    """A shard's conformance.json: the path itself when it is a file, else DIR/conformance.json."""
    return place if place.suffix == ".json" else place / JSON_NAME


def read_shard(place: Path) -> tuple[list[ReportRow], dict[str, Any]]:
    """The rows and meta of one shard's report; every way it can be missing or broken names
    the shard."""
    path = report_path(place)
    if not path.is_file():
        where = "no such folder" if not place.exists() else f"it holds no {JSON_NAME}"
        raise InputError(
            f"shard report {place}: {where}; that shard did not produce a report (did its job "
            "fail before the report was written, or its artifact fail to upload?). The fleet's "
            "verdict is unknown until every shard has reported"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [ReportRow.from_json(r) for r in data["results"]]
        meta = data.get("meta") or {}
        if not isinstance(meta, dict):
            raise TypeError("meta is not an object")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"shard report {path}: not readable JSON ({exc})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"shard report {path}: not a conformance report (bad or missing field: {exc}); "
            "pass the conformance.json --connector-report wrote"
        ) from None
    return rows, meta


def check_coverage(metas: Sequence[tuple[Path, dict[str, Any]]]) -> None:
    """Raise unless the sharded reports are shards 1..N of one fleet, covering it exactly once."""
    sharded = [(place, meta) for place, meta in metas if "shard" in meta]
    if not sharded:
        return  # reports of whole runs: nothing to prove about a split
    if len(sharded) != len(metas):
        plain = next(str(place) for place, meta in metas if "shard" not in meta)
        raise InputError(f"shard report {plain}: not from a --connector-shard run, the others are")
    seen: dict[int, Path] = {}
    counts = set()
    for place, meta in sharded:
        index, _, count = str(meta["shard"]).partition("/")
        if not (index.isdigit() and count.isdigit()):
            raise InputError(f"shard report {place}: meta.shard {meta['shard']!r} is not K/N")
        if int(index) in seen:
            raise InputError(f"shard {meta['shard']} reported twice: {seen[int(index)]}, {place}")
        seen[int(index)] = place
        counts.add(int(count))
    if len(counts) != 1:
        raise InputError(f"the shards disagree on N: {sorted(counts)}; rerun them with one N")
    (count,) = counts
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in seen]
    if missing:
        raise InputError(
            f"no report from shard {', '.join(missing)}: the fleet's verdict is unknown until "
            "every shard has reported (did its job fail before writing, or its upload?)"
        )
    fleets = {tuple(meta.get("fleet", ())) for _, meta in sharded}
    if len(fleets) != 1:
        raise InputError("the shards were given different fleets (--connector); rerun them alike")
    fleet = set(next(iter(fleets)))
    covered = [c for _, meta in sharded for c in meta.get("shard_connectors", ())]
    lost = sorted(fleet - set(covered))
    twice = sorted({c for c in covered if covered.count(c) > 1})
    if lost or twice:
        raise InputError(
            "the shards did not split the fleet exactly once (did they read different "
            "--connector-durations?): "
            + "; ".join(
                part
                for part in (
                    f"checked by no shard: {', '.join(lost)}" if lost else "",
                    f"checked twice: {', '.join(twice)}" if twice else "",
                )
                if part
            )
        )


def verdict(row: ReportRow, baseline: Baseline | None, *, strict: bool) -> ReportRow:
    """What the pytest gate would make of this row (baseline entries are non-strict xfails)."""
    fails = row.status.fails_run(strict=strict)
    entry = baseline.get(row.node, row.check) if baseline else None
    row.baseline, row.baseline_reason = "", ""
    if entry is not None:
        row.verdict = "xfailed" if fails else "xpassed"
        row.baseline = "known" if fails else "stale"
        row.baseline_reason = entry.reason
    elif fails:
        row.verdict = "failed"
    else:
        row.verdict = "skipped" if row.status is Status.SKIPPED else "passed"
    return row


def merge(
    places: Sequence[Path], baseline: Baseline | None = None, *, strict: bool = False
) -> Merged:
    if not places:
        raise InputError("report merge: name at least one shard's report folder")
    found: dict[tuple[str, str], tuple[ReportRow, Path]] = {}
    problems: list[str] = []
    read: list[tuple[Path, list[ReportRow], dict[str, Any]]] = []
    for place in places:
        try:
            read.append((place, *read_shard(place)))
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("\n".join(problems))
    check_coverage([(place, meta) for place, _, meta in read])
    for place, rows, _ in read:
        for row in rows:
            key = (row.node, row.check)
            if key in found:
                raise InputError(
                    f"{row.node} / {row.check} is reported by both {found[key][1]} and {place}: "
                    "the shards did not split one fleet (same K twice, or different N?)"
                )
            found[key] = (row, place)
    rows = [verdict(found[k][0], baseline, strict=strict) for k in sorted(found)]
    nodes = {r.node for r in rows}
    unrun = [e for e in (baseline.entries.values() if baseline else ()) if e.connector not in nodes]
    return Merged(rows, len(places), sorted(unrun, key=lambda e: e.key))
