"""`syncpeng ui [DIR]`: the command that serves the web UI (conformance/ui, docs/ui.md).

Only the standard library at the top: the parser is built on every `syncpeng` start, and the
web stack is imported when the command runs.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    ui = commands.add_parser(
        "ui",
        parents=parents,
        help="a local web UI to run methods, step syncs and run the checks",
        description="Serve a web UI for the connector in DIR on 127.0.0.1 (docs/ui.md).",
    )
    ui.add_argument("dir", nargs="?", default=".", metavar="DIR", help="default: .")
    ui.add_argument("--port", type=int, default=0, help="listen here (default: a free port)")
    ui.add_argument("--no-browser", action="store_true", help="only print the URL")
    ui.add_argument("--cassette-dir", metavar="DIR", help="the connector's cassettes (replay)")
    ui.add_argument("-v", "--verbose", action="store_true", help="a traceback if syncpeng fails")
    ui.set_defaults(handler=run)


def run(args: argparse.Namespace, console: Any) -> int:
    from conformance.ui.server import run_ui

    run_ui(args.dir, args.cassette_dir, args.port, not args.no_browser, console.note)
    return 0
