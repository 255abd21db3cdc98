"""The error each client behind vcrpy's stubs raises when the harness gives no answer.

The stubs answer from `getresponse()` (vcrpy defers the connection to it), so an error must be
one the client turns into its own at that point, with the harness's message kept inside:
- requests/urllib3 wrap an OSError from getresponse in their ConnectionError, but a socket
  timeout becomes "Read timed out." with the cause dropped: the timeout is raised as urllib3's
  own ReadTimeoutError, which requests turns into its ReadTimeout, message kept;
- urllib wraps an OSError in URLError only around sending, not around getresponse: the error
  is a URLError and the matching OSError at once, so `except URLError` and `except OSError`
  (or ConnectionRefusedError, TimeoutError) both see it, as a raw http.client user expects;
- aiohttp: its ClientOSError, or ServerTimeoutError (an asyncio.TimeoutError too).
"""

from __future__ import annotations

import errno
import urllib.error

from conformance.http.message import HttpFailure

_OS_ERRORS: dict[str, type[OSError]] = {
    "connect": ConnectionRefusedError,
    "blocked": ConnectionRefusedError,
    "unmatched": ConnectionRefusedError,
    "reset": ConnectionResetError,
    "timeout": TimeoutError,
}
_ERRNO = {"reset": errno.ECONNRESET, "timeout": errno.ETIMEDOUT}


def error(failure: HttpFailure, client: str, url: str) -> Exception:
    code = _ERRNO.get(failure.kind, errno.ECONNREFUSED)
    if client == "aiohttp":
        import aiohttp

        if failure.kind == "timeout":
            return aiohttp.ServerTimeoutError(failure.message)
        return aiohttp.ClientOSError(code, failure.message)
    if client in ("requests", "urllib3") and failure.kind == "timeout":
        from urllib3.exceptions import ReadTimeoutError

        late = ReadTimeoutError(None, url, failure.message)  # type: ignore[arg-type]
        late.args = (failure.message,)  # not "None: ...": there is no pool to name
        return late
    base = _OS_ERRORS[failure.kind]
    if client == "http.client":
        return _url_error(base)(base(code, failure.message))
    return base(code, failure.message)


_URL_ERRORS: dict[type[OSError], type[OSError]] = {}


def _url_error(base: type[OSError]) -> type[OSError]:
    """URLError and `base` in one class (the OS error is its reason)."""
    if base not in _URL_ERRORS:
        _URL_ERRORS[base] = type(f"URLError{base.__name__}", (urllib.error.URLError, base), {})
    return _URL_ERRORS[base]
