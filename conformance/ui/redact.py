"""What may be rendered: every string the page shows passes here, in every view.

Two lines of defence, the same two the recording audit (recording/audit.py) uses: the CLI's
`Masker` (account.json's values and the forms a client derives, credential headers such as
Authorization or `x-api-key` hidden whole), then detect-secrets' detectors (Stripe, AWS, GitHub
key shapes, JWTs, private keys, `password = ...`) on each line, so a credential nobody told the
harness about, planted in a hand-edited cassette or printed by a module, is shown as `***` too.
The audit's two high-entropy detectors are left out for the audit's reason: record ids, etags
and sync tokens are random by nature and would be masked everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from conformance.cli.console import MASK, Masker
from conformance.recording.scrub import PLACEHOLDER, SECRET_HEADER

_SCHEME = re.compile(r"^\s*(?:bearer|basic|token|digest|apikey|api-key)\b", re.IGNORECASE)
_TOO_NOISY = frozenset({"Base64HighEntropyString", "HexHighEntropyString"})
_LONGEST_LINE = 20_000  # a longer line is data (a base64 blob), scanned no further


@lru_cache(maxsize=1)
def _detectors() -> tuple[Any, ...]:
    from detect_secrets.settings import default_settings, get_plugins

    with default_settings():
        return tuple(d for d in get_plugins() if type(d).__name__ not in _TOO_NOISY)


def detected(text: str, key: str = "") -> set[str]:
    """The secret values detect-secrets sees in `text` (one line at a time, beside `key`)."""
    found: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or len(line) > _LONGEST_LINE:
            continue
        quoted = json.dumps({key: line}) if key else json.dumps(line)
        for detector in _detectors():
            for secret in detector.analyze_line(filename="ui", line=quoted, line_number=1):
                value = secret.secret_value or ""
                if value and not PLACEHOLDER.fullmatch(value) and value != MASK:
                    found.add(value)
    return found


class Redactor:
    """A `Masker` with the audit's detectors behind it."""

    def __init__(self, masker: Masker) -> None:
        self.masker = masker

    def __call__(self, text: str, key: str = "") -> str:
        text = self.masker(text)
        for secret in sorted(detected(text, key), key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def header_lines(self, headers: Iterable[tuple[str, str]]) -> str:
        """`name: value` lines; a credential-named header's value is hidden whole."""
        lines = []
        for name, value in headers:
            # A credential header shows only if all it holds is the recording's placeholders
            # (`Basic <SECRET:header.authorization>`): the author sees what was hidden.
            rest = _SCHEME.sub("", PLACEHOLDER.sub("", value)).strip()
            hidden = SECRET_HEADER.search(name) and rest
            lines.append(f"{name}: {MASK if hidden else self(value, name)}")
        return "\n".join(lines)

    def deep(self, data: Any) -> Any:
        """Every string of a JSON-like value redacted (keys give the detectors context)."""
        if isinstance(data, str):
            return self(data)
        if isinstance(data, dict):
            return {k: self(v, k) if isinstance(v, str) else self.deep(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.deep(v) for v in data]
        return data
