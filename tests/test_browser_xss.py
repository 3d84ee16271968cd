"""A real browser opens every page of a site whose every field carries script.

The site is built with payloads in every text an editor writes (site.yaml,
the rating scale, articles' front matter and text, quotes, claims, citations,
updates, Markdown analyses and pages), served over HTTP, and every page is
opened in headless Chromium twice: as built, and with its
Content-Security-Policy taken out, so escaping is tested on its own and not
only the policy. No script may run: no dialog, no console marker, no request
to the planted host, no `window.__xss`; and every page carries the policy.

Skips, saying why, where Playwright for Python or /usr/bin/chromium is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
BUILD_PY = PROJECT_DIR / "build.py"
from conftest import CHROMIUM, CHROMIUM_ARGS, WEB_EDITOR, needs_browser, sync_playwright  # noqa: E402

pytestmark = needs_browser

PLANTED = "planted.invalid"
MARKER = "XSS-MARKER"

# Markup that runs script, loads from the planted host or navigates, if it is ever parsed as HTML.
MARKUP = (
    f"<script>console.log('{MARKER}');window.__xss=1;alert(1)</script>"
    f"<img src=http://{PLANTED}/img.png onerror=\"console.log('{MARKER}');alert(2)\">"
    f"\"><svg onload=\"console.log('{MARKER}')\"></svg>"
    f"'><iframe src=http://{PLANTED}/frame></iframe>"
    f"<script src=http://{PLANTED}/x.js></script>"
    f"<link rel=stylesheet href=http://{PLANTED}/s.css>"
    f"<style>@import 'http://{PLANTED}/i.css';</style>"
    f"<object data=http://{PLANTED}/o></object>"
    f"<meta http-equiv=refresh content=\"0;url=http://{PLANTED}/refresh\">"
    f"<base href=http://{PLANTED}/>"
    f"</script><script>console.log('{MARKER}')</script><!--"
    f"<a href=javascript:console.log('{MARKER}') id=xss>x</a>"
    "{{ 7 * 7 }}"
)
# The same for web addresses, which cannot hold spaces.
URL_MARKUP = f"?q=\"><script>console.log('{MARKER}')</script><img/src=http://{PLANTED}/u.png/onerror=alert(3)>"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def payload(field: str) -> str:
    return q(f"{field} {MARKUP}")


def write(site: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


ARTICLE_TEXT = (
    "Moscow, May 30 Russia on Friday rubbished reports about a steel mill.\n\n"
    f"The memo said {MARKUP} and nothing more.\n\n"
    "Sources in Moscow admitted negotiations taking place.\n"
)


def hostile_site(site: Path) -> None:
    write(
        site,
        {
            "site.yaml": "\n".join(
                [
                    f"title: {payload('Site title')}",
                    f"description: {payload('Site description')}",
                    "base_url: https://example.org/desk/",
                    "language: en",  # a language tag or an error (the hostile corpus checks that one)
                    "publish_article_text: true",
                    "publisher:",
                    f"  name: {payload('Publisher')}",
                    f"  url: {q('https://example.org/' + URL_MARKUP)}",
                    "verdicts:",
                    "  - id: accurate",
                    f"    label: {payload('Accurate')}",
                    f"    description: {payload('Accurate means')}",
                    "  - id: \"false\"",
                    f"    label: {payload('False')}",
                    f"    description: {payload('False means')}",
                    "  - id: unproven",
                    f"    label: {payload('Unproven')}",
                    f"    description: {payload('Unproven means')}",
                    "    scored: false",
                ]
            )
            + "\n",
            "content/articles/memo.txt": "\n".join(
                [
                    "---",
                    f"title: {payload('Article title')}",
                    f"publisher: {payload('Outlet')}",
                    f"author: {payload('Byline')}",
                    "published: 2025-05-30",
                    f"url: {q('https://news.example.com/story' + URL_MARKUP)}",
                    f"archive_url: {q('https://archive.example.com/story' + URL_MARKUP)}",
                    "---",
                    ARTICLE_TEXT,
                ]
            ),
            "content/claims/memo-claim.yaml": "\n".join(
                [
                    f"claim: {payload('Claim')}",
                    f"claimant: {payload('Claimant')}",
                    "claim_date: 2025-05-29",
                    f"appeared_in: [memo, {q('https://example.com/seen' + URL_MARKUP)}]",
                    "verdict: \"false\"",
                    f"summary: {payload('Summary')}",
                    "published: 2025-06-02",
                    f"author: {payload('Author')}",
                    "tags: [steel, memo]",
                    "updates:",
                    "  - date: 2025-06-03",
                    f"    note: {payload('Update')}",
                    "citations:",
                    "  - article: memo",
                    f"    quote: {q('The memo said ' + MARKUP)}",
                    f"    note: {payload('Citation note')}",
                    f"  - url: {q('https://example.com/report' + URL_MARKUP)}",
                    f"    title: {payload('Link title')}",
                    f"    note: {payload('Link note')}",
                    "analysis: |",
                    f"  Analysis {MARKUP}",
                    "",
                    f"  <div onclick=\"console.log('{MARKER}')\">{MARKUP}</div>",
                    "",
                    f"  A [link](https://example.com/a {q(MARKUP)}) and ![{MARKUP}](/static/chart.png) and `{MARKUP}`.",
                    "",
                    "  &lt;script&gt;console.log('entity')&lt;/script&gt; and <https://example.com/auto>",
                    "",
                    f"  ## Heading {MARKUP}",
                    "",
                    f"  > Quote {MARKUP}",
                    "",
                    f"  | a | b |\n  |---|---|\n  | {MARKUP.replace('|', '')} | x |",
                ]
            )
            + "\n",
            "content/claims/second-claim.yaml": "\n".join(
                [
                    f"claim: {payload('Second claim')}",
                    f"headline: {payload('Headline')}",
                    "claimant: Someone",
                    "verdict: unproven",
                    "summary: Not known.",
                    "published: 2025-06-04",
                    "tags: [steel]",
                    "citations:",
                    "  - article: memo",
                    "    quote: Sources in Moscow admitted negotiations",
                    "analysis: |",
                    "  Short.",
                ]
            )
            + "\n",
            "content/pages/about.md": "\n".join(
                [
                    "---",
                    f"title: {payload('Page title')}",
                    "nav: true",
                    "---",
                    f"Page body {MARKUP}",
                    "",
                    f"<script>console.log('{MARKER}')</script>",
                    "",
                    f"[methods](/about/ {q(MARKUP)})",
                ]
            )
            + "\n",
        },
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - keep the test output clean
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL of the site as built, base URL of a copy without its CSP, the output folder)."""
    root = tmp_path_factory.mktemp("browser")
    site = root / "site"
    hostile_site(site)
    www, bare = root / "www", root / "bare"
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    out = www / "desk"
    result = subprocess.run(
        [sys.executable, str(BUILD_PY), "build", "--site", str(site), "--out", str(out), "--base-url", f"http://127.0.0.1:{port}/www/desk/"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    shutil.copytree(out, bare / "desk")
    for page in (bare / "desk").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert stripped != html, f"{page.name}: no CSP to take out"
        page.write_text(stripped, encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/www/desk/", f"http://127.0.0.1:{port}/bare/desk/", out
    finally:
        server.shutdown()
        server.server_close()


def pages_of(out: Path) -> list[str]:
    pages = []
    for path in sorted(out.rglob("*.html")):
        relative = path.relative_to(out).as_posix()
        pages.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return pages


DOM_CHECK = """
() => {
  const bad = [];
  if (window.__xss) bad.push('window.__xss is set');
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'cite', 'srcset'];
  const forbidden = ['IFRAME', 'OBJECT', 'EMBED', 'SVG', 'BASE', 'STYLE', 'FORM', 'INPUT', 'TEXTAREA', 'VIDEO', 'AUDIO', 'TEMPLATE'];
  // the templates' own forms (the search box and page) and charts; no payload can add one
  const own = (el) => el.closest('form.site-search, form#search-form, figure.verdict-chart') !== null;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    if (forbidden.includes(tag) && !own(el)) bad.push('element ' + tag);
    if (tag === 'META' && el.httpEquiv && el.httpEquiv.toLowerCase() !== 'content-security-policy') bad.push('meta ' + el.outerHTML);
    const searchModule = tag === 'SCRIPT' && el.type === 'module' && el.src.includes('/static/') && !el.textContent.trim();
    if (tag === 'SCRIPT' && el.type !== 'application/ld+json' && !searchModule) bad.push('script ' + el.outerHTML.slice(0, 120));
    if (el.id === 'xss') bad.push('element with id xss');
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push(tag + ' ' + attr.name);
      if (attr.name === 'style') bad.push(tag + ' style');
      if (urlAttributes.includes(attr.name)) {
        let protocol = 'invalid:';
        try { protocol = new URL(attr.value, location.href).protocol; } catch (e) {}
        if (!['http:', 'https:', 'mailto:'].includes(protocol)) bad.push(tag + ' ' + attr.name + '=' + attr.value);
      }
    }
  }
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {bad, csp: csp ? csp.content : null, text: document.body ? document.body.innerText : ''};
}
"""


def visit_all(base: str, out: Path, expect_csp: bool) -> None:
    problems: list[str] = []
    shown_payload = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            context = browser.new_context(java_script_enabled=True)
            planted_requests: list[str] = []

            def route(route):
                host = urlsplit(route.request.url).hostname
                if host == "127.0.0.1":
                    route.continue_()
                else:
                    if host == PLANTED:
                        planted_requests.append(route.request.url)
                    route.abort()

            context.route("**/*", route)
            for relative in pages_of(out):
                page = context.new_page()
                events: list[str] = []
                page.on("dialog", lambda dialog, events=events: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
                page.on(
                    "console",
                    lambda message, events=events: events.append(f"console: {message.text}")
                    if MARKER in message.text or "Content Security Policy" in message.text
                    else None,
                )
                page.on("pageerror", lambda error, events=events: events.append(f"page error: {error}"))
                page.on("framenavigated", lambda frame, events=events: events.append(f"navigated to {frame.url}") if PLANTED in frame.url else None)
                response = page.goto(base + relative, wait_until="load", timeout=30_000)
                assert response is not None and response.ok, f"{relative}: {response and response.status}"
                page.wait_for_timeout(150)
                result = page.evaluate(DOM_CHECK)
                if relative.startswith(f"{WEB_EDITOR}/"):
                    # the web editor is an app: its own scripts, styles and policy are tested in test_cms*.py;
                    # here, only that no payload ran (the CMS logs its configuration, payloads and all, as text)
                    result["bad"] = [item for item in result["bad"] if "xss" in item]
                    events = [event for event in events if not event.startswith("console: CMS configuration:")]
                for item in result["bad"]:
                    problems.append(f"{relative}: {item}")
                for event in events:
                    problems.append(f"{relative}: {event}")
                if expect_csp and not relative.startswith(f"{WEB_EDITOR}/"):
                    csp = result["csp"] or ""
                    if "script-src 'self'" not in csp or "unsafe-inline" in csp:
                        problems.append(f"{relative}: Content-Security-Policy missing or weak: {csp!r}")
                if f"console.log('{MARKER}');window.__xss=1" in result["text"]:
                    shown_payload = True
                page.close()
            for url in planted_requests:
                problems.append(f"request to the planted host: {url}")
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
    assert shown_payload, "no page showed the payload as text: the test proves nothing"


def test_every_page_of_a_hostile_site_runs_no_script(served):
    base, _, out = served
    visit_all(base, out, expect_csp=True)


def test_escaping_alone_stops_every_payload_without_the_csp(served):
    _, bare, out = served
    visit_all(bare, out, expect_csp=False)


def test_the_payloads_are_shown_as_text_on_the_claim_page(served):
    base, _, out = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page()
            page.goto(base + "claims/memo-claim/", wait_until="load")
            text = page.inner_text("body")
        finally:
            browser.close()
    for field in ("Claim", "Claimant", "Summary", "Author", "Update", "Citation note", "Link title", "Link note", "Analysis"):
        assert f"{field} {MARKUP}" in text or f"{field} {MARKUP}".replace("\n", " ") in text, f"{field} is not shown as text"
    assert f"The memo said {MARKUP}" in text
