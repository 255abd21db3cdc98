"""A JSON Schema inferred from the records an API returned, shown beside the declared one.

In the Run view, what a module returned is read against schema.json (records.schema's own
`violations`); the inferred schema is the other half, as Airbyte's Connector Builder shows it:
what the records look like, field by field, so a field declared `string` that comes back as a
number, or a field the schema never declared, can be seen at a glance. Genson's way, small:
types are merged across records, a field is `required` when every record had it, arrays merge
their items' schemas.
"""

from __future__ import annotations

from typing import Any

_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


def infer(records: list[Any]) -> dict[str, Any]:
    """One schema for all of `records` ({} when there are none)."""
    schema: dict[str, Any] = {}
    for record in records:
        schema = merge(schema, of(record))
    return schema


def of(value: Any) -> dict[str, Any]:
    if value is None:
        return {"type": "null"}
    if isinstance(value, dict):
        return {
            "type": "object",
            "properties": {str(k): of(v) for k, v in value.items()},
            "required": sorted(str(k) for k in value),
        }
    if isinstance(value, list):
        items: dict[str, Any] = {}
        for item in value:
            items = merge(items, of(item))
        return {"type": "array", "items": items} if items else {"type": "array"}
    for kind, name in _TYPES:
        if isinstance(value, kind):
            return {"type": name}
    return {}


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The schema both `a` and `b` fit; {} (no record yet) is the identity."""
    if not a:
        return b
    if not b:
        return a
    types = sorted(set(_types(a)) | set(_types(b)))
    if "number" in types and "integer" in types:
        types.remove("integer")  # every integer is a number
    merged: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
    if "object" in types:
        pa, pb = a.get("properties", {}), b.get("properties", {})
        both_objects = "object" in _types(a) and "object" in _types(b)
        merged["properties"] = {
            name: merge(pa.get(name, {}), pb.get(name, {})) for name in {**pa, **pb}
        }
        required = set(a.get("required", ())) & set(b.get("required", ()))
        if not both_objects:  # an object merged with a scalar keeps one side's fields
            required = set(a.get("required", ()) or b.get("required", ()))
        merged["required"] = sorted(required)
    if "array" in types:
        items = merge(a.get("items", {}), b.get("items", {}))
        if items:
            merged["items"] = items
    return merged


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)
