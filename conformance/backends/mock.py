"""The API a check talks to. Checks never know which one; they get an account and maybe knobs.

In mock mode the connector's account is pointed at a fresh instance of the mock its
conformance.toml names, served in-process through respx (httpx clients) or on 127.0.0.1 (any
client), and the mock object itself is handed to the checks as the control surface.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from conformance.connector.load import ConnectorSpec
from conformance.errors import InputError

# auto, live, record and replay are served by conformance/realapi.py (the runner dispatches).
MODES = ("auto", "mock", "live", "record", "replay")


@contextmanager
def provide_api(
    spec: ConnectorSpec, *, mode: str = "mock", transport: str | None = None
) -> Iterator[tuple[dict[str, Any], Any]]:
    """Yield (account for init, control object or None) for one check's duration."""
    if mode != "mock":
        raise InputError(f"--connector-mode={mode} is not available yet; use --connector-mode=mock")
    api = _mock_for(spec)
    account = dict(spec.account)
    if (transport or spec.settings.transport) == "loopback":
        with api.serve() as url:
            account["baseUrl"] = url
            yield account, api
    else:
        with api.mock_httpx():
            account["baseUrl"] = api.base_url
            yield account, api


def check_mode(spec: ConnectorSpec, mode: str) -> None:
    """Fail before any check runs when the connector cannot run in this mode at all."""
    if mode == "mock":
        _mock_factory(spec)


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
