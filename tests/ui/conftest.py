"""Fixtures for the UI: an in-process client for the API, a launched `syncpeng ui`, a browser.

The browser is the system's headless Chromium driven by selenium through the system's
chromedriver (nothing is downloaded); where either is missing the browser tests are skipped with
the reason, and .ci/run installs both so that in CI they run.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Screenshots land in docs/ui (embedded by docs/ui.md) only when asked, so an ordinary test run
# leaves the working tree clean: SYNCPENG_UI_SCREENSHOTS=docs/ui pytest tests/ui
SHOTS = Path(os.environ.get("SYNCPENG_UI_SCREENSHOTS") or tempfile.mkdtemp(prefix="ui-shots-"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)
# `syncpeng` run by this interpreter (the venv's console script may not be on PATH)
SYNCPENG = (sys.executable, "-c", "import sys; from conformance.cli import main; sys.exit(main())")
WAIT = 120  # seconds: generous, for a busy 2-core machine; never a measure of speed

# .ci/run sets this: there a missing browser is a failure of the setup, not a reason to skip.
REQUIRED = bool(os.environ.get("SYNCPENG_REQUIRE_BROWSER"))
needs_browser = pytest.mark.skipif(
    (CHROMIUM is None or CHROMEDRIVER is None) and not REQUIRED,
    reason="headless Chromium or chromedriver is not installed "
    "(apt-get install chromium chromium-driver; .ci/run installs them)",
)


def cats_copy(tmp_path: Path, name: str = "cats") -> Path:
    """examples/cats as a folder of real files (the example links to the scaffold's)."""
    folder = shutil.copytree(ROOT / "examples" / "cats", tmp_path / name, symlinks=False)
    shutil.copy(folder / "account.example.json", folder / "account.json")
    return folder


@contextmanager
def launched(*args: str) -> Iterator[str]:
    """`syncpeng ui ARGS --no-browser --port 0` as a user runs it; yields the printed URL."""
    process = subprocess.Popen(
        [*SYNCPENG, "ui", *args, "--no-browser"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stderr],
        daemon=True,  # type: ignore[union-attr]
    ).start()
    try:
        while True:
            line = lines.get(timeout=WAIT)
            found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
            if found:
                break
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(timeout=WAIT)


@pytest.fixture
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.fail("SYNCPENG_REQUIRE_BROWSER is set but chromium or chromedriver is missing")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER or ""))
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
