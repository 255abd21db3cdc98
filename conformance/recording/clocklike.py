"""Does a replayed request miss its cassette only because it carries another time?

A connector that puts a time it read into a request (`_since=<now>`, a `modifiedAfter` date)
makes a request the cassette cannot answer whenever that time is not handed back from the
recording: a clock the harness does not own (docs/runtimes.md), or a cassette made before clock
reads were recorded. "Re-record" alone is then poor advice, so the miss message says what
differs. Pure functions over plain request dicts (`method`, `url`, `body`), so any replay engine
can ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

# Epoch seconds, milliseconds, microseconds or nanoseconds (10, 13, 16 or 19 digits, optionally
# with a fraction), and ISO 8601 date-times; never part of a longer run of digits.
CLOCK_SHAPED = re.compile(
    r"(?<![\d.])(?:\d{10}|\d{13}|\d{16}|\d{19})(?:\.\d+)?(?![\d.])"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def clock_shaped_difference(
    request: Mapping[str, Any], recorded: Iterable[Mapping[str, Any]]
) -> tuple[str, str] | None:
    """(the value in `request`, the value recorded there) for the first recorded request that
    differs from `request` only in clock-shaped values, or None when none does."""
    shape, values = _shape(request)
    if not values:
        return None
    for other in recorded:
        other_shape, other_values = _shape(other)
        if other_shape != shape or other_values == values:
            continue
        for mine, theirs in zip(values, other_values, strict=True):
            if mine != theirs:
                return mine, theirs
    return None


def clock_note(request: Mapping[str, Any], recorded: Iterable[Mapping[str, Any]]) -> str:
    """What to add to a miss message: "" unless the request differs only in a time."""
    found = clock_shaped_difference(request, recorded)
    if found is None:
        return ""
    sent, kept = found
    return (
        f"; it differs from a recorded request only in a clock-shaped value ({sent} where the "
        f"cassette has {kept}): the connector sent a time it read from a clock the harness does "
        "not hand back (docs/runtimes.md lists the clocks it owns), or the cassette predates "
        "recorded clock reads"
    )


def _shape(request: Mapping[str, Any]) -> tuple[tuple[str, str, str], list[str]]:
    """The request with every clock-shaped value replaced by a placeholder, and those values."""
    body = request.get("body", "")
    texts = [str(request.get("method", "")).upper(), unquote(str(request.get("url", "")))]
    texts.append(body if isinstance(body, str) else repr(body))
    values: list[str] = []
    shaped = []
    for text in texts:
        values += CLOCK_SHAPED.findall(text)
        shaped.append(CLOCK_SHAPED.sub("\0", text))
    return (shaped[0], shaped[1], shaped[2]), values
