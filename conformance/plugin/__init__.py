"""The pytest face of the harness: `pytest --connector=DIR` checks a connector.

pytest imports this module in every run of an environment the harness is installed in, with
--connector or without, so it holds the options and nothing heavy. Only a run with --connector
imports the harness (hypothesis, httpx, the checks: most of a second), and only after the workers it
will need have started, so their start overlaps that import (plugin/warm.py). The run itself is
plugin/suite.py.
"""

from __future__ import annotations

import pytest

from conformance import options as opts
from conformance.options import ISOLATION_ENV, NODE_ENV, RANDOMIZED_PROFILE
from conformance.plugin import flags

SUITE = "conformance-suite"


def pytest_addoption(parser: pytest.Parser) -> None:
    flags.add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Before hypothesis' own plugin loads `--hypothesis-profile`, which must then exist.

    For scheduled exploration: `--hypothesis-profile=conformance-randomized` undoes the
    derandomized "ci" profile hypothesis loads on CI. Registered only when named, so that a run
    that does not name it does not import hypothesis here.
    """
    if config.getoption("--hypothesis-profile", None) == RANDOMIZED_PROFILE:
        from hypothesis import settings

        settings.register_profile(
            RANDOMIZED_PROFILE, derandomize=False, database=None, deadline=None
        )
    config.addinivalue_line("markers", "conformance: a connector conformance check")
    try:
        opts.validate(
            mode=config.getoption("--connector-mode") if config.getoption("--connector") else None,
            examples=config.getoption("--connector-examples"),
            steps=config.getoption("--connector-steps"),
            timeout=config.getoption("--connector-timeout"),
            consistency=config.getoption("--connector-consistency"),
        )
    except opts.OptionError as exc:
        raise pytest.UsageError(str(exc)) from None
    _set_env(config, NODE_ENV, config.getoption("--connector-node"))
    _set_env(config, ISOLATION_ENV, config.getoption("--connector-isolation"))
    if config.getoption("--connector"):
        # Imported here, not above: a pytest run without --connector pays for neither.
        from conformance.plugin import suite, warm

        warm.start(config)  # first: the workers start while the rest of the harness imports
        config.pluginmanager.register(suite, SUITE)


def _set_env(config: pytest.Config, name: str, value: str | None) -> None:
    """Hand an option to the runtimes (they read the environment, as `syncpeng` sets it) for
    this session only: a pytester run in the same process must not leave it to later runs."""
    if value:
        env = pytest.MonkeyPatch()
        env.setenv(name, value)
        config.add_cleanup(env.undo)
