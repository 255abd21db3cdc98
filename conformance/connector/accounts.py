"""Where a connector's account (the object passed to `init`) comes from, and saying which.

account.json holds real credentials, so it stays out of git. A clean clone (a pull request's CI)
therefore has only the committed account.example.json, which is enough to replay cassettes or
talk to the mock; live and record runs get the real account from outside the repository:

1. `--connector-account NAME=FILE` (this connector) or `--connector-account FILE` (every connector:
   handy with one connector);
2. the environment variable `CONFORMANCE_ACCOUNT_<NAME>` holding one JSON object, NAME being the
   connector's name upper-cased with every other character than A-Z and 0-9 turned into `_`
   (connector `hub-spot` -> `CONFORMANCE_ACCOUNT_HUB_SPOT`). One variable per connector maps
   one-to-one onto one repository secret per connector, so a fleet of hundreds rotates each
   credential on its own and a job sees only the secrets it names;
3. account.json beside the connector, then account.example.json.

The first that exists wins. `AccountSource.describe()` names the source for the pytest header and
the reports; the values themselves are never printed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.errors import InputError

ENV_PREFIX = "CONFORMANCE_ACCOUNT_"
ACCOUNT_FILE = "account.json"
EXAMPLE_FILE = "account.example.json"


def env_name(connector: str) -> str:
    """The environment variable that may hold `connector`'s account."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", connector.upper())


@dataclass(frozen=True)
class AccountSource:
    kind: str  # option | env | file | example | none
    where: str = ""

    def describe(self) -> str:
        return {
            "option": f"--connector-account {self.where}",
            "env": f"environment variable {self.where}",
            "file": self.where,
            "example": f"{self.where} (example account: fine for mock and replay, not live)",
            "none": "no account (no account.json or account.example.json beside it)",
        }[self.kind]

    @property
    def is_real(self) -> bool:
        """Whether the account came from outside the repository (what live runs need)."""
        return self.kind in ("option", "env", "file")


@dataclass(frozen=True)
class AccountOptions:
    """What the user said on the command line and in the environment."""

    files: Sequence[str] = ()  # "FILE" or "NAME=FILE", as given to --connector-account
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    cwd: Path | None = None

    def __post_init__(self) -> None:
        plain = [f for f in self.files if not _named(f)]
        if len(plain) > 1:
            raise InputError(
                f"--connector-account given {len(plain)} files without a connector name "
                f"({', '.join(plain)}); name each one: --connector-account NAME=FILE"
            )


def _named(value: str) -> tuple[str, str] | None:
    name, sep, path = value.partition("=")
    if sep and name and "/" not in name and os.sep not in name:
        return name, path
    return None


def resolve_account(
    name: str, folder: Path | None, options: AccountOptions | None = None
) -> tuple[dict[str, Any], AccountSource]:
    """The account for connector `name` (whose files sit in `folder`) and where it came from."""
    from conformance.connector.files import read_json_object

    options = options or AccountOptions()
    cwd = options.cwd or Path.cwd()
    plain: str | None = None
    for value in options.files:
        named = _named(value)
        if named is None:
            plain = value
        elif named[0] == name:
            return _from_option(named[1], cwd, value)
    if plain is not None:
        return _from_option(plain, cwd, plain)
    variable = env_name(name)
    if variable in options.environ:
        return _from_env(variable, options.environ[variable]), AccountSource("env", variable)
    if folder is not None:
        for filename, kind in ((ACCOUNT_FILE, "file"), (EXAMPLE_FILE, "example")):
            data = read_json_object(folder / filename, required=False)
            if data is not None:
                return data, AccountSource(kind, _shown(folder / filename, cwd))
    return {}, AccountSource("none")


def _from_option(path: str, cwd: Path, given: str) -> tuple[dict[str, Any], AccountSource]:
    from conformance.connector.files import read_json_object

    file = Path(path) if Path(path).is_absolute() else cwd / path
    if not file.is_file():
        raise InputError(
            f"--connector-account {given}: no such file {path}; pass a JSON file holding "
            "the account object"
        )
    data = read_json_object(file)
    assert data is not None
    return data, AccountSource("option", given)


def _from_env(variable: str, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Never echo the value: it is a secret.
        raise InputError(
            f"environment variable {variable}: invalid JSON at line {exc.lineno} column "
            f"{exc.colno} ({exc.msg}); it must hold the account as one JSON object"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"environment variable {variable}: must hold a JSON object, found {type(data).__name__}"
        )
    return data


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)
