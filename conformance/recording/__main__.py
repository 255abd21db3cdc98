"""`python -m conformance.recording audit DIR... [--account FILE]`: a CI gate against leaks.

It scans cassettes for anything secret-looking and exits 1 naming file and place: without
--account with detect-secrets' detectors and the harness's own policy, and with --account also
for every value of that account (minus the keys that the conformance.toml beside it names as
`[account] settings`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.connector.files import read_json_object, read_settings
from conformance.errors import InputError
from conformance.recording.audit import audit


def main(argv: list[str] | None = None) -> int:
    """`python -m conformance.recording audit DIR... [--account FILE]`: exit 1 on any finding."""
    parser = argparse.ArgumentParser(prog="python -m conformance.recording")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("audit", help="fail when a cassette holds a secret-looking value")
    cmd.add_argument("paths", nargs="+", type=Path)
    cmd.add_argument("--account", type=Path, help="account.json whose values must not appear")
    args = parser.parse_args(argv)
    try:
        account = read_json_object(args.account) if args.account else None
        settings = read_settings(args.account.parent / "conformance.toml") if args.account else None
        findings = audit(
            args.paths, account, settings=settings.account_settings if settings else ()
        )
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} secret-looking value(s) in cassettes: scrub or re-record them")
        return 1
    print("no secrets found in cassettes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
