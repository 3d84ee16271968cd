"""The web editor in Debian's Chromium: admin/ loads with no network, and a check filled in
its form, saved through the CMS's local-repository mode under `serve`, passes `check`.

Every request to a host other than the local server is refused, so the tests prove the
page needs nothing from a CDN. The local-repository mode reads and writes a folder the
editor picks through the browser's File System Access API; a test cannot click through
the folder picker, so the page is handed the origin-private file system (a real
FileSystemDirectoryHandle, filled with the site's files) in place of the picker.

Run as a script to retake the screenshots in docs/cms.md:
    python tests/test_cms_browser.py [docs/screenshots/cms]
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PROJECT_DIR = TESTS.parent
sys.path[:0] = [str(TESTS), str(PROJECT_DIR / "scripts")]

from conftest import EXAMPLE_DESK, needs_browser, problems, sync_playwright  # noqa: E402

pytestmark = needs_browser

# Hands the page the origin-private file system where it would ask the editor for a folder.
PICKER = "window.showDirectoryPicker = async () => navigator.storage.getDirectory();"
WRITE_FILES = """async (files) => {
  const root = await navigator.storage.getDirectory();
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
    const writable = await (await folder.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(text);
    await writable.close();
  }
}"""
READ_FILES = """async () => {
  const found = {};
  async function walk(folder, prefix) {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else found[prefix + name] = await (await handle.getFile()).text();
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return found;
}"""

CLAIM_TEXT = "Russia and Pakistan signed a steel-mill contract in May 2025."
NEW_SLUG = "russia-and-pakistan-signed-a-steel-mill-contract-in-may-2025"


QUOTED_ARTICLE = EXAMPLE_DESK / "content" / "articles" / "sakshi-russia-rubbishes-fake-reports.txt"


def article_label(path: Path) -> str:
    """How the form lists an archived article: its title, then its publisher (factdesk/cms.py)."""
    import yaml

    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return f"{front['title']} ({front['publisher']},"


def site_files(site: Path) -> dict[str, str]:
    """The files the CMS reads: site.yaml, content/, and the .git folder that marks a repository."""
    files = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted((site / "content").rglob("*")) if p.is_file()}
    return {**files, "site.yaml": (site / "site.yaml").read_text(encoding="utf-8"), ".git/HEAD": "ref: refs/heads/main\n"}


@contextmanager
def offline_page(browser, viewport=(1280, 900)):
    """A page that may reach only 127.0.0.1: yields (page, console errors, refused addresses)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.add_init_script(PICKER)
    errors: list[str] = []
    refused: list[str] = []

    def local_only(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors, refused
    finally:
        context.close()


def button(page, words: str):
    # the CMS wraps names it inserts in invisible isolation marks (U+2068, U+2069)
    return page.get_by_role("button", name=re.compile(r"^" + r"\W*".join(map(re.escape, words.split())) + r"\W*$"))


def open_local_repository(page, admin_url: str, site: Path) -> None:
    page.goto(admin_url, wait_until="load")
    page.evaluate(WRITE_FILES, site_files(site))
    button(page, "Work with Local Repository").click()
    page.get_by_role("treeitem", name="Fact-checks").wait_for()


def fill_new_check(page) -> None:
    """A new check as an editor fills it in: texts, a date, the verdict, a topic, a quote, the analysis."""
    page.get_by_role("button", name="Create New Entry").click()
    claim = page.get_by_role("textbox", name="Claim", exact=True)
    claim.wait_for()
    page.wait_for_timeout(1000)  # the CMS sets a new entry's defaults once its form is drawn
    claim.fill(CLAIM_TEXT)
    page.get_by_role("textbox", name="Claimant", exact=True).fill("Posts on social media")
    page.get_by_role("textbox", name="Claim date", exact=True).fill("2025-05-30")
    page.get_by_role("combobox", name="Verdict").click()
    page.get_by_role("option", name="False").click()
    page.get_by_role("textbox", name="Summary", exact=True).fill("No contract was signed.\nRussia denied it: the talks were about a plan.")
    button(page, "Add Tag").click()
    page.get_by_role("group", name=re.compile("Tags")).get_by_role("textbox").first.fill("steel mills")
    button(page, "Add Citation").click()
    page.get_by_role("menuitem", name="A citation of an archived article").click()
    citations = page.get_by_role("group", name=re.compile("Citations")).first
    citations.get_by_role("combobox", name="Article").click()
    page.get_by_role("option", name=re.compile("^" + re.escape(article_label(QUOTED_ARTICLE)))).click()
    citations.get_by_role("textbox", name="Quote").fill('Russia on Friday rubbished "fake reports"')
    citations.get_by_role("textbox", name="Note").fill("Moscow's denial, on the day.")
    page.get_by_role("textbox", name="Analysis").click()
    page.keyboard.type("Russia denied the reports on May 30.")
    page.keyboard.press("Enter")
    page.keyboard.type("No contract has been published: the record shows talks.")
    assert claim.input_value() == CLAIM_TEXT


# -- the built site -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served():
    from screenshots import served_site

    with served_site(EXAMPLE_DESK) as (base, out):
        yield base, out


def test_the_admin_page_loads_offline_to_its_sign_in(served, browser):
    base, _ = served
    with offline_page(browser) as (page, errors, refused):
        page.goto(base + "admin/", wait_until="load")
        button(page, "Sign In Using Access Token").wait_for(timeout=20_000)
        assert button(page, "Work with Local Repository").is_visible()  # offered on a local address
        page.wait_for_timeout(1500)  # the CMS's start-up checks, which admin.js answers here
        icons = page.evaluate("document.fonts.check('24px \"Material Symbols Outlined\"')")
    assert errors == []
    assert refused == []  # nothing even tried to leave the machine
    assert icons, "the icon font did not load from admin/fonts/"


# -- serve, and a check made in the form ----------------------------------------------------------


def test_serve_offers_the_editor_and_a_check_made_in_it_passes_check(tmp_path, browser):
    from test_serve import open_when_served, start_serve

    site = tmp_path / "desk"
    import shutil

    shutil.copytree(EXAMPLE_DESK, site)
    server, port = start_serve(site)
    try:
        with offline_page(browser, viewport=(1280, 3000)) as (page, errors, refused):
            open_when_served(page, server, f"http://127.0.0.1:{port}/")
            admin = page.url + "admin/"
            page.goto(admin, wait_until="load")
            assert "livereload" not in page.content()  # a reload would throw the form away
            open_local_repository(page, admin, site)
            fill_new_check(page)
            button(page, "Save").click()
            page.get_by_role("treeitem", name="Fact-checks").wait_for()
            page.wait_for_timeout(500)
            written = page.evaluate(READ_FILES)
        assert errors == [] and refused == []
    finally:
        server.terminate()
        server.communicate(timeout=10)

    check = written[f"content/claims/{NEW_SLUG}.yaml"]
    assert check.startswith(f"claim: {CLAIM_TEXT}\n")
    assert "draft: true\n" in check  # a new check starts as a draft
    assert "  - type: article\n    article: sakshi-russia-rubbishes-fake-reports\n" in check
    assert re.search(r"^published: \d{4}-\d{2}-\d{2}$", check, re.M)
    (site / "content" / "claims" / f"{NEW_SLUG}.yaml").write_text(check, encoding="utf-8")
    assert [p for p in problems(site) if ": error:" in p] == []


# -- the screenshots in docs/cms.md ---------------------------------------------------------------


def take_screenshots(folder: Path) -> list[Path]:
    from screenshots import launch, served_site

    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    desktop, tall = {"width": 1280, "height": 800}, {"width": 1280, "height": 3000}
    with served_site(EXAMPLE_DESK) as (base, _), sync_playwright() as playwright:
        browser = launch(playwright)
        with offline_page(browser) as (page, _, _):
            page.goto(base + "admin/", wait_until="load")
            button(page, "Sign In Using Access Token").wait_for()
            shots.append(folder / "cms-sign-in.png")
            page.screenshot(path=shots[-1])
            open_local_repository(page, base + "admin/", EXAMPLE_DESK)
            shots.append(folder / "cms-checks.png")
            page.screenshot(path=shots[-1])
            page.set_viewport_size(tall)  # the form draws the fields it shows
            fill_new_check(page)
            page.set_viewport_size(desktop)
            for name, field in [("cms-check-form.png", "Claim"), ("cms-check-verdict.png", "Verdict"),
                                ("cms-check-citation.png", "Citations")]:
                page.get_by_role("group", name=re.compile(field)).first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(300)
                shots.append(folder / name)
                page.screenshot(path=shots[-1])
        browser.close()
    return shots


if __name__ == "__main__":
    for shot in take_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else PROJECT_DIR / "docs" / "screenshots" / "cms")):
        print(shot)
