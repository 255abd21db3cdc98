"""Turn what the user named with --connector into a `ConnectorSpec` the checks can run.

A connector is a folder holding a module file (plus account.json, schema.json and
conformance.toml), a path to a module file, or an importable Python module name. Every file is
read and validated here, once, so that a bad file is reported before any check runs and in one
place. Which runtime runs the module is decided by its file name, in `RUNTIMES`; the checks
only ever see the `Connector` a runtime creates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from conformance.connector.accounts import AccountOptions, AccountSource, resolve_account
from conformance.connector.contract import Connector, Settings
from conformance.connector.files import read_json_object, read_settings
from conformance.connector.schema import Schema, parse_schema
from conformance.errors import InputError
from conformance.runtime import node, python, python_process


class Runtime(Protocol):
    """Runs connector code of one language: each `create()` is a fresh execution scope."""

    def create(self) -> Connector: ...


# The module file a connector folder holds, and how it is loaded: (module file, where) -> runtime.
RUNTIMES: dict[str, Callable[[Path, str], Runtime]] = {
    python.MODULE_FILE: python_process.load_file,
    **{name: node.load_file for name in node.MODULE_FILES},
}
MODULE_FILES = tuple(RUNTIMES)


@dataclass
class ConnectorSpec:
    """Everything the harness knows about one connector before running it."""

    name: str
    source: Path | None
    folder: Path | None
    runtime: Runtime
    account: dict[str, Any] = field(default_factory=dict)
    schema: Schema | None = None
    settings: Settings = field(default_factory=Settings)
    account_source: AccountSource = field(default_factory=lambda: AccountSource("none"))

    def create(self) -> Connector:
        """A fresh instance: one execution scope, as the platform makes one per sync."""
        return self.runtime.create()


def method_names(spec: ConnectorSpec) -> dict[str, str]:
    """The module's own spelling of each method the harness names (`get_updates` ->
    `getUpdates` for NodeJS), as its runtime declares it; {} keeps the harness's names."""
    return dict(getattr(spec.runtime, "method_names", {}))


def load_connector(
    target: str, *, cwd: Path | None = None, accounts: AccountOptions | None = None
) -> ConnectorSpec:
    """Resolve a folder, module file or module name into a validated spec.

    `accounts` says where accounts may come from besides the folder (see accounts.py).
    """
    cwd = cwd or Path.cwd()
    spec = _load(target, cwd)
    if spec.folder is not None:
        schema_data = read_json_object(spec.folder / "schema.json", required=False)
        if schema_data is not None:
            spec.schema = parse_schema(schema_data, str(spec.folder / "schema.json"))
        spec.settings = read_settings(spec.folder / "conformance.toml")
    spec.account, spec.account_source = resolve_account(spec.name, spec.folder, accounts)
    return spec


def _load(target: str, cwd: Path) -> ConnectorSpec:
    path = (cwd / target).resolve() if not Path(target).is_absolute() else Path(target)
    if path.is_dir():
        found = [path / name for name in MODULE_FILES if (path / name).is_file()]
        if not found:
            raise InputError(
                f"{target}: the folder has no {' or '.join(MODULE_FILES)}; a connector folder "
                f"holds {python.MODULE_FILE} with a DataSource class (syncpeng init -d creates one)"
            )
        if len(found) > 1:
            raise InputError(
                f"{target}: the folder holds {' and '.join(f.name for f in found)}; keep one "
                "module file per connector folder"
            )
        return _from_file(found[0], path, path.name)
    loader = _loader_for(path)
    if loader is not None:
        if not path.is_file():
            raise InputError(f"{target}: no such file")
        name = path.parent.name if path.name in RUNTIMES else path.stem
        return _from_file(path, path.parent, name)
    if all(part.isidentifier() for part in target.split(".")):
        runtime, source, folder = python.load_module(target)
        return ConnectorSpec(name=runtime.name, source=source, folder=folder, runtime=runtime)
    raise InputError(
        f"{target}: no such folder, .py file or importable module; "
        "pass --connector=path/to/connector_folder"
    )


def _loader_for(path: Path) -> Callable[[Path, str], Runtime] | None:
    """The runtime for a module file named directly: by its name, else by its suffix."""
    if path.name in RUNTIMES:
        return RUNTIMES[path.name]
    by_suffix = {Path(name).suffix: load for name, load in RUNTIMES.items()}
    return by_suffix.get(path.suffix)


def _from_file(module_file: Path, folder: Path, name: str) -> ConnectorSpec:
    runtime = _loader_for(module_file)(module_file, name)  # type: ignore[misc]
    return ConnectorSpec(name=name, source=module_file, folder=folder, runtime=runtime)
