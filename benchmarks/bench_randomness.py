"""What does routing the connector's randomness cost per call?

A connector call in a recording or replaying check carries a plan: nothing (mock, live), `{}`
(record: draw real values, report them) or the check's recorded draws still to come (replay),
and the answer lists what the call drew. This times `get` calls of a connector that draws one
uuid4 per call, in the Python worker, inline and the NodeJS bridge, with no source, a recording
source, and replaying sources whose plans hold on average 150, 250 and 1,150 draws (the
CardDAV example's largest cassette holds 40 in all). Best of several rounds: the machine is shared.

Run: ``python benchmarks/bench_randomness.py [calls] [rounds]`` (default 300 and 3;
CONFORMANCE_BENCH_TINY=1: 10 calls, 1 round). Each row is beside the same runtime with no plan.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import ISOLATION_ENV, size  # noqa: E402

from conformance.connector.load import load_connector  # noqa: E402
from conformance.runtime.randomness import RandomSource, using  # noqa: E402
from conformance.runtime.session import Session  # noqa: E402

PYTHON = """import uuid
class DataSource:
    async def init(self, account): pass
    async def get(self, id): return {"id": str(uuid.uuid4())}
    async def insert(self, value): return {"id": "x"}
    async def patch(self, id, value): pass
    async def delete(self, id): pass
    async def get_updates(self, last_sync): return {"nextSync": None, "entries": []}
"""
JS = """module.exports = {
  async init () {}, async get (id) { return { id: require('crypto').randomUUID() } },
  async insert () { return { id: 'x' } }, async patch () {}, async delete () {},
  async getUpdates () { return { entries: [] } }
}
"""


def draws(n: int) -> list[dict]:
    return [{"kind": "uuid4", "value": str(uuid.uuid4())} for _ in range(n)]


def per_call(spec, calls: int, source: RandomSource | None) -> float:
    session = Session(spec.create(), {}, timeout=30)
    try:
        started = time.perf_counter()
        if source is None:
            for _ in range(calls):
                session.get("x")
        else:
            with using(source):
                for _ in range(calls):
                    session.get("x")
        return (time.perf_counter() - started) / calls
    finally:
        session.close()


def main() -> None:
    calls = int(size(1, 300, 10))
    rounds = int(size(2, 3, 1))
    folder = Path(tempfile.mkdtemp())
    runtimes = [("[isolated worker]", "dataSourceApp.py", PYTHON, "process")]
    runtimes.append(("[inline]", "dataSourceApp.py", PYTHON, "inline"))
    if shutil.which("node"):
        runtimes.append(("[NodeJS]", "dataSourceApp.js", JS, "process"))
    print(f"{'configuration':<18} {'plan':<22} {'µs per call':>12}  beside")
    for name, file, source, isolation in runtimes:
        os.environ[ISOLATION_ENV] = isolation
        target = folder / name.strip("[]").replace(" ", "-")
        target.mkdir()
        (target / file).write_text(source)
        spec = load_connector(str(target))
        plans = {
            "none (mock, live)": lambda: None,
            "record": lambda: RandomSource(),
            # the plan shrinks by one draw per call: on average `extra + calls / 2` ahead
            f"replay, ~{calls // 2} ahead": lambda: RandomSource(draws(calls)),
            f"replay, ~{calls // 2 + 100} ahead": lambda: RandomSource(draws(calls + 100)),
            f"replay, ~{calls // 2 + 1000} ahead": lambda: RandomSource(draws(calls + 1000)),
        }
        unplanned = 0.0
        for plan, make in plans.items():
            best = min(per_call(spec, calls, make()) for _ in range(rounds))
            unplanned = unplanned or best
            print(f"{name:<18} {plan:<22} {best * 1e6:>12.0f}  {best / unplanned:.2f}x no plan")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
