"""Python's cyclic garbage collector, kept off the model's objects.

Reading a big site makes hundreds of thousands of long-lived objects (the
model, the cache) and almost no garbage cycles, yet each collection walks
them all: at 10,000 checks that was seconds of every build. So the collector
is paused while the model is made, and what exists then is frozen (never
walked again) for the rest of the build; forked workers freeze what they
inherit and collect only their own garbage.
"""

from __future__ import annotations

import gc
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


def worker_started() -> None:
    """The initializer of every forked worker: what it inherited is never its garbage."""
    gc.freeze()
    gc.enable()
