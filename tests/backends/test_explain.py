"""What the harness says when a real API refuses a call: the API's own words, not a guess."""

from types import SimpleNamespace

from conformance.backends.real import RealBackend
from conformance.checks import BY_ID
from conformance.errors import ConnectorCallError
from conformance.http.message import Request, Response
from conformance.http.tape import Recorder
from conformance.recording.scrub import Scrubber

SYNC_TOKEN_403 = '<d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>'


def _recorded(code: int, body: str) -> Recorder:
    """The recorder after one refused REPORT."""
    recorder = Recorder()
    answer = Response(code, [("content-type", "application/xml")], body.encode())
    recorder(Request("REPORT", "http://dav.test/addressbook/"), lambda request: answer)
    return recorder


def _backend(code: int, body: str) -> RealBackend:
    backend = object.__new__(RealBackend)
    backend.http = _recorded(code, body)
    backend.guard = SimpleNamespace(unreachable=[])
    backend.scrubber = Scrubber({})
    return backend


def test_a_403_is_reported_with_what_the_api_said_not_as_bad_credentials():
    problem = ConnectorCallError("get_updates(...)", "raised HTTPStatusError: 403 Forbidden")
    hint = _backend(403, SYNC_TOKEN_403).explain(BY_ID["updates.progression"], problem)
    assert "the API answered REPORT http://dav.test/addressbook/ -> HTTP 403" in hint
    assert "valid-sync-token" in hint
    assert "credentials" not in hint
