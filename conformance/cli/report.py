"""`syncpeng report merge DIR... -o OUT`: the merge job of a sharded CI run (docs/ci.md).

Exit codes as elsewhere: 0 the fleet passes, 1 it fails, 2 a shard's report is missing or
unreadable (the verdict is unknown, which is never a pass) or the input is bad.
Only the standard library at the top: the parser is built on every `syncpeng` start.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

OK, FLEET_FAILS = 0, 1


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        parents=parents,
        help="merge the reports of a sharded run into one verdict",
        description="Work on conformance reports (conformance.json).",
    )
    actions = report.add_subparsers(dest="action", metavar="ACTION", required=True)
    merge = actions.add_parser(
        "merge",
        parents=parents,
        help="merge the shards' conformance.json into one report and gate on it",
        description="Merge the conformance.json of each shard (a folder per shard, as "
        "--connector-report wrote it) into one conformance.json, .md and .html in OUT, append "
        "the Markdown to $GITHUB_STEP_SUMMARY when set, and exit 0 only when the fleet passes. "
        "A shard without a readable report fails the merge.",
    )
    merge.add_argument("shards", nargs="+", type=Path, metavar="DIR", help="one per shard")
    merge.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    merge.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="known failures over the whole fleet (as --connector-baseline)",
    )
    merge.add_argument("--strict", action="store_true", help="warnings fail too")
    merge.set_defaults(handler=run_merge, verbose=False)


def run_merge(args: argparse.Namespace, console: Any) -> int:
    from conformance.ci import reports
    from conformance.ci.baseline import load_baseline
    from conformance.ci.merge import merge

    baseline = load_baseline(args.baseline) if args.baseline else None
    merged = merge(args.shards, baseline, strict=args.strict)
    written = reports.write_reports(
        args.output,
        merged.rows,
        step_summary=os.environ.get("GITHUB_STEP_SUMMARY"),
        meta={"merged_shards": merged.shards},
    )
    out = console.stdout
    out.write(f"{reports.headline(merged.rows)} — merged from {merged.shards} shard(s)\n")
    stale = reports.stale_entries(merged.rows)
    if stale:
        out.write(f"{len(stale)} baseline entries now pass: remove them from {args.baseline}:\n")
        out.writelines(f"  {r.node} / {r.check}\n" for r in stale)
    if merged.unrun:
        out.write(f"{len(merged.unrun)} baseline entries name connectors no shard checked:\n")
        out.writelines(f"  {e.connector} / {e.check}\n" for e in merged.unrun)
    for r in merged.rows:
        if r.gates:
            out.write(f"FAILED {r.node}::{r.check} — {r.headline}\n")
    out.writelines(f"  {path}\n" for path in written)
    return OK if merged.passes else FLEET_FAILS
