"""Running the real `syncpeng` command in a subprocess, as an author types it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.cli.scaffolding import scaffold

SCRIPT = Path(sys.executable).parent / "syncpeng"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "conformance"]


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def syncpeng(*args: str, cwd: Path, timeout: float = 120, **env: str) -> Ran:
    """Run `syncpeng ARGS` in `cwd` with stdout/stderr captured (so: not a terminal)."""
    environ = {**os.environ, **env}
    done = subprocess.run(
        [*COMMAND, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def scaffolded(folder: Path) -> Path:
    """A freshly scaffolded connector folder, written in-process (the command's own writer)
    to spare a subprocess; tests of `init -d` itself run the real command."""
    scaffold(folder)
    return folder


def edit_json(path: Path, **blocks: Any) -> None:
    data = json.loads(path.read_text())
    data.update(blocks)
    path.write_text(json.dumps(data, indent=2))


def connector_folder(folder: Path, source: str, *, account: dict | None = None) -> Path:
    """A connector folder around `source` (a dataSourceApp.py), with the scaffold's other files."""
    scaffolded(folder)
    (folder / "dataSourceApp.py").write_text(source)
    if account is not None:
        (folder / "account.json").write_text(json.dumps(account))
        (folder / "account.example.json").unlink()
    return folder


def copy_example(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
