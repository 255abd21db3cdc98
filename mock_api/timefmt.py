"""Timestamps on the wire: one format out, a few tolerated spellings in.

The server writes every timestamp (``lastModified``, ``X-Server-Time``) as RFC 3339 UTC with
exactly three fractional digits, so connectors can compare them as strings and round-trip them
into ``q=lastModified ge ...`` without losing precision. Internally time is integer
milliseconds since the epoch, which keeps ordering exact and avoids float rounding.
"""

from __future__ import annotations

import calendar
import re
import time

_TS = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(Z|[+-]\d{2}:\d{2})\Z"
)


def format_ms(ms: int) -> str:
    """Render epoch milliseconds in the server's canonical form, e.g. ``2019-04-22T14:01:54.123Z``.

    Integer arithmetic (not ``datetime.fromtimestamp``) so the millisecond is never rounded.
    """
    secs, frac = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{frac:03d}Z"


def parse_ms(text: str) -> int:
    """Parse a client-supplied timestamp back to epoch milliseconds.

    Accepts the canonical form plus the spellings connectors commonly produce from it: no
    fractional part, or a numeric offset such as ``+00:00``. More than three fractional digits
    is rejected rather than truncated, because truncation would silently change what ``gt``
    means at the boundary. Raises ``ValueError`` on anything else.
    """
    m = _TS.match(text)
    if m is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        raise ValueError(f"invalid date in timestamp: {text!r}")
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"invalid time in timestamp: {text!r}")
    frac = int(m.group(7) or 0)
    zone = m.group(8)
    offset_min = 0
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        zh, zm = int(zone[1:3]), int(zone[4:6])
        if zh > 23 or zm > 59:
            raise ValueError(f"invalid UTC offset in timestamp: {text!r}")
        offset_min = sign * (zh * 60 + zm)
    secs = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    return (secs - offset_min * 60) * 1000 + frac
