#!/usr/bin/env python3
"""Build, preview and check the fact-check site: `python build.py --help`."""

import os
import sys

try:
    from factdesk.cli import main
except ModuleNotFoundError as missing:  # run with a Python that lacks the packages: say how to get them
    print(
        f"error: this Python has no '{missing.name}' package, which factdesk needs. Set up once with\n"
        "  python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt\n"
        "then run .venv/bin/python build.py",
        file=sys.stderr,
    )
    sys.exit(2)

if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # everything is written and closed: skip tearing down the model's objects one by one,
    # which took half a second after a build of 10,000 checks
    os._exit(code)
