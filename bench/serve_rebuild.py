#!/usr/bin/env python3
"""Time the preview's rebuild after one changed check, in process.

    python bench/serve_rebuild.py PROJECT SITE CLAIM_FILE WORK_DIR

Drives `factdesk.serving.Preview` as `serve` does, without the HTTP server,
the file watcher or its quiet period: an initial rebuild(), then one claim's
summary is edited and rebuild() is called again; the preview's output goes
under WORK_DIR. Only that second rebuild is
timed. The claim file is restored afterwards. Prints one JSON line:
{"bench": "serve", "initial": s, "seconds": s, "api": "..."}.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import time
from pathlib import Path


def edit_summary(path: Path, tag: str) -> bytes:
    """Change the claim's summary in place; the original bytes, to restore."""
    original = path.read_bytes()
    text = original.decode("utf-8")
    if "\nsummary: '" not in text:
        raise SystemExit(f"{path}: no single-quoted summary to edit")
    path.write_text(text.replace("\nsummary: '", f"\nsummary: '{tag} ", 1), encoding="utf-8")
    return original


def restore(path: Path, original: bytes, stat: os.stat_result) -> None:
    path.write_bytes(original)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def main() -> int:
    project, site, claim, work = (Path(a).resolve() for a in sys.argv[1:5])
    sys.path.insert(0, str(project))
    from factdesk import serving

    work.mkdir(parents=True, exist_ok=True)
    preview = serving.Preview(site, work)
    params = inspect.signature(preview.rebuild).parameters
    # the API as of writing: rebuild() with no arguments; pass what changed if it asks
    kwargs = {}
    api = "Preview(site, work).rebuild()"
    for name in ("changed", "paths", "changes"):
        if name in params:
            kwargs = {name: [claim]}
            api = f"Preview(site, work).rebuild({name}=[claim])"
    started = time.perf_counter()
    preview.rebuild()
    initial = time.perf_counter() - started
    if not preview.has_site:
        raise SystemExit("the initial preview build failed")
    stat = claim.stat()
    original = edit_summary(claim, "Revised in the preview.")
    try:
        started = time.perf_counter()
        preview.rebuild(**kwargs)
        seconds = time.perf_counter() - started
        if any(p.severity == "error" for p in preview.problems):
            raise SystemExit("the rebuild after the edit failed")
    finally:
        restore(claim, original, stat)
    print(json.dumps({"bench": "serve", "initial": initial, "seconds": seconds, "api": api}))
    sys.stdout.flush()
    os._exit(0)  # run.py removes WORK_DIR; skip the interpreter's teardown


if __name__ == "__main__":
    sys.exit(main())
