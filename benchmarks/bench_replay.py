"""Replay time of a cassette: ours (indexed, FIFO per request) against vcrpy's default matcher.

vcrpy matches every request against every recorded interaction, so replaying a cassette of n
interactions costs O(n^2). Our replay terminal (conformance/http/tape.py) indexes interactions by
a normalised request key and pops them in recorded order: O(n). Both replay the same traffic,
ours through the request pipeline as an inline connector's httpx requests reach it, vcrpy's
through its own interception of httpx: n interactions, a quarter of them identical polls of one
URL (answered in recorded order), the rest distinct record URLs, requested in recorded order.
Each time includes loading the cassette file (vcrpy's JSON serializer; our JSON cassette format).

The harness's own time per replayed request is ours minus the floor: the same httpx client
answered by a bare `httpx.MockTransport` holding the answers (what the client itself costs).

Then the whole thing as a user runs it: `pytest --connector=examples/kinto --connector-mode=replay
--cassette-dir=cassettes/kinto` (offline, the committed cassettes) beside the cats suite against
the mock, pytest's own figure, median of `rounds`, interleaved, in the default configuration
[isolated worker].

Run: ``python benchmarks/bench_replay.py [sizes...]`` (default 100 1000 2000, 3 suite rounds;
vcrpy at 2,000 takes tens of seconds; CONFORMANCE_BENCH_TINY=1: 20, one round of one check).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import vcr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import ROOT, TINY, suite_name, suite_seconds  # noqa: E402

from conformance.http import stubs
from conformance.http.pipeline import Pipeline, use
from conformance.http.tape import Tape
from conformance.recording.cassette import Cassette, load_cassette, save_cassette
from conformance.runtime.python import InProcess

BASE = "http://127.0.0.1:9/v1"
ACCOUNT = {"baseUrl": BASE, "password": "bench-password"}


def traffic(n: int) -> list[tuple[str, str]]:
    """(url, body) in recorded order: every 4th request polls the same URL."""
    out = []
    for i in range(n):
        url = f"{BASE}/changes?since=0" if i % 4 == 0 else f"{BASE}/records/{i}"
        out.append((url, json.dumps({"n": i})))
    return out


def replay(urls: list[str]) -> list[str]:
    with httpx.Client() as client:
        return [client.get(url).text for url in urls]


def bench_ours(tape: list[tuple[str, str]], folder: Path) -> float:
    interactions = [
        {
            "request": {
                "method": "GET",
                "url": url.replace(BASE, "<SECRET:baseUrl>"),
                "headers": {},
                "body": "",
            },
            "response": {"status": 200, "reason": "OK", "headers": {}, "body": body},
        }
        for url, body in tape
    ]
    path = folder / "ours.json"
    save_cassette(path, Cassette("bench", "v", "ours", 0.0, interactions=interactions))
    started = time.perf_counter()
    cassette = load_cassette(path, connector="bench", version="v", target="bench")
    pipeline = Pipeline([], Tape(cassette.interactions, account=ACCOUNT), offline=True)
    with use(pipeline), stubs.relaying(InProcess(pipeline)):
        answers = replay([url for url, _ in tape])
    elapsed = time.perf_counter() - started
    assert answers == [body for _, body in tape], "replayed out of order"
    return elapsed


def bench_floor(tape: list[tuple[str, str]]) -> float:
    """The same requests answered by a bare MockTransport: the client's own cost."""
    answers = dict(tape)
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, text=answers[str(request.url)])
    )
    started = time.perf_counter()
    with httpx.Client(transport=transport) as client:
        for url, _ in tape:
            _ = client.get(url).text
    return time.perf_counter() - started


def bench_vcrpy(tape: list[tuple[str, str]], folder: Path) -> float:
    path = folder / "vcrpy.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "interactions": [
                    {
                        "request": {"method": "GET", "uri": url, "body": None, "headers": {}},
                        "response": {
                            "status": {"code": 200, "message": "OK"},
                            "headers": {},
                            "body": {"string": body},
                        },
                    }
                    for url, body in tape
                ],
            }
        )
    )
    started = time.perf_counter()
    with vcr.VCR(serializer="json", record_mode="none").use_cassette(str(path)):
        answers = replay([url for url, _ in tape])
    elapsed = time.perf_counter() - started
    assert answers == [body for _, body in tape], "replayed out of order"
    return elapsed


def main(sizes: list[int]) -> None:
    print(f"vcrpy {vcr.__version__}, httpx {httpx.__version__}; requests in recorded order")
    head = (
        "interactions",
        "ours (s)",
        "vcrpy default (s)",
        "speed-up",
        "floor (s)",
        "harness ms/request",
    )
    print(" | ".join(f"{h:>{max(len(h), 9)}}" for h in head))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            tape = traffic(n)
            ours = bench_ours(tape, Path(tmp))
            floor = bench_floor(tape)
            theirs = bench_vcrpy(tape, Path(tmp))
            cells = (
                f"{n}",
                f"{ours:.3f}",
                f"{theirs:.2f}",
                f"{theirs / ours:.0f}x",
                f"{floor:.3f}",
                f"{(ours - floor) / n * 1000:.3f} (target <= 0.15)",
            )
            print(" | ".join(f"{c:>{max(len(h), 9)}}" for c, h in zip(cells, head, strict=True)))
    rounds = 1 if TINY else 3
    kinto = ("--connector-mode=replay", f"--cassette-dir={ROOT / 'cassettes' / 'kinto'}")
    runs: dict[str, list[float]] = {"kinto": [], "cats": []}
    for _ in range(rounds):
        runs["kinto"].append(suite_seconds(ROOT / "examples" / "kinto", *kinto)[1])
        runs["cats"].append(suite_seconds(ROOT / "examples" / "cats")[1])
    replayed, mocked = (statistics.median(runs[k]) for k in ("kinto", "cats"))
    print(
        f"{suite_name()}, pytest's figure, median of {rounds} [isolated worker]: "
        f"examples/kinto replayed offline {replayed:.2f} s, examples/cats on the mock "
        f"{mocked:.2f} s, replay {replayed / mocked:.2f}x the mock (target <= 1.0x)"
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or ([20] if TINY else [100, 1000, 2000]))
