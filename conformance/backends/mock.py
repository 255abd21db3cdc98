"""The mock backend: a fresh instance of the mock conformance.toml names, per check.

The connector's account is pointed at the mock, which answers at the end of the request
pipeline, in process (the default: every routed client, no socket), or served on 127.0.0.1
(`transport = "loopback"`: also a client the harness does not route reaches it). The mock object
itself is the checks' control surface (clock, faults, other clients' writes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar
from urllib.parse import urlsplit

from conformance.backends.base import BaseBackend
from conformance.connector.load import ConnectorSpec
from conformance.errors import InputError
from conformance.http.faults import FaultStage
from conformance.http.pipeline import Pipeline, Step, use
from conformance.http.terminals import MockTerminal, NetworkTerminal
from conformance.options import Options


class MockBackend(BaseBackend):
    name: ClassVar[str] = "mock"
    provides: ClassVar[frozenset[str]] = frozenset({"mock"})

    def __init__(
        self, spec: ConnectorSpec, options: Options, account: dict[str, Any], api: Any
    ) -> None:
        super().__init__(spec, options, account)
        self.api = api

    @classmethod
    def validate(cls, spec: ConnectorSpec) -> None:
        _mock_factory(spec)

    @classmethod
    @contextmanager
    def open(cls, spec: ConnectorSpec, check: str, options: Options) -> Iterator[MockBackend]:
        faults = FaultStage()
        with provide_api(spec, transport=options.transport, steps=[faults]) as (account, api):
            backend = cls(spec, options, account, api)
            backend.faults = faults
            yield backend

    @property
    def mock(self) -> Any:
        return self.api

    def reset(self) -> None:
        self.api.reset()

    def coverage(self) -> dict[str, int]:
        return {"pages crossed": getattr(self.api, "pages_followed", 0)}


@contextmanager
def provide_api(
    spec: ConnectorSpec, *, transport: str | None = None, steps: Sequence[Step] = ()
) -> Iterator[tuple[dict[str, Any], Any]]:
    """Yield (account for init, the mock) for as long as the mock is served, with the
    pipeline that answers from it active (`steps` ahead of it: the backend's fault stage)."""
    api = _mock_for(spec)
    account = dict(spec.account)
    if _transport(spec, transport) == "loopback":
        with api.serve() as url:
            account["baseUrl"] = url
            direct = urlsplit(url).netloc
            pipeline = Pipeline(steps, NetworkTerminal(only=[url]), offline=True, direct=[direct])
            with use(pipeline):
                yield account, api
    else:
        account["baseUrl"] = api.base_url
        with use(Pipeline(steps, MockTerminal(api), offline=True, in_memory=True)):
            yield account, api


def _transport(spec: ConnectorSpec, requested: str | None) -> str:
    return requested or spec.settings.transport


def _mock_factory(spec: ConnectorSpec) -> Any:
    import mock_api

    where = f"{spec.folder / 'conformance.toml'}" if spec.folder else spec.name
    if not spec.settings.mock:
        raise InputError(
            f'{where}: names no mock API; add mock = "cats" (a bundled mock) or '
            '"package.module:factory" to run in mock mode'
        )
    try:
        return mock_api.load_mock(spec.settings.mock)
    except (LookupError, ValueError, ImportError) as exc:
        raise InputError(f"{where}: mock = {spec.settings.mock!r}: {exc}") from None


def _mock_for(spec: ConnectorSpec) -> Any:
    factory = _mock_factory(spec)
    token = spec.account.get("apiToken")
    return factory(tokens={token} if isinstance(token, str) and token else None)
