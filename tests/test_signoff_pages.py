"""Pages a fact-check editor signs off: the rating beside the claim everywhere, followable evidence.

A small site made for it: one article quoted twice by one check, a second article,
a linked page, checks with and without a headline and a claim date. The phone
layout is measured in Debian's Chromium on the example desk.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import EXAMPLE_DESK, PROJECT_DIR, build_site, html_page, make_site, needs_browser, problems

sys.path.insert(0, str(PROJECT_DIR / "scripts"))  # screenshots.py: how the example is served and Chromium launched

SITE_YAML = """\
title: Signoff Desk
base_url: https://example.org/desk/
publisher:
  name: Signoff Desk
  url: https://example.org/desk/
publish_article_text: true
"""

DENIAL = """\
---
title: Russia denies reports on steel mill
publisher: Wire Service
author: Staff
published: 2025-05-30
url: https://news.example.com/story
archive_url: https://web.archive.org/web/2025/https://news.example.com/story
---
Moscow, May 30 Russia on Friday rubbished "fake reports" about a steel mill in Karachi.

Sources in Moscow admitted negotiations taking place on the issue but slammed reports of a contract.
"""

TRIBUNE = """\
---
title: Talks on a joint working group
publisher: The Tribune
published: 2025-05-20
---
The two officials agreed to form a joint working group.

Talks will continue in July.
"""

# citations in this order: denial, tribune, denial again, a linked page
CONTRACT = """\
claim: Russia and Pakistan signed a steel-mill contract.
claimant: Media reports
claim_date: 2025-05-14
verdict: "false"
headline: No steel-mill contract was signed
summary: Officials confirmed talks, not a contract.
published: 2025-06-02
tags: [steel]
citations:
  - article: moscow-denial
    quote: Sources in Moscow admitted negotiations
    note: The Russian denial.
  - article: tribune
    quote: agreed to form a joint working group
  - article: moscow-denial
    quote: slammed reports of a contract
  - url: https://ministry.example/statement
    title: Ministry statement
analysis: |
  Moscow admitted talks [1] and denied a contract [3]; Pakistan
  spoke of a working group [2, 4]. See [our method](/about/) and \\[5] for a bracket.
"""

TALKS = """\
claim: Talks on the mill will continue in July.
claimant: The Tribune
verdict: "true"
summary: The Tribune reported it.
published: 2025-06-05
tags: [steel]
citations:
  - article: tribune
    quote: Talks will continue in July.
analysis: |
  As reported [1].
"""

PAGE = """\
---
title: About us
nav: true
---
Footnote-looking text [1] on a page stays text.
"""


def signoff_site(tmp_path: Path, **claims: str) -> Path:
    return make_site(
        tmp_path,
        site_yaml=SITE_YAML,
        articles={"moscow-denial": DENIAL, "tribune": TRIBUNE},
        claims=claims or {"steel-contract": CONTRACT, "talks-continue": TALKS},
        pages={"about": PAGE},
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("signoff")
    return build_site(signoff_site(tmp), tmp / "out")


def cards(out: Path, relative: str) -> dict[str, object]:
    """The listed checks of a page, by the check's address."""
    found = {}
    for card in html_page(out, relative).find_all("li", class_="claim-card"):
        links = [a for a in card.find_all("a") if "verdict" not in a.classes]
        found[links[0].attrs["href"]] = card
    return found


def parts(card) -> list[tuple[str, str]]:
    """(what, text) of each part of a listed check, in reading order."""
    named = []
    for element in card.iter():
        what = ("rating" if "verdict" in element.classes else "claim" if "card-claim" in element.classes
                else "by" if "claim-meta" in element.classes else "checked" if "check-meta" in element.classes
                else "headline" if element.tag == "h3" else None)
        if what:
            named.append((what, element.text))
    return named


# -- the rating beside the claim, everywhere ---------------------------------------------------


@pytest.mark.parametrize("relative", [
    "index.html", "claims/index.html", "verdicts/false/index.html", "tags/steel/index.html",
    "tags/steel/verdicts/false/index.html", "claimants/media-reports/index.html",
])
def test_listings_put_the_rating_beside_the_claim_its_claimant_and_date_then_the_headline(out, relative):
    card = cards(out, relative)["/desk/claims/steel-contract/"]
    assert parts(card) == [
        ("rating", "False"),
        ("claim", "Russia and Pakistan signed a steel-mill contract."),
        ("by", "Claim by Media reports, 14 May 2025"),
        ("headline", "No steel-mill contract was signed"),
        ("checked", "Check published 2 June 2025"),
    ]
    (claim_time,) = card.find("p", class_="claim-meta").find_all("time")
    assert claim_time.attrs["datetime"] == "2025-05-14"  # the claim's date, never the check's


def test_related_checks_give_the_claim_its_claimant_and_date_beside_the_rating(out):
    related = html_page(out, "claims/talks-continue/index.html").find("section", class_="related")
    (item,) = related.find_all("li")
    assert item.text == "False Russia and Pakistan signed a steel-mill contract. Claim by Media reports, 14 May 2025"
    assert item.find("a", href="/desk/claims/steel-contract/").text == "Russia and Pakistan signed a steel-mill contract."


def test_a_check_without_headline_or_claim_date_shows_its_claim_once_and_labels_the_check_date(out):
    card = cards(out, "claims/index.html")["/desk/claims/talks-continue/"]
    assert parts(card) == [
        ("rating", "True"),
        ("claim", "Talks on the mill will continue in July."),
        ("by", "Claim by The Tribune"),
        ("checked", "Check published 5 June 2025"),
    ]
    assert card.find("h3").text == "Talks on the mill will continue in July."


def test_feed_titles_share_links_and_cards_lead_with_the_claim(out):
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {e.find(f"{atom}id").text: e for e in ET.parse(out / "feed.xml").getroot().findall(f"{atom}entry")}
    contract = entries["https://example.org/desk/claims/steel-contract/"]
    assert contract.find(f"{atom}title").text == "False: “Russia and Pakistan signed a steel-mill contract.” (Media reports, 14 May 2025)"
    assert contract.find(f"{atom}summary").text.startswith("Our check: No steel-mill contract was signed. Officials confirmed")
    talks = entries["https://example.org/desk/claims/talks-continue/"]
    assert talks.find(f"{atom}title").text == "True: “Talks on the mill will continue in July.” (The Tribune)"

    share = html_page(out, "claims/steel-contract/index.html").find("section", class_="share")
    email = next(a.attrs["href"] for a in share.find_all("a") if a.attrs["href"].startswith("mailto:"))
    subject = parse_qs(urlsplit(email).query)["subject"][0]
    assert subject == "False: Russia and Pakistan signed a steel-mill contract."  # the card adds who made it and when


def test_the_share_card_carries_the_claims_date():
    from factdesk.cards import DEFAULT_COLOURS, CardSpec, render_card

    spec = CardSpec("Desk", "A claim.", "Someone", "False", "bad", "example.org", tuple(sorted(DEFAULT_COLOURS.items())),
                    claim_date="14 May 2025")
    undated = CardSpec(**{**spec.__dict__, "claim_date": ""})
    assert spec.key() != undated.key() and render_card(spec) != render_card(undated)


def test_the_claim_page_gives_search_results_the_claim_and_its_date(out):
    page = html_page(out, "claims/steel-contract/index.html")
    claim = page.find(**{"data-pagefind-meta": "claim"})
    assert claim.text == "Russia and Pakistan signed a steel-mill contract."
    date = page.find("time", **{"data-pagefind-meta": "claim_date"})
    assert date.text == "14 May 2025"
    assert page.find("time", **{"data-pagefind-meta": "published"}).text == "2 June 2025"


# -- numbered citations -------------------------------------------------------------------------


def test_numbers_in_brackets_link_to_the_evidence_list(out):
    page = html_page(out, "claims/steel-contract/index.html")
    analysis = page.find("section", class_="analysis")
    cited = [a.attrs["href"] for a in analysis.find_all("a") if a.attrs["href"].startswith("#")]
    assert cited == ["#citation-1", "#citation-3", "#citation-2", "#citation-4"]
    assert "[5] for a bracket" in analysis.text  # written \[5]
    assert analysis.find("a", href="/desk/about/").text == "our method"
    for target in cited:
        entry = page.find("li", id=target[1:])
        assert entry.find("span", class_="cite-number").text == f"[{target[len('#citation-'):]}]"
    assert "Sources in Moscow admitted negotiations" in page.find("li", id="citation-1").text
    assert "slammed reports of a contract" in page.find("li", id="citation-3").text
    assert "Ministry statement" in page.find("li", id="citation-4").parent.parent.text


def test_a_page_outside_a_check_keeps_brackets_as_text(out):
    body = html_page(out, "about/index.html").find("article")
    assert "text [1] on a page" in body.text and not body.find_all("a", href="#citation-1")


@pytest.mark.parametrize("analysis, where, number", [
    ("  Talks [5].\n", "20:10", 5),
    ("  One [1], none [0].\n", "20:18", 0),
    ("  First line.\n  Both [1, 12] here.\n", "21:12", 12),
    ("  | a | b |\n  |---|---|\n  | x | [9] |\n", "22:10", 9),
])
def test_a_number_with_no_such_citation_is_an_error_at_its_place(tmp_path, analysis, where, number):
    text = CONTRACT.split("analysis: |\n")[0] + "analysis: |\n" + analysis
    site = signoff_site(tmp_path, **{"steel-contract": text})
    found = [p for p in problems(site) if "cites no citation" in p]
    assert found == [
        f"content/claims/steel-contract.yaml:{where}: error: [{number}] cites no citation: this check has 4, numbered 1 to 4"
        f" in the order they are listed; write a number from 1 to 4, or add the citation (or write \\[{number}] to show the"
        " brackets as text)"
    ]


def test_a_link_written_with_a_number_stays_a_link(tmp_path):
    analysis = "  See [1](https://example.org/one) and [2].\n\n  [2]: https://example.org/two\n"
    site = signoff_site(tmp_path, **{"steel-contract": CONTRACT.split("analysis: |\n")[0] + "analysis: |\n" + analysis})
    page = html_page(build_site(site), "claims/steel-contract/index.html").find("section", class_="analysis")
    assert [a.attrs["href"] for a in page.find_all("a")] == ["https://example.org/one", "https://example.org/two"]


# -- one grouped list of sources ----------------------------------------------------------------


def test_each_source_is_listed_once_with_its_outlet_addresses_and_passages(out):
    sources = html_page(out, "claims/steel-contract/index.html").find("section", class_="citations")
    groups = sources.find_all("li", class_="source-group")
    assert [g.find("h3").text for g in groups] == ["Russia denies reports on steel mill", "Talks on a joint working group", "Ministry statement"]
    denial, tribune, ministry = groups
    assert [li.attrs["id"] for li in denial.find_all("li", class_="citation")] == ["citation-1", "citation-3"]
    assert "Wire Service (Staff), 30 May 2025" in denial.text
    hrefs = [a.attrs["href"] for a in denial.find_all("a")]
    assert "https://news.example.com/story" in hrefs
    assert "https://web.archive.org/web/2025/https://news.example.com/story" in hrefs
    assert "Original: not recorded" in tribune.text and "Archived copy: not recorded" in tribune.text
    assert [li.attrs["id"] for li in ministry.find_all("li", class_="citation")] == ["citation-4"]


def test_a_source_page_marks_the_passages_quoted_and_each_citation_links_to_its_mark(out):
    claim_page = html_page(out, "claims/steel-contract/index.html")
    links = [a.attrs["href"] for a in claim_page.find("li", id="citation-3").find_all("a")]
    assert "/desk/sources/moscow-denial/#passage-steel-contract-3" in links
    text = html_page(out, "sources/moscow-denial/index.html").find("section", class_="article-text")
    marks = {m.attrs.get("id"): m.text for m in text.find_all("mark") if m.attrs.get("id")}
    assert marks == {
        "passage-steel-contract-1": "Sources in Moscow admitted negotiations",
        "passage-steel-contract-3": "slammed reports of a contract",
    }
    assert "Moscow, May 30 Russia on Friday rubbished" in text.text  # the rest of the text is there


def test_overlapping_passages_each_keep_an_id(tmp_path):
    narrower = TALKS.replace("quote: Talks will continue in July.", "quote: will continue")
    site = signoff_site(tmp_path, **{"wider": TALKS, "narrower": narrower})
    text = html_page(build_site(site), "sources/tribune/index.html").find("section", class_="article-text")
    ids = {e.attrs["id"]: e.text for e in text.iter() if "id" in e.attrs and e.tag == "mark"}
    assert ids == {"passage-wider-1": "Talks", "passage-narrower-1": "will continue"}
    assert [m.text for m in text.find_all("mark")][1:] == ["Talks", "will continue", "in July."]  # after the note


def test_a_source_page_shows_no_rating_chart_and_says_whose_ratings_it_lists(out):
    page = html_page(out, "sources/moscow-denial/index.html")
    assert page.find_all("svg") == []
    quoted = page.find("section", **{"aria-labelledby": "quoted-heading"})
    assert "1 check quotes this article. Its rating is of the claim it checks, not of this article." in quoted.text
    assert "a claim by Media reports, rated False" in quoted.text


# -- the first screen on a phone ----------------------------------------------------------------


def test_the_menu_is_a_disclosure_without_script(out):
    header = html_page(out, "claims/steel-contract/index.html").find("header", class_="site-header")
    menu = header.find("details", class_="menu")
    assert menu.find("summary").text == "Menu" and "open" not in menu.attrs
    assert "/desk/claims/" in [a.attrs["href"] for a in menu.find("nav").find_all("a")]




@pytest.fixture(scope="module")
def example_served():
    from screenshots import served_site

    with served_site(EXAMPLE_DESK) as (base, site_out):
        yield base, site_out


@needs_browser
def test_search_results_show_a_check_as_the_listings_do(tmp_path, browser):
    from factdesk import search
    from screenshots import build, serve

    if search.executable() is None:
        pytest.skip("Pagefind is not installed (pip install 'pagefind[bin]')")
    root = tmp_path / "root"
    with serve(root) as port:
        base = f"http://127.0.0.1:{port}/desk/"
        build(signoff_site(tmp_path), root / "desk", base)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            page.goto(base + "search/?q=steel-mill", wait_until="load")
            page.wait_for_function("() => document.getElementById('search-results').dataset.query === 'q=steel-mill'", timeout=15_000)
            shown = page.eval_on_selector("#search-results li", """li => [...li.children].map(e =>
                [e.classList.contains('verdict') ? 'rating' : e.tagName === 'H3' ? 'headline' : e.className, e.textContent])""")
        finally:
            context.close()
    assert shown[:5] == [
        ["rating", "False"],
        ["card-claim", "Russia and Pakistan signed a steel-mill contract."],
        ["claim-meta", "Claim by Media reports, 14 May 2025"],
        ["headline", "No steel-mill contract was signed"],
        ["check-meta", "Check published 2 June 2025"],
    ]


@needs_browser
@pytest.mark.parametrize("scripts", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_rating_is_on_the_first_screen_of_every_claim_page(example_served, browser, scripts):
    base, site_out = example_served
    slugs = sorted(p.parent.name for p in (site_out / "claims").glob("*/index.html"))
    assert len(slugs) >= 5
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=scripts)
    try:
        page = context.new_page()
        for slug in slugs:
            page.goto(base + f"claims/{slug}/", wait_until="load")
            verdict = page.locator(".ruling-verdict .verdict").bounding_box()
            assert verdict["y"] + verdict["height"] <= 844, f"{slug}: the rating ends {verdict['y'] + verdict['height']:.0f} px down"
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, slug
            assert not page.is_visible("header nav >> text=All checks"), slug  # the menu is closed
        page.click("header summary")
        page.click("header nav >> text=All checks")
        page.wait_for_url(base + "claims/")
    finally:
        context.close()


@needs_browser
def test_on_a_desktop_the_menu_shows_open(example_served, browser):
    base, _ = example_served
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "claims/multibillion-dollar-steel-contract/", wait_until="load")
        assert not page.is_visible("header summary")
        page.click("header nav >> text=Ratings")
        page.wait_for_url(base + "verdicts/")
    finally:
        context.close()
