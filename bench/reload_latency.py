"""Time from a saved file to the reloaded page, in a real browser, with `serve`.

    python bench/reload_latency.py SITE [--rounds 5]

Starts `python build.py serve --site SITE` on a free port, opens a claim page
in Debian's Chromium (Playwright), then, several times, rewrites that claim's
summary and measures until the page shows the new text. Prints the median and
the range. The site's files are restored afterwards.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site = args.site.resolve()
    base = yaml.safe_load((site / "site.yaml").read_text())["base_url"]
    base_path = "/" + base.split("://", 1)[1].split("/", 1)[1] if base.count("/") > 3 else "/"
    claim = sorted((site / "content" / "claims").glob("*.yaml"))[0]
    original = claim.read_text(encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    times = []
    try:
        while "Serving the preview" not in server.stderr.readline():
            if server.poll() is not None:
                raise SystemExit("the preview did not start")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"],
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}{base_path}claims/{claim.stem}/")
            page.wait_for_function("() => window.LiveReload !== undefined", timeout=30_000)
            for number in range(args.rounds):
                marker = f"Reload marker {number} {time.time_ns()}"
                text = original.replace("summary:", f"summary: {marker}.", 1)
                time.sleep(1.0)
                started = time.perf_counter()
                claim.write_text(text, encoding="utf-8")
                page.wait_for_selector(f"text={marker}", timeout=120_000)
                times.append(time.perf_counter() - started)
            browser.close()
    finally:
        claim.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    checks = len(list((site / "content" / "claims").glob("*.yaml")))
    print(f"{checks} checks: saved file to reloaded page, median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} rounds)")


if __name__ == "__main__":
    main()
