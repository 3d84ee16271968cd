"""What the web editor writes is what the build reads.

The files below are byte for byte what Sveltia CMS 0.221.1 wrote, with the configuration
factdesk/cms.py generates, when a check, an archived article and a page were filled in and
saved in Chromium (tests/test_cms_browser.py drives the same form): block scalars for
multi-line text, dates as the date picker stores them, a month-only date typed for an
article, lists one item a line, `type:` naming each citation's kind, the body after the front
matter, and empty optional fields left out. `check` and `build` must take them as they are.
"""

from __future__ import annotations

import pytest

from conftest import ARTICLE, ARTICLE_ID, build_site, html_page, loaded_site, make_site, problems, run

# a new check as the CMS creates it: a draft, dated the day it was started
NEW_CHECK = """\
claim: Russia and Pakistan signed a steel-mill contract in May 2025.
claimant: Posts on social media
claim_date: 2025-05-30
verdict: 'false'
summary: |-
  No contract was signed.
  Russia denied it: the talks were about a plan.
published: 2025-06-02
draft: true
tags:
  - steel mills
citations:
  - type: article
    article: moscow-denial
    quote: Sources in Moscow admitted negotiations
    note: Moscow's denial, on the day.
analysis: |-
  Russia denied the reports on May 30.

  No contract has been published: the record shows talks.
"""

# the same check once an editor has switched Draft off, added a link, an update and a second
# topic, and the CMS has saved it again
PUBLISHED_CHECK = """\
claim: Russia and Pakistan signed a steel-mill contract in May 2025.
claimant: Posts on social media
claim_date: 2025-05-30
appeared_in:
  - https://example.org/post
verdict: 'false'
headline: 'No steel-mill contract: Moscow denied it'
summary: |-
  No contract was signed.
  Russia denied it: the talks were about a plan.
published: 2025-06-02
draft: false
tags:
  - steel mills
  - russia
updates:
  - date: 2025-06-10
    note: |-
      Added the ministry's statement.
      It confirms the talks.
citations:
  - type: article
    article: moscow-denial
    quote: Sources in Moscow admitted negotiations
    note: Moscow's denial, on the day.
  - type: url
    url: https://ministry.example.gov/statement
    title: Ministry of Industries statement
  - type: article
    article: dawn-steel-talks-no-deal-yet-says-ministry
    quote: no deal was signed
analysis: |-
  Russia denied the reports on May 30.

  No contract has been published: the record shows talks.
"""

# an article as the CMS writes it: its date typed to the month, its text after a blank line
CMS_ARTICLE = """\
---
title: 'Steel talks: no deal yet, says ministry'
publisher: Dawn
published: 2025-06
url: https://www.dawn.com/news/1
---

ISLAMABAD: The ministry said on Monday that no deal was signed.

Talks will continue in July.
"""

CMS_PAGE = """\
---
title: Contact us
nav: true
---

Write to the desk.
"""

NEW_SLUG = "russia-and-pakistan-signed-a-steel-mill-contract-in-may-2025"
ARTICLE_SLUG = "dawn-steel-talks-no-deal-yet-says-ministry"


@pytest.fixture
def cms_site(tmp_path):
    return make_site(
        tmp_path,
        articles={ARTICLE_ID: ARTICLE, ARTICLE_SLUG: CMS_ARTICLE},
        claims={NEW_SLUG: NEW_CHECK, "published-check": PUBLISHED_CHECK},
        pages={"contact-us": CMS_PAGE},
    )


def test_check_accepts_what_the_cms_writes(cms_site):
    assert problems(cms_site) == []
    result = run("check", "--site", cms_site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_build_reads_every_value_as_the_editor_gave_it(cms_site):
    site = loaded_site(cms_site, include_drafts=True)
    claims = {c.slug: c for c in site.claims}
    new, published = claims[NEW_SLUG], claims["published-check"]
    assert new.draft is True and published.draft is False
    assert new.verdict.id == "false"
    assert str(new.published) == "2025-06-02" and str(new.claim_date) == "2025-05-30"
    assert "Russia denied it: the talks were about a plan." in new.summary
    assert [c.url or c.article.id for c in published.citations] == [
        ARTICLE_ID, "https://ministry.example.gov/statement", ARTICLE_SLUG]
    assert len(published.updates) == 1 and str(published.updates[0].date) == "2025-06-10"
    article = site.articles[ARTICLE_SLUG]
    assert article.published.isoformat() == "2025-06"  # a month alone stays a month
    assert article.text.startswith("ISLAMABAD: The ministry said")
    (page,) = [p for p in site.pages if p.slug == "contact-us"]
    assert page.nav is True


def test_build_publishes_the_check_and_leaves_the_draft_out(cms_site, tmp_path):
    out = build_site(cms_site, tmp_path / "out")
    claim = html_page(out, "claims/published-check/index.html").text
    assert "no deal was signed" in claim and "Ministry of Industries statement" in claim
    assert not (out / "claims" / NEW_SLUG).exists()  # a new check is a draft until an editor says otherwise
    assert (out / "contact-us" / "index.html").is_file()


def test_a_type_that_contradicts_the_citations_keys_is_an_error_with_the_fix(tmp_path):
    wrong = NEW_CHECK.replace("  - type: article\n", "  - type: url\n")
    site = make_site(tmp_path, claims={"steel": wrong})
    assert problems(site) == [
        "content/claims/steel.yaml:13:11: error: 'type' names the kind of a citation; write 'type: article', or remove the line"]
