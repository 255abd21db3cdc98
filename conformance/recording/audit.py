"""The audit of committed cassettes: anything secret-looking left in them is a finding.

Scrubbing happens when a cassette is written; the audit is the second line of defence that CI
runs over what is committed, since a cassette may have been edited by hand or recorded by an
older harness.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.errors import InputError
from conformance.recording.scrub import PLACEHOLDER, Scrubber, account_secrets

_SUSPECT = [
    ("a Bearer token", re.compile(r"\bBearer\s+(?!<SECRET:)[A-Za-z0-9\-._~+/]{8,}=*")),
    ("a Basic credential", re.compile(r"\bBasic\s+(?!<SECRET:)[A-Za-z0-9+/]{6,}=*")),
    (
        "a credential-like query parameter",
        re.compile(
            r"[?&](?:access_token|refresh_token|id_token|token|api_?key|apikey|key|secret|"
            r"client_secret|password|signature|sig)=(?!%3CSECRET|<SECRET)[^&\s\"]{4,}",
            re.IGNORECASE,
        ),
    ),
]


_TOKEN_FIELD = re.compile(r"(access_?token|refresh_?token|id_?token|client_?secret|password)", re.I)


@dataclass
class Finding:
    path: Path
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.what}"


def audit(paths: Iterable[Path], account: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every secret-looking value left in the given cassette files (or folders of them)."""
    secrets = Scrubber(account_secrets(account or {}))
    findings: list[Finding] = []
    for path in _cassette_files(paths):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            findings.append(Finding(path, "file", f"unreadable, cannot be audited ({exc})"))
            continue
        for where, text in _strings(data, ""):
            findings += _audit_text(path, where, text, secrets)
    return findings


def _audit_text(path: Path, where: str, text: str, secrets: Scrubber) -> list[Finding]:
    found = []
    if secrets.secrets and secrets.text(text) != text:
        found.append(Finding(path, where, "holds a value of account.json"))
    for what, pattern in _SUSPECT:
        if pattern.search(text):
            found.append(Finding(path, where, f"holds {what}"))
    header = re.search(r"(^|\.)(authorization|cookie|set-cookie|x-api-key)\[", where, re.I)
    if header and not PLACEHOLDER.fullmatch(text):
        found.append(Finding(path, where, "a credential header that was not scrubbed"))
    field_name = where.rsplit(".", 1)[-1]
    if _TOKEN_FIELD.fullmatch(field_name) and not PLACEHOLDER.fullmatch(text):
        found.append(Finding(path, where, "a token field that was not scrubbed"))
    if text[:1] in "{[":
        try:
            inner = json.loads(text)
        except ValueError:
            return found
        for sub, value in _strings(inner, where + ":json"):
            found += _audit_text(path, sub, value, secrets)
    return found


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")


def _cassette_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such cassette file or folder")
