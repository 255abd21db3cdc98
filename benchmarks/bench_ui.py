"""How quickly does `syncpeng ui` serve, load its page and run a method, against the CLI's path?

Three figures the UI promises (docs/ui.md), each beside what it is compared with, same run:

1. **Serving**: from starting `syncpeng ui --no-browser DIR` to the first answered request, beside
   `syncpeng --help` (the CLI's own start-up), in fresh processes.
2. **First page load** in headless Chromium (the system's, through selenium and chromedriver):
   the Navigation Timing of the page (`loadEventEnd`), and the wall time until the Module view
   shows the connector's name (the page, its script and stylesheet, and the first API call).
3. **A method run**: `insert` on the persistent mock posted to the UI (HTTP, worker thread,
   masking, JSON), beside `method_call.run` called in-process, which is what
   `syncpeng insert --mock` does after the CLI's start-up.

Run: ``python benchmarks/bench_ui.py [runs]`` (default 20; CONFORMANCE_BENCH_TINY=1: 1). The
minimum is the steadier figure on a shared machine (other load only ever adds time); medians
are shown beside it.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from bench_common import TINY

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SCRIPT = Path(PYTHON).parent / "syncpeng"
NAVIGATION = (  # the page's own load, from navigation start (the token's redirect included)
    "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;"
)


def cats_folder(where: Path) -> Path:
    folder = shutil.copytree(ROOT / "examples" / "cats", where / "cats", symlinks=False)
    shutil.copy(folder / "account.example.json", folder / "account.json")
    return folder


def launch(folder: Path) -> tuple[subprocess.Popen[str], str, float]:
    """Start the UI; return the process, its URL and the seconds until it first answered."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(SCRIPT), "ui", str(folder), "--no-browser"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:  # type: ignore[union-attr]
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        if found:
            break
    url = found.group(0)
    while True:
        try:
            if httpx.get(url).status_code in (200, 303):
                return process, url, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.005)  # polling for the socket: this script measures, it is not a test


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)


def serving(folder: Path, runs: int) -> dict[str, list[float]]:
    ui, helped = [], []
    for _ in range(runs):
        process, _, seconds = launch(folder)
        stop(process)
        ui.append(seconds)
        started = time.perf_counter()
        subprocess.run([str(SCRIPT), "--help"], check=True, stdout=subprocess.DEVNULL)
        helped.append(time.perf_counter() - started)
    return {"`syncpeng ui` serving (first answer)": ui, "`syncpeng --help`": helped}


def page_load(folder: Path, runs: int) -> dict[str, list[float]]:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        print("(no chromium/chromedriver: page load not measured)\n")
        return {}
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    nav, shown, reload = [], [], []
    process, url, _ = launch(folder)
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                options = webdriver.ChromeOptions()
                options.binary_location = chromium
                for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                             "--no-first-run", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={profile}"):  # fmt: skip
                    options.add_argument(flag)
                driver = webdriver.Chrome(options=options, service=Service(driver_path))
                try:
                    started = time.perf_counter()
                    driver.get(url)
                    WebDriverWait(driver, 60, poll_frequency=0.005).until(
                        lambda d: d.find_element(By.ID, "connector-name").text
                    )
                    shown.append(time.perf_counter() - started)
                    nav.append(driver.execute_script(NAVIGATION) / 1000)
                    driver.refresh()
                    reload.append(driver.execute_script(NAVIGATION) / 1000)
                finally:
                    driver.quit()
    finally:
        stop(process)
    return {
        "first page load (Navigation Timing, loadEventEnd)": nav,
        "the same page reloaded (cookie held, Navigation Timing)": reload,
        "first page until the Module view shows the connector (wall, via webdriver)": shown,
    }


def method_runs(folder: Path, runs: int) -> dict[str, list[float]]:
    from conformance.cli import method_call

    request = method_call.Request(command="insert", connector=str(folder), mock=True)
    (folder / "in.json").write_text('{"insert": {"value": {"name": "Tom"}}}')
    direct, posted = [], []
    process, url, _ = launch(folder)
    try:
        with httpx.Client(base_url=url.split("/?")[0]) as client:
            client.get(url)  # the token for the cookie
            body = {"command": "insert", "block": {"value": {"name": "Tom"}}}
            for _ in range(2):  # warm both paths (imports, first mock load)
                method_call.run(request)
                client.post("/api/run", json=body)
            for _ in range(runs):
                started = time.perf_counter()
                method_call.run(request)
                direct.append(time.perf_counter() - started)
                started = time.perf_counter()
                answer = client.post("/api/run", json=body)
                posted.append(time.perf_counter() - started)
                assert answer.json()["ok"], answer.text
    finally:
        stop(process)
    return {
        "`insert --mock`, in-process (`syncpeng` minus start-up)": direct,
        "`insert` on the mock, posted to the UI": posted,
    }


def table(results: dict[str, list[float]], base: str | None = None) -> None:
    print("| what | median ms | min ms |" + (" min over the CLI path |" if base else ""))
    print("| --- | --- | --- |" + (" --- |" if base else ""))
    for label, times in results.items():
        row = f"| {label} | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} |"
        if base:
            row += f" {(min(times) - min(results[base])) * 1000:+.0f} ms |"
        print(row)
    print()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else (1 if TINY else 20)
    if not SCRIPT.exists():
        sys.exit(f"{SCRIPT} not found: pip install -e . in this environment first")
    print(f"Python {sys.version.split()[0]}, {runs} runs each\n")
    with tempfile.TemporaryDirectory() as where:
        folder = cats_folder(Path(where))
        table(serving(folder, runs))
        loads = page_load(folder, max(3, runs // 4))
        if loads:
            table(loads)
        timed = method_runs(folder, runs)
        table(timed, base=next(iter(timed)))


if __name__ == "__main__":
    main()
