"""What went wrong at the boundary during a check, as the runner tells the user.

Two rules, the same for every mode and every client, because the pipeline keeps the evidence
whoever answered (the mock, the network, a cassette) and whichever runtime caught the request:

- a connection refused at the socket (no routed client made it) means the harness did not see
  part of the connector's traffic: whatever the check concluded, it concluded it blind;
- a request the terminal could not answer (refused connection, timeout, a host the mock is not)
  means the connector's call never reached the API: a check that passes on it, or that has
  nothing else to go on, proved nothing (`errors.invalid-insert` passes when every call fails).

Failures a step raised on purpose (a staged fault, the request guard's refusal) are not the
terminal's and are judged by whoever staged them.
"""

from __future__ import annotations

from conformance.http.pipeline import Pipeline

_ADVICE = {
    "connect": "check the API's address (baseUrl in account.json) and that it is up",
    "timeout": "check the API's address (baseUrl in account.json) and that it is up",
    "reset": "check the API's address (baseUrl in account.json) and that it is up",
    "unmatched": "re-record the check's cassette",
    "blocked": "build every URL from account.baseUrl",
}
_ESCAPE_ADVICE = (
    "send it with a routed HTTP client (docs/runtimes.md lists them per runtime); in mock mode "
    'transport = "loopback" serves the mock on 127.0.0.1 for other clients; against a real '
    "API, [live] allow_unrouted in conformance.toml lets a host through, unrecorded and "
    "unguarded"
)


def escaped(pipeline: Pipeline | None, check: str) -> str | None:
    """Why the check cannot be judged because traffic went around the harness, or None."""
    if pipeline is None or not pipeline.escapes:
        return None
    more = len(pipeline.escapes) - 1
    why = pipeline.escapes[0].split(". Send the request")[0].rstrip(".")  # advice comes below
    return (
        f"{check} cannot be judged: {why}"
        + (f" (and {more} more such connection(s))" if more else "")
        + f"; {_ESCAPE_ADVICE}"
    )


def unreached(pipeline: Pipeline | None, check: str, *, failed: bool) -> str | None:
    """Why the check proved nothing because the connector's calls never reached the API: every
    request failed at the terminal, or some did and the check passed anyway; else None."""
    if pipeline is None or not pipeline.failures:
        return None
    if failed and pipeline.answered:
        return None  # the API answered too, so the finding stands on what it said
    failure = pipeline.failures[0][1]
    count = len(pipeline.failures)
    if pipeline.answered:
        what = f"{count} of the connector's requests never reached the API"
    else:
        what = f"none of the connector's {count} request(s) reached the API"
    return (
        f"{what}, so {check} proved nothing; the first failed with {failure.code}: "
        f"{failure.message}; {_ADVICE.get(failure.kind, '')}"
    ).rstrip("; ")
