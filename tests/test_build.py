"""End-to-end builds: the files written, what a reader sees, safety, links under a sub-path, the command line."""

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import (
    ARTICLE,
    CLAIM,
    EXAMPLE_DESK,
    PAGE,
    PROJECT_DIR,
    SITE_YAML,
    all_bytes,
    article,
    build_site,
    claim_citing,
    html_page,
    make_site,
    reader_pages,
    parse_html,
    run,
    tree_digest,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# -- a site with every kind of content -------------------------------------------

RICH_SITE_YAML = """\
title: Test Desk
description: Checking claims about steel.
base_url: https://example.org/prefix/
publisher:
  name: Test Desk Org
  url: https://desk.example.net/
publish_article_text: true
"""

TRIBUNE = """\
---
title: Talks on a joint working group
publisher: The Tribune
published: 2025-05
archive_url: https://web.archive.org/web/2025/https://tribune.example/story
---
The two officials agreed to form a joint working group.

Talks will continue in July.
"""

RICH_CLAIM = """\
claim: Russia and Pakistan signed a steel-mill contract.
claimant: Media reports
claim_date: 2025-05-14
appeared_in: [tribune-report, 'https://social.example/post/1']
verdict: "false"
headline: No steel-mill contract was signed
summary: Officials confirmed talks, not a contract.
published: 2025-06-02
author: Jane Checker
tags: [russia, steel]
updates:
  - date: 2025-07-12
    note: Added the July talks.
citations:
  - article: moscow-denial
    quote: Sources in Moscow admitted negotiations
    note: The Russian denial.
  - article: tribune-report
    quote: agreed to form a joint working group
  - url: https://ministry.example/statement
    title: Ministry statement
analysis: |
  The record shows talks. See [about us](/about/), the [method](/methodology/)
  and [the other check](/claims/talks-continue/), or [write](mailto:desk@example.org).

  ![chart](/static/style.css)
"""

TALKS_CLAIM = """\
claim: Talks will continue in July.
claimant: The Tribune
verdict: "true"
summary: The Tribune reported it.
published: 2025-06-05
tags: [steel]
citations:
  - article: tribune-report
    quote: Talks will continue in July.
analysis: |
  Reported [here](/sources/tribune-report/).
"""

DRAFT_CLAIM = CLAIM.replace("published: 2025-06-02", "published: 2025-06-09") + "draft: true\ntags: [secret-tag]\n"

METHOD_PAGE = """\
---
title: Methodology
---
## How we check

We read [a check](/claims/steel-contract/) and the [scale](/verdicts/).
"""


def rich_site(tmp_path, site_yaml=RICH_SITE_YAML, **parts):
    defaults = dict(
        site_yaml=site_yaml,
        articles={"moscow-denial": ARTICLE, "tribune-report": TRIBUNE},
        claims={"steel-contract": RICH_CLAIM, "talks-continue": TALKS_CLAIM, "draft-check": DRAFT_CLAIM},
        pages={"about": PAGE, "methodology": METHOD_PAGE},
    )
    defaults.update(parts)
    return make_site(tmp_path, **defaults)


@pytest.fixture(scope="module")
def rich_out(tmp_path_factory):
    """The rich site built once under https://example.org/prefix/."""
    tmp = tmp_path_factory.mktemp("rich")
    return build_site(rich_site(tmp), tmp / "out")


def claim_page(out, slug="steel-contract"):
    return html_page(out, f"claims/{slug}/index.html")


# -- links -------------------------------------------------------------------------


def links(out: Path):
    """(page, tag, attribute, value) of every href and src of every HTML page."""
    for page in sorted(out.rglob("*.html")):
        for element in parse_html(page.read_text(encoding="utf-8")).iter():
            for attr in ("href", "src"):
                if element.attrs.get(attr) is not None:
                    yield page.relative_to(out).as_posix(), element.tag, attr, element.attrs[attr]


def is_external(url: str, base_url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "mailto" or (bool(parts.scheme) and not url.startswith(base_url))


def target_file(out: Path, url: str, base_url: str) -> Path | None:
    """The output file an internal link serves, or None when the link does not carry the base path."""
    base_path = urlsplit(base_url).path
    path = urlsplit(url).path
    if url.startswith(base_url):
        path = base_path + url[len(base_url) :].split("#")[0].split("?")[0]
    if not path.startswith(base_path):
        return None
    relative = unquote(path[len(base_path) :])
    target = out / relative
    return target / "index.html" if relative == "" or relative.endswith("/") else target


def broken_links(out: Path, base_url: str) -> list[str]:
    broken = []
    for page, tag, attr, value in links(out):
        if value.startswith("#") or is_external(value, base_url):
            continue
        target = target_file(out, value, base_url)
        if target is None or not target.is_file():
            broken.append(f"{page}: <{tag} {attr}={value!r}>")
    return broken


# -- the files written ----------------------------------------------------------------


def test_build_exits_0_and_says_so(tmp_path, site):
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Built 1 checks" in result.stdout or "Built 1 check" in result.stdout


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "claims/index.html",
        "claims/steel-contract/index.html",
        "claims/talks-continue/index.html",
        "verdicts/index.html",
        "verdicts/false/index.html",
        "verdicts/true/index.html",
        "verdicts/unproven/index.html",
        "tags/index.html",
        "tags/russia/index.html",
        "tags/steel/index.html",
        "sources/index.html",
        "sources/moscow-denial/index.html",
        "sources/tribune-report/index.html",
        "about/index.html",
        "methodology/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "static/style.css",
    ],
)
def test_expected_file_is_written(rich_out, path):
    assert (rich_out / path).is_file()


def test_no_cname_unless_set(rich_out):
    assert not (rich_out / "CNAME").exists()


def test_cname_is_written_when_set(tmp_path):
    out = build_site(make_site(tmp_path, site_yaml=SITE_YAML + "cname: facts.example.org\n"))
    assert (out / "CNAME").read_text().strip() == "facts.example.org"


def test_robots_txt_names_the_sitemap(rich_out):
    assert "Sitemap: https://example.org/prefix/sitemap.xml" in (rich_out / "robots.txt").read_text().splitlines()


def test_out_defaults_to_site_folder_underscore_site(site):
    result = run("build", "--site", site)
    assert result.returncode == 0, result.stderr
    assert (site / "_site" / "claims" / "steel-contract" / "index.html").is_file()


def test_build_is_the_default_command(site):
    result = run(cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "_site" / "index.html").is_file()


def test_stale_files_of_an_earlier_build_are_removed(tmp_path, site):
    out = build_site(site)
    (out / "claims" / "old-check").mkdir()
    (out / "claims" / "old-check" / "index.html").write_text("old")
    build_site(site, out)
    assert not (out / "claims" / "old-check").exists()


# -- what a reader sees on a claim page ---------------------------------------------------


def test_claim_is_labelled_as_the_claim(rich_out):
    section = claim_page(rich_out).find("section", class_="claim")
    assert section.find("h2").text == "The claim"
    assert section.find("blockquote").text == "Russia and Pakistan signed a steel-mill contract."


def test_headline_is_the_page_title(rich_out):
    page = claim_page(rich_out)
    assert page.find("h1").text == "No steel-mill contract was signed"
    assert page.find("title").text.startswith("No steel-mill contract was signed")


def test_claim_is_the_title_without_a_headline(tmp_path):
    page = claim_page(build_site(make_site(tmp_path)))
    assert page.find("h1").text == "Russia and Pakistan signed a steel-mill contract."


def test_claimant_and_claim_date_are_shown(rich_out):
    text = claim_page(rich_out).find("section", class_="claim").text
    assert "Media reports" in text
    assert "14 May 2025" in text


def test_appearances_are_linked(rich_out):
    section = claim_page(rich_out).find("section", class_="appeared")
    hrefs = [a.attrs["href"] for a in section.find_all("a")]
    assert "/prefix/sources/tribune-report/" in hrefs
    assert "https://social.example/post/1" in hrefs


def test_verdict_label_and_description_are_shown(rich_out):
    ruling = claim_page(rich_out).find("section", class_="ruling")
    assert ruling.find("a", class_="verdict").text == "False"
    assert ruling.find("a", class_="verdict").attrs["href"] == "/prefix/verdicts/false/"
    assert "The claim is inaccurate." in ruling.text


def test_summary_comes_before_the_analysis(rich_out):
    page = claim_page(rich_out)
    texts = [e for e in page.iter() if e.tag in ("p", "section")]
    summary = next(i for i, e in enumerate(texts) if e.text == "Officials confirmed talks, not a contract.")
    analysis = next(i for i, e in enumerate(texts) if e.text.startswith("The record shows talks."))
    assert summary < analysis


def test_analysis_markdown_is_rendered(rich_out):
    analysis = claim_page(rich_out).find("section", class_="analysis")
    assert analysis.find("a", href="/prefix/about/").text == "about us"
    assert analysis.find("a", href="mailto:desk@example.org").text == "write"


def test_quotes_mark_the_articles_words(rich_out):
    citations = claim_page(rich_out).find("section", class_="citations")
    marks = [m.text for m in citations.find_all("mark")]
    assert marks == ["Sources in Moscow admitted negotiations", "agreed to form a joint working group"]


def test_quotes_show_context(rich_out):
    quote = claim_page(rich_out).find("section", class_="citations").find("blockquote")
    assert "taking place on the issue" in quote.text


def test_citation_names_the_article_and_its_publisher(rich_out):
    (first, second, third) = claim_page(rich_out).find("section", class_="citations").find_all("li", class_="source-group")
    assert "Wire Service" in first.text
    assert first.find("a", href="/prefix/sources/moscow-denial/").text == "Russia denies reports on steel mill"
    assert "The Russian denial." in first.text
    assert "The Tribune" in second.text
    assert "May 2025" in second.text
    assert third.find("a", href="https://ministry.example/statement").text == "Ministry statement"


def test_archive_link_is_shown_for_an_article_without_url(rich_out):
    citations = claim_page(rich_out).find("section", class_="citations")
    hrefs = [a.attrs["href"] for a in citations.find_all("a")]
    assert "https://web.archive.org/web/2025/https://tribune.example/story" in hrefs


def test_updates_are_shown(rich_out):
    updates = claim_page(rich_out).find("section", class_="updates")
    assert "12 July 2025" in updates.text
    assert "Added the July talks." in updates.text


def test_tags_link_to_their_pages(rich_out):
    page = claim_page(rich_out)
    hrefs = {a.text: a.attrs["href"] for a in page.find("footer", class_="tags").find_all("a")}
    assert hrefs == {"russia": "/prefix/tags/russia/", "steel": "/prefix/tags/steel/"}


def test_byline_names_the_author(rich_out):
    byline = claim_page(rich_out).find("p", class_="byline").text
    assert "Jane Checker" in byline
    assert "2 June 2025" in byline


def test_byline_names_the_publisher_without_an_author(tmp_path):
    page = claim_page(build_site(make_site(tmp_path)))
    assert "Test Desk Org" in page.find("p", class_="byline").text


def test_page_shows_its_markdown(rich_out):
    page = html_page(rich_out, "methodology/index.html")
    assert page.find("h1").text == "Methodology"
    headings = [e.text for e in page.find("article").iter() if re.fullmatch("h[2-6]", e.tag)]
    assert headings == ["How we check"]
    assert [h.text for h in page.find_all("h1")] == ["Methodology"]


def test_nav_pages_are_in_the_menu(rich_out):
    nav = html_page(rich_out, "index.html").find("nav")
    hrefs = [a.attrs["href"] for a in nav.find_all("a")]
    assert "/prefix/about/" in hrefs
    assert "/prefix/methodology/" not in hrefs


def test_home_page_lists_checks_newest_first(rich_out):
    home = html_page(rich_out, "index.html")
    titles = [h.text for h in home.find_all("h3")]
    assert titles == ["Talks will continue in July.", "No steel-mill contract was signed"]


def test_verdict_page_lists_its_checks(rich_out):
    page = html_page(rich_out, "verdicts/true/index.html")
    assert [h.text for h in page.find_all("h3")] == ["Talks will continue in July."]


def test_tag_page_lists_its_checks(rich_out):
    page = html_page(rich_out, "tags/steel/index.html")
    assert sorted(h.text for h in page.find_all("h3")) == ["No steel-mill contract was signed", "Talks will continue in July."]


def test_source_page_lists_the_quotes_of_it(rich_out):
    page = html_page(rich_out, "sources/moscow-denial/index.html")
    assert [m.text for m in page.find("ol", class_="quoted").find_all("mark")] == ["Sources in Moscow admitted negotiations"]
    assert page.find("a", href="/prefix/claims/steel-contract/")


def test_no_page_needs_javascript(rich_out):
    """Only JSON-LD, and the search page's own module (its listings work without it)."""
    for page in reader_pages(rich_out):
        relative = page.relative_to(rich_out).as_posix()
        if "pagefind" in page.relative_to(rich_out).parts:
            continue
        for script in parse_html(page.read_text()).find_all("script"):
            assert script.attrs.get("type") == "application/ld+json" or is_the_search_module(relative, script), page


# -- drafts -------------------------------------------------------------------------------


def test_drafts_have_no_page(rich_out):
    assert not (rich_out / "claims" / "draft-check").exists()


def test_drafts_are_not_listed_anywhere(rich_out):
    for path in rich_out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            assert "draft-check" not in path.read_text(), path


def test_tags_used_only_by_drafts_have_no_page(rich_out):
    assert not (rich_out / "tags" / "secret-tag").exists()


def test_a_draft_still_has_to_be_valid_to_build(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM, "draft-check": DRAFT_CLAIM.replace("verdict:", "verdcit:")})
    assert run("build", "--site", site, "--out", tmp_path / "out").returncode == 1


# -- escaping ---------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def is_the_search_module(page: str, script) -> bool:
    """The search page loads the site's own search script: no editor text is in it."""
    src = script.attrs.get("src", "")
    return page == "search/index.html" and "/static/" in src and not "".join(script.children).strip()


def non_json_scripts(out: Path) -> list[str]:
    found = []
    for page in reader_pages(out):
        if "pagefind" in page.relative_to(out).parts:
            continue  # the search library's own files
        doc = parse_html(page.read_text(encoding="utf-8"))
        relative = page.relative_to(out).as_posix()
        for script in doc.find_all("script"):
            if script.attrs.get("type") != "application/ld+json" and not is_the_search_module(relative, script):
                found.append(relative)
        for element in doc.iter():
            if any(name.startswith("on") for name in element.attrs):
                found.append(f"{page}: <{element.tag} {element.attrs}>")
    return found


def json_ld(page) -> list:
    return [json.loads("".join(s.children)) for s in page.find_all("script", type="application/ld+json")]


@pytest.mark.parametrize(
    "field, value",
    [
        ("claim: Russia and Pakistan signed a steel-mill contract.", f"claim: '{SCRIPT} claim'"),
        ("summary: No contract was signed.", f"summary: '{SCRIPT} summary'"),
        ("claimant: Media reports", f"claimant: '{SCRIPT} claimant'"),
    ],
)
def test_editor_text_with_a_script_tag_is_shown_as_text(tmp_path, field, value):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM.replace(field, value)})
    out = build_site(site)
    assert non_json_scripts(out) == []
    page = claim_page(out)
    assert SCRIPT in page.find("main").text


def test_headline_with_a_script_tag_is_shown_as_text(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + f"headline: '{SCRIPT}'\n"})
    out = build_site(site)
    assert non_json_scripts(out) == []
    assert claim_page(out).find("h1").text == SCRIPT
    assert claim_page(out).find("title").text.startswith(SCRIPT)


def test_script_tag_in_structured_data_cannot_close_the_script(tmp_path):
    text = CLAIM.replace("claim: Russia and Pakistan signed a steel-mill contract.", "claim: '</script><b>x</b>'")
    out = build_site(make_site(tmp_path, claims={"steel-contract": text}))
    page = claim_page(out)
    assert non_json_scripts(out) == []
    assert page.find("main").find_all("b") == []
    for data in json_ld(page):
        assert data["claimReviewed"] == "</script><b>x</b>"


def test_quote_with_a_script_tag_is_shown_as_text(tmp_path):
    site = make_site(
        tmp_path,
        articles={"moscow-denial": article(f"He wrote {SCRIPT} on the page.\n")},
        claims={"steel-contract": claim_citing(f"He wrote {SCRIPT}")},
    )
    out = build_site(site)
    assert non_json_scripts(out) == []
    (mark,) = claim_page(out).find_all("mark")
    assert mark.text == f"He wrote {SCRIPT}"


def test_article_title_with_markup_is_shown_as_text(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": article(title=f"'{SCRIPT}'")})
    out = build_site(site)
    assert non_json_scripts(out) == []
    assert html_page(out, "sources/moscow-denial/index.html").find("h1").text == SCRIPT


def test_page_title_with_markup_is_shown_as_text(tmp_path):
    site = make_site(tmp_path, pages={"about": PAGE.replace("title: About us", f"title: '{SCRIPT}'")})
    out = build_site(site)
    assert non_json_scripts(out) == []
    assert html_page(out, "about/index.html").find("h1").text == SCRIPT


def test_tag_with_markup_is_refused(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + "tags: ['<script>']\n"})
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "steel-contract.yaml:11:8: error: tag '<script>' holds '<', which a folder name cannot hold on every system" in result.stderr


def test_raw_html_in_analysis_is_shown_as_text(tmp_path):
    text = CLAIM.replace(
        "  The record shows talks, not a contract.\n",
        '  Talks <img src=x onerror="alert(1)"> and\n\n  <script>alert(2)</script>\n\n  <div onclick="x()">hi</div>\n',
    )
    out = build_site(make_site(tmp_path, claims={"steel-contract": text}))
    analysis = claim_page(out).find("section", class_="analysis")
    assert analysis.find_all("img") == [] and analysis.find_all("div") == []
    assert non_json_scripts(out) == []
    assert '<img src=x onerror="alert(1)">' in analysis.text
    assert "<script>alert(2)</script>" in analysis.text


def test_raw_html_in_a_page_is_shown_as_text(tmp_path):
    page_text = PAGE + '\n<iframe src="https://evil.example/"></iframe>\n\nInline <b onmouseover="x()">bold</b>.\n'
    out = build_site(make_site(tmp_path, pages={"about": page_text}))
    body = html_page(out, "about/index.html").find("article")
    assert body.find_all("iframe") == [] and body.find_all("b") == []
    assert '<iframe src="https://evil.example/"></iframe>' in body.text


def test_article_text_is_never_interpreted(tmp_path):
    body = "A *bold* claim <b>here</b> &amp; [link](https://x.example/).\n"
    site = make_site(
        tmp_path,
        site_yaml=SITE_YAML + "publish_article_text: true\n",
        articles={"moscow-denial": article(body)},
        claims={"steel-contract": claim_citing("A *bold* claim <b>here</b> &amp;")},
    )
    out = build_site(site)
    page = html_page(out, "sources/moscow-denial/index.html")
    section = page.find("section", class_="article-text")
    assert [p.text for p in section.find_all("p") if p.attrs.get("class") != "note"] == [body.strip()]
    assert section.find_all("b") == [] and section.find_all("em") == [] and section.find_all("a") == []


# -- a failed build writes nothing ---------------------------------------------------------


def test_build_with_errors_writes_nothing(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM.replace("verdict:", "verdcit:")})
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_build_with_errors_leaves_the_previous_output_as_it_was(tmp_path, site):
    out = build_site(site)
    (out / "extra.txt").write_text("kept")
    before = tree_digest(out)
    (site / "content" / "claims" / "steel-contract.yaml").write_text(CLAIM.replace("verdict:", "verdcit:"))
    result = run("build", "--site", site, "--out", out)
    assert result.returncode == 1
    assert "Nothing was written." in result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


BAD_PAGE_TEMPLATE = "{% extends 'base.html' %}\n{% block main %}\n{{ page.nope }}\n{% endblock %}\n"


def test_build_with_a_template_error_leaves_the_previous_output(tmp_path, site):
    out = build_site(site)
    before = tree_digest(out)
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(BAD_PAGE_TEMPLATE)
    result = run("build", "--site", site, "--out", out)
    assert result.returncode == 1
    assert tree_digest(out) == before


def test_template_syntax_error_names_the_template_and_line(tmp_path):
    site = make_site(tmp_path, files={"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ page.title \n"})
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/page.html:3:")


def test_template_render_error_names_the_template(tmp_path):
    site = make_site(tmp_path, files={"templates/page.html": BAD_PAGE_TEMPLATE})
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/page.html:3:")


# -- same input, same output -------------------------------------------------------------------------


def test_same_input_gives_byte_identical_output(tmp_path):
    site = rich_site(tmp_path)
    first = build_site(site, tmp_path / "first")
    second = build_site(site, tmp_path / "second")
    assert all_bytes(first) == all_bytes(second)


def test_output_does_not_depend_on_the_site_folders_name_or_place(tmp_path):
    first = build_site(rich_site(tmp_path / "a", name="one"), tmp_path / "first")
    second = build_site(rich_site(tmp_path / "b", name="two"), tmp_path / "second")
    assert all_bytes(first) == all_bytes(second)


def test_output_does_not_depend_on_file_modification_times(tmp_path):
    site = rich_site(tmp_path)
    first = build_site(site, tmp_path / "first")
    for path in site.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = build_site(site, tmp_path / "second")
    assert all_bytes(first) == all_bytes(second)


def test_rebuilding_after_an_edit_gives_the_same_bytes_as_a_fresh_build(tmp_path):
    site = rich_site(tmp_path)
    out = build_site(site, tmp_path / "out")
    claim_file = site / "content" / "claims" / "talks-continue.yaml"
    claim_file.write_text(TALKS_CLAIM.replace('verdict: "true"', "verdict: mostly-true").replace("tags: [steel]", "tags: [july]"))
    (site / "content" / "pages" / "methodology.md").unlink()
    build_site(site, out)
    fresh = build_site(site, tmp_path / "fresh")
    assert all_bytes(out) == all_bytes(fresh)
    assert not (out / "tags" / "steel" / "index.html").read_text().count("Talks will continue")
    assert not (out / "methodology").exists()


def test_rebuilding_after_a_template_change_uses_the_new_template(tmp_path):
    site = rich_site(tmp_path)
    out = build_site(site, tmp_path / "out")
    base = (PROJECT_DIR / "templates" / "base.html").read_text().replace("<body>", '<body class="changed">')
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(base)
    (site / "static").mkdir()
    (site / "static" / "style.css").write_text("body { color: teal }\n")
    build_site(site, out)
    assert claim_page(out).find("body").attrs.get("class") == "changed"
    assert (out / "static" / "style.css").read_text() == "body { color: teal }\n"
    assert all_bytes(out) == all_bytes(build_site(site, tmp_path / "fresh"))


def test_files_a_build_leaves_in_the_site_folder_cannot_break_the_next(tmp_path):
    site = rich_site(tmp_path)
    before = {p for p in site.rglob("*") if p.is_file()}
    first = build_site(site, tmp_path / "first")
    for leftover in {p for p in site.rglob("*") if p.is_file()} - before:
        if tmp_path / "first" not in leftover.parents:
            leftover.write_bytes(b"\x00garbage")
    second = build_site(site, tmp_path / "second")
    assert all_bytes(first) == all_bytes(second)


# -- base URL ----------------------------------------------------------------------------------------


def test_base_url_option_overrides_site_yaml(tmp_path, site):
    out = build_site(site, tmp_path / "out", "--base-url", "https://facts.example.com/desk/")
    page = claim_page(out)
    assert page.find("link", rel="canonical").attrs["href"] == "https://facts.example.com/desk/claims/steel-contract/"
    assert page.find("a", class_="site-title").attrs["href"] == "/desk/"
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text == "https://facts.example.com/desk/"


def test_base_url_option_without_trailing_slash(tmp_path, site):
    out = build_site(site, tmp_path / "out", "--base-url", "https://facts.example.com/desk")
    assert claim_page(out).find("a", class_="site-title").attrs["href"] == "/desk/"


def test_bad_base_url_option_is_an_error(tmp_path, site):
    result = run("build", "--site", site, "--out", tmp_path / "out", "--base-url", "javascript:alert(1)")
    assert result.returncode in (1, 2)
    assert "javascript:alert(1)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_every_internal_link_carries_the_base_path(rich_out):
    for page, tag, attr, value in links(rich_out):
        if value.startswith("#") or is_external(value, "https://example.org/prefix/"):
            continue
        assert value.startswith(("/prefix/", "https://example.org/prefix/")), f"{page}: <{tag} {attr}={value!r}>"


def test_every_internal_link_resolves_to_a_file(rich_out):
    assert broken_links(rich_out, "https://example.org/prefix/") == []


def test_markdown_links_get_the_base_path(rich_out):
    page = html_page(rich_out, "methodology/index.html")
    hrefs = [a.attrs["href"] for a in page.find("article").find_all("a")]
    assert hrefs == ["/prefix/claims/steel-contract/", "/prefix/verdicts/"]


def test_absolute_urls_in_meta_tags_carry_the_base_path(rich_out):
    for page in rich_out.rglob("*.html"):
        for meta in parse_html(page.read_text()).find_all("meta"):
            content = meta.attrs.get("content") or ""
            if content.startswith("https://example.org"):
                assert content.startswith("https://example.org/prefix/"), (page, meta.attrs)


def test_paginated_listings_carry_the_base_path(tmp_path):
    claims = {f"check-{n:02d}": claim_citing("Sources in Moscow admitted negotiations") for n in range(60)}
    out = build_site(make_site(tmp_path, site_yaml=RICH_SITE_YAML, claims=claims))
    assert broken_links(out, "https://example.org/prefix/") == []
    listings = [out / "claims" / "index.html", *out.glob("claims/page/*/index.html")]
    listed = {
        a.attrs["href"]
        for page in listings
        for a in parse_html(page.read_text()).find_all("a")
        if "/claims/check-" in a.attrs.get("href", "")
    }
    assert listed == {f"/prefix/claims/check-{n:02d}/" for n in range(60)}


def test_404_page_links_are_absolute(rich_out):
    hrefs = [value for page, _, _, value in links(rich_out) if page == "404.html"]
    assert hrefs
    for value in hrefs:
        assert value.startswith(("/prefix/", "https://", "http://", "mailto:", "#")), value


def test_site_at_the_root_of_a_host(tmp_path):
    out = build_site(rich_site(tmp_path, site_yaml=RICH_SITE_YAML.replace("/prefix/", "/")))
    assert broken_links(out, "https://example.org/") == []
    assert claim_page(out).find("a", class_="site-title").attrs["href"] == "/"


# -- templates and static files ---------------------------------------------------------------------


def test_site_without_templates_or_static_uses_the_projects(tmp_path, site):
    assert not (site / "templates").exists() and not (site / "static").exists()
    out = build_site(site)
    assert (out / "static" / "style.css").read_bytes() == (PROJECT_DIR / "static" / "style.css").read_bytes()
    assert claim_page(out).find("section", class_="claim")


def test_sites_own_base_template_overrides_the_projects(tmp_path):
    base = (PROJECT_DIR / "templates" / "base.html").read_text().replace("<body>", '<body class="house-style">')
    out = build_site(make_site(tmp_path, files={"templates/base.html": base}))
    assert claim_page(out).find("body").attrs.get("class") == "house-style"
    assert claim_page(out).find("section", class_="claim")


def test_sites_own_stylesheet_overrides_the_projects(tmp_path):
    out = build_site(make_site(tmp_path, files={"static/style.css": "body { color: teal }\n"}))
    assert (out / "static" / "style.css").read_text() == "body { color: teal }\n"


def test_sites_other_static_files_are_copied(tmp_path):
    out = build_site(make_site(tmp_path, files={"static/logo.svg": "<svg/>", "static/img/a.png": b"\x89PNG"}))
    assert (out / "static" / "logo.svg").read_text() == "<svg/>"
    assert (out / "static" / "img" / "a.png").read_bytes() == b"\x89PNG"
    assert (out / "static" / "style.css").is_file()


# -- feed and sitemap ----------------------------------------------------------------------------------


def test_feed_is_atom_with_an_entry_per_published_check(rich_out):
    feed = ET.parse(rich_out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    ids = [entry.find(f"{ATOM}id").text for entry in feed.findall(f"{ATOM}entry")]
    assert sorted(ids) == [
        "https://example.org/prefix/claims/steel-contract/",
        "https://example.org/prefix/claims/talks-continue/",
    ]


def test_feed_entry_titles_carry_the_verdict(rich_out):
    feed = ET.parse(rich_out / "feed.xml").getroot()
    titles = sorted(entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry"))
    assert titles == ["False: “Russia and Pakistan signed a steel-mill contract.” (Media reports, 14 May 2025)",
                      "True: “Talks will continue in July.” (The Tribune)"]


def test_feed_entry_updated_is_the_last_update(rich_out):
    feed = ET.parse(rich_out / "feed.xml").getroot()
    entry = next(e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith("/steel-contract/"))
    assert entry.find(f"{ATOM}updated").text.startswith("2025-07-12")
    assert entry.find(f"{ATOM}published").text.startswith("2025-06-02")


def test_feed_escapes_markup(tmp_path):
    text = CLAIM.replace("summary: No contract was signed.", "summary: 'A <b>bold</b> & \"quoted\" summary'")
    out = build_site(make_site(tmp_path, claims={"steel-contract": text}))
    feed = ET.parse(out / "feed.xml").getroot()
    (entry,) = feed.findall(f"{ATOM}entry")
    assert 'A <b>bold</b> & "quoted" summary' in entry.find(f"{ATOM}summary").text


def test_sitemap_lists_every_page_with_absolute_urls(rich_out):
    root = ET.parse(rich_out / "sitemap.xml").getroot()
    locs = [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    for expected in [
        "https://example.org/prefix/",
        "https://example.org/prefix/claims/steel-contract/",
        "https://example.org/prefix/claims/talks-continue/",
        "https://example.org/prefix/verdicts/false/",
        "https://example.org/prefix/tags/steel/",
        "https://example.org/prefix/sources/tribune-report/",
        "https://example.org/prefix/about/",
        "https://example.org/prefix/methodology/",
    ]:
        assert expected in locs
    assert not any("draft-check" in loc or "404" in loc for loc in locs)


def test_sitemap_urls_resolve_to_files(rich_out):
    root = ET.parse(rich_out / "sitemap.xml").getroot()
    for url in root.findall(f"{SITEMAP}url"):
        target = target_file(rich_out, url.find(f"{SITEMAP}loc").text, "https://example.org/prefix/")
        assert target is not None and target.is_file(), url.find(f"{SITEMAP}loc").text


def test_sitemap_lastmod_of_a_check_is_its_last_update(rich_out):
    root = ET.parse(rich_out / "sitemap.xml").getroot()
    lastmod = {
        url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
        for url in root.findall(f"{SITEMAP}url")
    }
    assert lastmod["https://example.org/prefix/claims/steel-contract/"] == "2025-07-12"
    assert lastmod["https://example.org/prefix/claims/talks-continue/"] == "2025-06-05"


# -- archived article text --------------------------------------------------------------------------------


def test_article_text_is_published_when_enabled(rich_out):
    page = html_page(rich_out, "sources/tribune-report/index.html")
    paragraphs = [p.text for p in page.find("section", class_="article-text").find_all("p") if "note" not in p.classes]
    assert paragraphs == ["The two officials agreed to form a joint working group.", "Talks will continue in July."]


def test_article_text_is_not_published_by_default(tmp_path, site):
    out = build_site(site)
    page = html_page(out, "sources/moscow-denial/index.html")
    assert page.find_all("section", class_="article-text") == []
    assert "Moscow, May 30 Russia on Friday rubbished" not in page.text


def test_article_text_is_hidden_when_disabled(tmp_path):
    yaml = RICH_SITE_YAML.replace("publish_article_text: true", "publish_article_text: false")
    out = build_site(rich_site(tmp_path, site_yaml=yaml))
    page = html_page(out, "sources/tribune-report/index.html")
    assert page.find_all("section", class_="article-text") == []
    outside_quotes = [p.text for p in page.find("main").find_all("p") if not any(a.tag == "blockquote" for a in p.ancestors())]
    assert "Talks will continue in July." not in outside_quotes


# -- the example site ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "out"
    result = run("build", "--site", EXAMPLE_DESK, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def test_example_site_builds(example_out):
    assert (example_out / "index.html").is_file()
    assert len(list((example_out / "claims").glob("*/index.html"))) == len(list((EXAMPLE_DESK / "content" / "claims").glob("*.yaml")))


def test_example_site_has_no_broken_internal_link(example_out):
    import yaml

    base_url = yaml.safe_load((EXAMPLE_DESK / "site.yaml").read_text())["base_url"]
    assert broken_links(example_out, base_url) == []


def test_example_site_checks_clean():
    result = run("check", "--site", EXAMPLE_DESK)
    assert result.returncode == 0, result.stderr


# -- new ------------------------------------------------------------------------------------------------------


def test_new_writes_a_claim_file_and_prints_its_path(tmp_path, site):
    result = run("new", "Russia signed a deal", "--site", site)
    assert result.returncode == 0, result.stderr
    path = site / "content" / "claims" / "russia-signed-a-deal.yaml"
    assert path.is_file()
    assert Path(result.stdout.strip()).resolve() == path.resolve()
    assert 'claim: "Russia signed a deal"' in path.read_text()


def test_new_with_a_slug(tmp_path, site):
    result = run("new", "Russia signed a deal", "--slug", "deal-claim", "--site", site)
    assert result.returncode == 0, result.stderr
    assert (site / "content" / "claims" / "deal-claim.yaml").is_file()


def test_new_file_is_a_draft_that_check_explains(tmp_path, site):
    run("new", "Russia signed a deal", "--site", site)
    result = run("check", "--site", site)
    assert result.returncode == 1
    assert "content/claims/russia-signed-a-deal.yaml:" in result.stderr
    assert run("build", "--site", site, "--out", tmp_path / "out").returncode == 1


def test_new_file_filled_in_passes_check_and_builds(tmp_path, site):
    run("new", "Russia signed a deal", "--site", site)
    path = site / "content" / "claims" / "russia-signed-a-deal.yaml"
    filled = (
        path.read_text()
        .replace("claimant:\n", "claimant: Media reports\n")
        .replace("verdict:\n", 'verdict: "false"\n')
        .replace("summary:\n", "summary: No deal was signed.\n")
        .replace("draft: true\n", "")
        .replace("  - article:\n    quote:\n", "  - article: moscow-denial\n    quote: Sources in Moscow admitted negotiations\n")
    )
    path.write_text(filled)
    result = run("check", "--site", site)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert run("build", "--site", site, "--out", out).returncode == 0
    assert (out / "claims" / "russia-signed-a-deal" / "index.html").is_file()


def test_new_refuses_to_overwrite(tmp_path, site):
    result = run("new", "Anything", "--slug", "steel-contract", "--site", site)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (site / "content" / "claims" / "steel-contract.yaml").read_text() == CLAIM


def test_new_refuses_a_bad_slug(tmp_path, site):
    result = run("new", "Anything", "--slug", "../escape", "--site", site)
    assert result.returncode == 2
    assert not (site / "content" / "escape.yaml").exists()


# -- check --format github ------------------------------------------------------------------------------------------


def test_github_format_prints_workflow_commands(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + "draft: maybe\n"})
    result = run("check", "--site", site, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/claims/steel-contract.yaml,line=11,col=8,title=Content error::"
        "expected true or false, found 'maybe'"
    ]


def test_github_format_escapes_properties(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM, "a,b:c%d": CLAIM})
    result = run("check", "--site", site, "--format", "github")
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert line.startswith("::error file=content/claims/a%2Cb%3Ac%25d.yaml,line=1,col=1,title=")
    properties, message = line[len("::error ") :].split("::", 1)
    assert [p.split("=", 1)[0] for p in properties.split(",")] == ["file", "line", "col", "title"]
    assert message.startswith("the file name 'a,b:c%25d'")


def test_github_format_escapes_percent_in_the_message(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + "draft: 100%\n"})
    result = run("check", "--site", site, "--format", "github")
    assert result.stdout.strip().endswith("::expected true or false, found '100%25'")


def test_github_format_appends_a_step_summary(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n")
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + "draft: maybe\n"})
    result = run("check", "--site", site, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    text = summary.read_text()
    assert text.startswith("# Earlier step\n")
    assert "1 error in 1 file" in text
    assert "content/claims/steel-contract.yaml:11:8" in text
    assert "expected true or false, found 'maybe'" in text


def test_github_format_summary_of_a_clean_site(tmp_path, site):
    summary = tmp_path / "summary.md"
    result = run("check", "--site", site, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0
    assert result.stdout == ""
    assert "No problems found." in summary.read_text()


# -- a wrong command line ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--nope"],
        ["check", "--format", "xml"],
        ["frobnicate", "--site", "."],
        ["new"],
        ["new", "   "],
        ["serve", "--port", "eighty"],
        ["build", "--site", "/nonexistent/site/folder"],
        ["check", "--site", "/nonexistent/site/folder"],
    ],
)
def test_wrong_command_line_exits_2(tmp_path, args):
    result = run(*args, cwd=make_site(tmp_path))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr
    assert not (tmp_path / "site" / "_site").exists()


def test_help_exits_0():
    result = run("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "check" in result.stdout
