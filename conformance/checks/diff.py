"""Field-level differences, worded for a connector author reading a failure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from conformance.shown import shown

_MISSING = object()


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(absent)"
    return shown(value)


def field_diff(
    expected: Mapping[str, Any], actual: Mapping[str, Any] | None, fields: Iterable[str]
) -> list[str]:
    """Lines `field: expected X, read back Y` for each field that differs."""
    actual = actual or {}
    lines = []
    for name in fields:
        want = expected.get(name, _MISSING)
        got = actual.get(name, _MISSING)
        if _empty(want) and _empty(got):
            continue  # many APIs omit null fields and empty lists: all carry the same nothing
        if not _same(want, got):
            lines.append(f"  {name}: expected {_show(want)}, read back {_show(got)}")
    return lines


def _empty(value: Any) -> bool:
    """Absent, null or an empty list: what an API may write back as any other of the three."""
    return value is _MISSING or value is None or (isinstance(value, list) and not value)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0 as the platform's JSON would have it, but True != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def same_json(a: Any, b: Any) -> bool:
    return _same(a, b)
