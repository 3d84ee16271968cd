"""Readers' pages: search box everywhere, filters, charts, related checks, claimant pages, weight.

`reader_site` (also used by the other test_reader_* files) is a small site
whose checks share topics, articles and a claimant spelt two ways.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ARTICLE, EXAMPLE_DESK, PROJECT_DIR, all_bytes, build_site, html_page, make_site, parse_html, reader_pages

BASE = "https://example.org/desk/"
SITE_YAML = f"""\
title: Reader Desk
base_url: {BASE}
publisher:
  name: Reader Desk
  url: {BASE}
"""

TRIBUNE = """\
---
title: Talks on a joint working group
publisher: The Tribune
published: 2025-05-20
url: https://tribune.example/story
---
The two officials agreed to form a joint working group.

Talks will continue in July.
"""


def _claim(claim, claimant, verdict, tags, article, quote, summary, published, headline=None):
    lines = [
        f"claim: {claim}",
        f"claimant: {claimant}",
        f'verdict: "{verdict}"',
        f"summary: {summary}",
        f"published: {published}",
        f"tags: [{', '.join(tags)}]",
        "citations:",
        f"  - article: {article}",
        f"    quote: {quote}",
        "analysis: |",
        "  The zeppelin analysis is not indexed.",
    ]
    if headline:
        lines.insert(0, f"headline: {headline}")
    return "\n".join(lines) + "\n"


CLAIMS = {
    "steel-contract": _claim(
        "Russia and Pakistan signed a steel-mill contract.", "Media reports", "false", ["russia", "steel"],
        "moscow-denial", "Sources in Moscow admitted negotiations", "Officials confirmed talks, not a contract.", "2025-06-02",
    ),
    "talks-continue": _claim(
        "Talks on the mill will continue in July.", "media reports", "true", ["steel"],
        "tribune", "Talks will continue in July.", "The Tribune reported it.", "2025-06-05",
    ),
    "same-article": _claim(
        "Moscow denied every report about Karachi.", "The Tribune", "misleading", ["karachi"],
        "moscow-denial", "slammed reports of a contract", "The denial was about a contract only.", "2025-06-04",
    ),
    "unrelated": _claim(
        "A working group met on a Sunday.", "Someone", "unproven", ["weather"],
        "tribune", "agreed to form a joint working group", "Nobody knows the day.", "2025-06-03",
    ),
}


def reader_site(tmp_path: Path, base_url: str = BASE, **parts) -> Path:
    options = dict(
        site_yaml=SITE_YAML.replace(BASE, base_url),
        articles={"moscow-denial": ARTICLE, "tribune": TRIBUNE},
        claims=dict(CLAIMS),
    )
    options.update(parts)
    return make_site(tmp_path, **options)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reader")
    return build_site(reader_site(tmp), tmp / "out")


def html_files(out: Path) -> list[Path]:
    return reader_pages(out)


def hrefs(element) -> list[str]:
    return [a.attrs["href"] for a in element.find_all("a")]


# -- search box and search page ------------------------------------------------------------


def test_every_page_but_search_has_a_search_box_to_the_search_page(out):
    for path in html_files(out):
        doc = parse_html(path.read_text(encoding="utf-8"))
        relative = path.relative_to(out).as_posix()
        forms = doc.find_all("form", class_="site-search")
        if relative == "search/index.html":
            assert forms == []
            continue
        (form,) = forms
        assert form.attrs["action"] == "/desk/search/" and form.attrs["method"] == "get", relative
        field = form.find("input", name="q")
        assert form.find("label").attrs["for"] == field.attrs["id"]


def test_without_javascript_the_box_steps_aside_for_the_listings(out):
    css = (out / "static" / "noscript.css").read_text()
    assert re.search(r"\.site-search\s*\{\s*display:\s*none", css)
    home = (out / "index.html").read_text()
    assert '<noscript><link rel="stylesheet" href="/desk/static/noscript.css"></noscript>' in home
    nav = html_page(out, "index.html").find("nav")
    assert {"/desk/claims/", "/desk/verdicts/", "/desk/tags/", "/desk/claimants/"} <= set(hrefs(nav))


def test_search_page_loads_its_script_from_the_site_and_lists_what_to_browse(out):
    page = html_page(out, "search/index.html")
    (script,) = page.find_all("script")
    assert script.attrs == {"type": "module", "src": "/desk/static/search.js"}
    form = page.find("form", id="search-form")
    assert form.attrs["data-bundle"] == "/desk/pagefind/" and form.attrs["data-base"] == "/desk/"
    assert [o.attrs["value"] for o in page.find("select", id="verdict").find_all("option")] == [
        "", "true", "mostly-true", "misleading", "mostly-false", "false", "unproven"
    ]
    assert "needs JavaScript" in page.find("main").find("noscript").text
    browse = page.find("section", class_="browse")
    assert {"/desk/claims/", "/desk/verdicts/", "/desk/tags/", "/desk/claimants/", "/desk/verdicts/false/"} <= set(hrefs(browse))


def test_only_the_search_page_has_a_script_other_than_json_ld(out):
    with_script = []
    for path in html_files(out):
        for script in parse_html(path.read_text(encoding="utf-8")).find_all("script"):
            if script.attrs.get("type") != "application/ld+json":
                with_script.append(path.relative_to(out).as_posix())
    assert with_script == ["search/index.html"]


def test_the_policy_stays_strict_on_every_page(out):
    for path in html_files(out):
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', path.read_text()).group(1)
        assert "script-src 'self';" in policy and "unsafe" not in policy, path


# -- filters ----------------------------------------------------------------------------------


def filters(out: Path, relative: str):
    return html_page(out, relative).find("nav", class_="filters")


def current(nav) -> list[str]:
    return [a.text for a in nav.find_all("a") if "aria-current" in a.attrs]


def test_all_checks_filter_by_rating_and_topic(out):
    nav = filters(out, "claims/index.html")
    links = hrefs(nav)
    for target in ("/desk/verdicts/false/", "/desk/verdicts/true/", "/desk/verdicts/misleading/", "/desk/tags/steel/", "/desk/tags/karachi/"):
        assert target in links
    assert "/desk/verdicts/mostly-false/" not in links  # no check has it
    assert current(nav) == ["All ratings 4", "All topics 4"]
    assert "steel 2" in nav.text


def test_a_topic_filters_by_rating_on_static_pages(out):
    nav = filters(out, "tags/steel/index.html")
    assert "/desk/tags/steel/verdicts/false/" in hrefs(nav)
    assert "/desk/tags/steel/verdicts/true/" in hrefs(nav)
    page = html_page(out, "tags/steel/verdicts/false/index.html")
    assert [h.text for h in page.find_all("h3")] == ["Russia and Pakistan signed a steel-mill contract."]
    assert page.find("h1").text == "Topic: steel · Rated False"
    assert current(page.find("nav", class_="filters")) == ["False 1", "steel 1"]
    assert not (out / "tags" / "steel" / "verdicts" / "unproven").exists()


def test_a_rating_filters_by_topic(out):
    nav = filters(out, "verdicts/false/index.html")
    assert "/desk/tags/steel/verdicts/false/" in hrefs(nav)
    assert "/desk/tags/russia/verdicts/false/" in hrefs(nav)
    assert "/desk/tags/karachi/verdicts/false/" not in hrefs(nav)
    assert current(nav) == ["False 1", "All topics 1"]


# -- charts -----------------------------------------------------------------------------------


def chart(out: Path, relative: str):
    return html_page(out, relative).find("svg", class_="chart")


def test_home_chart_shows_every_rating_in_words_and_in_its_title(out):
    svg = chart(out, "index.html")
    assert svg.attrs["role"] == "img"
    title = svg.find("title")
    assert svg.attrs["aria-labelledby"] == title.attrs["id"]
    assert title.text == (
        "All 4 checks by rating (4 in all): True: 1; Mostly true: 0; Misleading: 1; Mostly false: 0; False: 1; Unproven: 1."
    )
    texts = [t.text for t in svg.find_all("text")]
    assert texts[::2] == ["True", "Mostly true", "Misleading", "Mostly false", "False", "Unproven"]
    assert texts[1::2] == ["1", "0", "1", "0", "1", "1"]
    assert [r.attrs["class"] for r in svg.find_all("rect")] == [
        "tone-good", "tone-good", "tone-mixed", "tone-mixed", "tone-bad", "tone-neutral"
    ]
    assert not any("style" in e.attrs for e in svg.iter())


@pytest.mark.parametrize("relative, expected", [
    ("tags/steel/index.html", "True: 1; False: 1"),
    ("claimants/media-reports/index.html", "True: 1; False: 1"),
])
def test_topic_and_claimant_pages_chart_their_checks(out, relative, expected):
    svg = chart(out, relative)
    assert expected in svg.find("title").text
    assert svg.find_all("text")[0].text  # labelled bars


# -- related checks -------------------------------------------------------------------------------


def test_related_checks_share_articles_first_then_topics(out):
    related = html_page(out, "claims/steel-contract/index.html").find("section", class_="related")
    links = [a for a in related.find_all("a") if "verdict" not in a.classes]
    assert [a.attrs["href"] for a in links] == ["/desk/claims/same-article/", "/desk/claims/talks-continue/"]
    assert [a.text for a in related.find_all("a", class_="verdict")] == ["Misleading", "True"]
    # each rating beside the claim it rates and who made it, not beside the check's conclusion
    assert [li.text for li in related.find_all("li")] == [
        "Misleading Moscow denied every report about Karachi. Claim by The Tribune",
        "True Talks on the mill will continue in July. Claim by media reports",
    ]


def test_a_check_with_nothing_in_common_has_no_related_section(tmp_path):
    site = reader_site(tmp_path, claims={"unrelated": CLAIMS["unrelated"]})
    page = html_page(build_site(site), "claims/unrelated/index.html")
    assert page.find_all("section", class_="related") == []


def test_related_checks_follow_a_change_in_another_check(tmp_path):
    site = reader_site(tmp_path)
    out = build_site(site)
    path = site / "content" / "claims" / "same-article.yaml"
    path.write_text(path.read_text().replace("claim: Moscow denied every report about Karachi.", "claim: A reworded claim."))
    build_site(site, out)
    related = html_page(out, "claims/steel-contract/index.html").find("section", class_="related")
    assert "A reworded claim." in related.text


# -- claimants ----------------------------------------------------------------------------------------


def test_claimants_are_listed_with_their_ratings_and_spellings_merged(out):
    listing = html_page(out, "claimants/index.html").find("ul", class_="claimant-list")
    items = {li.find("a").text: li.text for li in listing.find_all("li")}
    assert sorted(items) == ["Media reports", "Someone", "The Tribune"]
    assert "2 checks: 1 True, 1 False" in items["Media reports"]


def test_a_claimant_page_lists_all_their_checks_with_counts(out):
    page = html_page(out, "claimants/media-reports/index.html")
    assert page.find("h1").text == "Media reports"
    assert sorted(h.text for h in page.find_all("h3")) == [
        "Russia and Pakistan signed a steel-mill contract.", "Talks on the mill will continue in July."
    ]
    assert "1 rated True, 1 rated False." in page.find("main").text


def test_claim_page_links_to_its_claimant(out):
    section = html_page(out, "claims/talks-continue/index.html").find("section", class_="claim")
    assert "/desk/claimants/media-reports/" in hrefs(section)


@pytest.mark.parametrize("name, slug", [("新华社", "新华社"), ("'???'", "claimant-*")])
def test_every_claimant_gets_a_page(tmp_path, name, slug):
    claims = {"unrelated": CLAIMS["unrelated"].replace("claimant: Someone", f"claimant: {name}")}
    out = build_site(reader_site(tmp_path, claims=claims))
    (folder,) = (out / "claimants").glob(slug)
    assert html_page(out, f"claimants/{folder.name}/index.html").find("h1").text == name.strip("'")


# -- weight and requests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "site"
    subprocess.run([sys.executable, "build.py", "--site", str(EXAMPLE_DESK), "--out", str(out)], cwd=PROJECT_DIR, check=True, capture_output=True)
    return out


def test_a_claim_page_and_its_stylesheet_weigh_under_36_kb(example):
    css = (example / "static" / "style.css").stat().st_size
    pages = sorted((example / "claims").glob("*/index.html"))
    assert pages
    for page in pages:
        assert page.stat().st_size + css < 36 * 1024, f"{page.parent.name}: {page.stat().st_size} + {css} bytes"


def test_no_web_fonts_and_no_third_party_requests(example):
    base_path = "/steel-desk/"
    for path in html_files(example):
        for element in parse_html(path.read_text(encoding="utf-8")).iter():
            loads = {"link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src", "form": "action"}
            attribute = loads.get(element.tag)
            if attribute and element.attrs.get(attribute) and element.attrs.get("rel") not in ("canonical", "alternate"):
                value = element.attrs[attribute]
                assert value.startswith(base_path) or value.startswith("data:"), f"{path}: <{element.tag} {attribute}={value}>"
    for css in (example / "static").glob("*.css"):
        text = css.read_text()
        assert "@font-face" not in text and "@import" not in text and "url(" not in text, css
    script = (example / "static" / "search.js").read_text()
    assert not re.search(r"https?://", script)


def test_same_input_same_bytes_with_search_index_and_cards(tmp_path):
    site = reader_site(tmp_path)
    first = all_bytes(build_site(site, tmp_path / "first"))
    second = all_bytes(build_site(site, tmp_path / "second"))
    assert any(name.startswith("pagefind/") for name in first) and any(name.startswith("cards/") for name in first)
    assert first == second


def test_an_incremental_build_equals_a_full_one(tmp_path):
    site = reader_site(tmp_path)
    out = build_site(site)
    path = site / "content" / "claims" / "talks-continue.yaml"
    path.write_text(path.read_text().replace('verdict: "true"', 'verdict: "misleading"'))
    (site / "content" / "claims" / "unrelated.yaml").unlink()
    build_site(site, out)
    fresh = tmp_path / "fresh"
    fresh_site = reader_site(fresh)
    (fresh_site / "content" / "claims" / "talks-continue.yaml").write_text(path.read_text())
    (fresh_site / "content" / "claims" / "unrelated.yaml").unlink()
    assert all_bytes(out) == all_bytes(build_site(fresh_site, fresh / "out"))


def test_internal_links_of_new_pages_carry_the_base_path(out):
    for path in html_files(out):
        for a in parse_html(path.read_text(encoding="utf-8")).find_all("a"):
            href = a.attrs.get("href", "")
            if href.startswith("/"):
                assert href.startswith("/desk/"), f"{path}: {href}"
                target = out / href[len("/desk/") :].split("?")[0]
                target = target / "index.html" if href.endswith("/") else target
                assert target.is_file(), f"{path}: {href}"
            elif urlsplit(href).scheme in ("http", "https"):
                assert not href.startswith("https://example.org/") or href.startswith(BASE), href
