"""Keeping a mock's server state in a JSON file, so it outlives one process.

The ``syncpeng`` command line runs one connector method per invocation; ``syncpeng insert
--mock`` then ``syncpeng get --mock`` only works if the record inserted by the first process is
still there for the second. A mock that supports this implements two methods:

    api.export_state() -> dict      JSON-ready snapshot of everything a client could observe
    api.import_state(dict)          replace the current state with a snapshot (ValueError if bad)

This module adds the file around them: a small envelope naming the format and the mock class
(a snapshot of one mock is refused by another), and atomic writes (temp file + ``os.replace``),
so an interrupted command never leaves a half-written file behind. The file gets the mode a
plain ``open(path, "w")`` gives (0666 narrowed by the umask; an existing file keeps its own),
the same rules as the harness's conformance/atomic.py, which mock_api may not import.

Only the store is kept: hooks, the request log and clock changes are test-time knobs and start
fresh in each process.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

FORMAT = "mock_api.state/1"


def save_state(api: Any, path: str | os.PathLike[str]) -> None:
    """Write ``api``'s state to ``path`` atomically; ``TypeError`` if the mock cannot export."""
    export = getattr(api, "export_state", None)
    if not callable(export):
        raise TypeError(f"{type(api).__name__} cannot save its state (no export_state method)")
    document = {"format": FORMAT, "api": type(api).__name__, "state": export()}
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask narrows it
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        if target.is_file():
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_state(api: Any, path: str | os.PathLike[str]) -> bool:
    """Replace ``api``'s state with the one saved at ``path``; ``False`` if there is no file.

    A file that is not a snapshot of this kind of mock raises ``ValueError`` naming the file,
    and leaves ``api`` untouched.
    """
    target = Path(path)
    if not target.exists():
        return False
    importer = getattr(api, "import_state", None)
    if not callable(importer):
        raise TypeError(f"{type(api).__name__} cannot load a state (no import_state method)")
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{target}: not a saved mock state ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{target}: not a saved mock state (expected format {FORMAT!r})")
    if document.get("api") != type(api).__name__:
        raise ValueError(
            f"{target}: holds the state of {document.get('api')!r}, not {type(api).__name__!r}"
        )
    try:
        importer(document.get("state"))
    except ValueError as exc:
        raise ValueError(f"{target}: {exc}") from None
    return True


def clear_state(path: str | os.PathLike[str]) -> bool:
    """Forget the saved state; ``True`` if there was one."""
    target = Path(path)
    existed = target.exists()
    target.unlink(missing_ok=True)
    return existed
