"""`syncpeng init -d`: fill a folder with a working connector and the files around it.

The templates live in `conformance/cli/scaffold/` as package data, written byte for byte. Existing
files are never overwritten unless the user says `--force`: a scaffold run over a half-written
connector must not cost its author their work, so every clash is reported before anything is
written. Other init options (a CI workflow writer, say) add their own file lists through
`write_files`, which keeps that rule in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conformance.errors import InputError

TEMPLATES = Path(__file__).parent / "scaffold"

# file written -> template it comes from, per module language. account.json starts as a copy of
# the example so the mock accepts it at once; .gitignore keeps the real one (and the mock's state,
# and node_modules) out of git.
_COMMON: Mapping[str, str] = {
    "in.json": "in.json",
    "account.json": "account.example.json",
    "account.example.json": "account.example.json",
    "schema.json": "schema.json",
    "conformance.toml": "conformance.toml",
}
SCAFFOLDS: Mapping[str, Mapping[str, str]] = {
    "py": {"dataSourceApp.py": "dataSourceApp.py", **_COMMON, ".gitignore": "gitignore"},
    "js": {
        "dataSourceApp.js": "dataSourceApp.js",
        "package.json": "package.json",
        **_COMMON,
        ".gitignore": "gitignore-js",
    },
}
SCAFFOLD = SCAFFOLDS["py"]


@dataclass(frozen=True)
class Written:
    folder: Path
    files: tuple[str, ...]


def scaffold(folder: Path, *, force: bool = False, lang: str = "py") -> Written:
    """Write the connector skeleton for a `lang` ("py" or "js") module into `folder`."""
    files = SCAFFOLDS[lang]
    contents = {name: (TEMPLATES / template).read_bytes() for name, template in files.items()}
    return write_files(folder, contents, force=force)


def write_files(folder: Path, contents: Mapping[str, bytes], *, force: bool = False) -> Written:
    """Write files under `folder`, refusing (before writing any) if one exists, unless `force`."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder; pick another -d DIR")
    if not force:
        clashes = [name for name in contents if (folder / name).exists()]
        if clashes:
            raise InputError(
                f"{folder}: {', '.join(clashes)} already exist(s); nothing was written. "
                "Use an empty folder, or --force to overwrite them"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in contents.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the scaffold ({exc.strerror or exc})") from None
    return Written(folder=folder, files=tuple(contents))
