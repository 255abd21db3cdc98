"""The GitHub Actions workflow `syncpeng init --ci` writes: an offline gate and a live loop.

Two jobs, one file, so a team copies one thing:

- `gate` (pull requests): install, then replay every connector's cassettes with the network cut
  off at the OS (a fresh network namespace with only loopback, so any HTTP client, subprocess
  or stray DNS lookup fails instead of quietly reaching a live API), spread over all cores,
  against the committed baseline; upload conformance.{json,md,html} and JUnit XML; the Markdown
  lands in the job's step summary.
- `live` (a weekly schedule, and by hand): clean up what a crashed earlier live run left, re-record
  the cassettes against the live APIs with each connector's account taken from its repository
  secret, then explore with randomized
  hypothesis and more examples (a CI gate is derandomized: it never finds anything new), and
  upload the new cassettes and the reports.

Accounts: one secret per connector, `CONFORMANCE_ACCOUNT_<NAME>` holding the account JSON (see
connector/accounts.py). The workflow names each connector's secret explicitly, found from the
connector folders present when it is written: GitHub cannot map secrets dynamically, and a job
should receive only the secrets it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from conformance.atomic import write_text_atomic
from conformance.connector.accounts import env_name
from conformance.connector.load import MODULE_FILES
from conformance.errors import InputError
from conformance.options import RANDOMIZED_PROFILE

WORKFLOW_PATH = Path(".github/workflows/conformance.yml")
DEFAULT_CONNECTORS = "connectors/*"
DEFAULT_BASELINE = "conformance-baseline.json"
REPORT_DIR = "conformance-report"
LIVE_EXAMPLES = 200

# Run a command in a new network namespace holding only loopback (root via sudo on the runner).
OFFLINE = "sudo --preserve-env unshare --net -- sh -c 'ip link set lo up && exec \"$@\"' sh"


def find_connectors(root: Path, pattern: str = DEFAULT_CONNECTORS) -> list[str]:
    """Connector names under `root` matching `pattern` (folders holding dataSourceApp.py)."""
    return sorted(
        p.name
        for p in root.glob(pattern)
        if p.is_dir() and any((p / f).is_file() for f in MODULE_FILES)
    )


def render_workflow(
    connectors: Sequence[str] = (),
    *,
    pattern: str = DEFAULT_CONNECTORS,
    python: str = "3.12",
    install: str = "connector-conformance pytest-xdist",
    baseline: str = DEFAULT_BASELINE,
    cron: str = "17 4 * * 1",
) -> str:
    """The workflow text. `connectors` are the names whose account secrets the live job passes."""
    secrets = (
        "\n".join(
            f"      {env_name(n)}: ${{{{ secrets.{env_name(n)} }}}}" for n in sorted(connectors)
        )
        or "      # CONFORMANCE_ACCOUNT_<NAME>: ${{ secrets.CONFORMANCE_ACCOUNT_<NAME> }}"
    )
    pytest_args = (
        f"--connector='{pattern}' -n auto -p no:cacheprovider \\\n"
        f"            --connector-report={REPORT_DIR} --junitxml={REPORT_DIR}/junit.xml"
    )
    return f"""\
# Connector conformance. Written by `syncpeng init --ci`; edit freely.
# Pull requests: replay every connector's cassettes offline; fail only on failures
# not listed in {baseline}.
# Weekly and by hand: re-record against the live APIs, explore with randomized examples.
# See docs/ci.md of connector-conformance.
name: connector conformance

on:
  pull_request:
  schedule:
    - cron: "{cron}"
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: conformance-${{{{ github.ref }}}}-${{{{ github.event_name }}}}
  cancel-in-progress: true

jobs:
  gate:
    name: replay cassettes (offline)
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install
        run: |
          python -m pip install --upgrade pip
          python -m pip install {install}
          if [ -f requirements.txt ]; then python -m pip install -r requirements.txt; fi
      - name: Replay all connectors, network blocked
        # account.json is not in git: each connector replays with its account.example.json.
        run: |
          baseline=""
          if [ -f {baseline} ]; then
            baseline="--connector-baseline={baseline}"
          fi
          {OFFLINE} \\
            "$(command -v python)" -m pytest {pytest_args} \\
            --connector-mode=replay $baseline
      - name: Upload the reports
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: conformance-report
          path: {REPORT_DIR}/

  live:
    name: re-record against the live APIs
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 60
    env:
      # One secret per connector, holding its account as one JSON object (docs/ci.md).
{secrets}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install
        run: |
          python -m pip install --upgrade pip
          python -m pip install {install}
          if [ -f requirements.txt ]; then python -m pip install -r requirements.txt; fi
      - name: Delete what earlier crashed live runs left in the accounts
        run: |
          python -m pytest --connector='{pattern}' -p no:cacheprovider \\
            --connector-mode=live --connector-cleanup
      - name: Re-record every connector's cassettes
        run: |
          python -m pytest {pytest_args} \\
            --connector-mode=record
      - name: Explore with randomized examples
        if: ${{{{ !cancelled() }}}}
        run: |
          python -m pytest {pytest_args.replace(REPORT_DIR, REPORT_DIR + "-explore")} \\
            --connector-mode=live --connector-examples={LIVE_EXAMPLES} \\
            --hypothesis-profile={RANDOMIZED_PROFILE}
      - name: Upload the re-recorded cassettes and the reports
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: conformance-live
          path: |
            {REPORT_DIR}/
            {REPORT_DIR}-explore/
            **/cassettes/
"""


def write_workflow(
    directory: Path, force: bool = False, *, pattern: str = DEFAULT_CONNECTORS
) -> Path:
    """Write .github/workflows/conformance.yml under `directory`; never overwrite unless `force`."""
    path = Path(directory) / WORKFLOW_PATH
    if path.exists() and not force:
        raise InputError(
            f"{path}: already exists; edit it, or pass --force to overwrite it with a fresh one"
        )
    connectors = find_connectors(Path(directory), pattern)
    return write_text_atomic(path, render_workflow(connectors, pattern=pattern))
