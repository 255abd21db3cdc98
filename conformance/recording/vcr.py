"""Recording and replaying a check's HTTP traffic through vcrpy, with linear-time matching.

vcrpy does the interception (httpx, requests, aiohttp, http.client...): in record mode it passes
requests to the real API and hands us each exchange; in replay mode it blocks the network and
asks us for answers. Its own Cassette matches each request against every recorded interaction
(quadratic: ~50 s for 2,000 interactions here) and answers repeated requests with the first
response when repeats are allowed. `LinearCassette` replaces that with an index: a normalised
request key -> FIFO queue of recorded responses. Each request costs O(1), and identical requests
(a getUpdates polled twice with the same token) get their answers in recorded order.

Keys are computed on scrubbed requests on both sides, so the recorded request (whose secrets
became placeholders) and the replayed one (carrying whatever account.json holds now) meet.
A request the cassette lacks is remembered as a miss; the runner turns misses into one clear
error naming METHOD URL and the command that re-records, whatever the connector did with the
exception vcrpy raised into it.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from vcr.cassette import Cassette as VcrCassette
from vcr.cassette import CassetteContextDecorator
from vcr.filters import decode_response
from vcr.record_mode import RecordMode

from conformance.recording.cassette import body_bytes, body_text, scrub_request
from conformance.recording.clocklike import clock_note
from conformance.recording.scrub import Scrubber, account_secrets, restore

_DROPPED_ON_REPLAY = {"content-length", "transfer-encoding", "content-encoding"}


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


def _vcr_request_dict(request: Any) -> dict[str, Any]:
    return {
        "method": request.method,
        "url": request.uri,
        "headers": [(k, v) for k, vs in request.headers.items() for v in _listed(vs)],
        "body": body_text(request.body_bytes if hasattr(request, "body_bytes") else request.body),
    }


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class LinearCassette(VcrCassette):
    """A vcrpy cassette that records raw exchanges, or replays from an index in O(1) per request.

    It never reads or writes files itself (`_load`/`_save` are no-ops): the harness saves the
    scrubbed cassette atomically once the check is over, with its generated inputs beside it.
    """

    def __init__(
        self,
        path: str,
        *,
        replay: list[dict[str, Any]] | None = None,
        account: Mapping[str, Any] | None = None,
        settings: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(path, **kwargs)
        self.replaying = replay is not None
        self.secrets = account_secrets(account or {}, settings=settings)
        self._scrubber = Scrubber(self.secrets)
        self._queues: dict[tuple[str, str, str], deque[int]] = defaultdict(deque)
        self._recorded = replay or []
        for index, interaction in enumerate(self._recorded):
            # Scrub the recorded side with this run's account too: a value that is secret now
            # (and appears inside generated data) must be hidden on both sides alike.
            recorded = scrub_request(self._scrubber, interaction["request"])
            self._queues[request_key(recorded)].append(index)
        self.misses: list[str] = []
        self.miss_note = ""  # what the first miss differs in, when only a time (clocklike.py)
        self.played = 0
        self._last_key: tuple[Any, tuple[str, str, str]] | None = None

    # vcrpy's persistence is ours to do, after scrubbing.
    def _load(self) -> None:
        self.rewound = self.replaying

    def _save(self, force: bool = False) -> None:
        return None

    @property
    def write_protected(self) -> bool:
        return self.replaying

    def _key(self, request: Any) -> tuple[str, str, str]:
        cached = self._last_key
        if cached is not None and cached[0] is request:
            return cached[1]
        key = request_key(scrub_request(self._scrubber, _vcr_request_dict(request)))
        self._last_key = (request, key)
        return key

    def __contains__(self, request: Any) -> bool:
        return bool(self._queues.get(self._key(request)))

    def can_play_response_for(self, request: Any) -> bool:
        if not self.replaying:
            return False
        if request in self:
            return True
        scrubbed = scrub_request(self._scrubber, _vcr_request_dict(request))
        if not self.misses:
            recorded = (scrub_request(self._scrubber, i["request"]) for i in self._recorded)
            self.miss_note = clock_note(scrubbed, recorded)
        self.misses.append(f"{scrubbed['method']} {scrubbed['url']}")
        return False

    def play_response(self, request: Any) -> dict[str, Any]:
        index = self._queues[self._key(request)].popleft()
        self.played += 1
        return self._vcr_response(self._recorded[index]["response"])

    def find_requests_with_most_matches(self, request: Any) -> list[Any]:
        return []  # vcrpy's quadratic diagnosis; our miss message names the request instead

    def _vcr_response(self, response: Mapping[str, Any]) -> dict[str, Any]:
        body = response["body"]
        raw = body_bytes(restore(body, self.secrets) if isinstance(body, str) else body)
        headers = {
            name: [restore(v, self.secrets) for v in values]
            for name, values in response["headers"].items()
            if name.lower() not in _DROPPED_ON_REPLAY
        }
        headers["content-length"] = [str(len(raw))]
        return {
            "status": {"code": response["status"], "message": response.get("reason", "")},
            "headers": headers,
            "body": {"string": raw},
        }

    def exchanges(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """What was recorded, as plain dicts (bodies decompressed), ready to scrub and save."""
        out = []
        for request, response in self.data:
            response = decode_response(response)
            out.append(
                (
                    _vcr_request_dict(request),
                    {
                        "status": response["status"]["code"],
                        "reason": response["status"].get("message", ""),
                        "headers": response["headers"],
                        "body": body_text(response["body"]["string"]),
                    },
                )
            )
        return out


@contextmanager
def intercept(
    path: Path,
    *,
    replay: list[dict[str, Any]] | None,
    account: Mapping[str, Any],
    settings: Iterable[str] = (),
) -> Iterator[LinearCassette]:
    """Patch every HTTP client vcrpy knows: record (replay=None) or answer from `replay` only."""
    decorator = CassetteContextDecorator.from_args(
        LinearCassette,
        path=str(path),
        replay=replay,
        account=account,
        settings=tuple(settings),
        record_mode=RecordMode.NONE if replay is not None else RecordMode.ALL,
    )
    with decorator as cassette:
        yield cassette
