"""Turn what the user named with --connector into a `ConnectorSpec` the checks can run.

A connector is a folder holding dataSourceApp.py (plus account.json, schema.json and
conformance.toml), a path to a .py file, or an importable module name. Every file is read and
validated here, once, so that a bad file is reported before any check runs and in one place.
Other runtimes (the seed's NodeJS modules) plug in later by returning another `Connector`.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from conformance.accounts import AccountOptions, AccountSource, resolve_account
from conformance.contract import METHODS, Connector, Settings, parse_settings
from conformance.errors import InputError
from conformance.schema import Schema, parse_schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MODULE_FILE = "dataSourceApp.py"
ALIASES = {"get_updates": ("get_updates", "getUpdates")}


@dataclass
class ConnectorSpec:
    """Everything the harness knows about one connector before running it."""

    name: str
    source: Path | None
    folder: Path | None
    factory: Callable[[], Any]
    account: dict[str, Any] = field(default_factory=dict)
    schema: Schema | None = None
    settings: Settings = field(default_factory=Settings)
    account_source: AccountSource = field(default_factory=lambda: AccountSource("none"))

    def create(self) -> Connector:
        """A fresh instance: one execution scope, as the platform makes one per sync."""
        return PythonConnector(self.factory(), self.name)


class PythonConnector:
    """Adapts a Python DataSource (sync or async methods, either spelling) to `Connector`."""

    def __init__(self, instance: Any, name: str) -> None:
        self._instance = instance
        self.name = name

    def method(self, name: str) -> Callable[..., Any] | None:
        for spelling in ALIASES.get(name, (name,)):
            found = getattr(self._instance, spelling, None)
            if callable(found):
                return found
        return None

    def missing(self) -> list[str]:
        return [name for name in METHODS if self.method(name) is None]

    async def _call(self, name: str, *args: Any) -> Any:
        method = self.method(name)
        if method is None:
            raise AttributeError(f"DataSource has no method {name}")
        if inspect.iscoroutinefunction(method):
            return await method(*args)
        result = await _in_daemon_thread(method, *args)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def init(self, account: dict[str, Any]) -> None:
        return await self._call("init", account)

    async def get(self, id: str) -> Any:
        return await self._call("get", id)

    async def insert(self, value: dict[str, Any]) -> Any:
        return await self._call("insert", value)

    async def patch(self, id: str, value: dict[str, Any]) -> Any:
        return await self._call("patch", id, value)

    async def delete(self, id: str) -> Any:
        return await self._call("delete", id)

    async def get_updates(self, last_sync: Any) -> Any:
        return await self._call("get_updates", last_sync)

    async def close(self) -> None:
        """Give the connector a chance to release clients; optional in the contract."""
        for spelling in ("aclose", "close"):
            closer = getattr(self._instance, spelling, None)
            if callable(closer):
                result = closer()
                if inspect.isawaitable(result):
                    await result
                return


async def _in_daemon_thread(func: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking method where a hang can be abandoned: a daemon thread never blocks exit."""
    import threading

    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if future.done():
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def run() -> None:
        try:
            value = func(*args)
        except BaseException as exc:  # handed to the awaiting check, not swallowed
            loop.call_soon_threadsafe(settle, False, exc)
        else:
            loop.call_soon_threadsafe(settle, True, value)

    threading.Thread(target=run, daemon=True, name=f"connector-{func.__name__}").start()
    return await future


# --- resolving a --connector value ----------------------------------------------------------


def load_connector(
    target: str, *, cwd: Path | None = None, accounts: AccountOptions | None = None
) -> ConnectorSpec:
    """Resolve a folder, .py file or module name into a validated spec.

    `accounts` says where accounts may come from besides the folder (see conformance.accounts).
    """
    cwd = cwd or Path.cwd()
    spec = _load(target, cwd)
    spec.account, spec.account_source = resolve_account(spec.name, spec.folder, accounts)
    return spec


def _load(target: str, cwd: Path) -> ConnectorSpec:
    path = (cwd / target).resolve() if not Path(target).is_absolute() else Path(target)
    if path.is_dir():
        module_file = path / MODULE_FILE
        if not module_file.is_file():
            raise InputError(
                f"{target}: the folder has no {MODULE_FILE}; a connector folder holds "
                f"{MODULE_FILE} with a DataSource class (syncpeng init -d creates one)"
            )
        return _spec_from_file(module_file, path, target)
    if path.suffix == ".py":
        if not path.is_file():
            raise InputError(f"{target}: no such file")
        return _spec_from_file(path, path.parent, target)
    if _looks_like_module(target):
        return _spec_from_module(target)
    raise InputError(
        f"{target}: no such folder, .py file or importable module; "
        "pass --connector=path/to/connector_folder"
    )


def _looks_like_module(target: str) -> bool:
    return all(part.isidentifier() for part in target.split("."))


def _spec_from_file(module_file: Path, folder: Path, target: str) -> ConnectorSpec:
    unique = f"_conformance_connector_{abs(hash(str(module_file))):x}"
    spec = importlib.util.spec_from_file_location(unique, module_file)
    if spec is None or spec.loader is None:  # pragma: no cover - only for exotic files
        raise InputError(f"{module_file}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    # A connector may import helper modules that sit beside it, as a NodeJS module requires them.
    sys.path.insert(0, str(module_file.parent))
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[unique]
        raise InputError(f"{module_file}: importing it raised {_one_line(exc)}") from None
    finally:
        sys.path.remove(str(module_file.parent))
    name = folder.name if module_file.name == MODULE_FILE else module_file.stem
    return _spec(module, str(module_file), name, module_file, folder)


def _spec_from_module(target: str) -> ConnectorSpec:
    try:
        module = importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name and target.startswith(exc.name):
            raise InputError(
                f"{target}: no such folder, .py file or importable module; "
                "pass --connector=path/to/connector_folder"
            ) from None
        raise InputError(f"{target}: importing it raised {_one_line(exc)}") from None
    except Exception as exc:
        raise InputError(f"{target}: importing it raised {_one_line(exc)}") from None
    source = Path(module.__file__) if getattr(module, "__file__", None) else None
    if source is not None and source.name == "__init__.py":
        folder = source.parent
        nested = folder / MODULE_FILE
        if nested.is_file() and not hasattr(module, "DataSource"):
            return _spec_from_file(nested, folder, target)
    folder = source.parent if source else None
    return _spec(module, target, target.rsplit(".", 1)[-1], source, folder)


def _spec(
    module: ModuleType, where: str, name: str, source: Path | None, folder: Path | None
) -> ConnectorSpec:
    factory = getattr(module, "DataSource", None)
    if factory is None or not callable(factory):
        raise InputError(
            f"{where}: defines no DataSource class; the harness instantiates "
            "DataSource() and calls init, get, insert, patch, delete and get_updates on it"
        )
    spec = ConnectorSpec(name=name, source=source, folder=folder, factory=factory)
    if folder is not None:
        schema_data = read_json_object(folder / "schema.json", required=False)
        if schema_data is not None:
            spec.schema = parse_schema(schema_data, str(folder / "schema.json"))
        spec.settings = read_settings(folder / "conformance.toml")
    return spec


def read_json_object(path: Path, *, required: bool = True) -> dict[str, Any] | None:
    """Read a JSON object, reporting file, line and column on a syntax error."""
    if not path.exists():
        if required:
            raise InputError(f"{path}: file not found")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({_one_line(exc)})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}; fix the file and run again"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: must hold a JSON object, found {type(data).__name__}")
    return data


def read_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({_one_line(exc)})") from None
    return parse_settings(data, str(path))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
