"""Records plus tombstones, kept sorted by ``(lastModified, id)`` for change listings.

Two sorted key lists (everything, and live records only) make a listing page a bisect plus a
slice, whatever the store size, so the mock stays fast under thousands of requests. Stored
documents are never mutated in place (writes replace them), which lets responses serialize
them without copying.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from typing import Any

Key = tuple[int, str]


@dataclass(frozen=True, slots=True)
class Entry:
    """The current state of one id: a live record or its tombstone, as sent on the wire."""

    id: str
    ms: int
    doc: dict[str, Any]
    deleted: bool

    @property
    def key(self) -> Key:
        return (self.ms, self.id)


class ChangeIndex:
    """Latest entry per id, with ordered access by ``(ms, id)``."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._all: list[Key] = []
        self._live: list[Key] = []

    def get(self, id: str) -> Entry | None:
        """The entry for ``id`` (live or tombstone), if the id was ever written."""
        return self._entries.get(id)

    def put(self, entry: Entry) -> None:
        """Replace whatever ``entry.id`` held, keeping both orderings correct."""
        old = self._entries.get(entry.id)
        if old is not None:
            _remove(self._all, old.key)
            if not old.deleted:
                _remove(self._live, old.key)
        self._entries[entry.id] = entry
        insort(self._all, entry.key)
        if not entry.deleted:
            insort(self._live, entry.key)

    def page(
        self, *, at_least: Key, after: Key | None, include_deleted: bool, limit: int
    ) -> tuple[list[Entry], bool]:
        """Entries with key ``>= at_least`` and ``> after``, in order; also whether more remain."""
        keys = self._all if include_deleted else self._live
        start = bisect_left(keys, at_least)
        if after is not None:
            start = max(start, bisect_right(keys, after))
        chunk = keys[start : start + limit + 1]
        entries = [self._entries[key[1]] for key in chunk[:limit]]
        return entries, len(chunk) > limit

    def entries(self) -> list[Entry]:
        """All entries in ``(ms, id)`` order."""
        return [self._entries[key[1]] for key in self._all]

    def clear(self) -> None:
        self._entries.clear()
        self._all.clear()
        self._live.clear()


def _remove(keys: list[Key], key: Key) -> None:
    i = bisect_left(keys, key)
    if i < len(keys) and keys[i] == key:
        del keys[i]
