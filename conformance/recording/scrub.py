"""The one secret policy: what a cassette, a report, a terminal line or the CLI never shows.

A cassette is committed to a repository and a report or a pasted log is read by others, so
nothing that grants access may reach any of them. What counts as secret:
- every string value in account.json (recursively, 4 characters or more: shorter ones cannot be
  credentials, and replacing them would mangle unrelated text), plus the forms a client derives
  from them: URL-encoded, the host of a URL, and base64 of `a:b` pairs (HTTP Basic). URLs are
  not exempt: a token can sit in a `baseUrl`'s path. Keys that conformance.toml names under
  `[account] settings` (a bucket, an auth mode) are settings, not secrets, and are left alone;
- tokens learned while the run goes on (`Scrubber.learn`): credentials the connector puts in
  Authorization-like headers, and tokens an API issues from a token endpoint (a JSON response
  to an OAuth/login/token URL, or one shaped like an OAuth grant), so an access token fetched
  at run time is hidden wherever it appears next. A record field that merely happens to be
  named `token` in an ordinary response is data, not a credential, and is never touched;
- whole header values of Authorization, Cookie, Set-Cookie, API-key-like headers;
- values of query parameters named like credentials (access_token, api_key, signature, ...).

Placeholders name where a value came from (`<SECRET:password>`), so a cassette stays readable.
The same policy shows secrets as `***` on the user's terminal (author/console.py).
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
TOKEN_ENDPOINT = re.compile(r"oauth|token|auth|login|session|sign-?in", re.IGNORECASE)
GRANT_FIELDS = frozenset({"access_token", "refresh_token", "id_token", "token_type"})
CREDENTIAL_SCHEME = re.compile(r"^\s*(?:bearer|token|basic|digest|apikey|api-key)\s+(\S+)", re.I)


def account_secrets(account: Mapping[str, Any], *, settings: Iterable[str] = ()) -> dict[str, str]:
    """Map each secret value derived from account.json to its placeholder name.

    `settings` names account keys (top-level, or dotted paths like `storage.bucket`) whose values
    are configuration, not credentials: they are neither masked nor used to build Basic pairs.
    """
    kept = set(settings)
    leaves = {n: v for n, v in _string_leaves(account, "") if not _is_setting(n, kept)}
    secrets: dict[str, str] = {}
    for name, value in leaves.items():
        _add_forms(secrets, value, name)
    for name, value in leaves.items():
        host = urlsplit(value).netloc if "://" in value else ""
        if host:  # a tenant's host name also travels alone, in the Host header
            _add_forms(secrets, host, f"{name}.host")
    long_values = [(n, v) for n, v in leaves.items() if len(v) >= MIN_SECRET_LENGTH]
    for (n1, v1), (n2, v2) in itertools.permutations(long_values, 2):
        pair = f"{v1}:{v2}".encode()
        for encoded in (base64.b64encode(pair), base64.urlsafe_b64encode(pair)):
            secrets.setdefault(encoded.decode(), f"basic:{n1}:{n2}")
            secrets.setdefault(encoded.decode().rstrip("="), f"basic:{n1}:{n2}")
    return secrets


def _is_setting(name: str, settings: set[str]) -> bool:
    """Is this account leaf (or a table it sits in) named a setting in conformance.toml?"""
    path = re.sub(r"\[\d+\]", "", name)
    parts = path.split(".")
    return any(".".join(parts[: i + 1]) in settings for i in range(len(parts)))


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


def issued_secrets(body: str, url: str = "") -> dict[str, str]:
    """Tokens an API issued in a JSON response body (OAuth and friends), by field name.

    Only a token endpoint issues credentials: a response to a URL whose path says so
    (oauth, token, auth, login, session), or a body shaped like an OAuth grant (`access_token`,
    `token_type`). Anywhere else a field named `token` is record data and is left alone.
    """
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return {}
    grant = isinstance(data, dict) and bool(GRANT_FIELDS & {str(k).lower() for k in data})
    if not grant and not TOKEN_ENDPOINT.search(urlsplit(url).path):
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

    def learn(
        self,
        *,
        url: str = "",
        request_headers: Iterable[tuple[str, str]] = (),
        response_body: Any = None,
    ) -> None:
        """Learn the credentials one HTTP exchange sent or was issued (see the module doc)."""
        self.add(sent_secrets(request_headers))
        if isinstance(response_body, bytes):
            response_body = response_body.decode("utf-8", "replace")
        if isinstance(response_body, str) and response_body[:1] in "{[":
            self.add(issued_secrets(response_body, url))

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
        if not any(secret_param(k) for k, _ in pairs):
            return url
        cleaned = [
            (k, self.hidden(f"query.{k}") if secret_param(k) and not self._hidden(v) else v)
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


def sent_secrets(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Credentials the connector built into its request headers (`Bearer <token>`, API keys),
    so that the same value is hidden where it shows up elsewhere (a URL, an error message)."""
    found: dict[str, str] = {}
    for name, value in headers:
        if not SECRET_HEADER.search(name) or name.lower() in ("cookie", "set-cookie"):
            continue
        scheme = CREDENTIAL_SCHEME.match(value)
        credential = scheme.group(1) if scheme else value.strip()
        if PLACEHOLDER.fullmatch(credential) or credential == "***":
            continue
        _add_forms(found, credential, f"sent.{name.lower()}")
    return found


def secret_param(name: str) -> bool:
    """Is a query parameter of this name a credential (access_token, api_key, ...)?"""
    return name.lower().replace("-", "_") in SECRET_PARAMS


def restore(text: str, secrets: Mapping[str, str]) -> str:
    """Put the current account's plain values back where account placeholders stand."""
    by_name: dict[str, str] = {}
    for value, name in secrets.items():
        by_name.setdefault(name, value)  # the first form added is the plain value
    return PLACEHOLDER.sub(lambda m: by_name.get(m.group(0)[8:-1], m.group(0)), text)
