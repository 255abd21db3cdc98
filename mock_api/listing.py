"""The query language of change listings: the ``q`` filter and the opaque paging cursor.

Keyset cursors (last seen ``(lastModified, id)``) rather than offsets, because an offset
skips a record whenever an earlier one is modified between pages; with a keyset the modified
record just reappears later with its newer ``lastModified``.
"""

from __future__ import annotations

import base64
import binascii

from mock_api.timefmt import parse_ms

Q_SYNTAX = "expected 'lastModified ge <timestamp>' or 'lastModified gt <timestamp>'"


def parse_q(q: str) -> tuple[int, bool]:
    """Parse ``lastModified ge|gt <ts>`` into ``(ms, strict)``; raises ``ValueError``."""
    parts = q.split(" ")
    if len(parts) != 3 or parts[0] != "lastModified" or parts[1] not in ("ge", "gt"):
        raise ValueError(Q_SYNTAX)
    return parse_ms(parts[2]), parts[1] == "gt"


def encode_cursor(ms: int, id: str) -> str:
    """Opaque to clients on purpose: they must follow ``Link``, not build cursors."""
    return base64.urlsafe_b64encode(f"{ms}:{id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    """Inverse of ``encode_cursor``; raises ``ValueError`` for anything it did not produce."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        ms_text, sep, id = raw.partition(":")
        if not sep or not id or not ms_text.lstrip("-").isdigit():
            raise ValueError(cursor)
        return int(ms_text), id
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(cursor) from exc
