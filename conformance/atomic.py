"""Write a file so that a reader (or a crash) never sees half of it, with the mode people expect.

Reports, baselines, workflows and cassettes are read by other tools and committed by people; a
run killed mid-write must leave the old file or the new one, never a truncated mix. So the text
goes to a temporary file beside the target, is flushed to disk, then renamed over it.

The temporary file is created the way `open(path, "w")` creates a file (mode 0666, narrowed by
the umask), not with `tempfile.mkstemp`'s private 0600, which the rename would carry into a
shared checkout. A file that already exists keeps its own mode. This is the one writer the
harness uses; mock_api/state.py keeps a copy of the same rules because mock_api imports nothing
from the harness.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

_ATTEMPTS = 100  # temporary names are random: a clash is a bug or an attack, not bad luck


def write_text_atomic(path: Path, text: str) -> Path:
    """Replace `path` with `text` (UTF-8, `\\n` line ends) in one rename; returns `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp, fd = _create_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        kept = _mode_of(path)
        if kept is not None:
            os.chmod(temp, kept)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def _create_beside(path: Path) -> tuple[Path, int]:
    """A new, empty file in `path`'s folder, created with 0666 so the umask alone narrows it."""
    for _ in range(_ATTEMPTS):
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: cannot create a temporary file beside {path.name}")


def _mode_of(path: Path) -> int | None:
    """The permission bits of an existing regular file, so replacing it keeps them."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else None
