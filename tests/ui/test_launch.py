"""`syncpeng ui` as a command: what it prints, the port it takes, how it stops, what it costs."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx

from tests.helpers.cli import syncpeng
from tests.ui.conftest import SYNCPENG, WAIT, cats_copy, launched


def test_it_prints_a_loopback_url_with_a_token_and_stops_cleanly_on_ctrl_c(tmp_path):
    folder = cats_copy(tmp_path)
    process = subprocess.Popen(
        [*SYNCPENG, "ui", str(folder), "--no-browser"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stderr.readline()  # type: ignore[union-attr]
        assert first.startswith(f"syncpeng ui: serving {folder} at http://127.0.0.1:")
        url = first.split(" at ")[1].strip()
        assert "?token=" in url and len(url.split("?token=")[1]) >= 32
        assert httpx.get(url, timeout=WAIT).status_code == 303  # the token is traded for a cookie
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0
    assert "Traceback" not in err and err.strip().endswith("syncpeng ui: stopped")


def test_a_port_in_use_is_one_clear_error(tmp_path):
    folder = cats_copy(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = syncpeng("ui", str(folder), "--no-browser", "--port", str(port), cwd=tmp_path)
    assert ran.code == 2
    assert f"--port {port}: cannot listen on 127.0.0.1" in ran.err and "Traceback" not in ran.err


def test_a_missing_folder_is_one_clear_error(tmp_path):
    ran = syncpeng("ui", "nowhere", "--no-browser", cwd=tmp_path)
    assert ran.code == 2 and "nowhere: no such folder" in ran.err


def test_a_module_that_does_not_load_is_shown_on_the_page_not_fatal(tmp_path):
    folder = cats_copy(tmp_path)
    (folder / "schema.json").write_text("{not json")
    with (
        launched(str(folder)) as url,
        httpx.Client(timeout=WAIT) as client,
    ):  # the first view imports the harness
        client.get(url)
        base = url.split("/?")[0]
        view = client.get(f"{base}/api/module").json()
        assert "schema.json" in view["error"]
        (folder / "schema.json").unlink()  # fixed while the UI runs
        assert client.get(f"{base}/api/module").json()["name"] == "cats"


def test_the_cli_start_up_does_not_import_the_web_stack():
    probe = (
        "import sys, conformance.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'starlette', 'uvicorn'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
