"""Cassettes: one JSON file per (connector, check) holding everything a check needs to run again.

A cassette stores the recording's episode (episode.py: the inputs the check generated, so replay
depends on neither hypothesis' version nor its seed; the connector's own draws and clock reads;
the harness settings that shape traffic), when the recording started, and the HTTP exchanges,
scrubbed of secrets. It names the connector and a hash of its source: a cassette of
another connector version is refused with the command that re-records it, never replayed into
confusing mismatches.

Files are written atomically (conformance/atomic.py): a failed or interrupted recording leaves
the previous cassette as it was, and a new cassette gets the mode any file the user writes gets.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.atomic import write_text_atomic
from conformance.errors import InputError
from conformance.recording.episode import BadEpisode, Episode
from conformance.recording.scrub import Scrubber, account_secrets

FORMAT = "connector-conformance/cassette@1"
HARNESS_VERSION = "0.1.0"


def connector_version(source: Path | None) -> str:
    """The connector's version as a cassette sees it: a hash of its module file."""
    if source is None or not source.is_file():
        return "unknown"
    return "sha256:" + hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def record_command(connector: str, check: str) -> str:
    return f"pytest --connector={connector} --connector-mode=record -k {check}"


@dataclass
class Cassette:
    """The in-memory form of one cassette file."""

    connector: str
    version: str
    check: str
    # Epoch seconds of the recording's start: replay sets the harness's own clock there
    # (time-machine, ticking); the connector's clock reads are in `episode.clock`.
    recorded_at: float
    episode: Episode = field(default_factory=Episode)
    interactions: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "harness": HARNESS_VERSION,
            "connector": {"name": self.connector, "version": self.version},
            "check": self.check,
            "recorded_at": self.recorded_at,
            **self.episode.to_json(),
            "interactions": self.interactions,
        }


def cassette_path(directory: Path, check: str) -> Path:
    return directory / f"{check}.json"


# atomic.py's temporary name for `<check>.json`: `.<check>.json.<12 hex digits>.tmp`
_TEMP = re.compile(r"^\.(?P<cassette>.+\.json)\.[0-9a-f]{12}\.tmp$")


def remove_stale_temps(directory: Path, check: str | None = None) -> list[Path]:
    """Delete the temporary files a killed recording left beside the cassettes (all of them,
    or only those of `check`'s cassette); returns what was removed.

    Only names atomic.py makes match (a leading dot, `.json.<hex>.tmp`): a cassette never does.
    Removing the temp of a check being recorded right now would break its rename, so a record
    run removes only its own check's leftovers, and `--connector-cleanup`, which records
    nothing, removes them all.
    """
    if not directory.is_dir():
        return []
    removed = []
    for path in sorted(directory.glob(".*.tmp")):
        match = _TEMP.match(path.name)
        if not match or (check is not None and match["cassette"] != f"{check}.json"):
            continue
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def load_cassette(path: Path, *, connector: str, version: str, target: str) -> Cassette:
    """Read and validate one cassette; every problem is an InputError saying how to fix it."""
    rerecord = record_command(target, path.stem)
    if not path.is_file():
        raise InputError(
            f"{path}: no cassette for this check; record it against the real API with "
            f"`{rerecord}` (or run --connector-mode=live)"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}:{exc.colno}: corrupt cassette (invalid JSON: {exc.msg}); "
            f"restore it from version control or re-record with `{rerecord}`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}); re-record with `{rerecord}`") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise InputError(
            f"{path}: not a cassette of this harness (format {found!r}, expected {FORMAT!r}); "
            f"re-record with `{rerecord}`"
        )
    try:
        meta = data["connector"]
        cassette = Cassette(
            connector=str(meta["name"]),
            version=str(meta["version"]),
            check=str(data["check"]),
            recorded_at=float(data["recorded_at"]),
            episode=Episode.from_json(data),
            interactions=[_valid_interaction(i) for i in data["interactions"]],
        )
    except BadEpisode as exc:
        raise InputError(
            f"{path}: corrupt cassette ({exc}); restore it from version control or re-record "
            f"with `{rerecord}`"
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{path}: corrupt cassette (missing or malformed {exc}); re-record with `{rerecord}`"
        ) from None
    if cassette.connector != connector or cassette.version != version:
        raise InputError(
            f"{path}: recorded for connector {cassette.connector} {cassette.version}, but "
            f"{connector} is now {version} (its dataSourceApp.py changed); re-record with "
            f"`{rerecord}`"
        )
    return cassette


def _valid_interaction(item: Any) -> dict[str, Any]:
    request, response = item["request"], item["response"]
    for key in ("method", "url", "headers", "body"):
        request[key]  # noqa: B018 - presence check, raises KeyError naming the key
    for key in ("status", "headers", "body"):
        response[key]  # noqa: B018
    if not isinstance(item.get("injected", False), bool):
        raise ValueError('"injected" must be true or false (an answer the harness staged)')
    return item


def save_cassette(path: Path, cassette: Cassette) -> None:
    """Write atomically: readers see the old file or the new one, never half of one."""
    write_text_atomic(path, _dumps(cassette.to_json()))


def _dumps(document: dict[str, Any]) -> str:
    """JSON with one line per draw and per interaction: compact, yet diffs stay readable."""
    lines = ["{"]
    for index, (key, value) in enumerate(document.items()):
        comma = "," if index < len(document) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f" {json.dumps(key)}: [")
            last = len(value) - 1
            lines += [f"  {json.dumps(v)}{',' if i < last else ''}" for i, v in enumerate(value)]
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{comma}")
    return "\n".join(lines) + "\n}\n"


# --- turning captured HTTP exchanges into scrubbed cassette interactions ---------------------


def body_text(raw: bytes | str | None) -> str | dict[str, str]:
    """A body as text when it is UTF-8 (JSON stays readable), else {"base64": ...}."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode()}


def body_bytes(body: str | Mapping[str, str]) -> bytes:
    if isinstance(body, Mapping):
        return base64.b64decode(body["base64"])
    return body.encode("utf-8")


def learn_exchanges(
    scrubber: Scrubber, exchanges: list[tuple[dict[str, Any], dict[str, Any]]]
) -> Scrubber:
    """Teach `scrubber` every credential the exchanges sent or were issued; returns it."""
    for request, response in exchanges:
        scrubber.learn(
            url=request["url"],
            request_headers=_pairs(request["headers"]),
            response_body=response["body"],
        )
    return scrubber


def scrub_interactions(
    exchanges: list[tuple[dict[str, Any], dict[str, Any]]],
    account: Mapping[str, Any],
    *,
    settings: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Scrub raw exchanges: first learn every issued or sent token, then replace secrets
    everywhere.

    Two passes, because a token an OAuth exchange returns in response N is sent in request N+1
    and may be echoed anywhere after; no per-interaction hook can see that.
    """
    scrubber = learn_exchanges(Scrubber(account_secrets(account, settings=settings)), exchanges)
    return [
        {
            "request": scrub_request(scrubber, req),
            "response": _scrub_response(scrubber, resp),
            # an answer the harness staged (conformance/http/faults.py): never sent to the API,
            # staged again by replay rather than answered from the tape
            **({"injected": True} if resp.get("injected") else {}),
        }
        for req, resp in exchanges
    ]


def scrub_request(scrubber: Scrubber, request: Mapping[str, Any]) -> dict[str, Any]:
    body = request["body"]
    return {
        "method": request["method"].upper(),
        "url": scrubber.url(request["url"]),
        "headers": scrubber.headers(_pairs(request["headers"])),
        "body": scrubber.text(body) if isinstance(body, str) else body,
    }


def _scrub_response(scrubber: Scrubber, response: Mapping[str, Any]) -> dict[str, Any]:
    body = response["body"]
    return {
        "status": response["status"],
        "reason": response.get("reason", ""),
        "headers": scrubber.headers(_pairs(response["headers"])),
        "body": scrubber.text(body) if isinstance(body, str) else body,
    }


def _pairs(headers: Any) -> Iterator[tuple[str, str]]:
    if isinstance(headers, Mapping):
        for name, values in headers.items():
            for value in values if isinstance(values, list) else [values]:
                yield str(name), str(value)
    else:
        for name, value in headers:
            yield str(name), str(value)
