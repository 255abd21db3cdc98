"""`syncpeng init|get|insert|patch|delete|getupdates`: one connector method, fed by in.json.

The call goes through the harness's own `Session`, so what the author sees here is what the
checks see: init with the account first, one event loop, the per-call timeout, and results
validated against the contract (a getUpdates that returns `entires` is reported as such, with
the raw response still shown so the author can see what went wrong).

With `mock=True` the connector's account is pointed at the bundled mock its conformance.toml
names (the same `provide_api` the checks use), and the mock's records are kept in
`.syncpeng-mock.json` beside the connector between invocations: `syncpeng insert --mock` then
`syncpeng get --mock` finds the record. `-v` shows each HTTP exchange (request and response,
headers included, credentials masked) as the request pipeline saw it, whatever the client.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.author.console import Masker
from conformance.author.in_json import init_block, method_input
from conformance.connector.accounts import ACCOUNT_FILE, EXAMPLE_FILE, env_name, resolve_account
from conformance.connector.files import read_json_object
from conformance.connector.load import ConnectorSpec, load_connector, method_names
from conformance.errors import ConnectorCallError, InputError
from conformance.http.message import Exchange
from conformance.http.pipeline import Pipeline, active, use
from conformance.http.terminals import NetworkTerminal
from conformance.options import DEFAULT_TIMEOUT
from conformance.runtime.session import Session

STATE_FILE = ".syncpeng-mock.json"
# --mock with neither account.json nor account.example.json: the bundled mocks take any bearer
# token, and provide_api sets baseUrl.
MOCK_STAND_IN = {"apiToken": "syncpeng-mock-token"}
NOTHING = object()  # "the call returned no value at all" (it raised before returning)


@dataclass
class Request:
    """One command as the user gave it."""

    command: str  # init | get | insert | patch | delete | getupdates
    connector: str = "."
    input_file: str | None = None  # default: in.json beside the connector
    overrides: dict[str, Any] = field(default_factory=dict)  # e.g. {"id": ...} from --id
    mock: bool = False
    mock_reset: bool = False
    transport: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    inputs: dict[str, Any] | None = None  # in.json's blocks given directly (the UI's editor)


@dataclass
class Reply:
    """What the method returned (`NOTHING` if it raised), and the failure if there was one."""

    value: Any = NOTHING
    failure: ConnectorCallError | None = None
    warnings: list[str] = field(default_factory=list)
    masker: Masker = field(default_factory=Masker)
    # Every HTTP exchange of the run, in the order they finished, as the pipeline saw them: `-v`
    # prints them, the UI shows them. Raw: show them only through `masker`, which has by then
    # learnt every token the traffic carried.
    exchanges: list[Exchange] = field(default_factory=list)


Say = Callable[[str], None]


def prepare(request: Request) -> tuple[ConnectorSpec, dict[str, Any], Any, Reply]:
    """Load and check everything before the connector runs: bad input stops here, exit 2."""
    spec = load_connector(request.connector)
    folder = spec.folder or Path.cwd()
    account = _account(spec.name, folder, mock=request.mock)
    in_path = Path(request.input_file) if request.input_file else folder / "in.json"
    inputs = request.inputs
    if inputs is None:
        inputs = read_json_object(in_path, required=False)
    account.update(init_block(inputs, in_path))
    reply = Reply(masker=Masker(account, settings=spec.settings.account_settings))
    call = None
    if request.command != "init":
        call = method_input(inputs, request.command, in_path, overrides=request.overrides)
        reply.warnings.extend(call.warnings)
    return spec, account, call, reply


def run(request: Request, *, show_exchange: Say | None = None) -> Reply:
    """Run the command; connector trouble is returned in `Reply.failure`, never raised."""
    spec, account, call, reply = prepare(request)
    spec.account = account
    try:
        recorder = _Recorder(spec.create())
    except Exception as exc:  # the DataSource constructor itself raised
        reply.failure = ConnectorCallError("DataSource()", f"raised {type(exc).__name__}: {exc}")
        return reply
    with _api(spec, request, show_exchange, reply) as run_account:
        try:
            session = Session(
                recorder, run_account, timeout=request.timeout, names=method_names(spec)
            )
        except ConnectorCallError as exc:
            reply.failure = exc
            return reply
        try:
            if call is not None:
                _invoke(session, call.method, call.args)
        except ConnectorCallError as exc:
            reply.failure = exc
        finally:
            session.close()
        reply.value = recorder.last if call is not None else None
    return reply


def _invoke(session: Session, method: str, args: tuple[Any, ...]) -> None:
    """Through the Session's validated calls, so contract violations surface here too."""
    {
        "get": session.get,
        "insert": session.insert,
        "patch": session.patch,
        "delete": session.delete,
        "get_updates": session.get_updates,
    }[method](*args)


def _account(name: str, folder: Path, *, mock: bool) -> dict[str, Any]:
    """The account, found as every face finds it (connector/accounts.py: the environment variable
    CONFORMANCE_ACCOUNT_<NAME>, else account.json), checked against the keys
    account.example.json says a connector needs. With --mock no account is needed (the README
    promises it): the example's values, which the bundled mock accepts, stand in for it; a
    real run with placeholders would send them to the real API, so only --mock may."""
    path = folder / ACCOUNT_FILE
    example_path = folder / EXAMPLE_FILE
    account, source = resolve_account(name, folder)
    if not source.is_real:
        if mock:
            return dict(account) or dict(MOCK_STAND_IN)
        fix = (
            f"copy {example_path.name} to {ACCOUNT_FILE} and fill in your credentials"
            if example_path.exists()
            else 'create it with the credentials init needs, e.g. {"apiToken": "..."}'
        )
        raise InputError(
            f"{path}: file not found; {fix} (or set {env_name(name)}, or add --mock to run "
            "against the bundled mock API, which needs no account)"
        )
    where = path if source.kind == "file" else source.describe()
    example = read_json_object(example_path, required=False) or {}
    for key, placeholder in example.items():
        if key not in account:
            raise InputError(
                f'{where}: no "{key}" (account.example.json lists it); add "{key}": ...'
            )
        if account[key] in ("", None):
            raise InputError(f'{where}: "{key}" is empty; put your credential there')
        if not mock and account[key] == placeholder and isinstance(placeholder, str):
            raise InputError(
                f'{where}: "{key}" is still the placeholder from account.example.json; '
                "put your credential there, or add --mock to run against the bundled mock API"
            )
    return account


@contextmanager
def _api(
    spec: ConnectorSpec, request: Request, show: Say | None, reply: Reply
) -> Iterator[dict[str, Any]]:
    """The account to init with, with the mock (and its saved state) around the run if asked,
    and every HTTP exchange watched on the way (the same pipeline the checks use)."""
    if not request.mock:
        pipeline = Pipeline([], NetworkTerminal(), offline=False)
        with use(pipeline), _watched(pipeline, show, reply):
            yield dict(spec.account)
        return
    from conformance.backends.mock import provide_api
    from mock_api.state import clear_state, load_state, save_state

    folder = spec.folder or Path.cwd()
    state = folder / STATE_FILE
    if request.mock_reset:
        clear_state(state)
    with provide_api(spec, transport=request.transport) as (account, api):
        try:
            load_state(api, state)
        except (ValueError, TypeError) as exc:
            raise InputError(f"{exc}; run again with --mock-reset to start afresh") from None
        try:
            with _watched(active(), show, reply):
                yield account
        finally:
            try:
                save_state(api, state)
            except (OSError, TypeError) as exc:
                raise InputError(f"{state}: cannot save the mock's records ({exc})") from None


@contextmanager
def _watched(pipeline: Pipeline, show: Say | None, reply: Reply) -> Iterator[None]:
    """Keep every exchange in `reply.exchanges` (the one way traffic is watched: `-v` prints
    this list, the UI shows it), teach the masker every token the traffic sent or was issued,
    then (with -v) print each exchange: after the call, so a token issued at run time is hidden
    in every line."""
    seen = reply.exchanges
    masker = reply.masker
    with pipeline.watching(seen.append):
        try:
            yield
        finally:
            for exchange in seen:
                answer = exchange.response
                masker.learn(
                    exchange.request.url, exchange.request.headers, answer.body if answer else b""
                )
            if show is not None:
                for exchange in seen:
                    _print_exchange(show, masker, exchange)


def _print_exchange(show: Say, masker: Masker, exchange: Exchange) -> None:
    sent, answer = exchange.request, exchange.response
    show(f"> {sent.method} {masker.url(sent.url)}  ({sent.client or 'http'})")
    for name, value in masker.headers(_joined(sent.headers)).items():
        show(f">   {name}: {value}")
    if sent.body:
        show(f">   {masker(_clip(sent.body))}")
    took = f"{exchange.seconds * 1000:.1f} ms"
    if answer is None:
        failure = exchange.failure
        show(f"< failed ({exchange.source}, {took}): {masker(str(failure))}")
        return
    show(f"< {answer.status} ({answer.source}, {took})")
    for name, value in masker.headers(_joined(answer.headers)).items():
        show(f"<   {name}: {value}")
    if answer.body:
        show(f"<   {masker(_clip(answer.body))}")


def _joined(headers: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _clip(body: bytes, limit: int = 400) -> str:
    text = body.decode("utf-8", "replace")
    with suppress(ValueError):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Recorder:
    """A `Connector` that passes every call through and keeps the last raw result.

    The Session validates (and for insert, reduces to the id); the CLI prints what the
    connector actually returned, so the author sees their own response.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.last: Any = NOTHING

    async def _through(self, name: str, *args: Any) -> Any:
        self.last = NOTHING
        self.last = result = await getattr(self._inner, name)(*args)
        return result

    async def init(self, account: Mapping[str, Any]) -> None:
        return await self._through("init", account)

    async def get(self, id: str) -> Any:
        return await self._through("get", id)

    async def insert(self, value: dict[str, Any]) -> Any:
        return await self._through("insert", value)

    async def patch(self, id: str, value: dict[str, Any]) -> Any:
        return await self._through("patch", id, value)

    async def delete(self, id: str) -> Any:
        return await self._through("delete", id)

    async def get_updates(self, last_sync: Any) -> Any:
        return await self._through("get_updates", last_sync)

    async def close(self) -> None:
        await self._inner.close()
