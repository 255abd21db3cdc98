"""What does running a connector in NodeJS cost, next to the same connector in Python?

Prints, in one run:
- the bridge's round trip per call with no HTTP (a JS `get` that returns its argument), median
  and p99, beside the same call on a Python connector in-process;
- scope creation (a fresh module instance: `create()` plus the scope's first call, `init`),
  median and p99, beside a Python `DataSource()` + `init`;
- one HTTP call (a JS `get` making one GET, answered in the harness by a pipeline terminal) per
  client: `this.httpClient`, axios, fetch and `https.request`, median and p99: what routing a
  third-party client through @mswjs/interceptors costs beside the injected client (axios is
  installed from the npm registry into a temporary folder; without npm that row is left out);
- the same round trip, scope creation and requests with the bridge alone (its protocol over a
  blocking socket, bench_bridge_alone.py): what of each figure is NodeJS's, what the harness's;
- the wall time of the default suite, `pytest --connector=examples/cats-js` beside
  `--connector=examples/cats`, each run `rounds` times in alternation, median.

Targets (issue 10): round trip <= 0.3 ms median, scope creation <= 5 ms, suite <= 1.5x.

The Python figures are taken in the default configuration (the isolated worker) and inline,
each row labelled: NodeJS is compared with what a Python author gets by default.

Run: ``python benchmarks/bench_node.py [calls] [rounds]`` (default 2000 calls, 3 rounds;
CONFORMANCE_BENCH_TINY=1: 20 calls, 1 round, the suites narrowed to one check).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_bridge_alone  # noqa: E402
from bench_common import ISOLATION_ENV, size, suite_name, suite_seconds  # noqa: E402

from conformance.connector.load import ConnectorSpec, load_connector  # noqa: E402
from conformance.http.message import Request, Response  # noqa: E402
from conformance.http.pipeline import Pipeline, use  # noqa: E402
from conformance.runtime.session import Session  # noqa: E402

ECHO_JS = """module.exports = {
  async init (account) { this.account = account },
  async get (id) { return { id } },
  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}
}
"""
ECHO_PY = """class DataSource:
    async def init(self, account): self.account = account
    async def get(self, id): return {"id": id}
    async def insert(self, value): ...
    async def patch(self, id, value): ...
    async def delete(self, id): ...
    async def get_updates(self, last_sync): ...
"""


HTTP_JS = """const https = require('node:https')
let axios = null
try { axios = require('axios') } catch {}
const URL = 'https://api.bench.test/v1/cats/1'
module.exports = {
  async init () {},
  async get (client) {
    switch (client) {
      case 'this.httpClient': return await this.httpClient.get(URL)
      case 'axios': return (await axios.get(URL)).data
      case 'fetch': return await (await fetch(URL)).json()
      case 'https.request': return await new Promise((resolve, reject) => {
        https.get(URL, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks))))
        }).on('error', reject)
      })
    }
  },
  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}
}
"""
HTTP_CLIENTS = ("this.httpClient", "axios", "fetch", "https.request")


def _with_axios(folder: Path) -> bool:
    npm = shutil.which("npm")
    if npm is None:
        return False
    (folder / "package.json").write_text(json.dumps({"dependencies": {"axios": "^1.7.0"}}))
    done = subprocess.run(
        [npm, "install", "--prefer-offline", "--no-audit", "--no-fund"],
        cwd=folder,
        capture_output=True,
    )
    return done.returncode == 0


def http_calls(folder: Path, calls: int, client: str) -> tuple[float, float]:
    """One JS `get` making one GET, answered by a pipeline terminal in the harness (no mock
    logic): the cost of catching and relaying the request with each client."""
    body = json.dumps({"id": "1", "name": "Tom"}).encode()

    def answer(request: Request) -> Response:
        return Response(200, [("content-type", "application/json")], body, source="mock")

    with use(Pipeline([], answer, offline=True, in_memory=True)):
        session = Session(load_connector(str(folder)).create(), {})
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            assert session.get(client) == {"id": "1", "name": "Tom"}
            samples.append(time.perf_counter() - started)
        session.close()
    return _stats(samples[calls // 10 :])


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def load(folder: Path, isolation: str) -> ConnectorSpec:
    """The connector in `folder`, in the configuration named (a Python module's isolation is
    chosen when it is loaded; a JS module always runs in the bridge)."""
    os.environ[ISOLATION_ENV] = isolation
    try:
        return load_connector(str(folder))
    finally:
        del os.environ[ISOLATION_ENV]


def _as_a_mock_check() -> Pipeline:
    """The pipeline a mock check runs under: every request answered from memory."""
    return Pipeline([], lambda request: Response(404, [], b""), offline=True, in_memory=True)


def round_trips(spec: ConnectorSpec, calls: int) -> tuple[float, float]:
    with use(_as_a_mock_check()):
        session = Session(spec.create(), {})
        samples = []
        for i in range(calls):
            started = time.perf_counter()
            session.get(str(i))
            samples.append(time.perf_counter() - started)
        session.close()
    return _stats(samples[calls // 10 :])  # the first tenth warms up (JIT, caches)


def scope_creations(spec: ConnectorSpec, scopes: int) -> tuple[float, float]:
    samples = []
    with use(_as_a_mock_check()):
        for _ in range(scopes):
            started = time.perf_counter()
            session = Session(spec.create(), {})
            samples.append(time.perf_counter() - started)
            session.close()
    return _stats(samples[scopes // 10 :])


CONFIGS = (("NodeJS", "echo-js", "process"), ("isolated worker", "echo-py", "process"),
           ("inline", "echo-py", "inline"))  # fmt: skip
SUITES = (("examples/cats-js", "NodeJS", "process"),
          ("examples/cats", "isolated worker", "process"),
          ("examples/cats", "inline", "inline"))  # fmt: skip


def main() -> None:
    calls = int(size(1, 2000, 20))
    rounds = int(size(2, 3, 1))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "echo-js").mkdir(), (Path(tmp) / "echo-py").mkdir()
        (Path(tmp) / "echo-js" / "dataSourceApp.js").write_text(ECHO_JS)
        (Path(tmp) / "echo-py" / "dataSourceApp.py").write_text(ECHO_PY)
        specs = {config: load(Path(tmp) / folder, iso) for config, folder, iso in CONFIGS}
        print(f"{'measure [configuration]':<52} {'median ms':>10} {'p99 ms':>8}  beside")
        for title, measure, n in (
            ("round trip per call, no HTTP", round_trips, calls),
            ("scope creation (create+init)", scope_creations, max(calls // 4, 4)),
        ):
            figures = {config: measure(spec, n) for config, spec in specs.items()}
            for config, (median, p99) in figures.items():
                beside = f"{median / figures['inline'][0]:.2f}x inline"
                print(f"{f'{title} [{config}]':<52} {median:>10.3f} {p99:>8.3f}  {beside}")
        web = Path(tmp) / "http-js"
        web.mkdir()
        (web / "dataSourceApp.js").write_text(HTTP_JS)
        has_axios = _with_axios(web)
        figures = {}
        for client in HTTP_CLIENTS:
            if client == "axios" and not has_axios:
                print(f"{'one HTTP call [NodeJS, axios]':<52} (npm install axios failed: left out)")
                continue
            figures[client] = http_calls(web, max(calls // 4, 20), client)
        for client, (median, p99) in figures.items():
            beside = f"{median / figures['this.httpClient'][0]:.2f}x this.httpClient"
            title = f"one HTTP call [NodeJS, {client}]"
            print(f"{title:<52} {median:>10.3f} {p99:>8.3f}  {beside}")
        alone = bench_bridge_alone.measure(Path(tmp) / "echo-js", web, calls, tuple(figures))
        harness = {"round trip": "round trip per call, no HTTP [NodeJS]",
                   "scope creation": "scope creation (create+init) [NodeJS]"}  # fmt: skip
        print("\nthe bridge alone (its protocol over a blocking socket: no harness in between):")
        for row, samples in alone.items():
            median, p99 = _stats(samples)
            whole = harness.get(row, f"one HTTP call [NodeJS, {row}]")
            title = (f"{row} [NodeJS bridge alone]" if row in harness
                     else f"one HTTP call [NodeJS bridge alone, {row}]")  # fmt: skip
            print(f"{title:<52} {median:>10.3f} {p99:>8.3f}  of {whole}")
    runs: dict[str, list[float]] = {config: [] for _, config, _ in SUITES}
    for _ in range(rounds):
        for example, config, isolation in SUITES:
            runs[config].append(suite_seconds(ROOT / example, env={ISOLATION_ENV: isolation})[1])
    medians = {config: statistics.median(figures) for config, figures in runs.items()}
    print(f"\n{suite_name()}, pytest's figure, median of {rounds}:")
    for example, config, _ in SUITES:
        ratio = medians[config] / medians["isolated worker"]
        print(
            f"  {example} [{config}]: {medians[config]:.2f} s, {ratio:.2f}x cats [isolated worker]"
        )


if __name__ == "__main__":
    main()
