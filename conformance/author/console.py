"""What `syncpeng` prints: results on stdout, everything else on stderr, secrets never.

A result is pretty JSON: coloured on a terminal, plain when piped or redirected (so `syncpeng
get > cat.json` and `| jq` get clean JSON), or written to a file with -o. Errors, warnings,
notes and the -v HTTP exchanges go to stderr and pass through a `Masker` first, which hides the
credentials of account.json and the usual auth headers: a pasted log must not leak a token.
What counts as a secret is recording/scrub.py's one policy (account values and the forms a client
derives from them, credential headers and query parameters); here it shows as `***`.
Colour honours NO_COLOR and --color; pygments (already installed with pytest) is only imported
when colour is actually used, to keep the command's startup light.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from conformance.errors import InputError
from conformance.recording.scrub import Scrubber, account_secrets

MASK = "***"


class Masker:
    """Hides secrets in text, URLs and headers: scrub.py's one policy, shown as ***.

    URLs are not exempt (a token can sit in a `baseUrl`'s path); account keys conformance.toml
    names as settings stay visible. `learn` adds the credentials an HTTP exchange sent or was
    issued, so a token fetched at run time is masked in every line printed after it.
    """

    def __init__(
        self, account: Mapping[str, Any] | None = None, *, settings: Iterable[str] = ()
    ) -> None:
        secrets = account_secrets(account or {}, settings=settings)
        self._scrubber = Scrubber(secrets, mask=MASK)

    def learn(
        self, url: str, request_headers: Iterable[tuple[str, str]], response_body: Any
    ) -> None:
        self._scrubber.learn(url=url, request_headers=request_headers, response_body=response_body)

    def __call__(self, text: str) -> str:
        return self._scrubber.text(text)

    def url(self, url: str) -> str:
        """Account values, and credential-named query parameters (`?access_token=`), hidden."""
        return self._scrubber.url(url)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """One line per header, credential headers (Authorization, Cookie, ...) hidden whole."""
        hidden = self._scrubber.headers(headers.items())
        return {name: ", ".join(values) for name, values in hidden.items()}


def wants_color(stream: TextIO, choice: str = "auto") -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def to_json(value: Any) -> str:
    """Pretty JSON; a value that is not JSON (a connector bug) is still shown, via repr."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=repr)


class Console:
    """The command's two streams, with masking and colour decided once."""

    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO,
        *,
        color: str = "auto",
        masker: Masker | None = None,
    ) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.color_out = wants_color(stdout, color)
        self.color_err = wants_color(stderr, color)
        self.mask = masker or Masker()

    def result(self, value: Any, output: Path | None = None) -> None:
        text = to_json(value)
        if output is not None:
            try:
                output.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise InputError(f"-o {output}: cannot write ({exc.strerror or exc})") from None
            self.note(f"response written to {output}")
            return
        if self.color_out:
            text = _highlight(text)
        self.stdout.write(text.rstrip("\n") + "\n")
        self.stdout.flush()

    def error(self, message: str) -> None:
        self._err("syncpeng: error: ", "31", message)

    def warn(self, message: str) -> None:
        self._err("syncpeng: warning: ", "33", message)

    def note(self, message: str) -> None:
        self._err("", "2", message)

    def detail(self, text: str) -> None:
        """A multi-line block (a traceback with -v, a check's failure report)."""
        self.stderr.write(self.mask(text).rstrip("\n") + "\n")
        self.stderr.flush()

    def exchange(self, text: str) -> None:
        self._err("", "36", text)

    def _err(self, prefix: str, sgr: str, message: str) -> None:
        line = prefix + self.mask(message)
        if self.color_err:
            line = f"\x1b[{sgr}m{line}\x1b[0m"
        self.stderr.write(line + "\n")
        self.stderr.flush()


def _highlight(text: str) -> str:
    try:
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import JsonLexer
    except ImportError:  # pragma: no cover - pygments comes with pytest
        return text
    return highlight(text, JsonLexer(), TerminalFormatter())
