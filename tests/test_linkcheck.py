"""The built example, served under a sub-path on loopback, has no broken link (linkchecker)."""

import functools
import http.server
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import BUILD_PY, EXAMPLE_DESK, PROJECT_DIR

LINKCHECKER = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")


@pytest.mark.skipif(not Path(LINKCHECKER).exists(), reason="linkchecker (the PyPI package) is not installed")
def test_the_example_under_a_sub_path_has_no_broken_link(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = tmp_path / "root"
    base = f"http://127.0.0.1:{port}/steel-desk/"
    build = subprocess.run(
        [sys.executable, str(BUILD_PY), "--site", str(EXAMPLE_DESK), "--out", str(root / "steel-desk"), "--base-url", base],
        cwd=PROJECT_DIR, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = subprocess.run(
            [LINKCHECKER, "--no-status", "--no-warnings", "--threads=4", base],
            capture_output=True, text=True, timeout=300,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 errors found" in result.stdout
