"""`syncpeng`: scaffold a connector folder, run one of its methods from in.json, test it.

    syncpeng init -d [DIR]        write dataSourceApp.py, in.json, account.json, ... into DIR
    syncpeng init                 run init with account.json (+ in.json's "init" block)
    syncpeng get|insert|patch|delete|getupdates [--mock] [-o FILE] [-v]
    syncpeng test [DIR]           the conformance suite, as pytest --connector=DIR runs it
    syncpeng ui [DIR]             a local web UI for all of the above (docs/ui.md)
    syncpeng report merge DIR... -o OUT   one verdict from a sharded run's reports

Exit codes a script can rely on: 0 success, 1 the connector failed (raised, hung, returned
something outside the contract, or failed a check), 2 bad usage or input (a missing file, block
or key, malformed JSON). Errors are one line on stderr; -v adds tracebacks and HTTP exchanges.

This module is the startup path of every command, `--help` included, so it imports only the
standard library at the top; the harness (hypothesis, httpx, the mock) is imported by the
command that needs it.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.cli import report, ui_command
from conformance.cli.version import VersionAction
from conformance.options import (
    DEFAULT_EXAMPLES,
    DEFAULT_TIMEOUT,
    TRANSPORTS,
    Options,
    positive_float,
    positive_int,
)

OK, CONNECTOR_FAILED, BAD_INPUT = 0, 1, 2
METHOD_COMMANDS = {
    "get": 'fetch one record by id (in.json: {"get": {"id": ...}})',
    "insert": 'create a record (in.json: {"insert": {"value": {...}}})',
    "patch": 'change fields of a record (in.json: {"patch": {"id": ..., "value": {...}}})',
    "delete": 'delete a record (in.json: {"delete": {"id": ...}})',
    "getupdates": 'list changes since a token (in.json: {"getupdates": {"lastSync": null}})',
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncpeng",
        description="Build, run and test a data source connector (a dataSourceApp.py folder).",
        epilog="Exit codes: 0 success, 1 the connector failed, 2 bad usage or input. "
        "Run 'syncpeng COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour output (default: auto = on a terminal, unless NO_COLOR is set)",
    )

    run = argparse.ArgumentParser(add_help=False, parents=[common])
    run.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print each HTTP exchange (secrets masked) and, on failure, the connector's traceback",
    )
    where = run.add_argument_group("connector and inputs")
    where.add_argument(
        "--connector",
        default=".",
        metavar="PATH",
        help="connector folder, .py file or module (default: the current folder)",
    )
    where.add_argument(
        "--in",
        dest="input_file",
        metavar="FILE",
        help="the inputs file (default: in.json beside the connector)",
    )
    where.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the response here")
    where.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a call after this long (default: {DEFAULT_TIMEOUT:g})",
    )
    mock = run.add_argument_group("mock API")
    mock.add_argument(
        "--mock",
        action="store_true",
        help="run against the bundled mock the connector's conformance.toml names; its "
        "records are kept in .syncpeng-mock.json between commands",
    )
    mock.add_argument(
        "--mock-reset",
        action="store_true",
        help="start the mock empty (forget its saved records); implies --mock",
    )
    mock.add_argument(
        "--transport",
        choices=TRANSPORTS,
        default=None,
        help="reach the mock in-process (httpx clients) or on 127.0.0.1 (any client)",
    )

    init = commands.add_parser(
        "init",
        parents=[run],
        help="scaffold a connector folder (-d), or run the connector's init",
        description="With -d: fill a folder with a working cats connector, in.json, "
        "account.json, schema.json and conformance.toml. Without: run init with account.json "
        'merged with in.json\'s "init" block.',
    )
    init.set_defaults(handler=_cmd_init)
    scaffold = init.add_argument_group("scaffolding (init -d)")
    scaffold.add_argument(
        "-d",
        "--dir",
        nargs="?",
        const=".",
        default=None,
        metavar="DIR",
        help="write the connector files into DIR (default: the current folder)",
    )
    scaffold.add_argument("--force", action="store_true", help="overwrite files that already exist")
    scaffold.add_argument(
        "--lang",
        choices=("py", "js"),
        default="py",
        help="the module's language: dataSourceApp.py (default) or dataSourceApp.js with "
        "package.json (NodeJS 18+, as the platform runs it)",
    )
    scaffold.add_argument(
        "--ci",
        nargs="?",
        const=".",
        default=None,
        metavar="REPO",
        help="write .github/workflows/conformance.yml into REPO (default: the current folder): "
        "replay on pull requests with the network blocked, re-record on a schedule",
    )
    scaffold.add_argument(
        "--connectors",
        default=None,
        metavar="GLOB",
        help="with --ci: where the connectors live, relative to REPO (default: connectors/*)",
    )
    scaffold.add_argument(
        "--shards",
        type=positive_int,
        default=1,
        metavar="N",
        help="with --ci: split the pull-request gate into a matrix of N runners and a merge job",
    )
    scaffold.add_argument(
        "--install",
        default=None,
        metavar="SPEC",
        help="with --ci: the requirement the workflow pip-installs the harness from (default: "
        "where this harness came from: its index version, or its git URL and commit)",
    )

    for name, summary in METHOD_COMMANDS.items():
        sub = commands.add_parser(
            name,
            parents=[run],
            help=summary.split(" (")[0],
            description=f"Run the connector's {name}: {summary}. Prints the JSON response.",
        )
        if name in ("get", "patch", "delete"):
            sub.add_argument("--id", help='use this id instead of in.json\'s "id"')
        sub.set_defaults(handler=_cmd_method)

    test = commands.add_parser(
        "test",
        parents=[common],
        help="run the conformance suite on a connector",
        description="Run every conformance check on a connector against its mock API "
        "(the checks of pytest --connector=DIR) and summarise.",
    )
    test.add_argument("dir", nargs="?", default=".", metavar="DIR", help="default: .")
    test.add_argument(
        "--check",
        action="append",
        default=[],
        metavar="ID",
        help="run only this check or family, e.g. crud or updates.shape (repeatable)",
    )
    test.add_argument(
        "--examples",
        type=positive_int,
        default=None,
        metavar="N",
        help=f"generated examples per property check (default: {DEFAULT_EXAMPLES})",
    )
    test.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"per-call timeout (default: {DEFAULT_TIMEOUT:g})",
    )
    test.add_argument(
        "--transport",
        choices=TRANSPORTS,
        default=None,
        help="reach the mock in-process (httpx clients) or on 127.0.0.1 (any client)",
    )
    test.add_argument(
        "-v", "--verbose", action="store_true", help="a traceback if syncpeng itself fails"
    )
    test.add_argument("--strict", action="store_true", help="warnings fail too")
    test.set_defaults(handler=_cmd_test)

    ui_command.add_parser(commands, [common])
    report.add_parser(commands, [common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return BAD_INPUT
    from conformance.cli.console import Console

    console = Console(sys.stdout, sys.stderr, color=args.color)
    try:
        return args.handler(args, console)
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    except Exception as exc:
        from conformance.errors import InputError

        if isinstance(exc, InputError):
            console.error(str(exc))
            return BAD_INPUT
        if args.verbose:
            console.detail(traceback.format_exc())
        console.error(
            f"internal error: {type(exc).__name__}: {exc} (a bug in syncpeng; -v shows the "
            "traceback)"
        )
        return CONNECTOR_FAILED


def _cmd_init(args: argparse.Namespace, console: Any) -> int:
    if args.ci is not None:
        return _cmd_workflow(args, console)
    if args.dir is not None:
        return _cmd_scaffold(args, console)
    return _cmd_method(args, console)


def _cmd_workflow(args: argparse.Namespace, console: Any) -> int:
    from conformance.ci.install import install_spec
    from conformance.ci.workflow import DEFAULT_CONNECTORS, write_workflow

    pattern = args.connectors or DEFAULT_CONNECTORS
    harness = install_spec(args.install)
    path = write_workflow(
        Path(args.ci), force=args.force, pattern=pattern, shards=args.shards, harness=harness
    )
    console.note(f"wrote {path}")
    console.note(
        "next: commit it; add one repository secret per connector (CONFORMANCE_ACCOUNT_<NAME>, "
        "the account as one JSON value) for the scheduled re-recording; see docs/ci.md"
    )
    return OK


def _cmd_scaffold(args: argparse.Namespace, console: Any) -> int:
    from conformance.cli.scaffolding import scaffold

    written = scaffold(Path(args.dir), force=args.force, lang=args.lang)
    console.note(f"wrote {', '.join(written.files)} in {written.folder}")
    console.note(
        "next: syncpeng insert --mock, then put the returned id in in.json and "
        "syncpeng get --mock; syncpeng test runs the conformance suite"
        + ("" if args.dir == "." else f" (from inside {args.dir}, or with --connector)")
    )
    return OK


def _cmd_method(args: argparse.Namespace, console: Any) -> int:
    from conformance.cli import method_call

    request = method_call.Request(
        command=args.command,
        connector=args.connector,
        input_file=args.input_file,
        overrides={"id": getattr(args, "id", None)},
        mock=args.mock or args.mock_reset,
        mock_reset=args.mock_reset,
        transport=args.transport,
        timeout=args.timeout,
    )
    show = console.exchange if args.verbose else None
    reply = method_call.run(request, show_exchange=show)
    console.mask = reply.masker
    for warning in reply.warnings:
        console.warn(warning)
    if reply.failure is not None:
        if reply.value is not method_call.NOTHING:
            console.note(f"{args.command} returned:")
            console.result(reply.value)
        if args.verbose and reply.failure.detail:
            console.detail(f"connector traceback:\n{reply.failure.detail}")
        message = f"{reply.failure.call} {reply.failure.problem}"
        console.error(message if args.verbose else _first_line(message))
        return CONNECTOR_FAILED
    if reply.value is None and args.command in ("init", "patch", "delete") and not args.output:
        console.note(f"{args.command}: done (no output)")
    else:
        console.result(reply.value, args.output)
    return OK


def _cmd_test(args: argparse.Namespace, console: Any) -> int:
    from conformance.cli.suite import outcome_line, run_suite
    from conformance.outcome import Status
    from conformance.run import CheckFinished, Event

    colors = {
        Status.PASSED: "32",
        Status.FAILED: "31",
        Status.WARNED: "33",
        Status.ERROR: "31",
        Status.SKIPPED: "2",
    }

    options = Options(
        mode="mock",
        examples=args.examples or DEFAULT_EXAMPLES,
        timeout=args.timeout,
        transport=args.transport,
    )
    out = console.stdout
    out.write(
        f"syncpeng test {args.dir}: conformance checks against the mock API, "
        f"{options.examples} examples per property check\n"
    )
    out.flush()

    def progress(event: Event) -> None:
        if not isinstance(event, CheckFinished):
            return
        outcome = event.outcome
        line = outcome_line(outcome)
        if console.color_out:
            line = f"\x1b[{colors[outcome.status]}m{line}\x1b[0m"
        out.write(line + "\n")
        out.flush()

    result = run_suite(
        args.dir, options, checks=args.check, strict=args.strict, handlers=[progress]
    )
    reports = [o for o in result.outcomes if o.status in (Status.FAILED, Status.WARNED)]
    for outcome in reports:
        out.write(f"\n{outcome.render()}\n")
    out.write(f"\n{result.summary()}\n")
    if result.count(Status.WARNED) and not args.strict:
        out.write("(warnings do not fail the run; --strict makes them fail)\n")
    return result.exit_code


def _first_line(message: str) -> str:
    """One line on stderr (an exception's later lines, such as httpx's "For more information"
    link, are for -v)."""
    lines = message.strip().splitlines()
    return lines[0] + (" (-v for more)" if len(lines) > 1 else "") if lines else message


if __name__ == "__main__":  # pragma: no cover - `python -m conformance.cli`
    sys.exit(main())
