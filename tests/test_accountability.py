"""Who checked what, what changed, and what the counts rest on (issue 23, part B).

People named in site.yaml and by id in checks, with their pages; verdict changes as events
(timeline, corrections log and its feed, JSON-LD); a page's last-updated date; sources
counted once per outlet and declared origin; the one-source warning and its acknowledgement;
partial dates placed one way everywhere; where a claim appeared apart from where it was
reported. On small sites made here, and on the example desk.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import EXAMPLE_DESK, SITE_YAML, article, build_site, loaded_site, make_site, problems

ATOM = "{http://www.w3.org/2005/Atom}"
PEOPLE = SITE_YAML + """\
people:
  - id: amina-rahman
    name: Amina Rahman
    role: Fact-checker
  - id: omar-sheikh
    name: Omar Sheikh
    role: Editor
"""


def check(extra: str = "", verdict: str = '"false"', citations: str = "") -> str:
    """A check quoting the default article (and `citations`), with `extra` keys."""
    return (
        "claim: A steel-mill contract was signed.\n"
        "claimant: Media reports\n"
        f"verdict: {verdict}\n"
        "summary: No contract is on record.\n"
        "published: 2025-06-02\n"
        f"{extra}"
        "citations:\n"
        "  - article: moscow-denial\n"
        "    quote: Sources in Moscow admitted negotiations\n"
        f"{citations}"
        "analysis: |\n"
        "  The record shows talks.\n"
    )


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S).group(1))


# -- people ---------------------------------------------------------------------------


def test_checks_name_people_by_id_with_pages_byline_and_json_ld(tmp_path):
    site = make_site(tmp_path, site_yaml=PEOPLE, claims={"contract": check("author: amina-rahman\nreviewed_by: omar-sheikh\n")})
    out = build_site(site)
    page = (out / "claims" / "contract" / "index.html").read_text(encoding="utf-8")
    byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)
    assert '<a href="/people/amina-rahman/">Amina Rahman</a>' in byline
    assert 'Reviewed by <a href="/people/omar-sheikh/">Omar Sheikh</a>' in byline
    assert "Test Desk Org" not in byline
    review = json_ld(page)
    assert review["author"] == {"@type": "Person", "name": "Amina Rahman", "url": "https://example.org/people/amina-rahman/"}
    assert review["editor"]["name"] == "Omar Sheikh"
    assert review["publisher"]["name"] == "Test Desk Org"
    amina = text_of((out / "people" / "amina-rahman" / "index.html").read_text(encoding="utf-8"))
    assert "Amina Rahman" in amina and "1 check written, 0 reviewed" in amina and "A steel-mill contract was signed." in amina
    omar = text_of((out / "people" / "omar-sheikh" / "index.html").read_text(encoding="utf-8"))
    assert "0 checks written, 1 reviewed" in omar and "Checks reviewed" in omar
    listing = text_of((out / "people" / "index.html").read_text(encoding="utf-8"))
    assert "Amina Rahman , Fact-checker 1 check" in listing


def test_an_unknown_person_is_an_error_suggesting_only_this_sites_ids(tmp_path):
    site = make_site(tmp_path, site_yaml=PEOPLE, claims={"contract": check("author: amina-rahmen\nreviewed_by: Jane Doe\n")})
    found = problems(site)
    assert found == [
        "content/claims/contract.yaml:6:9: error: 'amina-rahmen' is not one of the people in site.yaml; did you mean"
        " 'amina-rahman'? The ids are: amina-rahman, omar-sheikh",
        "content/claims/contract.yaml:7:14: error: 'Jane Doe' is not one of the people in site.yaml; the ids are:"
        " amina-rahman, omar-sheikh",
    ]


def test_without_people_an_author_is_a_name_and_the_byline_says_it(tmp_path):
    site = make_site(tmp_path, claims={"contract": check("author: Desk team\n")})
    out = build_site(site)
    page = (out / "claims" / "contract" / "index.html").read_text(encoding="utf-8")
    assert "By Desk team" in text_of(page) and 'href="/people/' not in page
    assert json_ld(page)["author"] == {"@type": "Person", "name": "Desk team"}
    assert not (out / "people").exists()


def test_a_person_id_used_twice_is_an_error(tmp_path):
    doubled = PEOPLE + "  - id: omar-sheikh\n    name: Someone Else\n"
    assert "site.yaml:13:5: error: the person id 'omar-sheikh' is used twice; ids must differ" in problems(make_site(tmp_path, site_yaml=doubled))


# -- verdict changes and the corrections log ------------------------------------------

CHANGED = check(
    "updates:\n"
    "  - date: 2025-06-06\n"
    "    note: We had overstated the denial.\n"
    "    verdict_change: {from: \"false\", to: unproven}\n"
    "  - date: 2025-07-12\n"
    "    note: Added a later report.\n",
    verdict="unproven",
)
OTHER = check("updates:\n  - date: 2025-06-20\n    note: Fixed a typo in a name.\n").replace("A steel-mill contract", "A mill")


def test_a_verdict_change_is_its_own_event_and_the_check_was_first_published_with_the_old_rating(tmp_path):
    out = build_site(make_site(tmp_path, claims={"contract": CHANGED}))
    page = (out / "claims" / "contract" / "index.html").read_text(encoding="utf-8")
    timeline = text_of(section(page, "timeline-heading"))
    assert "2 June 2025 We publish this check, rated False" in timeline
    assert "6 June 2025 We change the rating from False to Unproven: We had overstated the denial." in timeline
    assert "Update: Added a later report." in timeline
    assert "rated Unproven" not in timeline  # never today's verdict on the first event
    assert 'id="update-1"' in page and "Rating changed from False to Unproven." in text_of(section(page, "updates-heading"))
    corrections = json_ld(page)["correction"]
    assert corrections[0] == {"@type": "CorrectionComment", "datePublished": "2025-06-06",
                              "text": "Rating changed from False to Unproven. We had overstated the denial."}
    assert json_ld(page)["dateModified"] == "2025-07-12"


def test_the_sites_feed_says_a_checks_rating_changed(tmp_path):
    out = build_site(make_site(tmp_path, claims={"contract": CHANGED, "mill": OTHER}))
    feed = ET.parse(out / "feed.xml").getroot()
    summaries = {e.find(f"{ATOM}id").text: e.find(f"{ATOM}summary").text for e in feed.iter(f"{ATOM}entry")}
    assert summaries["https://example.org/claims/contract/"].endswith(" Rating changed from False to Unproven.")
    assert "Rating changed" not in summaries["https://example.org/claims/mill/"]


def test_the_corrections_log_and_its_feed_list_every_update_newest_first(tmp_path):
    out = build_site(make_site(tmp_path, claims={"contract": CHANGED, "mill": OTHER}))
    log = (out / "corrections" / "log" / "index.html").read_text(encoding="utf-8")
    entries = [text_of(e) for e in log.split('<li class="correction')[1:]]
    assert [e.split(" · ")[0].split("> ")[-1] for e in entries] == ["12 July 2025", "20 June 2025", "6 June 2025"]
    assert "Rating changed from False to Unproven" in entries[2] and "We had overstated the denial." in entries[2]
    assert 'href="/claims/contract/#update-1"' in log and 'href="/corrections.xml"' in log
    feed = ET.parse(out / "corrections.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert titles == [
        "Update: A steel-mill contract was signed.",
        "Update: A mill was signed.",
        "Rating changed from False to Unproven: A steel-mill contract was signed.",
    ]
    ids = [e.find(f"{ATOM}id").text for e in feed.iter(f"{ATOM}entry")]
    assert ids[2] == "https://example.org/claims/contract/#update-1" and len(set(ids)) == 3
    assert feed.find(f"{ATOM}updated").text == "2025-07-12T00:00:00Z"


@pytest.mark.parametrize(
    "updates, message",
    [
        ("  - date: 2025-06-06\n    note: x\n    verdict_change: {from: \"false\", to: unproven}\n",
         "9:41: error: the last verdict change leaves 'unproven', but the check's verdict is 'false'; make them the same"),
        ("  - date: 2025-06-06\n    note: x\n    verdict_change: {from: flase, to: \"false\"}\n",
         "9:28: error: 'flase' is not on the site's rating scale; did you mean 'false'? The scale: true, mostly-true,"
         " misleading, mostly-false, false, unproven"),
        ("  - date: 2025-06-06\n    note: x\n    verdict_change: {from: unproven, to: misleading}\n"
         "  - date: 2025-06-07\n    note: y\n    verdict_change: {from: unproven, to: \"false\"}\n",
         "12:28: error: the verdict was 'misleading' after the update before this one, not 'unproven'; write from: misleading"),
    ],
)
def test_verdict_changes_are_checked_against_the_scale_and_each_other(tmp_path, updates, message):
    site = make_site(tmp_path, claims={"contract": check("updates:\n" + updates)})
    assert f"content/claims/contract.yaml:{message}" in problems(site)


# -- pages --------------------------------------------------------------------------------


def test_a_page_shows_when_it_was_last_updated(tmp_path):
    page = "---\ntitle: Methodology\nupdated: 2025-07-16\n---\nHow we check.\n"
    out = build_site(make_site(tmp_path, pages={"methodology": page}))
    html = (out / "methodology" / "index.html").read_text(encoding="utf-8")
    assert 'Last updated <time datetime="2025-07-16">16 July 2025</time>' in html
    assert "<loc>https://example.org/methodology/</loc><lastmod>2025-07-16</lastmod>" in (out / "sitemap.xml").read_text()


# -- independence by outlet and origin; the one-source warning ------------------------------


def outlet_article(publisher: str, body: str, origin: str = "") -> str:
    return f"---\ntitle: Report\npublisher: {publisher}\npublished: 2025-05-30\n{origin}---\n{body}\n"


def sources_site(tmp_path, articles: dict[str, str], extra: str = "", site_yaml: str = SITE_YAML) -> Path:
    citations = "".join(f"  - article: {a}\n    quote: {q}\n" for a, q in (("second", "Officials met on Monday"),))
    return make_site(tmp_path, site_yaml=site_yaml, articles={"moscow-denial": article(), **articles},
                     claims={"contract": check(extra, citations=citations)})


def sentence(out: Path) -> str:
    return re.search(r'<p class="independence">(.*?)</p>', (out / "claims/contract/index.html").read_text(encoding="utf-8")).group(1)


def test_two_articles_from_one_outlet_count_once(tmp_path):
    site = sources_site(tmp_path, {"second": outlet_article("Wire Service", "Officials met on Monday to discuss the mill.")})
    assert sentence(build_site(site)) == "2 articles, 1 independent source: 2 are from one outlet, Wire Service."
    assert problems(site) == [
        "content/claims/contract.yaml:7:3: warning: all 2 cited articles are one source (2 are from one outlet, Wire"
        " Service); cite an independent source as well, or say in single_source why one is enough"
    ]


def test_articles_declaring_one_origin_count_once_and_unknown_outlets_stay_apart(tmp_path):
    origin = "origin: ministry-statement\n"
    site = sources_site(tmp_path, {
        "second": outlet_article("Other Daily", "Officials met on Monday to discuss the mill.", origin),
        "moscow-denial": article(extra=origin),
    })
    assert sentence(build_site(site)) == "2 articles, 1 independent source: Other Daily and Wire Service relay one origin, ministry statement."
    unknown = sources_site(tmp_path / "b", {"second": outlet_article("Unidentified news site", "Officials met on Monday.")},
                           site_yaml=SITE_YAML)
    (unknown / "content/articles/moscow-denial.txt").write_text(article().replace("Wire Service", "Unidentified news site"))
    assert sentence(build_site(unknown)) == "2 articles, 2 independent sources."


def test_one_source_warns_where_the_site_asks_for_two_unless_the_check_says_why(tmp_path):
    two = SITE_YAML + "min_sources: 2\n"
    site = make_site(tmp_path, site_yaml=two, claims={"contract": check()})
    assert problems(site) == [
        "content/claims/contract.yaml:7:3: warning: the check rests on one article (Wire Service); cite an independent"
        " source as well, or say in single_source why one is enough"
    ]
    acknowledged = make_site(tmp_path / "b", site_yaml=two, claims={"contract": check("single_source: The ministry's own record is the evidence.\n")})
    assert problems(acknowledged) == []
    out = build_site(acknowledged)
    assert sentence(out) == "1 article, 1 source. Why one source is enough here: The ministry&#39;s own record is the evidence."
    unproven = make_site(tmp_path / "c", site_yaml=two, claims={"contract": check(verdict="unproven")})
    assert problems(unproven) == []  # an unrated verdict needs no second source
    assert problems(make_site(tmp_path / "d", claims={"contract": check()})) == []  # the default asks for one


def test_an_acknowledgement_that_no_longer_applies_is_a_warning(tmp_path):
    other = {"second": outlet_article("Other Daily", "Officials met on Monday to discuss the mill.")}
    site = sources_site(tmp_path, other, extra="single_source: Only one report exists.\n", site_yaml=SITE_YAML + "min_sources: 2\n")
    assert problems(site) == [
        "content/claims/contract.yaml:6:16: warning: single_source is set, but the check rests on 2 independent sources; remove it"
    ]


# -- partial dates ----------------------------------------------------------------------------


def dated(published: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: Story {published}\npublisher: Outlet {published}\npublished: {published}\n{extra}---\n{body}\n"


def test_partial_dates_sort_after_the_full_dates_they_could_be_everywhere(tmp_path):
    articles = {
        "may-30": dated("2025-05-30", "Officials met on Monday to discuss the mill."),
        "in-may": dated("2025-05", "Officials met on Monday to discuss the mill in May."),
        "before-june": dated("2025", "Officials met on Monday, it was announced.", "published_before: 2025-06-02\n"),
    }
    claim = (check().replace("published: 2025-06-02", "published: 2025-06-10")
             .replace("  - article: moscow-denial\n    quote: Sources in Moscow admitted negotiations\n",
                      "".join(f"  - article: {a}\n    quote: Officials met on Monday\n" for a in articles))
             + "appeared_in: [before-june, in-may, may-30]\n")
    site = make_site(tmp_path, articles=articles, claims={"contract": claim})
    claim_model = loaded_site(site).claims[0]
    assert [a.article.id for a in claim_model.appeared_in] == ["may-30", "in-may", "before-june"]
    out = build_site(site)
    page = (out / "claims/contract/index.html").read_text(encoding="utf-8")
    timeline = text_of(section(page, "timeline-heading"))
    assert timeline.index("Outlet 2025-05-30") < timeline.index("Outlet 2025-05 ") < timeline.index("Outlet 2025 ")
    assert timeline.index("Outlet 2025 ") < timeline.index("We publish this check")  # never after the check citing it
    assert "May 2025 (day not known)" in timeline
    assert json_ld(page)["itemReviewed"]["firstAppearance"]["headline"] == "Story 2025-05-30"
    listed = text_of((out / "sources/index.html").read_text(encoding="utf-8"))
    assert listed.index("Story 2025 ") < listed.index("Story 2025-05 ") < listed.index("Story 2025-05-30")  # newest first


def test_an_undated_rewrite_never_precedes_the_report_it_credits(example_site):
    site = example_site
    keys = {a: site.article_key(site.articles[a]) for a in site.articles}
    rewrite, wire = "unidentified-rewrite-russia-rejects-reports", "sakshi-russia-rubbishes-fake-reports"
    assert keys[rewrite] > keys[wire]
    ians = next(c for c in site.claims if c.slug == "ians-russia-rubbished-reports-of-ties")
    assert ians.appeared_in[0].article.id == wire  # firstAppearance is the wire story, not the rewrite


def test_published_before_only_qualifies_a_partial_date(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": article(extra="published_before: 2025-07-05\n")})
    assert "content/articles/moscow-denial.txt:6:19: error: published_before is for a date known only to the month or year;" \
           " the full date is given, so remove it" in problems(site)


# -- the example ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_site():
    from factdesk.validation import load_site

    loaded = load_site(EXAMPLE_DESK)
    assert loaded.site is not None and loaded.problems == [], [str(p) for p in loaded.problems]
    return loaded.site


def test_the_example_names_an_author_and_a_reviewer_on_every_check(example_site):
    for claim in example_site.claims:
        assert claim.author and claim.author.id and claim.reviewed_by and claim.reviewed_by.id
        assert claim.author != claim.reviewed_by, claim.slug


def test_the_example_does_not_credit_a_claim_to_outlets_that_reported_its_denial(example_site):
    contract = example_site.by_slug["multibillion-dollar-steel-contract"]
    assert contract.appeared_in == () and len(contract.reported_in) == 3
    assert contract.verdict.id == "unproven"  # no seed makes the claim; an anonymous denial does not disprove it
    assert [(u.verdict_before.id, u.verdict_after.id) for u in contract.updates if u.changes_verdict] == [("false", "unproven")]
    assert contract.first_verdict.id == "false"


def test_the_example_counts_agree_with_its_analyses(example_site):
    for claim in example_site.claims:
        sentence = example_site.sources_sentence(claim)
        count = int(re.search(r"(\d+) independent source", sentence).group(1)) if "independent" in sentence else 1
        analysis = text_of(claim.analysis_html)
        if "not two independent" in analysis or "count as one source" in analysis:
            assert count == 1 or "2 are from one outlet" in sentence, claim.slug
        if count == 1 and claim.verdict.scored:
            assert claim.single_source, claim.slug


def test_the_example_has_a_dated_methodology_and_a_corrections_log(example_site):
    pages = {p.slug: p for p in example_site.pages}
    assert pages["methodology"].updated is not None
    assert [c.date.isoformat() for c in example_site.corrections][-1] == "2025-06-06"
    assert "12 May" in example_site.by_slug["may-13-meeting-denis-nazaroof"].summary

