"""Hypothesis strategies for the records a connector writes, derived from its schema.json.

We generate the supported schema subset (connector/schema.py) directly: hypothesis-jsonschema is
unmaintained, slow on such schemas and lacks formats like uuid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from conformance.connector.schema import Schema

# --- strategies ---------------------------------------------------------------------------


def value_strategy(node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    types = [node["type"]] if isinstance(node["type"], str) else node["type"]
    return st.one_of([_typed(t, node) for t in types])


_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


def _typed(kind: str, node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(node.get("minimum"), node.get("maximum"))
    if kind == "number":
        return st.floats(
            node.get("minimum"), node.get("maximum"), allow_nan=False, allow_infinity=False
        )
    if kind == "string":
        shortest = node.get("minLength", 0)  # a default cap never undercuts the schema's minimum
        return st.text(_TEXT, min_size=shortest, max_size=node.get("maxLength", max(40, shortest)))
    if kind == "array":
        fewest = node.get("minItems", 0)
        return st.lists(
            value_strategy(node["items"]),
            min_size=fewest,
            max_size=node.get("maxItems", max(4, fewest)),
        )
    return object_strategy(node)


def object_strategy(node: Mapping[str, Any], *, all_fields: bool = False) -> st.SearchStrategy:
    props = {
        name: prop for name, prop in node.get("properties", {}).items() if not prop.get("readOnly")
    }
    required = set(node.get("required", ())) & set(props)
    fixed = {n: value_strategy(p) for n, p in props.items() if all_fields or n in required}
    optional = {n: value_strategy(p) for n, p in props.items() if n not in fixed}
    return st.fixed_dictionaries(fixed, optional=optional)


def records(schema: Schema, *, all_fields: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """New records with writable fields only; `all_fields` fills every one (patch baselines)."""
    return object_strategy(schema.raw, all_fields=all_fields)


def patches(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    """A non-empty subset of writable fields with new values, as the platform sends to patch."""
    writable = schema.writable
    if not writable:
        return st.nothing()
    return (
        st.lists(st.sampled_from(writable), min_size=1, max_size=len(writable), unique=True)
        .map(sorted)
        .flatmap(
            lambda names: st.fixed_dictionaries(
                {n: value_strategy(schema.properties[n]) for n in names}
            )
        )
    )
