"""Reading the files a user writes (JSON, TOML), with messages that name file, line and field."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from conformance.connector.contract import Settings, parse_settings
from conformance.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def read_json_object(path: Path, *, required: bool = True) -> dict[str, Any] | None:
    """Read a JSON object, reporting file, line and column on a syntax error."""
    if not path.exists():
        if required:
            raise InputError(f"{path}: file not found")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({one_line(exc)})") from None
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
        raise InputError(f"{path}: cannot be read ({one_line(exc)})") from None
    return parse_settings(data, str(path))


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
