"""in.json: the inputs `syncpeng <command>` passes to the connector, one block per method.

The file's top level is keyed by command, as in the seed's CLI, so an author keeps inputs for
every method side by side::

    {"init": {}, "get": {"id": "..."}, "insert": {"value": {...}},
     "patch": {"id": "...", "value": {...}}, "delete": {"id": "..."},
     "getupdates": {"lastSync": null}}

Everything is checked before the connector is called: a missing block or key, or a value of the
wrong type, is an `InputError` naming the file, the block and the key, with the fix. Keys that
are not read are reported back as warnings (a misspelt "lastsync" would otherwise be ignored).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.errors import InputError

# command -> (connector method, keys of its in.json block in argument order)
COMMANDS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "get": ("get", ("id",)),
    "insert": ("insert", ("value",)),
    "patch": ("patch", ("id", "value")),
    "delete": ("delete", ("id",)),
    "getupdates": ("get_updates", ("lastSync",)),
}

_EXAMPLES = {
    "id": '"<a record id, e.g. one returned by insert>"',
    "value": '{"name": "Oliver", ...}',
    "lastSync": "null (a first sync) or a nextSync returned by getupdates",
}


@dataclass(frozen=True)
class MethodInput:
    """What one command passes to the connector, plus anything worth a warning."""

    method: str
    args: tuple[Any, ...]
    warnings: tuple[str, ...] = field(default=())


def method_input(
    inputs: Mapping[str, Any] | None,
    command: str,
    where: Path,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> MethodInput:
    """The arguments for `command` from its block in in.json (`overrides` win, e.g. --id)."""
    method, keys = COMMANDS[command]
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    needs_file = any(key not in overrides for key in keys)
    if inputs is None:
        if needs_file:
            raise InputError(
                f"{where}: file not found; it holds the inputs of each command, e.g. "
                f'{{"{command}": {_block_example(keys)}}} (syncpeng init -d writes one)'
            )
        block: Mapping[str, Any] = {}
    else:
        block = _block(inputs, command, where, keys, required=needs_file)
    args = []
    for key in keys:
        if key in overrides:
            args.append(overrides[key])
            continue
        if key not in block:
            raise InputError(
                f'{where}: the "{command}" block has no "{key}"{_did_you_mean(key, block)}; '
                f'add "{key}": {_EXAMPLES[key]}'
            )
        args.append(_checked(block[key], command, key, where))
    unknown = [k for k in block if k not in keys]
    warnings = tuple(
        f'{where}: "{command}"."{k}" is not read by {command} (it reads '
        f"{', '.join(repr(x) for x in keys)}){_did_you_mean(k, keys, missing=False)}"
        for k in unknown
    )
    return MethodInput(method=method, args=tuple(args), warnings=warnings)


def init_block(inputs: Mapping[str, Any] | None, where: Path) -> dict[str, Any]:
    """in.json's optional "init" block: merged over account.json before init is called."""
    if inputs is None or "init" not in inputs:
        return {}
    block = inputs["init"]
    if not isinstance(block, Mapping):
        raise InputError(
            f'{where}: "init" must be an object of account settings, found {_kind(block)}'
        )
    return dict(block)


def _block(
    inputs: Mapping[str, Any], command: str, where: Path, keys: tuple[str, ...], *, required: bool
) -> Mapping[str, Any]:
    if command not in inputs:
        if not required:
            return {}
        raise InputError(
            f'{where}: no "{command}" block{_did_you_mean(command, inputs)}; '
            f'add "{command}": {_block_example(keys)}'
        )
    block = inputs[command]
    if not isinstance(block, Mapping):
        raise InputError(
            f'{where}: "{command}" must be an object like {_block_example(keys)}, '
            f"found {_kind(block)}"
        )
    return block


def _checked(value: Any, command: str, key: str, where: Path) -> Any:
    if key == "id" and (not isinstance(value, str) or not value):
        hint = f'; write it as a string: "{value}"' if isinstance(value, int) else ""
        raise InputError(
            f'{where}: "{command}"."id" must be a non-empty string, found {_kind(value)}{hint}'
        )
    if key == "value" and not isinstance(value, Mapping):
        raise InputError(
            f'{where}: "{command}"."value" must be an object of record fields, found {_kind(value)}'
        )
    return value


def _block_example(keys: tuple[str, ...]) -> str:
    return "{" + ", ".join(f'"{k}": {_EXAMPLES[k].split(" (")[0]}' for k in keys) + "}"


def _did_you_mean(name: str, candidates: Any, *, missing: bool = True) -> str:
    """A hint when a near spelling of `name` is among `candidates` (or vice versa)."""
    names = [str(c) for c in candidates if str(c) != name]
    same_but_case = [c for c in names if c.lower() == name.lower()]
    close = same_but_case or difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        return ""
    if not missing:
        return f'; did you mean "{close[0]}"?'
    why = "keys are case-sensitive" if same_but_case else "a misspelling?"
    return f' (found "{close[0]}": {why}; rename it to "{name}")'


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    for kind, name in names.items():
        if type(value) is kind:
            return f"{name} ({value!r})" if kind is not str else f"a string ({value!r})"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
