"""What a valid cat write looks like, checked strictly so sloppy connectors get a 400.

Each rule mirrors a mistake connectors really make: sending ``age`` as ``"3"`` or ``true``,
``fluffiness`` as ``50.0``, echoing ``id``/``lastModified`` back in a PATCH, or reshaping
``toys``. Errors name the offending field so a conformance failure points at the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FIELDS = ("name", "sex", "age", "fluffiness", "toys", "notes")
READ_ONLY = ("id", "lastModified")


class InvalidCat(ValueError):
    """A write body the API refuses; the message is the ``error`` text of the 400."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _name(value: Any) -> Any:
    if not isinstance(value, str) or not 1 <= len(value) <= 100:
        raise InvalidCat("name must be a string of 1-100 characters")
    return value


def _sex(value: Any) -> Any:
    if value not in ("female", "male") or not isinstance(value, str):
        raise InvalidCat('sex must be "female" or "male"')
    return value


def _int_range(field: str, low: int, high: int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not _is_int(value) or not low <= value <= high:
            raise InvalidCat(f"{field} must be an integer from {low} to {high}")
        return value

    return check


def _toys(value: Any) -> Any:
    if not isinstance(value, list):
        raise InvalidCat('toys must be an array of objects {"name": string}')
    for i, toy in enumerate(value):
        if not isinstance(toy, dict) or set(toy) != {"name"}:
            raise InvalidCat(f'toys[{i}] must be an object with exactly the key "name"')
        if not isinstance(toy["name"], str):
            raise InvalidCat(f"toys[{i}].name must be a string")
    return [{"name": toy["name"]} for toy in value]


def _notes(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise InvalidCat("notes must be a string or null")
    return value


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "sex": _sex,
    "age": _int_range("age", 0, 30),
    "fluffiness": _int_range("fluffiness", 0, 100),
    "toys": _toys,
    "notes": _notes,
}


def validate_cat(body: Any, *, creating: bool) -> dict[str, Any]:
    """Check a POST (``creating``) or PATCH body; return the fields to store, in canonical order.

    Reports the first problem in body order, so the message is deterministic. Absent optional
    fields stay absent: the API never invents defaults.
    """
    if not isinstance(body, dict):
        raise InvalidCat("body must be a JSON object")
    for key, value in body.items():
        if key in READ_ONLY:
            raise InvalidCat(f"{key} is read-only and must not be sent")
        check = _CHECKS.get(key)
        if check is None:
            raise InvalidCat(f"unknown field: {key}")
        check(value)
    if creating and "name" not in body:
        raise InvalidCat("name is required")
    return {key: _CHECKS[key](body[key]) for key in FIELDS if key in body}
