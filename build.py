#!/usr/bin/env python3
"""Build, preview and check the fact-check site: `python build.py --help`."""

import sys

from factdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
