#!/usr/bin/env python3
"""Profile one cold build with cProfile: the factdesk functions by cumulative time.

    python bench/profile_build.py SITE [--top 10] [--workers 1] [--out DIR] [--save FILE]

Builds SITE (with a fresh, temporary cache folder) in one process by default
(`--workers 1`), so that the work forked workers would do shows up in the
profile too; then prints the top functions of the factdesk package by
cumulative time, and the top functions overall by own time. `--save` keeps
the raw profile for snakeviz or pstats.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--save", type=Path, help="write the raw profile here")
    parser.add_argument("--project", type=Path, default=PROJECT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.project.resolve()))
    from factdesk.pipeline import Builder

    scratch = Path(tempfile.mkdtemp(prefix="factdesk-profile-"))
    out = args.out or scratch / "out"
    try:
        builder = Builder(args.site.resolve(), out, cache=scratch / "cache" / "reuse.sqlite", workers=args.workers)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        result = builder.build()
        profile.disable()
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not result.ok:
        raise SystemExit("the build failed")
    if args.save:
        profile.dump_stats(args.save)
    stats = pstats.Stats(profile)
    total = seconds
    package = str((args.project.resolve() / "factdesk"))
    rows = [
        (cumulative, own, calls, f"{Path(file).name}:{line} {name}")
        for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items()
        if file.startswith(package)
    ]
    rows.sort(reverse=True)
    print(f"cold build of {len(result.site.claims)} checks, workers={args.workers}: {seconds:.2f} s under cProfile\n")
    print(f"top {args.top} factdesk functions by cumulative time:\n")
    print("| cumulative s | % | own s | calls | function |")
    print("| ---: | ---: | ---: | ---: | --- |")
    for cumulative, own, calls, name in rows[: args.top]:
        print(f"| {cumulative:.2f} | {100 * cumulative / total:.0f} | {own:.2f} | {calls:,} | `{name}` |")
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(args.top)
    print(f"\ntop {args.top} functions overall by own time:\n")
    print(buffer.getvalue().split("\n", 6)[-1].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
