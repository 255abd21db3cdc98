"""`syncpeng --version`: the version and where this harness was installed from (the index, a git
URL and commit, a local path, an editable install), since a bug report needs both."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


class VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata is not free)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and its origin")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from conformance.origin import harness_origin, other_distributions

        origin = harness_origin()
        print(f"syncpeng {origin.version} ({origin.describe()})")
        for other in other_distributions():
            print(
                f"syncpeng: warning: the distribution '{other}' also installs the import name "
                f"'conformance' here; the two share files, so removing or upgrading it breaks "
                f"this one: pip uninstall {other} && pip install --force-reinstall "
                "connector-conformance",
                file=sys.stderr,
            )
        parser.exit()
