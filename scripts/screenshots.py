#!/usr/bin/env python3
"""Screenshots of the example site for the README, at phone and desktop widths.

    python scripts/screenshots.py [--out docs/screenshots] [--scheme light|dark]

Builds the example site (this repository) for a localhost address under a
sub-path, as GitHub Pages serves a project site, serves it from a small
http.server thread, and has Debian's Chromium (through Playwright) take:
the home page, the listing of all checks, a claim page, and a search in
progress (words typed, a rating chosen), each 390 px wide (a phone) and
1280 px wide (a desktop).
The PNGs are written under docs/screenshots/ (or --out).

Needs Playwright for Python and /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SUB_PATH = "steel-desk"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
CLAIM = "claims/multibillion-dollar-steel-contract/"
SEARCH_WORDS = "steel contract"
SEARCH_VERDICT = "unproven"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the output clean
        pass


@contextlib.contextmanager
def serve(root: Path):
    """An HTTP server for `root` on a free localhost port; yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def build(site: Path, out: Path, base_url: str) -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "build.py"), "build", "--site", str(site), "--out", str(out), "--base-url", base_url],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)


@contextlib.contextmanager
def served_site(site: Path = PROJECT_DIR):
    """The site built under a sub-path and served on localhost: yields (its base URL, its output folder)."""
    with tempfile.TemporaryDirectory(prefix="factdesk-shots-") as temporary:
        root = Path(temporary)
        with serve(root) as port:
            base = f"http://127.0.0.1:{port}/{SUB_PATH}/"
            build(site, root / SUB_PATH, base)
            yield base, root / SUB_PATH


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def search_in_progress(page, base: str, words: str = SEARCH_WORDS, verdict: str = SEARCH_VERDICT) -> None:
    """Open the search page, type `words`, pick a rating, and wait for the results."""
    page.goto(base + "search/", wait_until="load")
    page.fill("#q", words)
    page.select_option("#verdict", verdict)
    query = "q=" + "+".join(words.split()) + "&verdict=" + verdict
    page.wait_for_function("q => document.getElementById('search-results').dataset.query === q", arg=query, timeout=15_000)


def listing(page, base: str) -> None:
    """All checks, scrolled to the first listed check (the filters come first)."""
    page.goto(base + "claims/", wait_until="load")
    page.evaluate("document.querySelector('.claim-list').scrollIntoView()")


def take(out_dir: Path, scheme: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    suffix = "" if scheme == "light" else f"-{scheme}"
    with served_site() as (base, _), sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for name, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    color_scheme=scheme,
                    reduced_motion="reduce",
                )
                page = context.new_page()
                shots = {
                    "home": lambda: page.goto(base, wait_until="load"),
                    "listing": lambda: listing(page, base),
                    "claim": lambda: page.goto(base + CLAIM, wait_until="load"),
                    "search": lambda: search_in_progress(page, base),
                }
                for shot, open_page in shots.items():
                    open_page()
                    path = out_dir / f"{shot}-{name}{suffix}.png"
                    page.screenshot(path=str(path), full_page=False)
                    written.append(path)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "screenshots")
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    args = parser.parse_args(argv)
    for path in take(args.out, args.scheme):
        print(path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
