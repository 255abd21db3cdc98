"""What a run may be asked to do, and the defaults, in one place every front end shares.

The pytest plugin, the `syncpeng` CLI and the runner all build an `Options`; defaults and
validation live here once so the faces cannot drift apart. Standard library only: the CLI imports
it at startup (for `--help`) without paying for hypothesis, httpx or pytest. Which API a mode means
is decided in `conformance.backends`, the only module that reads `Options.mode`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

MODES = ("auto", "mock", "live", "record", "replay")
# pytest-recording's vocabulary for --connector-record-mode, per check (docs/recording.md)
RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
TRANSPORTS = ("respx", "loopback")

# The environment the runtimes read their settings from: `syncpeng` and the plugin set it
# (--connector-node, --connector-isolation), the runtimes read it where they start.
NODE_ENV = "CONFORMANCE_NODE"
ISOLATION_ENV = "CONFORMANCE_PYTHON_ISOLATION"
ISOLATIONS = ("process", "inline")

DEFAULT_EXAMPLES = 20
DEFAULT_STEPS = 15
DEFAULT_TIMEOUT = 10.0  # seconds per connector call
DEFAULT_CONSISTENCY = 5.0  # seconds a live read may wait to see the harness's own writes
DEFAULT_SHRINK_SECONDS = 5.0  # stateful shrinking budget; past it, the smallest program so far
# conformance.toml [live] page_size: what the harness rewrites the connector's page-size
# parameter to on a real API. 1, because the checks' own chains hold only two or three changes,
# and an API that fetches one extra record to decide on a next page (Kinto) pages only when the
# changes outnumber the page size.
DEFAULT_PAGE_SIZE = 1

# `--hypothesis-profile=conformance-randomized` undoes the derandomized CI profile; the name is
# here (for the workflow writer), the registration in conformance.plugin, when the option names it.
RANDOMIZED_PROFILE = "conformance-randomized"


@dataclass(frozen=True)
class Profile:
    """How hard the generated checks search: examples per property, steps per stateful run."""

    examples: int
    steps: int


PROFILES = {
    "fast": Profile(examples=DEFAULT_EXAMPLES, steps=DEFAULT_STEPS),  # every run: seconds
    "thorough": Profile(examples=200, steps=50),  # nightly: minutes, finds rarer interleavings
}


@dataclass
class Options:
    """One run's settings, as every front end hands them to `runner.run_check`."""

    mode: str = "mock"
    examples: int = DEFAULT_EXAMPLES
    timeout: float = DEFAULT_TIMEOUT
    transport: str | None = None  # None: what conformance.toml says, else respx
    steps: int = DEFAULT_STEPS
    stateful_blob: str | None = None  # --connector-replay: replays one sync.stateful example
    cassette_dir: str | None = None
    record_mode: str = "all"
    consistency: float | None = None  # None: DEFAULT_CONSISTENCY
    # Stateful shrinking budget in seconds; None leaves hypothesis' own limit (deterministic
    # shrinking, for tests that assert how small a program gets).
    shrink_seconds: float | None = DEFAULT_SHRINK_SECONDS


class OptionError(ValueError):
    """A run option out of range; the message names the option and the rule."""


def validate(
    *,
    mode: str | None = None,
    examples: int | None = None,
    timeout: float | None = None,
    consistency: float | None = None,
    steps: int | None = None,
) -> None:
    """Raise OptionError for the first option given out of range (None means not given)."""
    if mode is not None and mode not in MODES:
        raise OptionError(
            f"--connector-mode={mode} is not available; choose one of {', '.join(MODES)}"
        )
    if examples is not None and examples < 1:
        raise OptionError("--connector-examples must be at least 1")
    if steps is not None and steps < 1:
        raise OptionError("--connector-steps must be at least 1")
    if timeout is not None and timeout <= 0:
        raise OptionError("--connector-timeout must be a positive number of seconds")
    if consistency is not None and consistency < 0:
        raise OptionError("--connector-consistency must be zero or more seconds")


def positive_float(text: str) -> float:
    """argparse type: seconds, more than 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
    return value


def positive_int(text: str) -> int:
    """argparse type: a count, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value
