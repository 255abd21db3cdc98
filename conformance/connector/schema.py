"""schema.json: validated once at load time, then asked which fields are writable.

We support the JSON Schema subset that describes business records (objects of scalars, enums,
nullable fields and arrays of small objects). A schema outside the subset is an InputError
naming the JSON pointer, not a crash mid-run. Kept free of hypothesis so that loading a
connector (the CLI's every command) stays fast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.errors import InputError

_SCALARS = {"string", "integer", "number", "boolean", "null"}
_SUPPORTED_KEYS = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "readOnly",
    "title", "description", "$schema", "$id", "format", "default", "examples",
}  # fmt: skip


@dataclass(frozen=True)
class Schema:
    """A validated record schema: which fields the harness may write and which it must ignore."""

    raw: Mapping[str, Any]
    properties: Mapping[str, Mapping[str, Any]]
    required: frozenset[str]
    read_only: frozenset[str]

    @property
    def writable(self) -> tuple[str, ...]:
        return tuple(name for name in self.properties if name not in self.read_only)

    def comparable(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The part of a record a comparison may look at: server-set fields vary by design."""
        return {k: v for k, v in record.items() if k not in self.read_only}


def parse_schema(data: Mapping[str, Any], source: str) -> Schema:
    """Validate schema.json (JSON Schema itself, then our subset) and index it."""
    from jsonschema import exceptions, validators

    try:
        validators.validator_for(data).check_schema(data)
    except exceptions.SchemaError as exc:
        pointer = "/" + "/".join(str(p) for p in exc.path) if exc.path else "the top level"
        raise InputError(f"{source}: not a valid JSON Schema at {pointer}: {exc.message}") from None
    if data.get("type") != "object" or not isinstance(data.get("properties"), dict):
        raise InputError(
            f'{source}: a record schema must have "type": "object" and a "properties" table'
        )
    for name, prop in data["properties"].items():
        _check_subset(prop, f"{source}#/properties/{name}")
    read_only = frozenset(n for n, p in data["properties"].items() if p.get("readOnly") is True)
    required = frozenset(data.get("required", ()))
    return Schema(raw=data, properties=data["properties"], required=required, read_only=read_only)


def _check_subset(node: Any, where: str) -> None:
    if not isinstance(node, dict):
        raise InputError(f"{where}: must be an object")
    unsupported = set(node) - _SUPPORTED_KEYS
    if unsupported:
        raise InputError(
            f"{where}: uses {', '.join(sorted(unsupported))}, which the record generator does not "
            "support; describe the field with type, enum, bounds, items and properties"
        )
    if "enum" in node and not node["enum"]:
        raise InputError(f"{where}: an empty enum allows no value; list at least one")
    if "enum" in node or "const" in node:
        return
    types = _types(node, where)
    _check_satisfiable(node, types, where)
    if "array" in types:
        if "items" not in node:
            raise InputError(f'{where}: an array needs "items"')
        _check_subset(node["items"], where + "/items")
    if "object" in types:
        for name, prop in node.get("properties", {}).items():
            _check_subset(prop, f"{where}/properties/{name}")


# (lower bound, upper bound, what they bound): a pair the generator must be able to meet.
_BOUNDS = (("minimum", "maximum", "value"), ("minLength", "maxLength", "length"),
           ("minItems", "maxItems", "number of items"))  # fmt: skip


def _check_satisfiable(node: Mapping[str, Any], types: list[str], where: str) -> None:
    """Bounds no value can meet: the generator would fail inside hypothesis, far from the
    field that caused it. Said here instead, with the field and the two numbers."""
    for low, high, what in _BOUNDS:
        lo, hi = node.get(low), node.get(high)
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            raise InputError(
                f"{where}: {low} {lo:g} is greater than {high} {hi:g}, so no {what} satisfies "
                "it; swap or fix the bounds"
            )
    lo, hi = node.get("minimum"), node.get("maximum")
    bounded = isinstance(lo, int | float) and isinstance(hi, int | float)
    if types == ["integer"] and bounded and math.ceil(lo) > math.floor(hi):
        raise InputError(
            f"{where}: no integer lies between minimum {lo:g} and maximum {hi:g}; widen the bounds"
        )


def _types(node: Mapping[str, Any], where: str) -> list[str]:
    raw = node.get("type")
    if raw is None:
        raise InputError(f'{where}: needs a "type" (or "enum"/"const") to generate values')
    types = [raw] if isinstance(raw, str) else list(raw)
    unknown = set(types) - _SCALARS - {"array", "object"}
    if unknown:
        raise InputError(f"{where}: unsupported type {sorted(unknown)}")
    return types
