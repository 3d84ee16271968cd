"""The preview: served under the base path, rebuilt once per burst of saves,
equal to a full build, safe with paths, and live in a real browser."""

from __future__ import annotations

import gc
import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUILD_PY, CHROMIUM, CHROMIUM_ARGS, CLAIM, CLAIM_SLUG, make_site, write
from factdesk.pipeline import Builder
from factdesk.serving import SCRIPT_HASH, Preview, Watcher, allowed_hosts, allowed_request, watched_paths

SUB_PATH_SITE = """\
title: Test Desk
base_url: https://example.org/desk/
publisher:
  name: Test Desk Org
  url: https://example.org/
"""


def call(app, path: str) -> tuple[str, dict, bytes]:
    """A WSGI request: (status, headers, body)."""
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def preview(tmp_path):
    site = make_site(tmp_path, site_yaml=SUB_PATH_SITE)
    work = tmp_path / "work"
    work.mkdir()
    app = Preview(site, work)
    app.rebuild()
    return app


def test_root_redirects_to_the_base_path(preview):
    status, headers, _ = call(preview, "/")
    assert status.startswith("302") and headers["Location"] == "/desk/"


def test_pages_are_served_under_the_base_path(preview):
    status, headers, body = call(preview, f"/desk/claims/{CLAIM_SLUG}/")
    assert status.startswith("200") and headers["Content-Type"].startswith("text/html")
    assert b"Russia and Pakistan signed a steel-mill contract." in body


def test_a_folder_without_its_slash_redirects(preview):
    status, headers, _ = call(preview, f"/desk/claims/{CLAIM_SLUG}")
    assert status.startswith("302") and headers["Location"] == f"/desk/claims/{CLAIM_SLUG}/"


@pytest.mark.parametrize(
    "path",
    [
        "/desk/../site.yaml",
        "/desk/%2e%2e/site.yaml",
        "/desk/%2E%2E/%2E%2E/etc/passwd",
        "/desk/static/..%2f..%2fsite.yaml",
        "/desk/..%5c..%5csite.yaml",
        "/desk/static/%00",
        "/elsewhere/",
    ],
)
def test_never_serves_outside_the_output(preview, path):
    status, _, body = call(preview, path)
    assert status.startswith("404")
    assert b"base_url" not in body and b"root:" not in body


@pytest.mark.parametrize(
    "path",
    ["/desk/" + "a" * 8000, "/desk/" + "a/" * 4000, "/desk/" + "%2e" * 2700, "/desk/" + "a" * 8000 + "/"],
)
def test_an_overlong_path_is_not_found_not_an_error(preview, path):
    """A name longer than the file system allows raised ENAMETOOLONG, a 500."""
    assert call(preview, path)[0].startswith("404")


def test_the_reload_script_is_allowed_only_in_the_preview(preview, tmp_path):
    _, _, body = call(preview, "/desk/")
    assert SCRIPT_HASH.encode() in body
    built = (preview.out_dir / "index.html").read_text()
    assert SCRIPT_HASH not in built and "script-src 'self'" in built


def test_the_preview_draws_no_share_cards_but_every_page(preview, tmp_path):
    """Cards are images for social networks, which never see a preview: drawing them is most
    of a first build's time. Every page is there, the same as in a full build."""
    served = preview.out_dir
    assert not (served / "cards").exists()
    full = tmp_path / "full"
    assert Builder(preview.site_dir, full, include_drafts=True).build().ok
    assert any((full / "cards").iterdir())
    pages = lambda folder: {p.relative_to(folder) for p in folder.rglob("*.html")}
    assert pages(served) == pages(full)


def test_a_content_error_keeps_the_last_good_site_and_shows_the_error(preview):
    claim_file = preview.site_dir / "content" / "claims" / f"{CLAIM_SLUG}.yaml"
    write(claim_file, CLAIM.replace("verdict:", "verdcit:"))
    preview.rebuild()
    status, _, body = call(preview, f"/desk/claims/{CLAIM_SLUG}/")
    page = body.decode()
    assert status.startswith("200")
    assert "Russia and Pakistan signed a steel-mill contract." in page  # the last good build
    assert f"content/claims/{CLAIM_SLUG}.yaml:3:1</code>: unknown key &#x27;verdcit&#x27;; did you mean &#x27;verdict&#x27;?" in page
    write(claim_file, CLAIM)
    preview.rebuild()
    assert b"preview-errors" not in call(preview, f"/desk/claims/{CLAIM_SLUG}/")[2]


def test_the_preview_leaves_its_old_models_collectable(preview):
    """A build pauses the garbage collector and freezes the model it reads; the preview
    runs for hours, so after each build, good or failed, both must be undone."""
    claim_file = preview.site_dir / "content" / "claims" / f"{CLAIM_SLUG}.yaml"
    for text in (CLAIM.replace("verdict:", "verdcit:"), CLAIM):
        write(claim_file, text)
        preview.rebuild()
        assert gc.isenabled() and gc.get_freeze_count() == 0


def test_errors_before_any_good_build_show_on_every_path(tmp_path):
    site = make_site(tmp_path, claims={CLAIM_SLUG: CLAIM.replace("claim:", "clam:")})
    app = Preview(site, tmp_path)
    app.rebuild()
    status, _, body = call(app, "/anything/")
    assert status.startswith("500")
    assert f"content/claims/{CLAIM_SLUG}.yaml:1:1</code>: unknown key".encode() in body


def test_a_burst_of_saves_gives_one_rebuild(tmp_path):
    site = make_site(tmp_path)
    calls = []
    watcher = Watcher(watched_paths(site), lambda: calls.append(sorted(watcher.seen)))
    for number in range(5):
        write(site / "content" / "claims" / f"burst-{number}.yaml", CLAIM)
        watcher.poll()  # polls that land in the middle of the burst
    assert calls == []
    watcher.poll()  # the files are quiet now
    assert len(calls) == 1
    assert {str((site / "content" / "claims" / f"burst-{number}.yaml").resolve()) for number in range(5)} <= set(calls[0])
    watcher.poll()
    assert len(calls) == 1


def test_the_watcher_sees_templates_and_static_and_never_the_output(tmp_path):
    site = make_site(tmp_path)
    paths = watched_paths(site)
    assert site.resolve() / "content" in paths and site.resolve() / "site.yaml" in paths
    assert BUILD_PY.parent / "templates" in paths and BUILD_PY.parent / "static" in paths
    assert not any(p.name == "_site" for p in paths)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes but the search index's: the preview keeps its first build's index
    (indexing takes seconds on a big site; see the README)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"
    }


EDITS = [
    ("claim summary", lambda s: write(s / f"content/claims/{CLAIM_SLUG}.yaml", CLAIM.replace("No contract was signed.", "Still no contract."))),
    ("new claim", lambda s: write(s / "content/claims/second.yaml", CLAIM.replace("steel-mill contract", "steel deal").replace("2025-06-02", "2025-06-05"))),
    ("new tag", lambda s: write(s / "content/claims/second.yaml", CLAIM.replace("steel-mill contract", "steel deal").replace("published:", "tags: [steel]\npublished:"))),
    ("article text", lambda s: (s / "content/articles/moscow-denial.txt").write_text((s / "content/articles/moscow-denial.txt").read_text().replace("about a steel mill", "about steel mills"))),
    ("site title", lambda s: write(s / "site.yaml", SUB_PATH_SITE.replace("Test Desk\n", "Renamed Desk\n", 1))),
    ("template", lambda s: write(s / "templates/partials/footer.html", "<footer>Own footer</footer>\n")),
    ("page", lambda s: write(s / "content/pages/about.md", "---\ntitle: About the desk\nnav: true\n---\nNew text.\n")),
    ("claim removed", lambda s: (s / "content/claims/second.yaml").unlink()),
    ("static file", lambda s: write(s / "static/extra.css", "body{}\n")),
]


def test_each_incremental_rebuild_equals_a_full_build(tmp_path):
    site = make_site(tmp_path, site_yaml=SUB_PATH_SITE)
    preview = Builder(site, tmp_path / "preview", include_drafts=True, in_place=True)
    assert preview.build().ok
    for number, (name, edit) in enumerate(EDITS):
        time.sleep(0.01)  # a new modification time, as an editor's save gives
        edit(site)
        result = preview.build()
        assert result.ok, (name, [str(p) for p in result.problems])
        full = tmp_path / f"full-{number}"
        assert Builder(site, full, include_drafts=True).build().ok
        assert tree(tmp_path / "preview") == tree(full), f"after the edit: {name}"


def test_a_rebuild_renders_only_what_depends_on_the_change(tmp_path):
    claims = {f"claim-{n:02d}": CLAIM.replace("2025-06-02", f"2025-06-{n + 1:02d}") for n in range(30)}
    site = make_site(tmp_path, claims=claims)
    preview = Builder(site, tmp_path / "preview", include_drafts=True, in_place=True)
    first = preview.build()
    write(site / "content/claims/claim-05.yaml", claims["claim-05"].replace("No contract was signed.", "Changed."))
    second = preview.build()
    # the claim's page, the listings it is on (home, claims/, its verdict, its claimant), its source's
    # page, the feeds (feed.xml, claims.json) and the four pages showing it among related checks
    assert 0 < second.rendered <= 12 < first.rendered


# -- who may ask -----------------------------------------------------------------

OURS = allowed_hosts("127.0.0.1", 8000)


@pytest.mark.parametrize(
    "host, origin",
    [
        ("127.0.0.1:8000", None),
        ("localhost:8000", None),
        ("LocalHost:8000", "http://LOCALHOST:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("127.0.0.1:8000", "http://localhost:8000"),  # our own names may mix
    ],
)
def test_requests_addressed_to_the_preview_are_answered(host, origin):
    assert allowed_request(host, origin, OURS) is None


@pytest.mark.parametrize(
    "host, origin",
    [
        ("attacker.example:8000", None),  # DNS rebinding: the attacker's name, our address
        ("attacker.example", None),
        ("127.0.0.1", None),  # the port is part of the name
        ("127.0.0.1:8001", None),
        ("127.0.0.1:8000.attacker.example", None),
        ("localhost.:8000", None),
        ("", None),
        (None, None),
        ("127.0.0.1:8000, attacker.example", None),
        ("127.0.0.1:8000", "http://attacker.example"),
        ("127.0.0.1:8000", "http://attacker.example:8000"),
        ("127.0.0.1:8000", "null"),  # a sandboxed frame or a file
        ("127.0.0.1:8000", "https://127.0.0.1:8000"),
        ("127.0.0.1:8000", "http://127.0.0.1:8001"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("127.0.0.1:8000", ""),
    ],
)
def test_requests_from_elsewhere_are_refused_with_the_address_to_open(host, origin):
    refusal = allowed_request(host, origin, OURS)
    assert refusal is not None and "http://127.0.0.1:8000/" in refusal
    assert "attacker" not in refusal  # nothing the request sent is echoed


def test_the_allowed_hosts_follow_host_and_port():
    assert allowed_hosts("127.0.0.1", 8000) == ("127.0.0.1:8000", "localhost:8000", "[::1]:8000")
    assert allowed_hosts("Preview.Test", 9000)[0] == "preview.test:9000"
    assert "[::1]:8000" == allowed_hosts("::1", 8000)[0] and len(allowed_hosts("::1", 8000)) == 3
    assert {"localhost", "localhost:80"} <= set(allowed_hosts("127.0.0.1", 80))  # browsers omit port 80
    assert allowed_request("preview.test:9000", "http://preview.test:9000", allowed_hosts("preview.test", 9000)) is None
    assert allowed_request("preview.test:9000", None, OURS) is not None


def ask(port: int, path: str, host: str, **headers) -> tuple[int, str]:
    """A request to the running preview with the Host given: (status, body for a refusal)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host, **headers})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace") if response.status != 101 else ""
        return response.status, body
    finally:
        connection.close()


def wait_until_served(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            ask(port, "/", f"127.0.0.1:{port}")
            return
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the preview never answered"
            time.sleep(0.2)


UPGRADE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


def test_the_running_preview_refuses_other_hosts_and_origins(tmp_path):
    """Pages and livereload's routes alike, through the real server."""
    site = make_site(tmp_path, site_yaml=SUB_PATH_SITE)
    server, port = start_serve(site)
    ours, theirs = f"127.0.0.1:{port}", f"attacker.example:{port}"
    foreign = {"Origin": f"http://attacker.example:{port}"}
    try:
        wait_until_served(port, server)
        page = f"/desk/claims/{CLAIM_SLUG}/"
        status, body = ask(port, page, ours)
        assert status == 200 and "Russia and Pakistan" in body
        assert ask(port, page, f"localhost:{port}", Origin=f"http://localhost:{port}")[0] == 200
        assert ask(port, "/livereload.js", ours)[0] == 200
        assert ask(port, "/livereload", ours, Origin=f"http://{ours}", **UPGRADE)[0] == 101

        for path, extra in [(page, {}), ("/", {}), ("/livereload.js", {}), ("/forcereload", {}), ("/livereload", UPGRADE)]:
            for host, headers in [(theirs, {}), (theirs, {"Origin": f"http://{theirs}"}), (ours, foreign)]:
                status, body = ask(port, path, host, **headers, **extra)
                assert status == 403, (path, host, headers)
                assert f"http://{ours}/" in body and "Russia" not in body, (path, host, headers)

        assert ask(port, "/desk/" + "a" * 8000, ours)[0] == 404
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


# -- a real browser ------------------------------------------------------------



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(site: Path) -> tuple[subprocess.Popen, int]:
    """`serve` for `site` on a free port, its output collected."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(BUILD_PY), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return server, port


def open_when_served(page, server: subprocess.Popen, url: str, seconds: float = 30) -> None:
    """Open `url` once the preview's first build is done (it answers only then)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            page.goto(url)
            return
        except Exception:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.3)


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (Debian package chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


def test_the_open_page_follows_edits_in_a_real_browser(tmp_path, browser):
    site = make_site(tmp_path, site_yaml=SUB_PATH_SITE)
    claim_file = site / "content" / "claims" / f"{CLAIM_SLUG}.yaml"
    server, port = start_serve(site)
    try:
        page = browser.new_page()
        open_when_served(page, server, f"http://127.0.0.1:{port}/desk/claims/{CLAIM_SLUG}/")
        page.wait_for_selector("text=No contract was signed.")
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)

        write(claim_file, CLAIM.replace("No contract was signed.", "Edited while the page was open."))
        page.wait_for_selector("text=Edited while the page was open.", timeout=15_000)

        write(claim_file, CLAIM.replace("verdict:", "verdcit:"))
        page.wait_for_selector(f"text=content/claims/{CLAIM_SLUG}.yaml:3:1", timeout=15_000)
        assert "did you mean 'verdict'?" in page.inner_text(".preview-errors")

        write(claim_file, CLAIM)
        page.wait_for_selector(".preview-errors", state="detached", timeout=15_000)
        assert page.is_visible("text=No contract was signed.")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


def test_the_error_banner_is_in_view_after_a_reload_with_the_page_scrolled(tmp_path, browser):
    """The browser restores the scroll position on reload: a banner at the top of the page would be
    above the first screen, and the editor would see an unchanged page."""
    long_analysis = "\n".join(f"  Paragraph {n} of a long analysis.\n" for n in range(200))
    site = make_site(tmp_path, site_yaml=SUB_PATH_SITE,
                     claims={CLAIM_SLUG: CLAIM.replace("  The record shows talks, not a contract.\n", long_analysis)})
    claim_file = site / "content" / "claims" / f"{CLAIM_SLUG}.yaml"
    server, port = start_serve(site)
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        open_when_served(page, server, f"http://127.0.0.1:{port}/desk/claims/{CLAIM_SLUG}/")
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        write(claim_file, claim_file.read_text().replace("verdict:", "verdcit:"))
        page.wait_for_selector(".preview-errors", timeout=15_000)
        page.wait_for_timeout(300)
        top, height = page.evaluate(
            "() => [document.querySelector('.preview-errors').getBoundingClientRect().top, window.innerHeight]")
        assert page.evaluate("window.scrollY") > 0  # still scrolled, as the browser restored it
        assert 0 <= top < height / 2
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_serve_stops_cleanly_and_reports_a_busy_port(tmp_path):
    site = make_site(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(BUILD_PY), "serve", "--site", str(site), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    # one line, before anything else: never "Serving at" for a preview that cannot start
    assert result.stderr == f"error: port {port} is already in use; try --port {port + 1}\n"


def test_ctrl_c_stops_the_preview_cleanly(tmp_path):
    site = make_site(tmp_path)
    server = subprocess.Popen(
        [sys.executable, str(BUILD_PY), "serve", "--site", str(site), "--port", str(free_port())],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 30
    while "Serving the preview at http://127.0.0.1:" not in (line := server.stderr.readline()):
        assert line and time.monotonic() < deadline, "the preview never said where it serves"
    server.send_signal(signal.SIGINT)
    _, rest = server.communicate(timeout=20)
    assert server.returncode == 0
    assert "Stopped." in rest and "Traceback" not in rest
