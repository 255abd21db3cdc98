"""Options the runtimes read from the environment last one pytest session, not the process."""

import os

from conformance.options import ISOLATION_ENV
from tests.helpers import ROOT


def test_connector_isolation_reaches_the_run_and_is_restored_when_it_ends(pytester, monkeypatch):
    monkeypatch.delenv(ISOLATION_ENV, raising=False)
    pytester.makeconftest(
        "import os, pathlib\n"
        "def pytest_sessionstart(session):\n"
        f"    pathlib.Path('seen').write_text(os.environ.get({ISOLATION_ENV!r}, 'unset'))\n"
    )
    result = pytester.runpytest_inprocess(
        f"--connector={ROOT / 'examples' / 'cats'}",
        "--connector-isolation=inline",
        "-k",
        "interface",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=1)
    assert (pytester.path / "seen").read_text() == "inline"
    assert ISOLATION_ENV not in os.environ, "the option leaked into later runs of this process"
