"""The HTML report in a real headless Chromium: it renders, links work, hostile text stays text."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conformance.ci.reports import write_reports
from tests.helpers import report_row

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)


def browse(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                f"--user-data-dir={profile}",
                *extra,
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )


def report(tmp_path: Path) -> Path:
    results = [
        report_row("connectors/cats", "crud.delete", "passed", verdict="passed", mode="replay"),
        report_row(
            "connectors/cats",
            "crud.patch-partial",
            "failed",
            severity="failure",
            suffers="a patch overwrites fields it was not given",
            message='fields the patch did not name were changed:\n  notes: expected "x", '
            "read back null\n  name: <img src=x onerror=document.title='pwned'>",
            script='init("<account.json>")\npatch("1", {"name": "x"})',
            verdict="failed",
            mode="replay",
        ),
        report_row("connectors/dogs", "crud.delete", "warned", message="twice", verdict="passed"),
    ]
    return write_reports(tmp_path, results)[2]


def test_the_page_renders_the_matrix_and_each_failure_with_its_diff_and_script(
    tmp_path: Path,
) -> None:
    done = browse(report(tmp_path), "--dump-dom")
    assert done.returncode == 0, done.stderr
    dom = done.stdout
    assert "<title>Connector conformance FAILS" in dom  # the injected onerror never ran
    assert 'id="matrix"' in dom and dom.count("<tr>") == 3
    assert 'href="#f-connectors-cats--crud-patch-partial"' in dom
    assert ">FAIL</a>" in dom and ">warn</a>" in dom
    assert 'id="f-connectors-cats--crud-patch-partial"' in dom
    assert "&lt;img src=x onerror=" in dom and "<img" not in dom
    assert "read back null" in dom and 'patch("1", {"name": "x"})' in dom


def test_a_screenshot_of_the_page(tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = browse(report(tmp_path), f"--screenshot={shot}", "--window-size=1100,900")
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
