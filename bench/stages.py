#!/usr/bin/env python3
"""Where one cold build spends its time, stage by stage.

    python bench/stages.py PROJECT SITE OUT

Runs `factdesk.pipeline.build(SITE, OUT)` in process with every function
that `factdesk.pipeline` calls by name (its own module-level functions and
those it imports from the factdesk package) wrapped in a timer, so a stage
added later (a search index, share cards) shows up without changing this
script. Nested stages are named outer > inner. Prints one JSON line:
{"bench": "stages", "total": s, "stages": [[name, seconds, calls], ...]}.

Time spent in forked workers counts once, as the parent's wait for them.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import time
from pathlib import Path


def main() -> int:
    project, site, out = (Path(a).resolve() for a in sys.argv[1:4])
    sys.path.insert(0, str(project))
    from factdesk import pipeline

    totals: dict[str, list[float]] = {}
    order: list[str] = []
    stack: list[str] = []

    def timed(name: str, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            label = " > ".join([*stack, name])
            if label not in totals:
                totals[label] = [0.0, 0]
                order.append(label)  # in the order stages start
            stack.append(name)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                stack.pop()
                totals[label][0] += elapsed
                totals[label][1] += 1

        return wrapper

    for name, value in list(vars(pipeline).items()):
        if name in ("build", "main") or name.startswith("__"):
            continue
        if inspect.isfunction(value) and (value.__module__ or "").startswith("factdesk"):
            setattr(pipeline, name, timed(name, value))

    started = time.perf_counter()
    result = pipeline.build(site, out)
    total = time.perf_counter() - started
    if not result.ok:
        for problem in result.problems[:20]:
            print(problem, file=sys.stderr)
        raise SystemExit("the build failed")
    stages = [[label, totals[label][0], totals[label][1]] for label in order]
    print(json.dumps({"bench": "stages", "total": total, "stages": stages}))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
