"""The guard at the request: a write naming a record the run did not create is never sent.

`LiveGuard` keeps the harness to its own records; this step keeps the connector under test to
them too, at the HTTP level, in live and record (and in replay, so a replay reaches the same
verdict without the API). It learns which ids exist in the account from what the API answers:
id-like fields (`id`, `_id`, `uid`, `uuid`, `guid`, `*_id`, `*Id`) of JSON answers, except in
the answer to a request whose own URL names the id (reading a record, or a container such as
Kinto's bucket `default`, tells nothing new) and except ids first seen in the answer to a write
(the run created them). getUpdates results add their entry ids (LiveGuard.seen), whatever the
API's format. A write (POST, PUT, PATCH, DELETE) whose URL path segments or query values name
such an id, when the id is not on the guard's ledger, is refused: the connector gets an
`HttpFailure("blocked")` (a connection error in every client), the request never reaches the
API or the cassette, and the check fails with "the connector wrote to a record it was not
given". A JSON body that mentions such an id is only a warning: bodies may reference records.

The harness's own cleanup is never refused, and needs no exemption: it deletes ids on the
ledger. It runs the connector under test, though, whose delete may write elsewhere too: that
write is refused like any other (an exemption for "the cleanup's requests" let exactly such a
connector delete a customer's record while the harness cleaned up after it).

What is not protected (docs/recording.md): ids the run never saw (a hard-coded id, one from a
non-JSON answer other than getUpdates results), writes that name a record by something other
than an id field's value, and every read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from conformance.backends.guard import LiveGuard
from conformance.http.message import HttpFailure, Request, Response
from conformance.http.pipeline import Send

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ID_KEYS = frozenset({"id", "_id", "uid", "uuid", "guid"})
MAX_DEPTH = 20  # JSON nested deeper than this names no record anyone would write to


def id_like(key: str) -> bool:
    """Does a JSON key hold a record's id (`id`, `_id`, `user_id`, `parentId`)?"""
    return key.lower() in ID_KEYS or key.endswith(("_id", "Id", "ID"))


def ids_in(value: Any, depth: int = 0) -> Iterator[str]:
    """Every id-like field's value (strings and integers) anywhere in parsed JSON."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (str, int)) and not isinstance(item, bool) and id_like(key):
                text = str(item)
                if text:
                    yield text
            else:
                yield from ids_in(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from ids_in(item, depth + 1)


def strings_in(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string and integer value anywhere in parsed JSON (what a body may mention)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item, depth + 1)
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        yield str(value)


def url_names(url: str) -> tuple[list[str], list[str]]:
    """The URL's path segments (each also without its extension: CardDAV's `<uid>.vcf`) and
    query values, percent-decoded."""
    parts = urlsplit(url)
    segments: list[str] = []
    for raw in parts.path.split("/"):
        segment = unquote(raw)
        if segment:
            stem = segment.rpartition(".")[0]
            segments += [segment, stem] if stem else [segment]
    values = [v for _, v in parse_qsl(parts.query, keep_blank_values=True)]
    return segments, values


def _json(body: bytes) -> Any:
    if not body or body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class RequestGuard:
    """The pipeline step; `refused` and `warnings` say what it did, for the backend to report.

    `scrub_url` hides account values in what it reports (the backend's scrubber)."""

    def __init__(self, guard: LiveGuard, scrub_url: Any = str) -> None:
        self.guard = guard
        self.scrub_url = scrub_url
        self.born: set[str] = set()  # first seen in the answer to a write: the run made them
        self.refused: list[str] = []  # "METHOD url", scrubbed
        self.warnings: list[str] = []

    def foreign(self, id: str) -> bool:
        """Has the run seen `id` in the account without creating it?"""
        guard = self.guard
        return (
            id in guard.seen
            and id not in guard.created
            and id not in guard.probes
            and id not in self.born
        )

    def __call__(self, request: Request, send: Send) -> Response:
        if request.method in WRITES:
            self._judge(request)
        response = send(request)
        self._learn(request, response)
        return response

    def _judge(self, request: Request) -> None:
        segments, values = url_names(request.url)
        named = next((n for n in (*segments, *values) if self.foreign(n)), None)
        shown = f"{request.method} {self.scrub_url(request.url)}"
        if named is not None:
            self.refused.append(shown)
            raise HttpFailure(
                "blocked",
                f"the harness refused {shown}: it names {named!r}, a record this run did not "
                "create (the harness only lets the connector write to records it was given)",
            )
        mentioned = next((s for s in strings_in(_json(request.body)) if self.foreign(s)), None)
        if mentioned is not None:
            self.warnings.append(
                f"{shown} mentions {mentioned!r} in its body, a record this run did not create "
                "(sent anyway: a body may reference other records)"
            )

    def _learn(self, request: Request, response: Response) -> None:
        found = set(ids_in(_json(response.body)))
        if not found:
            return
        segments, values = url_names(request.url)
        found -= {*segments, *values}  # the record (or container) the URL named itself
        if request.method in WRITES:
            self.born |= found - self.guard.seen
        else:
            self.guard.seen |= found
