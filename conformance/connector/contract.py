"""The contract a connector keeps, as code: result shapes and harness settings.

Everything here is pure: it validates values the connector returned or the user wrote, and
raises with a message that names the call or field and says how to fix it. The checks lean on
these validators so that a malformed result is reported the same way wherever it shows up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from conformance.errors import InputError
from conformance.options import DEFAULT_PAGE_SIZE, TRANSPORTS
from conformance.shown import safe_repr

METHODS = ("init", "get", "insert", "patch", "delete", "get_updates")
ENTRY_TYPES = frozenset({"upsert", "insert", "update", "delete"})
UPSERT_TYPES = ENTRY_TYPES - {"delete"}


class Connector(Protocol):
    """The harness's whole view of a connector: six awaitable calls, one execution scope.

    Python modules, and later out-of-process runtimes, plug in by implementing this.
    """

    async def init(self, account: dict[str, Any]) -> None: ...
    async def get(self, id: str) -> Any: ...
    async def insert(self, value: dict[str, Any]) -> Any: ...
    async def patch(self, id: str, value: dict[str, Any]) -> Any: ...
    async def delete(self, id: str) -> Any: ...
    async def get_updates(self, last_sync: Any) -> Any: ...
    async def close(self) -> None: ...


class CallsByName:
    """A `Connector` whose six operations all go through `_call(method, *args)`: each runtime
    says once how a call is made (in process, or over the worker protocol)."""

    async def _call(self, method: str, *args: Any) -> Any:
        raise NotImplementedError

    async def init(self, account: dict[str, Any]) -> None:
        return await self._call("init", account)

    async def get(self, id: str) -> Any:
        return await self._call("get", id)

    async def insert(self, value: dict[str, Any]) -> Any:
        return await self._call("insert", value)

    async def patch(self, id: str, value: dict[str, Any]) -> Any:
        return await self._call("patch", id, value)

    async def delete(self, id: str) -> Any:
        return await self._call("delete", id)

    async def get_updates(self, last_sync: Any) -> Any:
        return await self._call("get_updates", last_sync)


class ContractError(Exception):
    """A connector result that the platform could not use."""


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    value: dict[str, Any] | None

    @property
    def is_delete(self) -> bool:
        return self.type == "delete"


@dataclass(frozen=True)
class Updates:
    next_sync: Any
    entries: tuple[Entry, ...]


def _describe(value: Any) -> str:
    text = safe_repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def check_insert_result(result: Any) -> str:
    """Return the new record's id from an insert result."""
    if not isinstance(result, Mapping):
        raise ContractError(
            f'insert must return an object like {{"id": "<new id>"}}, got {_describe(result)}'
        )
    new_id = result.get("id")
    if not isinstance(new_id, str) or not new_id:
        raise ContractError(
            f'insert must return {{"id": <non-empty string>}}; its "id" is {_describe(new_id)}'
        )
    return new_id


def check_get_result(result: Any) -> dict[str, Any] | None:
    """A record is a JSON object; a missing or deleted one is None."""
    if result is None:
        return None
    if not isinstance(result, Mapping):
        raise ContractError(
            f"get must return the record as an object, or None when it does not exist; "
            f"got {_describe(result)}"
        )
    check_json(result, "get")
    return dict(result)


def check_json(value: Any, call: str) -> None:
    """The platform stores what connectors return as JSON; anything else is lost on the way.

    A walk over the value's structure answers for the values that are plainly JSON (nearly all
    of them) without encoding: one `json.dumps` per getUpdates entry was a third of the cost of
    validating a 1,000-entry batch. Whatever the walk does not vouch for (another type, a
    non-finite float, a key that is not a string, a deep or circular value) is encoded, so the
    verdict and its message are json's own."""
    if not _plainly_json(value):
        _encode(value, call)


# Deeper than this, the walk leaves the verdict to json (its limit is ~1,000 levels).
PLAIN_DEPTH = 100


def _plainly_json(value: Any) -> bool:
    """True when `json.dumps(value, allow_nan=False)` certainly succeeds; False when unsure.

    Breadth first, one level at a time, so depth is counted without recursion and a circular
    value ends at PLAIN_DEPTH. Exact types only: a subclass is left to json."""
    level = [value]
    for _ in range(PLAIN_DEPTH):
        deeper: list[Any] = []
        for item in level:
            kind = type(item)
            if kind is dict:
                for key in item:
                    if type(key) is not str:
                        return False
                deeper.extend(item.values())
            elif kind is list:
                deeper.extend(item)
            elif kind is float:
                if item - item != 0.0:  # inf - inf and nan - nan are nan
                    return False
            elif not (kind is str or kind is int or kind is bool or item is None):
                return False
        if not deeper:
            return True
        level = deeper
    return False


def _encode(value: Any, call: str) -> None:
    try:
        json.dumps(value, allow_nan=False)
    except RecursionError:
        raise ContractError(
            f"{call} returned JSON nested too deeply to encode (more than ~1,000 levels)"
        ) from None
    except (TypeError, ValueError) as exc:
        raise ContractError(
            f"{call} returned a value that is not JSON-serializable: {exc}"
        ) from None


def check_updates_result(result: Any) -> Updates:
    """Validate a getUpdates result; the seed's `entires` misspelling gets its own message."""
    if not isinstance(result, Mapping):
        raise ContractError(
            'get_updates must return {"nextSync": ..., "entries": [...]}, '
            f"got {_describe(result)}"
        )
    if "entries" not in result:
        if "entires" in result:
            raise ContractError(
                'get_updates returned the key "entires" (the seed sample\'s misspelling); '
                'the platform reads "entries" and would see no changes at all. '
                'Rename the key to "entries".'
            )
        raise ContractError(
            f'get_updates result has no "entries" list; its keys are {sorted(result)}'
        )
    if "nextSync" not in result:
        raise ContractError(
            'get_updates result has no "nextSync": the platform would have no token '
            "for the next sync and would start over"
        )
    next_sync = result["nextSync"]
    try:
        json.dumps(next_sync, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise ContractError(
            f"nextSync {_describe(next_sync)} is not JSON-serializable; the platform stores it "
            "as JSON, so return a string, number or plain object"
        ) from None
    raw_entries = result["entries"]
    if not isinstance(raw_entries, list):
        raise ContractError(f'"entries" must be a list, got {_describe(raw_entries)}')
    entries = tuple(_check_entry(i, raw) for i, raw in enumerate(raw_entries))
    return Updates(next_sync=next_sync, entries=entries)


def _check_entry(index: int, raw: Any) -> Entry:
    where = f"entries[{index}]"
    if not isinstance(raw, Mapping):
        raise ContractError(f"{where} must be an object, got {_describe(raw)}")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        raise ContractError(
            f'{where} has "id" {_describe(entry_id)}; it must be a non-empty string'
        )
    entry_type = raw.get("type")
    if entry_type not in ENTRY_TYPES:
        raise ContractError(
            f'{where} (id {entry_id}) has "type" {_describe(entry_type)}; '
            f"it must be one of {', '.join(sorted(ENTRY_TYPES))}"
        )
    value = raw.get("value")
    if entry_type in UPSERT_TYPES and not isinstance(value, Mapping):
        raise ContractError(
            f'{where} (id {entry_id}, type {entry_type}) must carry the record as "value", '
            f"got {_describe(value)}"
        )
    if value is not None and not isinstance(value, Mapping):
        raise ContractError(f'{where} "value" must be an object, got {_describe(value)}')
    check_json(value, f"get_updates {where}")
    return Entry(id=entry_id, type=entry_type, value=dict(value) if value is not None else None)


# --- conformance.toml -----------------------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    """What a connector's API can do; checks skip what it honestly cannot."""

    deletes_in_updates: bool = True


@dataclass(frozen=True)
class LiveSettings:
    """[live]: how the harness makes a real API serve small pages (live and record modes).

    `page_size_param` names the query parameter the connector sends its page size in (`_limit`
    for Kinto, `per_page` for GitHub); the harness rewrites it to `page_size` on every request
    that carries it (conformance/backends/pages.py). None: the harness takes the first common
    page-size parameter it recognises in a listing request (`limit`, `per_page`, ...), unless
    `guess_page_size` is false; then the API pages as it likes.
    """

    page_size_param: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    guess_page_size: bool = True
    # "host:port" a client the harness does not route may reach (live and record only):
    # unrecorded and unguarded, so the last resort for a client no stub catches
    allow_unrouted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """The harness settings of one connector folder (conformance.toml)."""

    mock: str | None = None
    transport: str = TRANSPORTS[0]
    capabilities: Capabilities = field(default_factory=Capabilities)
    # account.json keys that are configuration, not credentials ([account] settings): never masked
    account_settings: tuple[str, ...] = ()
    live: LiveSettings = field(default_factory=LiveSettings)


def parse_settings(data: Mapping[str, Any], source: str) -> Settings:
    """Turn a parsed conformance.toml into Settings; unknown keys and wrong types are errors."""
    known = {"mock": str, "transport": str, "capabilities": dict, "account": dict, "live": dict}
    _reject_unknown(data, known, source, "")
    mock = data.get("mock")
    transport = data.get("transport", TRANSPORTS[0])
    if transport not in TRANSPORTS:
        raise InputError(
            f"{source}: transport = {transport!r} is not supported; use one of "
            f"{', '.join(repr(t) for t in TRANSPORTS)}"
        )
    caps_raw = data.get("capabilities", {})
    cap_fields = {"deletes_in_updates": bool}
    _reject_unknown(caps_raw, cap_fields, source, "capabilities.")
    account_raw = data.get("account", {})
    _reject_unknown(account_raw, {"settings": list}, source, "account.")
    names = account_raw.get("settings", [])
    if not all(isinstance(n, str) and n for n in names):
        raise InputError(
            f"{source}: account.settings must list account.json keys as strings, e.g. "
            f'settings = ["bucket", "authMode"]; got {names!r}'
        )
    return Settings(
        mock=mock,
        transport=transport,
        capabilities=Capabilities(**caps_raw),
        account_settings=tuple(names),
        live=_parse_live(data.get("live", {}), source),
    )


_NOT_IN_A_NAME = set("=&?#/ ")
_NOT_IN_A_HOST = set("/?#@ ")


def _parse_live(raw: Mapping[str, Any], source: str) -> LiveSettings:
    known = {
        "page_size_param": str,
        "page_size": int,
        "guess_page_size": bool,
        "allow_unrouted": list,
    }
    _reject_unknown(raw, known, source, "live.")
    param = raw.get("page_size_param")
    if param is not None and (not param or _NOT_IN_A_NAME & set(param)):
        raise InputError(
            f"{source}: live.page_size_param must name the query parameter the connector sends "
            f'its page size in, e.g. page_size_param = "_limit"; got {param!r}'
        )
    size = raw.get("page_size", DEFAULT_PAGE_SIZE)
    if size < 1:
        raise InputError(
            f"{source}: live.page_size must be a whole number of records, at least 1 "
            f"(default {DEFAULT_PAGE_SIZE}); got {size!r}"
        )
    if "page_size" in raw and param is None:
        raise InputError(
            f"{source}: live.page_size is set but live.page_size_param is not; name the query "
            'parameter the connector sends its page size in, e.g. page_size_param = "_limit"'
        )
    hosts = tuple(_host_port(v, source) for v in raw.get("allow_unrouted", []))
    return LiveSettings(
        page_size_param=param,
        page_size=size,
        guess_page_size=raw.get("guess_page_size", True),
        allow_unrouted=hosts,
    )


def _host_port(value: Any, source: str) -> str:
    """One entry of live.allow_unrouted: "host:port", a port the connector connects to."""
    host, _, port = value.rpartition(":") if isinstance(value, str) else ("", "", "")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or _NOT_IN_A_HOST & set(host):
        raise InputError(
            f'{source}: live.allow_unrouted entries must be "host:port" (the address an '
            f'unrouted client connects to, e.g. "api.example.com:443"); got {value!r}'
        )
    return f"{host}:{int(port)}"


def _reject_unknown(
    data: Mapping[str, Any], known: Mapping[str, type], source: str, prefix: str
) -> None:
    for key, value in data.items():
        if key not in known:
            raise InputError(
                f"{source}: unknown key '{prefix}{key}'; known keys are "
                f"{', '.join(prefix + k for k in known)}"
            )
        expected = known[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            kind = {
                str: "a string",
                bool: "true or false",
                dict: "a table",
                list: "a list",
                int: "a whole number",
            }[expected]
            raise InputError(
                f"{source}: {prefix}{key} must be {kind}, got {type(value).__name__} {value!r}"
            )
