"""The audit of committed cassettes: anything secret-looking left in them is a finding.

Scrubbing happens when a cassette is written; the audit is the second line of defence that CI
runs over what is committed, since a cassette may have been edited by hand, recorded by an older
harness, or hold a credential nobody told the harness about. So it looks two ways:
- without the account: detect-secrets' detectors (Stripe/AWS/GitHub/Slack/... key shapes, JWTs,
  private keys, `password = ...` keywords, credentials in URLs), run on every string of the
  cassette and of every JSON body inside it, with key context so a keyword detector sees
  `"password": "..."`; plus this harness's own policy (scrub.py): a credential header, a
  credential-named query parameter or an OAuth grant field left unscrubbed. Its two
  high-entropy detectors are left out: a cassette is full of record ids, etags, sync cursors and
  run ids that are random by nature (they flagged 241 strings of the committed Kinto cassettes,
  none secret); an issued token is caught where it travels instead (headers, parameters, grant
  fields), and by the scrubber's learning when the cassette is written;
- with the account (`--account`): every value of account.json and the forms a client derives.
The harness's own tokens (`<SECRET:...>` placeholders, `conformance-run-<id>` markers) are taken
out of a string before the detectors see it: they are there by design and hold nothing secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.errors import InputError
from conformance.recording.scrub import (
    PLACEHOLDER,
    SECRET_HEADER,
    Scrubber,
    account_secrets,
    secret_param,
)

_HARNESS_TOKENS = re.compile(PLACEHOLDER.pattern + r"|conformance-run-[0-9a-f]{12}")
_GRANT_FIELD = re.compile(r"(access_?token|refresh_?token|id_?token|client_?secret|password)", re.I)
_TOO_NOISY = frozenset({"Base64HighEntropyString", "HexHighEntropyString"})
_QUERY_PARAM = re.compile(r"[?&]([^=&#\s\"]+)=([^&#\s\"]*)")


@dataclass(frozen=True)
class Finding:
    path: Path
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.what}"


def audit(
    paths: Iterable[Path],
    account: Mapping[str, Any] | None = None,
    *,
    settings: Iterable[str] = (),
) -> list[Finding]:
    """Every secret-looking value left in the given cassette files (or folders of them)."""
    # Imported when an audit runs: detect-secrets (and requests, which it imports) cost every
    # pytest run ~0.15 s of start-up otherwise.
    from detect_secrets.settings import default_settings, get_plugins

    secrets = Scrubber(account_secrets(account or {}, settings=settings))
    findings: list[Finding] = []
    with default_settings():  # every detector detect-secrets ships, its default limits
        detectors = _Detectors([d for d in get_plugins() if type(d).__name__ not in _TOO_NOISY])
        for path in _cassette_files(paths):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                findings.append(Finding(path, "file", f"unreadable, cannot be audited ({exc})"))
                continue
            for where, key, text in _strings(data, "", ""):
                findings += _audit_text(path, where, key, text, secrets, detectors)
    return list(dict.fromkeys(findings))


def _audit_text(
    path: Path, where: str, key: str, text: str, secrets: Scrubber, detectors: _Detectors
) -> list[Finding]:
    found = []
    if secrets.secrets and secrets.text(text) != text:
        found.append(Finding(path, where, "holds a value of account.json"))
    found += [Finding(path, where, f"holds {kind}") for kind in detectors.kinds(key, text)]
    header = SECRET_HEADER.search(key) and re.search(r"headers\.[^.]+\[\d+\]$", where)
    if header and not PLACEHOLDER.fullmatch(text):
        found.append(Finding(path, where, "a credential header that was not scrubbed"))
    for name, value in _QUERY_PARAM.findall(text):
        if secret_param(name) and value and not _placeholder_only(value):
            found.append(Finding(path, where, f"a credential query parameter {name!r}"))
    if _GRANT_FIELD.fullmatch(key) and not PLACEHOLDER.fullmatch(text):
        found.append(Finding(path, where, "a token field that was not scrubbed"))
    if text[:1] in "{[":
        try:
            inner = json.loads(text)
        except ValueError:
            return found
        for sub, sub_key, value in _strings(inner, where + ":json", key):
            found += _audit_text(path, sub, sub_key, value, secrets, detectors)
    return found


class _Detectors:
    """detect-secrets' detectors over one string, quoted beside its key as in JSON, each line
    judged once: a cassette repeats the same headers and bodies thousands of times (nine strings
    in ten of the committed ones are repeats), and the detectors' answer depends on the line
    alone, so a repeat is answered from memory instead of costing every detector again."""

    def __init__(self, detectors: list[Any]) -> None:
        self._detectors = detectors
        self._seen: dict[str, list[str]] = {}

    def kinds(self, key: str, text: str) -> list[str]:
        cleaned = _HARNESS_TOKENS.sub("", text)
        line = json.dumps({key: cleaned}) if key else json.dumps(cleaned)
        if line not in self._seen:
            self._seen[line] = self._analyze(line)
        return self._seen[line]

    def _analyze(self, line: str) -> list[str]:
        kinds = []
        for detector in self._detectors:
            for secret in detector.analyze_line(filename="cassette.json", line=line, line_number=1):
                kinds.append(f"a {secret.type} (detect-secrets)")
        return list(dict.fromkeys(kinds))


def _placeholder_only(value: str) -> bool:
    from urllib.parse import unquote

    return bool(PLACEHOLDER.fullmatch(unquote(value))) or value == "***"


def _strings(node: Any, path: str, key: str) -> Iterator[tuple[str, str, str]]:
    """(where, the key it sits under, the string) for every string in a JSON document."""
    if isinstance(node, str):
        yield path, key, node
    elif isinstance(node, dict):
        for name, value in node.items():
            yield from _strings(value, f"{path}.{name}" if path else str(name), str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]", key)


def _cassette_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such cassette file or folder")
