"""Helpers shared by the tests: small sites in tmp_path, the command line, HTML.

`make_site` writes a valid minimal site; each argument replaces one part of
it, so a test changes only what it is about. The default texts below have
known line numbers, which the validation tests rely on.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
BUILD_PY = PROJECT_DIR / "build.py"
# The example desk the tests build and read: a verbatim copy of the content/ and
# site.yaml the project ships. Tests never read the desk at the repository's root,
# so a newsroom that replaces it with its own keeps a green test suite. Read-only:
# a test that writes into a site copies this one to tmp_path first.
EXAMPLE_DESK = PROJECT_DIR / "tests" / "fixtures" / "example-desk"

# Debian's Chromium, as the browser tests launch it: without the background-networking
# flags it keeps trying hosts this machine cannot reach
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

# a test that drives Debian's Chromium: skipped, with the reason, where either is missing
needs_browser = pytest.mark.skipif(
    sync_playwright is None or not CHROMIUM.exists(),
    reason="Playwright for Python (pip install playwright) or /usr/bin/chromium (apt-get install chromium) is missing",
)

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from factdesk.validation import load_site  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory):
    """Builds keep what they reuse under XDG_CACHE_HOME: the tests' own, never the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))

SITE_YAML = """\
title: Test Desk
base_url: https://example.org/
publisher:
  name: Test Desk Org
  url: https://example.org/
"""

# content/articles/moscow-denial.txt
ARTICLE = """\
---
title: Russia denies reports on steel mill
publisher: Wire Service
author: Staff
published: 2025-05-30
url: https://news.example.com/story
---
Moscow, May 30 Russia on Friday rubbished "fake reports" about a steel mill in Karachi.

Sources in Moscow admitted negotiations taking place on the issue but slammed reports of a contract.
"""

# content/claims/steel-contract.yaml
CLAIM = """\
claim: Russia and Pakistan signed a steel-mill contract.
claimant: Media reports
verdict: "false"
summary: No contract was signed.
published: 2025-06-02
citations:
  - article: moscow-denial
    quote: Sources in Moscow admitted negotiations
analysis: |
  The record shows talks, not a contract.
"""

# content/pages/about.md
PAGE = """\
---
title: About us
nav: true
---
We check claims about steel.
"""

ARTICLE_ID = "moscow-denial"
CLAIM_SLUG = "steel-contract"
PAGE_SLUG = "about"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def make_site(
    tmp_path: Path,
    site_yaml: str | bytes | None = SITE_YAML,
    articles: dict[str, str | bytes] | None = None,
    claims: dict[str, str | bytes] | None = None,
    pages: dict[str, str | bytes] | None = None,
    files: dict[str, str | bytes] | None = None,
    name: str = "site",
) -> Path:
    """A site folder under tmp_path; None for a part keeps the valid default.

    `site_yaml=None` keeps the default too; pass "" for an empty site.yaml.
    Pass `{}` to leave a content folder empty. `files` adds any other file,
    by its path under the site folder (templates/, static/ ...).
    """
    site = tmp_path / name
    site.mkdir(parents=True, exist_ok=True)
    write(site / "site.yaml", SITE_YAML if site_yaml is None else site_yaml)
    parts = {
        ("articles", ".txt"): {ARTICLE_ID: ARTICLE} if articles is None else articles,
        ("claims", ".yaml"): {CLAIM_SLUG: CLAIM} if claims is None else claims,
        ("pages", ".md"): {PAGE_SLUG: PAGE} if pages is None else pages,
    }
    for (folder, extension), entries in parts.items():
        (site / "content" / folder).mkdir(parents=True, exist_ok=True)
        for stem, text in entries.items():
            filename = stem if "." in stem else stem + extension
            write(site / "content" / folder / filename, text)
    for relative, text in (files or {}).items():
        write(site / relative, text)
    return site


def article(
    body: str = "Sources in Moscow admitted negotiations taking place on the issue.\n",
    *,
    title: str = "A report",
    url: str | None = "https://news.example.com/story",
    extra: str = "",
) -> str:
    """An article file with the given text and a valid front matter."""
    url_line = f"url: {url}\n" if url else ""
    return f"---\ntitle: {title}\npublisher: Wire Service\npublished: 2025-05-30\n{url_line}{extra}---\n{body}"


def claim_citing(quote: str, article_id: str = ARTICLE_ID, extra: str = "") -> str:
    """A claim whose only citation quotes `quote` (written as a YAML single-quoted string)."""
    quoted = "'" + quote.replace("'", "''") + "'"
    return (
        "claim: A claim.\n"
        "claimant: Someone\n"
        "verdict: \"false\"\n"
        "summary: A summary.\n"
        "published: 2025-06-02\n"
        "citations:\n"
        f"  - article: {article_id}\n"
        f"    quote: {quoted}\n"
        f"{extra}"
        "analysis: |\n"
        "  An analysis.\n"
    )


# -- results -----------------------------------------------------------------


def problems(site: Path) -> list[str]:
    """Every problem of the site, as the command line prints it."""
    return [str(p) for p in load_site(site).problems]


def loaded_site(site: Path, **options):
    """The model of a site that must be valid."""
    loaded = load_site(site, **options)
    assert loaded.problems == [], [str(p) for p in loaded.problems]
    assert loaded.site is not None
    return loaded.site


def only_claim(site: Path):
    (claim,) = loaded_site(site).claims
    return claim


# -- the command line --------------------------------------------------------


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a subprocess, as an editor or CI runs it."""
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    full_env.update(PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run(
        [sys.executable, str(BUILD_PY), *map(str, args)],
        cwd=cwd or PROJECT_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def build_site(site: Path, out: Path | None = None, *extra: str) -> Path:
    """Build `site` into `out` (default: tmp sibling `out`), asserting success."""
    out = out or site.parent / "out"
    result = run("build", "--site", site, "--out", out, *extra)
    assert result.returncode == 0, result.stderr
    return out


def tree_digest(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under `folder`: (content hash, mtime) by relative path."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir():
            digest[relative + "/"] = ("dir", 0)
        else:
            digest[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return digest


def all_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# -- HTML ----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list = field(default_factory=list)  # Elements and str

    @property
    def text(self) -> str:
        """The text inside, whitespace runs as one space."""
        parts: list[str] = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (class_ is None or class_ in e.classes)
            and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, class_: str | None = None, **attrs) -> Element:
        found = self.find_all(tag, class_, **attrs)
        assert found, f"no <{tag or '*'}> with class {class_!r} {attrs or ''}"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (the modules skip without them)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
    from screenshots import launch

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


WEB_EDITOR = "admin"  # the web editor: an app with its own policy and scripts, tested in test_cms*.py


def is_reader_page(out: Path, page: Path) -> bool:
    """An HTML page readers see: any but the web editor's."""
    return page.relative_to(out).parts[0] != WEB_EDITOR


def reader_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if is_reader_page(out, p))


def parse_html(text: str) -> Element:
    """The document as a tree of Elements (tag, attrs, children, text)."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def html_page(out: Path, relative: str) -> Element:
    return parse_html((out / relative).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_desk() -> Path:
    """The example desk's folder (tests/fixtures/example-desk): read it, never write into it."""
    return EXAMPLE_DESK


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The default valid site."""
    return make_site(tmp_path)
