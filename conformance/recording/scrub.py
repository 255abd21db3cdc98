"""Keep secrets out of cassettes: every credential is replaced by a named placeholder.

A cassette is committed to a repository, so nothing that grants access may reach it. What counts
as secret:
- every string value in account.json (recursively, 4 characters or more: shorter ones cannot be
  credentials, and replacing them would mangle unrelated text), plus the forms a client derives
  from them: URL-encoded, the host of a URL, and base64 of `a:b` pairs (HTTP Basic);
- tokens an API hands out during the run (OAuth exchanges): values of JSON fields named like
  token, access_token, refresh_token, secret, password, apiKey in any response body;
- whole header values of Authorization, Cookie, Set-Cookie, API-key-like headers;
- values of query parameters named like credentials (access_token, api_key, signature, ...).

Placeholders name where a value came from (`<SECRET:password>`), so a cassette stays readable.
The `syncpeng` command shows the same secrets as `***` on the user's terminal (cli/console.py),
where the account's plain URLs (a `baseUrl` without credentials in it) stay visible: they say
where a call went, and they are scrubbed from cassettes only so a cassette replays with any
account, not because they grant access.
Account placeholders are *restored* with the current account's values when a response is
replayed (a `Next-Page` URL must point somewhere real), and both the recorded and the replayed
request are scrubbed the same way before they are compared, so the same cassette replays with
any account.json.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

MIN_SECRET_LENGTH = 4
SECRET_HEADER = re.compile(
    r"authorization|cookie|token|secret|api[-_]?key|password|passwd|session|signature|"
    r"x-amz-security|credential",
    re.IGNORECASE,
)
SECRET_PARAMS = frozenset(
    {
        "access_token", "refresh_token", "id_token", "token", "auth", "auth_token", "api_key",
        "apikey", "key", "secret", "client_secret", "password", "passwd", "pwd", "signature",
        "sig", "session", "sessionid", "code", "private_token", "x-api-key",
    }
)  # fmt: skip
SECRET_FIELD = re.compile(
    r"^(access_?token|refresh_?token|id_?token|token|auth_?token|secret|client_?secret|"
    r"password|api_?key|session_?token|bearer)$",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(r"<SECRET:[^<>\s]+>")
URL_KEY = re.compile(r"(url|host|endpoint|domain)$", re.IGNORECASE)


def account_secrets(account: Mapping[str, Any], *, urls: bool = True) -> dict[str, str]:
    """Map each secret value derived from account.json to its placeholder name.

    With `urls=False`, plain URLs (keys named like url/host/endpoint/domain, with no `@` in the
    value) and their hosts are left out: for output a person reads, not for cassettes.
    """
    leaves = dict(_string_leaves(account, ""))
    shown = {n for n, v in leaves.items() if not urls and _plain_url(n, v)}
    secrets: dict[str, str] = {}
    for name, value in leaves.items():
        if name not in shown:
            _add_forms(secrets, value, name)
    for name, value in leaves.items():
        host = urlsplit(value).netloc if "://" in value and name not in shown else ""
        if host:  # a tenant's host name also travels alone, in the Host header
            _add_forms(secrets, host, f"{name}.host")
    long_values = [(n, v) for n, v in leaves.items() if len(v) >= MIN_SECRET_LENGTH]
    for (n1, v1), (n2, v2) in itertools.permutations(long_values, 2):
        pair = f"{v1}:{v2}".encode()
        for encoded in (base64.b64encode(pair), base64.urlsafe_b64encode(pair)):
            secrets.setdefault(encoded.decode(), f"basic:{n1}:{n2}")
            secrets.setdefault(encoded.decode().rstrip("="), f"basic:{n1}:{n2}")
    return secrets


def _plain_url(name: str, value: str) -> bool:
    key = re.sub(r"\[\d+\]$", "", name).rsplit(".", 1)[-1]
    return bool(URL_KEY.search(key)) and "@" not in value


def _add_forms(secrets: dict[str, str], value: str, name: str) -> None:
    if len(value) < MIN_SECRET_LENGTH:
        return
    for form in (value, quote(value, safe=""), quote_plus(value), quote(value)):
        secrets.setdefault(form, name)


def _string_leaves(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path or "value", node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _string_leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_leaves(value, f"{path}[{index}]")


def issued_secrets(body: str) -> dict[str, str]:
    """Tokens an API issued in a JSON response body (OAuth and friends), by field name."""
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return {}
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and SECRET_FIELD.match(str(key)):
                    _add_forms(found, value, f"issued.{key}")
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


class Scrubber:
    """Replaces known secret values (longest first) and credential-shaped parts by placeholders.

    With a `mask` (e.g. `***`), every secret becomes the mask instead of its named placeholder.
    """

    def __init__(self, secrets: Mapping[str, str] | None = None, *, mask: str = "") -> None:
        self.secrets: dict[str, str] = {}
        self.mask = mask
        self._pattern: re.Pattern[str] | None = None
        self.add(secrets or {})

    def hidden(self, name: str) -> str:
        """What a secret named `name` is shown as."""
        return self.mask or f"<SECRET:{name}>"

    def add(self, secrets: Mapping[str, str]) -> None:
        fresh = {v: n for v, n in secrets.items() if v and v not in self.secrets}
        if not fresh:
            return
        self.secrets.update(fresh)
        ordered = sorted(self.secrets, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def text(self, value: str) -> str:
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(lambda m: self.hidden(self.secrets[m.group(0)]), value)

    def url(self, url: str) -> str:
        url = self.text(url)
        parts = urlsplit(url)
        if not parts.query:
            return url
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not any(_secret_param(k) for k, _ in pairs):
            return url
        cleaned = [
            (k, self.hidden(f"query.{k}") if _secret_param(k) and not self._hidden(v) else v)
            for k, v in pairs
        ]
        query = urlencode(cleaned, safe="<>:." + self.mask)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

    def headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in headers:
            if SECRET_HEADER.search(name):
                value = self.hidden(f"header.{name.lower()}")
            else:
                value = self.text(value)
            out.setdefault(name.lower(), []).append(value)
        return out

    def _hidden(self, value: str) -> bool:
        return value == self.mask if self.mask else bool(PLACEHOLDER.fullmatch(value))


def _secret_param(name: str) -> bool:
    return name.lower().replace("-", "_") in SECRET_PARAMS


def restore(text: str, secrets: Mapping[str, str]) -> str:
    """Put the current account's plain values back where account placeholders stand."""
    by_name: dict[str, str] = {}
    for value, name in secrets.items():
        by_name.setdefault(name, value)  # the first form added is the plain value
    return PLACEHOLDER.sub(lambda m: by_name.get(m.group(0)[8:-1], m.group(0)), text)
