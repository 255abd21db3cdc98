"""The entry points' first stop: `syncpeng` and the pytest plugin check that the `conformance`
package Python finds is this project's before they use it.

An unrelated distribution on the package index, `conformance`, installs the same import name,
and so can any folder named `conformance` that comes first on sys.path (the current directory
under `python -m pytest`). Had the entry points named `conformance.*` directly, they would
resolve into the other package and fail with an ImportError from inside it, or worse, run it.
This package's name is ours alone, so the entry points always reach this code, which says in
one line which distribution or folder shadows ours and how to fix it.

Only the standard library here: this runs before every `syncpeng` command, `--help` included.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DISTRIBUTION = "connector-conformance"
MARKER = "__connector_conformance__"  # set in conformance/__init__.py


def shadowing_problem() -> str | None:
    """None when `import conformance` gives this project's package; else the one-line reason."""
    try:
        import conformance
    except Exception as exc:  # theirs failing on import, or ours missing from a broken install
        return (
            f"the Python package 'conformance' cannot be imported ({type(exc).__name__}: {exc}); "
            f"fix: pip install --force-reinstall {DISTRIBUTION}"
        )
    if getattr(conformance, MARKER, None) == DISTRIBUTION:
        return None
    return _describe(conformance)


def _describe(module: object) -> str:
    where = _location(module)
    owners = [(n, v) for n, v in _owners(where) if _canonical(n) != DISTRIBUTION]
    head = f"the Python package 'conformance' imported from {where} is not {DISTRIBUTION}'s: "
    if owners:
        other, version = owners[0]
        return (
            head + f"it belongs to the distribution '{other}' {version}, which installs the same "
            f"import "
            f"name; fix: pip uninstall {other} && pip install --force-reinstall {DISTRIBUTION} "
            "(or keep the two in separate virtual environments)"
        )
    return (
        head + "a folder of that name comes first on sys.path (the current directory or "
        "PYTHONPATH); fix: rename that folder, or run from another directory"
    )


def _location(module: object) -> Path:
    file = getattr(module, "__file__", None)
    if file:
        return Path(file).resolve().parent
    return Path(next(iter(getattr(module, "__path__", [])), "?")).resolve()


def _owners(folder: Path) -> list[tuple[str, str]]:
    """Names and versions of the installed distributions whose files include `folder`'s
    package: read only on the failure path, since it walks every installed RECORD."""
    from importlib import metadata

    found = []
    for dist in metadata.distributions():
        for file in dist.files or ():
            if file.parts == ("conformance", "__init__.py") and _at(dist, file) == folder:
                found.append((dist.metadata["Name"], dist.version))
                break
    return found


def _at(dist: Any, file: Any) -> Path:
    return Path(str(dist.locate_file(file))).resolve().parent


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def main() -> int:
    """The `syncpeng` console script: the command itself, once `conformance` is ours."""
    problem = shadowing_problem()
    if problem is not None:
        print(f"syncpeng: error: {problem}", file=sys.stderr)
        return 2
    from conformance.cli import main as syncpeng

    return syncpeng()
