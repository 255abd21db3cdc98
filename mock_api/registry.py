"""Finding a mock by name, so harness settings can say ``mock = "cats"`` or point at a
project's own ``"package.module:factory"`` without code changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from mock_api.base import MockAPI
from mock_api.cats import CatsAPI

MockFactory = Callable[..., MockAPI]
"""Takes keyword arguments such as ``tokens=`` and returns a fresh API object."""

BUNDLED: dict[str, MockFactory] = {"cats": CatsAPI}


def load_mock(spec: str) -> MockFactory:
    """Resolve a bundled name or ``"module:attr"`` to a factory; ``LookupError`` otherwise.

    Errors are one line and list the bundled names, since this usually surfaces as a typo in a
    config file.
    """
    names = ", ".join(sorted(BUNDLED))
    if not isinstance(spec, str) or not spec.strip():
        raise LookupError(f"mock spec must be a bundled name ({names}) or 'module:factory'")
    spec = spec.strip()
    if spec in BUNDLED:
        return BUNDLED[spec]
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise LookupError(f"unknown mock {spec!r}: expected one of {names}, or 'module:factory'")
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise LookupError(f"mock {spec!r}: cannot import {module_name!r} ({exc})") from exc
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise LookupError(f"mock {spec!r}: {module_name!r} has no attribute {attr!r}") from None
    if not callable(target):
        raise LookupError(f"mock {spec!r}: {attr!r} is not callable")
    return target
