"""Replay time of a cassette: ours (indexed, FIFO per request) against vcrpy's default matcher.

vcrpy matches every request against every recorded interaction, so replaying a cassette of n
interactions costs O(n^2). Our replay terminal (conformance/http/tape.py) indexes interactions by
a normalised request key and pops them in recorded order: O(n). Both replay the same traffic,
ours through the request pipeline as an inline connector's httpx requests reach it, vcrpy's
through its own interception of httpx: n interactions, a quarter of them identical polls of one
URL (answered in recorded order), the rest distinct record URLs, requested in recorded order.
Each time includes loading the cassette file (vcrpy's JSON serializer; our JSON cassette format).

Run: ``python benchmarks/bench_replay.py [sizes...]`` (default 100 1000 2000; vcrpy at 2,000
takes tens of seconds; CONFORMANCE_BENCH_TINY=1: 20). No connector runs: the rows are the
replay layer alone [no connector], ours beside vcrpy's.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import httpx
import vcr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import TINY  # noqa: E402

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
    print(f"{'interactions':>12} | {'ours (s)':>9} | {'vcrpy default (s)':>17} | {'speed-up':>8}")
    print(f"{'-' * 12}-|-{'-' * 9}-|-{'-' * 17}-|-{'-' * 8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            tape = traffic(n)
            ours = bench_ours(tape, Path(tmp))
            theirs = bench_vcrpy(tape, Path(tmp))
            print(f"{n:>12} | {ours:>9.3f} | {theirs:>17.2f} | {theirs / ours:>7.0f}x")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or ([20] if TINY else [100, 1000, 2000]))
