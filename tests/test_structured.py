"""Structured data, feeds and sitemaps, read by the parsers aggregators use."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import BUILD_PY, CLAIM, CLAIM_SLUG, EXAMPLE_DESK, PROJECT_DIR, make_site, reader_pages

extruct = pytest.importorskip("extruct", reason="extruct is not installed")
feedparser = pytest.importorskip("feedparser", reason="feedparser is not installed")

BASE = "https://example.github.io/steel-desk/"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("structured") / "site"
    result = subprocess.run([sys.executable, str(BUILD_PY), "--site", str(EXAMPLE_DESK), "--out", str(out)], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def claim_pages(out: Path) -> list[Path]:
    return sorted(p for p in (out / "claims").glob("*/index.html") if p.parent.name != "page")


def reviews(page: Path) -> list[dict]:
    data = extruct.extract(page.read_text(encoding="utf-8"), base_url=BASE, syntaxes=["json-ld"], uniform=True)
    return [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]


def visible_text(page: Path) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style", "head")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style", "head")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def test_every_claim_page_has_exactly_one_complete_claim_review(example):
    import yaml

    scale = yaml.safe_load((EXAMPLE_DESK / "site.yaml").read_text())["verdicts"]
    scored = [v for v in scale if v.get("scored", True) is not False]
    pages = claim_pages(example)
    assert len(pages) >= 6
    for page in pages:
        (review,) = reviews(page)
        slug = page.parent.name
        source = yaml.safe_load((EXAMPLE_DESK / "content" / "claims" / f"{slug}.yaml").read_text())
        verdict = next(v for v in scale if str(v["id"]).lower() == str(source["verdict"]).lower())
        assert review["url"] == f"{BASE}claims/{slug}/"
        assert review["claimReviewed"] == source["claim"]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] == verdict["label"]
        assert rating["ratingExplanation"] == " ".join(source["summary"].split())
        if verdict in scored:
            assert rating["bestRating"] == len(scored) and rating["worstRating"] == 1
            assert rating["ratingValue"] == len(scored) - scored.index(verdict)
        else:
            assert "ratingValue" not in rating
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"] == source["claimant"]
        if "claim_date" in source:
            assert item["datePublished"] == source["claim_date"].isoformat()
        if source.get("appeared_in"):
            assert len(item["appearance"]) == len(source["appeared_in"])
            assert item["firstAppearance"]["@type"] == "CreativeWork"
            assert {"headline", "publisher", "datePublished"} <= set(item["firstAppearance"])
        people = {p["id"]: p["name"] for p in yaml.safe_load((EXAMPLE_DESK / "site.yaml").read_text())["people"]}
        # the people who wrote and reviewed the check, by name and page, never "By Steel Desk"
        assert review["author"] == {"@type": "Person", "name": people[source["author"]], "url": f"{BASE}people/{source['author']}/"}
        assert review["editor"]["name"] == people[source["reviewed_by"]]
        assert review["publisher"] == {"@type": "Organization", "name": "Steel Desk", "url": BASE}
        assert len(review.get("correction", [])) == len(source.get("updates", []))
        assert review["datePublished"] == source["published"].isoformat()
        modified = max([source["published"], *(u["date"] for u in source.get("updates", []))])
        assert review["dateModified"] == modified.isoformat()
        shown = visible_text(page)
        for text in (review["claimReviewed"], rating["alternateName"], rating["ratingExplanation"], item["author"]["name"]):
            assert " ".join(text.split()) in shown, (slug, text)


def test_a_claim_with_script_end_tags_cannot_escape_the_json_ld(tmp_path):
    hostile = "Steel </script><script>alert(1)</script> <!-- deal"
    site = make_site(tmp_path, claims={CLAIM_SLUG: CLAIM.replace("Russia and Pakistan signed a steel-mill contract.", json.dumps(hostile))})
    out = tmp_path / "out"
    subprocess.run([sys.executable, str(BUILD_PY), "--site", str(site), "--out", str(out)], check=True, capture_output=True)
    page = out / "claims" / CLAIM_SLUG / "index.html"
    html = page.read_text(encoding="utf-8")
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(script)["claimReviewed"] == hostile  # the whole payload stayed inside
    assert html.count("<script") == 1


def test_claims_json_is_a_data_feed_of_every_review(example):
    feed = json.loads((example / "claims.json").read_text(encoding="utf-8"))
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    items = feed["dataFeedElement"]
    assert len(items) == len(claim_pages(example))
    for item in items:
        assert item["@type"] == "DataFeedItem"
        (review,) = item["item"]
        (on_page,) = reviews(example / urlsplit(review["url"]).path.removeprefix("/steel-desk/") / "index.html")
        assert {k: v for k, v in on_page.items() if k != "@context"} == review


def test_the_feed_reads_cleanly_newest_first_with_updates(example):
    feed = feedparser.parse((example / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    entries = feed.entries
    assert len(entries) == len(claim_pages(example))
    updated = [e.updated for e in entries]
    assert updated == sorted(updated, reverse=True)
    contract = next(e for e in entries if e.link.endswith("/claims/multibillion-dollar-steel-contract/"))
    assert contract.updated.startswith("2025-07-12") and contract.published.startswith("2025-06-02")
    assert "Updated 2025-07-12" in contract.summary
    assert feed.feed.updated == max(updated)  # from the content, never the clock


def test_sitemap_locations_are_built_pages_and_robots_points_to_it(example):
    root = ET.parse(example / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert len(locations) >= 30
    for location in locations:
        assert location.startswith(BASE)
        path = example / location[len(BASE):]
        assert (path / "index.html").is_file() or path.is_file(), location
    claim = next(u for u in root.findall("s:url", ns) if u.find("s:loc", ns).text.endswith("multibillion-dollar-steel-contract/"))
    assert claim.find("s:lastmod", ns).text == "2025-07-12"
    assert f"Sitemap: {BASE}sitemap.xml" in (example / "robots.txt").read_text()


def test_every_page_has_canonical_language_feed_link_and_open_graph(example):
    for page in reader_pages(example):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="en" dir="ltr">' in html, page
        assert 'rel="alternate" type="application/atom+xml"' in html, page
        assert 'property="og:title"' in html and 'property="og:description"' in html, page
        assert 'name="twitter:card"' in html, page
        if page.name != "404.html":
            assert '<link rel="canonical" href="https://example.github.io/steel-desk/' in html, page
    claim = (example / "claims" / "multibillion-dollar-steel-contract" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="article">' in claim
    assert '<meta property="article:modified_time" content="2025-07-12">' in claim
    assert 'content="Unproven: ' in claim  # og:description is the verdict label and the summary


def test_claim_pages_have_a_permalink_and_plain_share_links(example):
    html = (example / "claims" / "multibillion-dollar-steel-contract" / "index.html").read_text(encoding="utf-8")
    assert f'Permalink: <a href="{BASE}claims/multibillion-dollar-steel-contract/">' in html
    share = html.split('id="share-heading"')[1].split("</section>")[0]
    assert "<script" not in share and "utm_" not in share
    assert "https%3A%2F%2Fexample.github.io%2Fsteel-desk%2Fclaims%2Fmultibillion-dollar-steel-contract%2F" in share
