"""The repository's documentation: a short README, and links that lead somewhere.

Every Markdown file of the documentation (`*.md` at the top, `docs/**/*.md`,
`bench/**/*.md`; not `content/`, whose pages are the example site's and link
to the site's own addresses) is parsed with markdown-it, as GitHub renders it:
links and images in Markdown, and `href`/`src` in raw HTML. Links in code
are not links. Each link must be either

- relative, to a file or folder inside the repository that exists; an
  anchor (`file.md#section`, `#section`) must name a heading of the Markdown
  file it points to (GitHub's anchors: lowercase, punctuation dropped, spaces
  to hyphens, `-1`, `-2` for repeats) or an `id`/`name` in its raw HTML;
- or `https://` to a public host (not localhost or a private address).

Nothing may lead outside the repository, `../shared` in particular.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
README_LIMIT = 6 * 1024

MARKDOWN_FILES = sorted(
    {*ROOT.glob("*.md"), *(ROOT / "docs").glob("**/*.md"), *(ROOT / "bench").glob("**/*.md")}
)
EXPECTED = ["README.md", "CONTRIBUTING.md", "docs/editors.md", "docs/decisions.md", "docs/speed.md", "docs/readers.md"]

HTML_ATTRIBUTE = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
HTML_ANCHOR = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)

BUILD_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt && .venv/bin/python build.py"
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -r requirements-dev.txt && .venv/bin/python -m pytest"


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def parse(path: Path) -> list:
    return MarkdownIt("commonmark", {"html": True}).enable("table").parse(path.read_text(encoding="utf-8"))


def links(path: Path) -> list[str]:
    """Every link and image target in the file, in order."""
    found: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type == "link_open":
                found.append(str(token.attrGet("href")))
            elif token.type == "image":
                found.append(str(token.attrGet("src")))
            elif token.type in ("html_block", "html_inline"):
                found.extend(next(v for v in m.groups()[1:] if v is not None) for m in HTML_ATTRIBUTE.finditer(token.content))
            if token.children:
                walk(token.children)

    walk(parse(path))
    return found


def plain_text(inline) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline", "html_inline"))


def github_slug(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the file's headings, and ids/names in its raw HTML."""
    tokens = parse(path)
    found: set[str] = set()
    seen: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            slug = github_slug(plain_text(tokens[i + 1]))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            found.add(slug if count == 0 else f"{slug}-{count}")
        elif token.type in ("html_block", "inline"):
            for m in HTML_ANCHOR.finditer(token.content):
                found.add(m.group(1) if m.group(1) is not None else m.group(2))
    return found


def public_https(target: str) -> bool:
    parts = urlsplit(target)
    if parts.scheme != "https" or not parts.hostname:
        return False
    host = parts.hostname
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")) or "." not in host:
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return True


def _the_desks(destination: Path) -> bool:
    """A path in the desk's own content or settings, as a fork of the example may rewrite them."""
    relative = destination.relative_to(ROOT)
    return relative.parts[:1] == ("content",) or relative == Path("site.yaml")


def problems(path: Path) -> list[str]:
    found = []
    for target in links(path):
        if target.startswith("//") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target):
            if not public_https(target):
                found.append(f"{target}: only https:// links to public sites may leave the repository")
            continue
        parts = urlsplit(target)
        if target.startswith("/"):
            found.append(f"{target}: write a path relative to {name(path)}, not one from the root")
            continue
        destination = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not destination.is_relative_to(ROOT):
            found.append(f"{target}: leads outside the repository")
            continue
        if _the_desks(destination):
            continue  # a desk that replaces the example replaces these files too: not the docs' to keep
        if not destination.exists():
            found.append(f"{target}: {name(destination)} does not exist")
            continue
        if parts.fragment and destination.suffix == ".md":
            if unquote(parts.fragment).lower() not in anchors(destination):
                found.append(f"{target}: {name(destination)} has no heading with the anchor #{parts.fragment}")
    return found


def test_the_documentation_is_there():
    assert [path for path in EXPECTED if not (ROOT / path).is_file()] == []
    assert {name(path) for path in MARKDOWN_FILES} >= set(EXPECTED)


def test_readme_is_at_most_6_kib():
    size = (ROOT / "README.md").stat().st_size
    assert size <= README_LIMIT, f"README.md is {size:,} bytes; at most {README_LIMIT:,}"


def test_readme_keeps_the_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert BUILD_COMMAND in readme
    assert TEST_COMMAND in readme
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), "CI no longer runs the README's test command"


def test_readme_shows_every_screenshot():
    shown = set(links(ROOT / "README.md"))
    screenshots = sorted(name(path) for path in (ROOT / "docs" / "screenshots").glob("*.png"))
    assert screenshots, "docs/screenshots/ has no images"
    assert [path for path in screenshots if path not in shown] == []


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=name)
def test_every_link_leads_somewhere(path):
    assert problems(path) == []


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=name)
def test_nothing_links_to_shared(path):
    text = path.read_text(encoding="utf-8")
    assert [target for target in links(path) if "../shared" in target] == []
    assert not re.search(r"\]\(\s*<?\.\./shared|(?:href|src)\s*=\s*[\"']?\.\./shared", text, re.IGNORECASE)


def test_the_link_checker_finds_what_it_should(tmp_path, monkeypatch):
    """The checker itself: a page with one link of each kind that must fail, and some that must pass."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## GitHub's web editor: step 1\n\n## Again\n\n## Again\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "# Page\n\n"
        "[ok](other.md) [ok](other.md#githubs-web-editor-step-1) [ok](other.md#again-1) [ok](#page)\n"
        "[ok](https://pre-commit.com/) `[code](missing.md)`\n\n"
        "[bad](missing.md) [bad](other.md#nowhere) [bad](#nowhere) [bad](../../outside.md)\n"
        "[bad](http://example.org/) [bad](https://localhost:8000/) [bad](/docs/other.md)\n\n"
        '<img src="missing.png" alt="">\n'
    )
    assert len(problems(page)) == 8, problems(page)
