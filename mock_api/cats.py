"""The cats API: a small but strict two-way-sync SaaS, with oracle access for the harness.

Routes (all need ``Authorization: Bearer <token>``)::

    POST   /cats          -> 201 record             GET /cats/{id} -> 200 record | 404
    PATCH  /cats/{id}     -> 200 record | 404       DELETE /cats/{id} -> 204 | 404
    GET    /cats?q=lastModified ge|gt <ts>&includeDeleted=true&limit=N&after=CURSOR
                          -> 200 [records and tombstones], Link rel="next" while more remain

Every write bumps the record's revision, sent as ``ETag: "<n>"`` on GET, POST and PATCH. A
PATCH or DELETE carrying ``If-Match`` with another revision is refused with 412 (a stale write:
the record changed since the client read it); without ``If-Match`` writes are unconditional.

``lastModified`` is the server clock at write time, nothing cleverer: with a frozen clock
several writes share a millisecond, and a clock moved backwards yields older timestamps.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from mock_api.base import MockAPI
from mock_api.cats_schema import FIELDS, InvalidCat, validate_cat
from mock_api.change_index import ChangeIndex, Entry
from mock_api.listing import Q_SYNTAX, decode_cursor, encode_cursor, parse_q
from mock_api.timefmt import format_ms
from mock_api.wire import (
    BadJSON,
    Request,
    Response,
    decode_json,
    empty_response,
    error_response,
    json_response,
)

MAX_LIMIT = 100
_LIST_PARAMS = ("q", "includeDeleted", "limit", "after")
_LIMIT_TEXT = re.compile(r"[0-9]{1,4}\Z")


class CatsAPI(MockAPI):
    """The cats service. ``page_size`` is the default ``limit`` of listings (may be set freely,
    even above 100, which only bounds what clients may ask for). ``max_page_size``, when set,
    caps every page whatever the client asks, as many real APIs cap page sizes: it is how a test
    makes a client that asks for big pages page anyway."""

    default_base_url = "https://api.cats.test"

    def __init__(
        self,
        *,
        tokens: Iterable[str] | None = None,
        page_size: int = 50,
        base_url: str | None = None,
    ) -> None:
        super().__init__(tokens=tokens, base_url=base_url)
        self._page_size = 1
        self.page_size = page_size
        self._initial_page_size = page_size
        self.max_page_size: int | None = None
        self._store = ChangeIndex()
        self._revisions: dict[str, int] = {}
        # Listing requests that continued from a page's ``after`` cursor: pages a client crossed.
        # A running statistic of the whole life of this object, which ``reset`` keeps.
        self.pages_followed = 0

    @property
    def page_size(self) -> int:
        """Default ``limit`` of a listing page; lower it to make tests page early."""
        return self._page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"page_size must be a positive integer, got {value!r}")
        self._page_size = value

    def reset(self) -> None:
        """Empty the store and undo every test-time change (clock, hooks, log, page size)."""
        with self.lock:
            super().reset()
            self._store.clear()
            self._revisions.clear()
            self.page_size = self._initial_page_size
            self.max_page_size = None

    # -- oracle: the true server state, bypassing HTTP ----------------------------------------

    def records(self) -> list[dict[str, Any]]:
        """Live records in ``(lastModified, id)`` order (copies: safe to mutate)."""
        with self.lock:
            return [copy.deepcopy(e.doc) for e in self._store.entries() if not e.deleted]

    def tombstones(self) -> list[dict[str, Any]]:
        """Tombstones of deleted records in ``(lastModified, id)`` order (copies)."""
        with self.lock:
            return [dict(e.doc) for e in self._store.entries() if e.deleted]

    def record(self, id: str) -> dict[str, Any] | None:
        """The live record ``id``, or ``None`` if unknown or deleted (a copy)."""
        with self.lock:
            entry = self._store.get(id)
            return None if entry is None or entry.deleted else copy.deepcopy(entry.doc)

    # -- persistence across processes (see mock_api.state) ------------------------------------

    def export_state(self) -> dict[str, Any]:
        """Records and tombstones with their server times, JSON-ready (for ``save_state``)."""
        with self.lock:
            return {
                "entries": [
                    {"ms": e.ms, "deleted": e.deleted, "doc": copy.deepcopy(e.doc)}
                    for e in self._store.entries()
                ]
            }

    def import_state(self, state: Any) -> None:
        """Replace the store with an ``export_state()`` snapshot; ``ValueError`` if malformed.

        The snapshot is checked in full before anything changes, so a bad one leaves the
        store as it was.
        """
        entries = []
        raw = state.get("entries") if isinstance(state, dict) else None
        if not isinstance(raw, list):
            raise ValueError('a cats state is an object with an "entries" list')
        for i, item in enumerate(raw):
            ok = (
                isinstance(item, dict)
                and isinstance(item.get("ms"), int)
                and isinstance(item.get("deleted"), bool)
                and isinstance(item.get("doc"), dict)
                and isinstance(item["doc"].get("id"), str)
            )
            if not ok:
                raise ValueError(f"entries[{i}] is not a saved record or tombstone")
            doc = item["doc"]
            entries.append(Entry(doc["id"], item["ms"], copy.deepcopy(doc), item["deleted"]))
        with self.lock:
            self._store.clear()
            for entry in entries:
                self._store.put(entry)

    # -- another client's writes, bypassing HTTP (no log, no hooks, no auth) -----------------

    def create_as_other(
        self, fields: Mapping[str, Any], *, id: str | None = None
    ) -> dict[str, Any]:
        """Create a cat as some other client would; validates like POST (``InvalidCat``).

        ``id`` lets a test pick the id (e.g. to control tie-break order); default is a UUID.
        """
        with self.lock:
            if id is not None and self._store.get(id) is not None:
                raise ValueError(f"id already used: {id}")
            entry = self._create(validate_cat(dict(fields), creating=True), self.clock.now_ms(), id)
            return copy.deepcopy(entry.doc)

    def patch_as_other(self, id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Patch a cat as another client; ``KeyError`` if it is unknown or deleted."""
        with self.lock:
            old = self._live(id)
            if old is None:
                raise KeyError(id)
            entry = self._patch(
                old, validate_cat(dict(fields), creating=False), self.clock.now_ms()
            )
            return copy.deepcopy(entry.doc)

    def delete_as_other(self, id: str) -> dict[str, Any]:
        """Delete a cat as another client; returns the tombstone. ``KeyError`` if not live."""
        with self.lock:
            if self._live(id) is None:
                raise KeyError(id)
            return dict(self._delete(id, self.clock.now_ms()).doc)

    # -- state transitions (callers hold the lock) -------------------------------------------

    def _live(self, id: str) -> Entry | None:
        entry = self._store.get(id)
        return None if entry is None or entry.deleted else entry

    def _create(self, fields: dict[str, Any], now: int, id: str | None = None) -> Entry:
        id = id or str(uuid.uuid4())
        doc = {"id": id, **fields, "lastModified": format_ms(now)}
        entry = Entry(id, now, doc, False)
        self._store.put(entry)
        self._bump(id)
        return entry

    def _patch(self, old: Entry, fields: dict[str, Any], now: int) -> Entry:
        merged = {
            k: fields[k] if k in fields else old.doc[k]
            for k in FIELDS
            if k in fields or k in old.doc
        }
        entry = Entry(old.id, now, {"id": old.id, **merged, "lastModified": format_ms(now)}, False)
        self._store.put(entry)
        self._bump(old.id)
        return entry

    def _delete(self, id: str, now: int) -> Entry:
        entry = Entry(id, now, {"id": id, "deleted": True, "lastModified": format_ms(now)}, True)
        self._store.put(entry)
        self._bump(id)
        return entry

    def _bump(self, id: str) -> None:
        self._revisions[id] = self._revisions.get(id, 0) + 1

    def _etag(self, id: str) -> dict[str, str]:
        return {"ETag": f'"{self._revisions.get(id, 1)}"'}

    def _stale(self, request: Request, id: str) -> Response | None:
        """412 when the request's If-Match names a revision other than the current one."""
        wanted = request.headers.get("if-match")
        if wanted is None or wanted.strip() in ("*", self._etag(id)["ETag"]):
            return None
        return error_response(
            412, f"precondition failed: {id} is at revision {self._etag(id)['ETag']}, not {wanted}"
        )

    # -- HTTP ------------------------------------------------------------------------------

    def route(self, request: Request, now_ms: int) -> Response:
        """Dispatch by path then method: unknown paths 404, known paths with other methods 405."""
        path, method = request.path, request.method
        if path == "/cats":
            if method == "GET":
                return self._http_list(request)
            if method == "POST":
                return self._http_create(request, now_ms)
            return error_response(405, "method not allowed", {"Allow": "GET, POST"})
        if path.startswith("/cats/") and "/" not in path[6:] and path[6:]:
            id = path[6:]
            if method == "GET":
                entry = self._live(id)
                return json_response(200, entry.doc, self._etag(id)) if entry else _not_found()
            if method == "PATCH":
                return self._http_patch(request, id, now_ms)
            if method == "DELETE":
                if self._live(id) is None:
                    return _not_found()
                if stale := self._stale(request, id):
                    return stale
                self._delete(id, now_ms)
                return empty_response(204)
            return error_response(405, "method not allowed", {"Allow": "GET, PATCH, DELETE"})
        return _not_found()

    def _http_create(self, request: Request, now_ms: int) -> Response:
        try:
            fields = validate_cat(decode_json(request.body), creating=True)
        except BadJSON:
            return error_response(400, "body is not valid JSON")
        except InvalidCat as exc:
            return error_response(400, str(exc))
        entry = self._create(fields, now_ms)
        location = f"{request.base_url}/cats/{entry.id}"
        return json_response(201, entry.doc, {"Location": location, **self._etag(entry.id)})

    def _http_patch(self, request: Request, id: str, now_ms: int) -> Response:
        old = self._live(id)
        if old is None:
            return _not_found()
        if stale := self._stale(request, id):
            return stale
        try:
            fields = validate_cat(decode_json(request.body), creating=False)
        except BadJSON:
            return error_response(400, "body is not valid JSON")
        except InvalidCat as exc:
            return error_response(400, str(exc))
        return json_response(200, self._patch(old, fields, now_ms).doc, self._etag(id))

    def _http_list(self, request: Request) -> Response:
        query = request.query
        for name, values in query.items():
            if name not in _LIST_PARAMS:
                return error_response(400, f"unknown query parameter: {name}")
            if len(values) > 1:
                return error_response(400, f"query parameter {name} given more than once")
        at_least = (0, "") if "q" not in query else None
        if at_least is None:
            try:
                ms, strict = parse_q(query["q"][0])
            except ValueError:
                return error_response(400, f"invalid query parameter q: {Q_SYNTAX}")
            at_least = (ms + 1, "") if strict else (ms, "")
        include_deleted = query.get("includeDeleted", ["false"])[0]
        if include_deleted not in ("true", "false"):
            return error_response(
                400, "invalid query parameter includeDeleted: expected true or false"
            )
        limit = self.page_size
        if "limit" in query:
            text = query["limit"][0]
            if not _LIMIT_TEXT.match(text) or not 1 <= int(text) <= MAX_LIMIT:
                return error_response(
                    400, f"invalid query parameter limit: expected an integer from 1 to {MAX_LIMIT}"
                )
            limit = int(text)
        if self.max_page_size is not None:
            limit = min(limit, self.max_page_size)
        after = None
        if "after" in query:
            try:
                after = decode_cursor(query["after"][0])
            except ValueError:
                return error_response(400, "invalid query parameter after: not a cursor we issued")
            self.pages_followed += 1
        entries, more = self._store.page(
            at_least=at_least, after=after, include_deleted=include_deleted == "true", limit=limit
        )
        headers = {}
        if more:
            params = [(k, query[k][0]) for k in ("q", "includeDeleted", "limit") if k in query]
            params.append(("after", encode_cursor(entries[-1].ms, entries[-1].id)))
            link = f"{request.base_url}/cats?{urlencode(params, quote_via=quote)}"
            headers["Link"] = f'<{link}>; rel="next"'
        return json_response(200, [e.doc for e in entries], headers)


def _not_found() -> Response:
    return error_response(404, "not found")
