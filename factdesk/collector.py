"""Python's cyclic garbage collector, kept off the model's objects; and the forked workers.

Reading a big site makes hundreds of thousands of long-lived objects (the
model, the cache) and almost no garbage cycles, yet each collection walks
them all: at 10,000 checks that was seconds of every build. So the collector
is paused while the model is made, and what exists then is frozen (never
walked again) for the rest of the build; forked workers freeze what they
inherit and collect only their own garbage.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def model_building() -> Iterator[None]:
    """Within: no collections. Afterwards everything made so far is frozen until `build_done`."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def build_done() -> None:
    """The model may become garbage now (the preview reads a new one for each build)."""
    gc.unfreeze()


def forked_pool(workers: int) -> ProcessPoolExecutor | None:
    """Worker processes forked from this one, so they inherit the model; None where the
    system cannot fork. An executor, not a Pool: a worker that dies (out of memory, say)
    ends the build with BrokenProcessPool instead of leaving it waiting forever."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started)


def _worker_started() -> None:
    """What a forked worker inherited is never its garbage: it collects only its own."""
    gc.freeze()
    gc.enable()
