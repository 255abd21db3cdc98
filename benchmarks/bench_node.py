"""What does running a connector in NodeJS cost, next to the same connector in Python?

Prints, in one run:
- the bridge's round trip per call with no HTTP (a JS `get` that returns its argument), median
  and p99, beside the same call on a Python connector in-process;
- scope creation (a fresh module instance: `create()` plus the scope's first call, `init`),
  median and p99, beside a Python `DataSource()` + `init`;
- one HTTP call (a JS `get` making one GET, answered by respx in the harness) per client:
  `this.httpClient`, axios, fetch and `https.request`, median and p99: what routing a third-party
  client through @mswjs/interceptors costs beside the injected client (axios is installed from
  the npm registry into a temporary folder; without npm that row is left out);
- the wall time of the default suite, `pytest --connector=examples/cats-js` beside
  `--connector=examples/cats`, each run `rounds` times in alternation, median.

Targets (issue 10): round trip <= 0.3 ms median, scope creation <= 5 ms, suite <= 1.5x.

Run: ``python benchmarks/bench_node.py [calls] [rounds]`` (default 2000 calls, 3 rounds; rounds
0 leaves the suite out: ``python benchmarks/bench_node.py 50 0`` is the tiny size).
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

from conformance.connector.load import load_connector  # noqa: E402
from conformance.connector.python_process import ISOLATION_ENV  # noqa: E402
from conformance.connector.session import Session  # noqa: E402

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
    import respx

    with respx.mock(assert_all_called=False) as router:
        router.get("https://api.bench.test/v1/cats/1").respond(json={"id": "1", "name": "Tom"})
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


def round_trips(folder: Path, calls: int) -> tuple[float, float]:
    session = Session(load_connector(str(folder)).create(), {})
    samples = []
    for i in range(calls):
        started = time.perf_counter()
        session.get(str(i))
        samples.append(time.perf_counter() - started)
    session.close()
    return _stats(samples[calls // 10 :])  # the first tenth warms up (JIT, caches)


def scope_creations(folder: Path, scopes: int) -> tuple[float, float]:
    spec = load_connector(str(folder))
    samples = []
    for _ in range(scopes):
        started = time.perf_counter()
        session = Session(spec.create(), {})
        samples.append(time.perf_counter() - started)
        session.close()
    return _stats(samples[scopes // 10 :])


def suite_seconds(example: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", f"--connector={example}", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main(calls: int = 2000, rounds: int = 3) -> None:
    # The Python figures are of the inline runtime; bench_isolation.py compares it with the worker.
    os.environ[ISOLATION_ENV] = "inline"
    with tempfile.TemporaryDirectory() as tmp:
        js, py = Path(tmp) / "echo-js", Path(tmp) / "echo-py"
        js.mkdir(), py.mkdir()
        (js / "dataSourceApp.js").write_text(ECHO_JS)
        (py / "dataSourceApp.py").write_text(ECHO_PY)
        print(
            f"{'measure':<34} {'node median':>12} {'node p99':>10} {'py median':>10} {'py p99':>8}"
        )
        for title, measure, n in (
            ("round trip per call, no HTTP, ms", round_trips, calls),
            ("scope creation (create+init), ms", scope_creations, calls // 4),
        ):
            node_med, node_p99 = measure(js, n)
            py_med, py_p99 = measure(py, n)
            print(f"{title:<34} {node_med:>12.3f} {node_p99:>10.3f} {py_med:>10.3f} {py_p99:>8.3f}")
        web = Path(tmp) / "http-js"
        web.mkdir()
        (web / "dataSourceApp.js").write_text(HTTP_JS)
        has_axios = _with_axios(web)
        print(f"{'one HTTP call (respx), ms':<34} {'median':>12} {'p99':>10}")
        for client in HTTP_CLIENTS:
            if client == "axios" and not has_axios:
                print(f"  {client:<32} (npm install axios failed: left out)")
                continue
            med, p99 = http_calls(web, max(calls // 4, 20), client)
            print(f"  {client:<32} {med:>12.3f} {p99:>10.3f}")
    if rounds == 0:
        return
    runs: dict[str, list[float]] = {"examples/cats-js": [], "examples/cats": []}
    for _ in range(rounds):
        for example in runs:
            runs[example].append(suite_seconds(example))
    js_s, py_s = (statistics.median(runs[e]) for e in runs)
    print(
        f"default suite, wall s (median of {rounds}): cats-js {js_s:.2f}, cats {py_s:.2f}, "
        f"ratio {js_s / py_s:.2f}x"
    )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
