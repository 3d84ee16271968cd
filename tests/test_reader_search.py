"""Search: the Pagefind index of the claim pages, deterministic, and used in a real browser under a sub-path.

The browser tests build a site for http://127.0.0.1:PORT/sub/desk/, serve it
with http.server and drive Debian's Chromium through Playwright: words of a
claim find it, the verdict filter narrows the results, and the search box of
any page leads there. They skip, saying why, without Playwright or
/usr/bin/chromium; the index tests skip without the Pagefind binary.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import sys
import threading
from pathlib import Path

import pytest

from conftest import all_bytes, build_site
from test_reader_pages import reader_site

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from factdesk import search  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS, needs_browser, sync_playwright  # noqa: E402

needs_pagefind = pytest.mark.skipif(search.executable() is None, reason="Pagefind is not installed (pip install 'pagefind[bin]')")


def fragments(out: Path) -> dict[str, dict]:
    """Pagefind's record of each indexed page, by URL."""
    found = {}
    for path in (out / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(search.SIGNATURE)
        record = json.loads(data[len(search.SIGNATURE) :])
        found[record["url"]] = record
    return found


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    return build_site(reader_site(tmp), tmp / "out")


# -- the index ------------------------------------------------------------------------------


@needs_pagefind
def test_only_claim_pages_are_indexed(out):
    assert sorted(fragments(out)) == [f"/claims/{slug}/" for slug in ("same-article", "steel-contract", "talks-continue", "unrelated")]


@needs_pagefind
def test_a_claim_is_indexed_by_its_claim_verdict_summary_tags_and_claimant(out):
    record = fragments(out)["/claims/steel-contract/"]
    content = record["content"]
    for words in ("Russia and Pakistan signed a steel-mill contract.", "Media reports", "False", "Officials confirmed talks", "russia", "steel"):
        assert words in content
    assert "zeppelin" not in content  # the analysis is not indexed
    assert record["filters"] == {"tag": ["russia", "steel"], "verdict": ["false"]}
    assert record["meta"]["claimant"] == "Media reports"
    assert record["meta"]["claim"] == "Russia and Pakistan signed a steel-mill contract."  # what a result leads with
    assert record["meta"]["published"] == "2 June 2025"
    assert record["meta"]["title"] == "Russia and Pakistan signed a steel-mill contract."


@needs_pagefind
def test_the_bundle_holds_what_the_search_page_needs_and_nothing_else(out):
    names = sorted(p.name for p in (out / "pagefind").iterdir() if p.is_file())
    assert "pagefind.js" in names and "pagefind-worker.js" in names and "pagefind-entry.json" in names
    assert not any(name.startswith(("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")) for name in names)


@needs_pagefind
def test_indexing_the_same_pages_gives_the_same_bytes(out, tmp_path):
    """Pagefind orders filter values differently from run to run; canonicalise sorts them."""
    runs = []
    for i in range(4):
        folder = tmp_path / str(i)
        shutil.copytree(out / "claims", folder / "claims")
        search.index_folder(folder)
        runs.append(all_bytes(folder / "pagefind"))
    assert all(run == runs[0] for run in runs)
    assert runs[0] == all_bytes(out / "pagefind")


def test_the_index_file_reader_writes_back_what_it_read(tmp_path):
    value = ["verdict", [["False", [1, 2, 300]], ["True", [0]], ["x" * 30, [70000]]], -5, b"\x00\x01", {"key": ["v"]}]
    path = tmp_path / "pagefind.abc123.pf_meta"
    path.write_bytes(search._pack(value))
    assert search._read(path) == value
    assert search._pack(search._read(path)) == path.read_bytes()


def test_an_index_file_that_would_not_read_back_as_written_is_refused(tmp_path):
    path = tmp_path / "pagefind.abc123.pf_meta"
    path.write_bytes(search.SIGNATURE + bytes([0x82, 0x01, 0x02]) + b"\x03")  # [1, 2] and a byte more
    with pytest.raises(search.SearchIndexError, match="does not read back as written"):
        search._read(path)
    path.write_bytes(search.SIGNATURE + bytes([0x18, 0x01]))  # 1, written long: CBOR allows it, rewriting shortens it
    with pytest.raises(search.SearchIndexError, match="does not read back as written"):
        search._read(path)


def test_a_site_without_checks_builds_without_an_index(tmp_path):
    site = reader_site(tmp_path, claims={})
    out = build_site(site)
    assert not (out / "pagefind").exists()
    assert (out / "search" / "index.html").is_file()


@needs_pagefind
def test_an_unchanged_index_is_carried_over(tmp_path):
    site = reader_site(tmp_path)
    out = build_site(site)
    entry = (out / "pagefind" / "pagefind-entry.json").stat().st_ino
    (site / "content" / "pages" / "about.md").write_text("---\ntitle: About us\nnav: true\n---\nNew words.\n")
    build_site(site, out)
    assert (out / "pagefind" / "pagefind-entry.json").stat().st_ino == entry


# -- in a real browser, under a sub-path -------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "www")))
    base = f"http://127.0.0.1:{server.server_address[1]}/sub/desk/"
    build_site(reader_site(root), root / "www" / "sub" / "desk", "--base-url", base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None)
    # a request the browser dropped because the page moved on (the favicon, after a click) is not the site's failure
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} ({request.failure})")
            if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}") if response.status >= 400 else None)
    return context, page, problems


def results(page) -> list[tuple[str, str]]:
    """(verdict label, link) of each result shown."""
    found = page.eval_on_selector_all(
        "#search-results li", "items => items.map(li => [li.querySelector('.verdict').textContent, li.querySelector('h3 a').getAttribute('href')])"
    )
    return [tuple(pair) for pair in found]


def wait_for_results(page, query: str) -> str:
    """Wait until the results shown are those of `query` (as in the address); the status line."""
    page.wait_for_function("q => document.getElementById('search-results').dataset.query === q", arg=query, timeout=15_000)
    return page.inner_text("#search-status")


@needs_browser
@needs_pagefind
def test_words_of_a_claim_find_it_and_the_verdict_filter_narrows(served, browser):
    context, page, problems = open_page(browser)
    try:
        page.goto(served + "search/", wait_until="load")
        page.fill("#q", "steel-mill contract")
        assert "found" in wait_for_results(page, "q=steel-mill+contract")
        assert ("False", "/sub/desk/claims/steel-contract/") in results(page)
        assert page.inner_text("#search-results mark")  # the words found are marked in the excerpt

        page.fill("#q", "July")
        assert "found" in wait_for_results(page, "q=July")
        assert [href for _, href in results(page)] == ["/sub/desk/claims/talks-continue/"]
        page.select_option("#verdict", "false")
        assert "No check matches" in wait_for_results(page, "q=July&verdict=false")
        assert results(page) == []
        page.select_option("#verdict", "true")
        assert wait_for_results(page, "q=July&verdict=true") == "1 check found."
        assert results(page) == [("True", "/sub/desk/claims/talks-continue/")]

        page.fill("#q", "")
        page.select_option("#verdict", "misleading")
        assert wait_for_results(page, "verdict=misleading") == "1 check found."
        assert results(page) == [("Misleading", "/sub/desk/claims/same-article/")]
        assert "verdict=misleading" in page.url  # the search can be shared
    finally:
        context.close()
    assert problems == []


@needs_browser
@needs_pagefind
def test_the_search_box_of_any_page_leads_to_the_results(served, browser):
    context, page, problems = open_page(browser)
    try:
        page.goto(served + "claims/unrelated/", wait_until="load")
        page.fill("#site-search", "Karachi")
        page.press("#site-search", "Enter")
        page.wait_for_url("**/sub/desk/search/?q=Karachi")
        assert "found" in wait_for_results(page, "q=Karachi")
        assert ("Misleading", "/sub/desk/claims/same-article/") in results(page)
        assert page.input_value("#q") == "Karachi"
        page.click("#search-results h3 a")
        page.wait_for_url(served + "claims/same-article/")
    finally:
        context.close()
    assert problems == []


@needs_browser
def test_without_javascript_the_listings_take_over(served, browser):
    context, page, _ = open_page(browser, java_script_enabled=False)
    try:
        page.goto(served + "claims/steel-contract/", wait_until="load")
        assert not page.is_visible("#site-search")
        assert page.is_visible("nav >> text=All checks")
        page.goto(served + "search/?q=steel", wait_until="load")
        assert "needs JavaScript" in page.inner_text("main")
        page.click(".browse >> text=By rating")
        page.wait_for_url(served + "verdicts/")
    finally:
        context.close()

