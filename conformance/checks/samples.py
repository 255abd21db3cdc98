"""Deterministic records from schema.json, for scripted scenarios (faults and errors).

Property checks draw records from hypothesis; a scripted fault scenario wants plain, readable
values it can name in a failure (`cat-3`), different for each index, valid by construction, and
some that are invalid in one known way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.connector.schema import Schema


def sample_value(node: Mapping[str, Any], i: int) -> Any:
    """A valid value for `node`, varying with `i`."""
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][i % len(node["enum"])]
    types = [node["type"]] if isinstance(node["type"], str) else list(node["type"])
    kind = next((t for t in types if t != "null"), "null")
    if kind == "string":
        text = f"cat-{i}"
        low, high = node.get("minLength", 0), node.get("maxLength")
        text = text.ljust(low, "x")
        return text[:high] if high is not None else text
    if kind in ("integer", "number"):
        low, high = node.get("minimum", 0), node.get("maximum", 1_000_000)
        span = int(high) - int(low) + 1
        return int(low) + i % max(span, 1)
    if kind == "boolean":
        return i % 2 == 1
    if kind == "array":
        count = max(node.get("minItems", 0), 1 if i % 2 else 0)
        count = min(count, node.get("maxItems", count))
        return [sample_value(node["items"], i + k) for k in range(count)]
    if kind == "object":
        props = node.get("properties", {})
        return {
            name: sample_value(prop, i)
            for name, prop in props.items()
            if name in node.get("required", ()) and not prop.get("readOnly")
        }
    return None


def sample_record(schema: Schema, i: int) -> dict[str, Any]:
    """Every writable field set (so a later patch has something to change)."""
    return {name: sample_value(schema.properties[name], i) for name in schema.writable}


def change_for(schema: Schema, i: int) -> dict[str, Any]:
    """A patch of the first two writable fields, to values from index `i`."""
    return {name: sample_value(schema.properties[name], i) for name in schema.writable[:2]}


def invalid_records(schema: Schema) -> list[tuple[str, dict[str, Any]]]:
    """Records a schema-respecting API must refuse, each with what is wrong with it."""
    base = sample_record(schema, 1)
    found: list[tuple[str, dict[str, Any]]] = []
    for name in sorted(schema.required & set(schema.writable)):
        found.append(
            (f"required field {name!r} missing", {k: v for k, v in base.items() if k != name})
        )
    for name in schema.writable:
        prop = schema.properties[name]
        if "enum" in prop:
            found.append((f"{name!r} outside its enum", {**base, name: "not-one-of-the-enum"}))
            continue
        types = {prop.get("type")} if isinstance(prop.get("type"), str) else set(prop["type"])
        if types & {"integer", "number"} and "string" not in types:
            found.append((f"{name!r} is a string, not a number", {**base, name: "seven"}))
        elif "string" in types and not types & {"integer", "number"}:
            found.append((f"{name!r} is a number, not a string", {**base, name: 7}))
    return found
