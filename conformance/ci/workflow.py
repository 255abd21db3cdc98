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

Sharded (`--shards N`): the pull-request gate becomes a job matrix of N shards, each replaying
its share (`--connector-shard=K/N`) and uploading its reports as an artifact, and a `merge` job
that needs them all downloads the artifacts and gates on `syncpeng report merge`, which fails
when a shard did not report. The scheduled job saves its report to the Actions cache; the next
pull request's shards restore it and balance by those durations (or by a committed
conformance-durations.json, which wins, for a split that changes only when someone commits).

Accounts: one secret per connector, `CONFORMANCE_ACCOUNT_<NAME>` holding the account JSON (see
connector/accounts.py). The workflow names each connector's secret explicitly, found from the
connector folders present when it is written: GitHub cannot map secrets dynamically, and a job
should receive only the secrets it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from conformance.atomic import write_text_atomic
from conformance.ci.install import pip_arguments
from conformance.connector.accounts import env_name
from conformance.connector.load import MODULE_FILES
from conformance.errors import InputError
from conformance.options import RANDOMIZED_PROFILE

WORKFLOW_PATH = Path(".github/workflows/conformance.yml")
DEFAULT_CONNECTORS = "connectors/*"
DEFAULT_BASELINE = "conformance-baseline.json"
REPORT_DIR = "conformance-report"
DURATIONS_FILE = "conformance-durations.json"  # committed by hand: wins over the cache
DURATIONS_CACHE = ".conformance-durations"  # restored from the last scheduled run
SHARD_ARTIFACT = "conformance-shard-"
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
    shards: int = 1,
) -> str:
    """The workflow text. `connectors` are the names whose account secrets the live job passes;
    `shards` > 1 splits the pull-request gate into a job matrix and a merge job."""
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
    setup = _setup(python, install)
    if shards > 1:
        gate, save = _sharded_gate(setup, pytest_args, baseline, shards), _SAVE_DURATIONS
    else:
        gate, save = _gate(setup, pytest_args, baseline), ""
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
{gate}  live:
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
{save}      - name: Explore with randomized examples
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


def _setup(python: str, install: str) -> str:
    return f"""\
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install
        run: |
          python -m pip install --upgrade pip
          python -m pip install {install}
          if [ -f requirements.txt ]; then python -m pip install -r requirements.txt; fi
"""


def _baseline_arg(baseline: str, option: str) -> str:
    return f"""\
          baseline=""
          if [ -f {baseline} ]; then
            baseline="{option}={baseline}"
          fi
"""


def _gate(setup: str, pytest_args: str, baseline: str) -> str:
    return f"""\
  gate:
    name: replay cassettes (offline)
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
{setup}\
      - name: Replay all connectors, network blocked
        # account.json is not in git: each connector replays with its account.example.json.
        run: |
{_baseline_arg(baseline, "--connector-baseline")}\
          {OFFLINE} \\
            "$(command -v python)" -m pytest {pytest_args} \\
            --connector-mode=replay $baseline
      - name: Upload the reports
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: conformance-report
          path: {REPORT_DIR}/

"""


def _sharded_gate(setup: str, pytest_args: str, baseline: str, shards: int) -> str:
    """N matrix jobs replaying a shard each, and the merge job that alone decides the gate."""
    folders = " ".join(f"shards/{SHARD_ARTIFACT}{k}" for k in range(1, shards + 1))
    return f"""\
  gate:
    name: replay shard ${{{{ matrix.shard }}}} of {shards} (offline)
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    strategy:
      fail-fast: false  # every shard reports, so the merge sees the whole fleet
      matrix:
        shard: [{", ".join(str(k) for k in range(1, shards + 1))}]
    steps:
{setup}\
      - name: Durations of the last scheduled run (balance the shards)
        uses: actions/cache/restore@v4
        with:
          path: {DURATIONS_CACHE}/
          key: conformance-durations-${{{{ github.sha }}}}
          restore-keys: conformance-durations-
      - name: Replay this shard's connectors, network blocked
        run: |
{_baseline_arg(baseline, "--connector-baseline")}\
          durations=""
          if [ -f {DURATIONS_FILE} ]; then
            durations="--connector-durations={DURATIONS_FILE}"
          elif [ -f {DURATIONS_CACHE}/conformance.json ]; then
            durations="--connector-durations={DURATIONS_CACHE}/conformance.json"
          fi
          status=0
          {OFFLINE} \\
            "$(command -v python)" -m pytest {pytest_args} \\
            --connector-mode=replay --connector-shard=${{{{ matrix.shard }}}}/{shards} \\
            $baseline $durations || status=$?
          # 5 = no tests: more shards than connectors; its empty report still counts
          if [ "$status" -ne 5 ]; then exit "$status"; fi
      - name: Upload this shard's reports
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: {SHARD_ARTIFACT}${{{{ matrix.shard }}}}
          path: {REPORT_DIR}/

  merge:
    name: merge the shards and gate
    needs: gate
    # runs when shards failed too: a failed shard's findings belong in the merged report
    if: ${{{{ !cancelled() && github.event_name == 'pull_request' }}}}
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
{setup}\
      - uses: actions/download-artifact@v4
        with:
          pattern: {SHARD_ARTIFACT}*
          path: shards/
      - name: Merge the shards' reports (a missing shard fails) and gate
        run: |
{_baseline_arg(baseline, "--baseline")}\
          syncpeng report merge {folders} \\
            -o {REPORT_DIR} $baseline
      - name: Upload the merged reports
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: conformance-report
          path: {REPORT_DIR}/

"""


# The scheduled run's report carries each connector's duration: the next shards balance by it.
_SAVE_DURATIONS = f"""\
      - name: Keep this run's durations for balancing the pull requests' shards
        if: ${{{{ !cancelled() }}}}
        run: |
          mkdir -p {DURATIONS_CACHE}
          if [ -f {REPORT_DIR}/conformance.json ]; then
            cp {REPORT_DIR}/conformance.json {DURATIONS_CACHE}/conformance.json
          fi
      - uses: actions/cache/save@v4
        if: ${{{{ !cancelled() && hashFiles('{DURATIONS_CACHE}/conformance.json') != '' }}}}
        with:
          path: {DURATIONS_CACHE}/
          key: conformance-durations-${{{{ github.run_id }}}}
"""


def write_workflow(
    directory: Path,
    force: bool = False,
    *,
    pattern: str = DEFAULT_CONNECTORS,
    shards: int = 1,
    harness: str = "connector-conformance",
) -> Path:
    """Write .github/workflows/conformance.yml under `directory`; never overwrite unless `force`.
    `harness` is the requirement the jobs install (ci/install.py decides it)."""
    path = Path(directory) / WORKFLOW_PATH
    if path.exists() and not force:
        raise InputError(
            f"{path}: already exists; edit it, or pass --force to overwrite it with a fresh one"
        )
    connectors = find_connectors(Path(directory), pattern)
    text = render_workflow(
        connectors, pattern=pattern, shards=shards, install=pip_arguments(harness)
    )
    return write_text_atomic(path, text)
