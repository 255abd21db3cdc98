"""Values and messages as the harness shows them: never so big or deep that showing them hurts.

A connector may return a 20 MB string or JSON nested 100,000 levels deep. Printed whole, one
such value made 80 MB of terminal output, and the same again in every report and JUnit file;
encoded naively, a deep value crashes the encoder. Every place that puts a connector's value or
a finding into words goes through here, so each output cuts the same way and says the size.
Standard library only: the lowest layer imports it.
"""

from __future__ import annotations

import json
from typing import Any

STRING_LIMIT = 500  # characters of one string value shown before it is cut
MESSAGE_LIMIT = 20_000  # characters of one finding or error message
DEPTH_LIMIT = 200  # levels of nesting shown; deeper than anyone reads


def cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text`, or its start and how long the whole was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [cut: {len(text):,} characters in all]"


def shown(value: Any, limit: int = MESSAGE_LIMIT) -> str:
    """A value as JSON for a person: long strings cut with their length, too deep said so."""
    try:
        text = json.dumps(
            _cut_strings(value), ensure_ascii=False, sort_keys=True, default=safe_repr
        )
    except RecursionError:
        return f"<a value nested too deeply to show (more than {DEPTH_LIMIT} levels)>"
    except (TypeError, ValueError):  # keys of mixed types, say: show what Python shows
        text = safe_repr(value)
    return cut(text, limit)


def _cut_strings(value: Any, depth: int = 0) -> Any:
    if depth > DEPTH_LIMIT:  # spares the encoder a recursion that would crash it
        raise RecursionError
    if isinstance(value, str):
        if len(value) > STRING_LIMIT:
            return f"{value[:STRING_LIMIT]}... [cut: {len(value):,} characters in all]"
        return value
    if isinstance(value, dict):
        return {k: _cut_strings(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cut_strings(v, depth + 1) for v in value]
    return value


def safe_repr(value: Any) -> str:
    """repr that cannot fail: a connector's object may raise in its own __repr__."""
    try:
        return cut(repr(value), STRING_LIMIT)
    except Exception as exc:
        return f"<{type(value).__name__} object whose repr raised {type(exc).__name__}>"
