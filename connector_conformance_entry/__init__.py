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
        other = _shadow(_found_folder())
        if other:
            return other
        reason = (str(exc).strip().splitlines() or [""])[0]
        return (
            f"the Python package 'conformance' cannot be imported ({type(exc).__name__}: "
            f"{reason}); fix: pip install --force-reinstall {DISTRIBUTION}"
        )
    if getattr(conformance, MARKER, None) == DISTRIBUTION:
        return None
    where = _location(conformance)
    return _shadow(where) or (
        f"the Python package 'conformance' imported from {where} is not {DISTRIBUTION}'s: a "
        "folder of that name comes first on sys.path (the current directory or PYTHONPATH); "
        "fix: rename that folder, or run from another directory"
    )


def _shadow(where: Path | None) -> str | None:
    """The message naming the other distribution that installed `where`, if one did."""
    if where is None:
        return None
    owners = [(n, v) for n, v in _owners(where) if _canonical(n) != DISTRIBUTION]
    if not owners:
        return None
    other, version = owners[0]
    return (
        f"the Python package 'conformance' imported from {where} is not {DISTRIBUTION}'s: it "
        f"belongs to the distribution '{other}' {version}, which installs the same import name; "
        f"fix: pip uninstall {other} && pip install --force-reinstall {DISTRIBUTION} "
        "(or keep the two in separate virtual environments)"
    )


def _found_folder() -> Path | None:
    """Where `conformance` would be imported from, without importing it (which just failed)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("conformance")
    except Exception:  # a broken parent or finder: nothing to name
        return None
    return Path(spec.origin).resolve().parent if spec and spec.origin else None


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
