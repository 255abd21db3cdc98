"""What does isolating a Python connector in a worker process cost, next to running it inline?

Prints, in one run, each figure for `inline` (the connector in the harness's process) beside
`process` (the connector in a worker process, its httpx requests relayed back):
- a call with no HTTP (a `get` that returns its argument), median and p99;
- a call that makes one HTTP request through httpx.AsyncClient, and one through a
  requests.Session (caught by vcrpy's patch of urllib3), each answered by a request pipeline
  with an in-memory terminal in the harness (the path every mock-mode call takes), median and
  p99;
- scope creation (`create()` plus `init`), median and p99;
- the CPU a call costs each process (harness, worker), which load does not inflate as it
  inflates wall time: where an isolated call's time goes;
- the floor: two processes taking turns on a socket with a JSON line each way (what any
  call to another process costs on this machine at that moment; it moved 3x in one hour here);
- the wall time of the default suite, `pytest --connector=examples/cats`, run `rounds` times
  in alternation, median.

Run: ``python benchmarks/bench_isolation.py [calls] [rounds]`` (default 2000 calls, 3 rounds;
CONFORMANCE_BENCH_TINY=1: 40 calls, 1 round, the suite narrowed to one check).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import ISOLATION_ENV, size, suite_name, suite_seconds  # noqa: E402

from conformance.connector.load import load_connector  # noqa: E402
from conformance.http.message import Request, Response  # noqa: E402
from conformance.http.pipeline import Pipeline, use  # noqa: E402
from conformance.runtime.session import Session  # noqa: E402

ECHO = """class DataSource:
    async def init(self, account): self.account = account
    async def get(self, id): return {"id": id}
    async def insert(self, value): ...
    async def patch(self, id, value): ...
    async def delete(self, id): ...
    async def get_updates(self, last_sync): ...
"""
HTTP = """import httpx

class DataSource:
    async def init(self, account): self.client = httpx.AsyncClient(base_url="https://bench.test")
    async def get(self, id): return (await self.client.get(f"/cats/{id}")).json()
    async def insert(self, value): ...
    async def patch(self, id, value): ...
    async def delete(self, id): ...
    async def get_updates(self, last_sync): ...
    async def aclose(self): await self.client.aclose()
"""
REQUESTS = """import requests

class DataSource:
    def init(self, account): self.session = requests.Session()
    def get(self, id): return self.session.get(f"https://bench.test/cats/{id}", timeout=5).json()
    def insert(self, value): ...
    def patch(self, id, value): ...
    def delete(self, id): ...
    def get_updates(self, last_sync): ...
    def close(self): self.session.close()
"""
ISOLATIONS = ("inline", "process")
CAT = b'{"id": "1", "name": "a"}'


def _answer(request: Request) -> Response:
    return Response(200, [("Content-Type", "application/json")], CAT, source="mock")


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def _isolated(isolation: str, measure: Callable[[], list[float]]) -> list[float]:
    os.environ[ISOLATION_ENV] = isolation
    try:
        return measure()
    finally:
        del os.environ[ISOLATION_ENV]


def calls(folder: Path, n: int) -> list[float]:
    with use(Pipeline([], _answer, offline=True, in_memory=True)):
        session = Session(load_connector(str(folder)).create(), {})
        samples = []
        for i in range(n):
            started = time.perf_counter()
            session.get(str(i))
            samples.append(time.perf_counter() - started)
        session.close()
    return samples[n // 10 :]  # the first tenth warms up


ECHO_LINES = """import json, os, socket
s = socket.socket(fileno=int(os.environ["FD"]))
f = s.makefile("rb")
for line in f:
    s.sendall((json.dumps({"re": json.loads(line)["id"], "ok": True}) + "\\n").encode())
"""


def floor_round_trips(n: int) -> list[float]:
    """Two processes taking turns on a socket pair with one JSON line each way, both blocking
    on the socket: what any call to another process costs on this machine right now."""
    import socket
    import subprocess

    ours, theirs = socket.socketpair()
    child = subprocess.Popen(
        [sys.executable, "-c", ECHO_LINES],
        pass_fds=(theirs.fileno(),),
        env={**os.environ, "FD": str(theirs.fileno())},
    )
    theirs.close()
    lines = ours.makefile("rb")
    samples = []
    for i in range(n):
        started = time.perf_counter()
        ours.sendall(f'{{"id": {i}, "op": "call"}}\n'.encode())
        lines.readline()
        samples.append(time.perf_counter() - started)
    lines.close()  # the socket stays open while its file object is
    ours.close()
    child.wait()
    return samples[n // 10 :]


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_call(folder: Path, n: int) -> tuple[float, float]:
    """(harness CPU, worker CPU) per call in ms: where the time of a call is spent, whatever
    else the machine runs (wall time counts waiting for the CPU too)."""
    from conformance.runtime import python_process

    with use(Pipeline([], _answer, offline=True, in_memory=True)):
        session = Session(load_connector(str(folder)).create(), {})
        for i in range(n // 10):
            session.get(str(i))
        worker = python_process._worker if python_process.isolated() else None
        pid = worker.process.pid if worker is not None else None
        harness, child = time.process_time(), _cpu_of(pid) if pid else 0.0
        for i in range(n):
            session.get(str(i))
        harness = time.process_time() - harness
        child = (_cpu_of(pid) - child) if pid else 0.0
        session.close()
    return harness / n * 1000, child / n * 1000


def scopes(folder: Path, n: int) -> list[float]:
    """As a mock check makes them: under a pipeline that answers from memory."""
    spec = load_connector(str(folder))
    samples = []
    with use(Pipeline([], _answer, offline=True, in_memory=True)):
        for _ in range(n):
            started = time.perf_counter()
            session = Session(spec.create(), {})
            samples.append(time.perf_counter() - started)
            session.close()
    return samples[n // 10 :]


def main() -> None:
    n = int(size(1, 2000, 40))
    rounds = int(size(2, 3, 1))
    with tempfile.TemporaryDirectory() as tmp:
        echo, http, plain = Path(tmp) / "echo", Path(tmp) / "http", Path(tmp) / "requests"
        for folder, source in ((echo, ECHO), (http, HTTP), (plain, REQUESTS)):
            folder.mkdir()
            (folder / "dataSourceApp.py").write_text(source)
        print(
            f"{'measure (ms)':<36} {'[inline] med':>12} {'p99':>7} "
            f"{'[isolated worker] med':>21} {'p99':>7}  beside"
        )
        for title, measure, folder, count in (
            ("call, no HTTP", calls, echo, n),
            ("call, one HTTP request, httpx", calls, http, n),
            ("call, one HTTP request, requests", calls, plain, n),
            ("scope creation (create + init)", scopes, echo, n // 4),
        ):
            samples: dict[str, list[float]] = {i: [] for i in ISOLATIONS}
            for _ in range(rounds):  # interleaved, so drift in machine load hits both
                for isolation in ISOLATIONS:
                    samples[isolation] += _isolated(
                        isolation, lambda m=measure, f=folder, c=count: m(f, c // rounds)
                    )
            (i_med, i_p99), (p_med, p_p99) = (_stats(samples[i]) for i in ISOLATIONS)
            print(
                f"{title:<36} {i_med:>12.3f} {i_p99:>7.3f} {p_med:>21.3f} {p_p99:>7.3f}  "
                f"worker {p_med / i_med:.2f}x inline"
            )
        floor = statistics.median(floor_round_trips(n)) * 1000
        print(f"{'floor: JSON line ping-pong, 2 processes':<36} {floor:>33.3f}  (no harness)")
        print(
            f"\n{'CPU per call (ms)':<36} {'[inline] harness':>16} "
            f"{'[isolated worker] harness':>25} {'worker':>7} {'both':>6}"
        )
        for title, folder in (("call, no HTTP", echo), ("call, one HTTP request, httpx", http)):
            inline = _isolated("inline", lambda f=folder: cpu_per_call(f, n))[0]
            harness, child = _isolated("process", lambda f=folder: cpu_per_call(f, n))
            print(
                f"{title:<36} {inline:>16.3f} {harness:>25.3f} {child:>7.3f} "
                f"{harness + child:>6.3f}"
            )
        print()
    runs: dict[str, list[float]] = {i: [] for i in ISOLATIONS}
    for _ in range(rounds):
        for isolation in ISOLATIONS:
            example = ROOT / "examples" / "cats"
            runs[isolation].append(suite_seconds(example, env={ISOLATION_ENV: isolation})[1])
    inline_s, process_s = (statistics.median(runs[i]) for i in ISOLATIONS)
    print(
        f"{suite_name()} on examples/cats, pytest's figure (median of {rounds}): "
        f"[inline] {inline_s:.2f} s, [isolated worker] {process_s:.2f} s, "
        f"worker {process_s / inline_s:.2f}x inline"
    )


if __name__ == "__main__":
    main()
