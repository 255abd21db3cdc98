"""Requests made by test code in this process, caught and answered by a request pipeline, as
an inline connector's are."""

from collections.abc import Iterator
from contextlib import contextmanager

from conformance.http import stubs
from conformance.http.pipeline import Pipeline, use
from conformance.runtime.python import InProcess


@contextmanager
def caught(pipeline: Pipeline) -> Iterator[Pipeline]:
    with use(pipeline), stubs.relaying(InProcess(pipeline), direct=pipeline.direct):
        yield pipeline
