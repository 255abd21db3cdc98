"""A check's HTTP traffic on tape: the recorder step, and the terminal that replays a cassette.

Replay indexes the recorded interactions by a normalised request key (method, URL with sorted
query, canonical JSON body) -> FIFO of answers: O(1) per request, where vcrpy's own matcher
scans every interaction (quadratic: ~50 s at 2,000 interactions), and identical requests (a
getUpdates polled twice with one token) get their answers in recorded order, which vcrpy's
`allow_playback_repeats` would not.

Keys are computed on scrubbed requests on both sides, so the recorded request (whose secrets
became placeholders) and the replayed one (carrying whatever account.json holds now) meet. A
request the cassette lacks is answered with an `unmatched` failure and remembered as a miss: the
backend turns misses into one clear error naming METHOD URL and the re-record command, whatever
the connector did with the failure.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from conformance.http.message import WIRE_HEADERS, HttpFailure, Request, Response
from conformance.http.pipeline import Send
from conformance.recording.cassette import body_bytes, body_text, scrub_request
from conformance.recording.clocklike import clock_note
from conformance.recording.scrub import Scrubber, account_secrets, restore

Pair = tuple[dict[str, Any], dict[str, Any]]


def request_key(request: Mapping[str, Any]) -> tuple[str, str, str]:
    """Method, URL with sorted query, canonical body: what makes two requests 'the same'."""
    parts = urlsplit(request["url"])
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)), safe="<>:.")
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    body = request["body"]
    if isinstance(body, str) and body[:1] in "{[":
        with suppress(ValueError):
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    elif not isinstance(body, str):
        body = json.dumps(body, sort_keys=True)
    return request["method"].upper(), url, body


def request_dict(request: Request) -> dict[str, Any]:
    """A request as cassettes store it (before scrubbing)."""
    return {
        "method": request.method,
        "url": request.url,
        "headers": list(request.headers),
        "body": body_text(request.body),
    }


def response_dict(response: Response) -> dict[str, Any]:
    """An answer as cassettes store it: decoded body, no wire-encoding headers."""
    headers: dict[str, list[str]] = {}
    for name, value in response.headers:
        if name.lower() not in WIRE_HEADERS:
            headers.setdefault(name, []).append(value)
    stored: dict[str, Any] = {
        "status": response.status,
        "reason": response.reason,
        "headers": headers,
        "body": body_text(response.body),
    }
    if response.source == "injected":  # the harness answered it (http/faults.py), not the API
        stored["injected"] = True
    return stored


class Recorder:
    """A step that keeps every exchange that got an answer, in order, unscrubbed (the backend
    scrubs the whole tape once, when it knows every token the traffic carried)."""

    misses: list[str] = []  # a recording never misses
    miss_note = ""

    def __init__(self) -> None:
        self._pairs: list[Pair] = []

    def __call__(self, request: Request, send: Send) -> Response:
        response = send(request)
        self._pairs.append((request_dict(request), response_dict(response)))
        return response

    def exchanges(self) -> list[Pair]:
        return list(self._pairs)


class Tape:
    """The terminal of a replay: answers from the recorded interactions, in recorded order."""

    def __init__(
        self,
        interactions: list[dict[str, Any]],
        *,
        account: Mapping[str, Any] | None = None,
        settings: Iterable[str] = (),
    ) -> None:
        self.secrets = account_secrets(account or {}, settings=settings)
        self._scrubber = Scrubber(self.secrets)
        self._queues: dict[tuple[str, str, str], deque[int]] = defaultdict(deque)
        self._recorded = interactions
        for index, interaction in enumerate(interactions):
            if interaction.get("injected"):
                # the fault stage answers it again, ahead of the tape, when the check stages it
                continue
            # Scrub the recorded side with this run's account too: a value that is secret now
            # (and appears inside generated data) must be hidden on both sides alike.
            recorded = scrub_request(self._scrubber, interaction["request"])
            self._queues[request_key(recorded)].append(index)
        self.misses: list[str] = []
        self.miss_note = ""  # what the first miss differs in, when only a time (clocklike.py)
        self.played = 0
        self._pairs: list[Pair] = []

    def __call__(self, request: Request) -> Response:
        scrubbed = scrub_request(self._scrubber, request_dict(request))
        queue = self._queues.get(request_key(scrubbed))
        if not queue:
            if not self.misses:
                recorded = (scrub_request(self._scrubber, i["request"]) for i in self._recorded)
                self.miss_note = clock_note(scrubbed, recorded)
            self.misses.append(f"{scrubbed['method']} {scrubbed['url']}")
            raise HttpFailure(
                "unmatched",
                f"replay: the cassette has no recorded answer for {scrubbed['method']} "
                f"{scrubbed['url']}",
            )
        recorded = self._recorded[queue.popleft()]["response"]
        self.played += 1
        response = self._response(recorded)
        self._pairs.append((request_dict(request), response_dict(response)))
        return response

    def _response(self, recorded: Mapping[str, Any]) -> Response:
        body = recorded["body"]
        raw = body_bytes(restore(body, self.secrets) if isinstance(body, str) else body)
        headers = [
            (name, restore(value, self.secrets))
            for name, values in recorded["headers"].items()
            if name.lower() not in WIRE_HEADERS
            for value in (values if isinstance(values, list) else [values])
        ]
        return Response(
            int(recorded["status"]), headers, raw, str(recorded.get("reason", "")), "replayed"
        )

    def exchanges(self) -> list[Pair]:
        """What was replayed so far, as the recorder would have kept it."""
        return list(self._pairs)
