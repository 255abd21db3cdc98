"""How the harness ends a worker child that stops keeping the channel's protocol.

Both children here never recover on their own, so the limits are shortened without making the
tests depend on load: however slow the machine, the child is still stuck when the limit ends.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future

import pytest

from conformance.runtime import worker as worker_module
from conformance.runtime.worker import BUFFER, FD_ENV, Message, Worker, WorkerGone

# Says ready on the channel, then never reads it again (a connector stuck in a sync call).
DEAF = f"""
import os, socket, time
channel = socket.socket(fileno=int(os.environ["{FD_ENV}"]))
channel.sendall(b'{{"op": "ready"}}\\n')
time.sleep(3600)
"""

# Closes its end of the channel and lives on (a module that closes every descriptor it finds).
DETACHED = f"""
import os, time
os.close(int(os.environ["{FD_ENV}"]))
time.sleep(3600)
"""


def child(source: str) -> Worker:
    return Worker([sys.executable, "-c", source], serve=lambda worker, message: None)


def test_a_child_that_reads_nothing_of_its_channel_is_killed_and_the_call_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_module, "WRITE_STALL", 0.5)
    worker = child(DEAF)
    worker.hello()
    answer = worker.request("call", value="x" * (4 * BUFFER))  # more than both buffers hold
    with pytest.raises(WorkerGone, match="it read nothing of its channel for 0.5 s"):
        answer.result(timeout=60)
    assert worker.process.returncode is not None and worker.process.returncode < 0  # killed


def test_a_child_that_closes_its_channel_but_runs_on_is_killed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_module, "END_WAIT", 0.5)
    worker = child(DETACHED)
    with pytest.raises(WorkerGone, match=r"it died \(exit -9\)"):
        worker.hello()
    assert not worker.alive


def test_waiting_on_an_answer_of_a_killed_child_never_hangs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A request sent after the child was killed is settled at once with the same reason."""
    monkeypatch.setattr(worker_module, "WRITE_STALL", 0.5)
    worker = child(DEAF)
    worker.hello()
    with pytest.raises(WorkerGone):
        worker.request("call", value="x" * (4 * BUFFER)).result(timeout=60)
    later: Future[Message] = worker.request("call", value="y")
    with pytest.raises(WorkerGone, match="read nothing"):
        later.result(timeout=60)
