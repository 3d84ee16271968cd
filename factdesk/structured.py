"""schema.org data: a ClaimReview per check, and the DataFeed of them all.

Google documents ClaimReview at developers.google.com/search/docs/appearance/
structured-data/factcheck; Data Commons publishes fact-checks as a DataFeed.
Every value here is also shown on the claim's page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NamedTuple

from .independence import Families
from .model import Appearance, Claim, Person, SiteConfig, Update
from .urls import Urls


class _Outlet(NamedTuple):
    publisher: str
    origin: str | None


def publisher(config: SiteConfig, urls: Urls) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": config.publisher.name, "url": config.publisher.url}
    logo = config.publisher.logo
    if logo:
        org["logo"] = logo if logo.startswith(("http://", "https://")) else urls.absolute(logo.lstrip("/"))
    return org


def _appearance(appearance: Appearance) -> dict[str, Any] | str:
    if appearance.url:
        return appearance.url
    article = appearance.article
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": article.title,
        "publisher": {"@type": "Organization", "name": article.publisher},
        "datePublished": article.published.isoformat(),
    }
    if article.author:
        work["author"] = {"@type": "Organization", "name": article.author}
    if article.url:
        work["url"] = article.url
    return work


def person(who: Person, urls: Urls) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Person", "name": who.name}
    if who.id:
        found["url"] = urls.absolute(urls.person(who.id))
    return found


def update_text(update: Update) -> str:
    """An update as one sentence or two, naming a change of rating."""
    if update.changes_verdict:
        return f"Rating changed from {update.verdict_before.label} to {update.verdict_after.label}. {update.note}"
    return update.note


def claim_review(claim: Claim, config: SiteConfig) -> dict[str, Any]:
    language = claim.language or config.language
    urls = Urls.of(config, language)  # the check's page and its people's pages are in its language's folder
    verdict = claim.verdict
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label, "ratingExplanation": claim.summary}
    if verdict.scored:
        rating.update(
            ratingValue=verdict.rating,
            bestRating=max(v.rating for v in config.verdicts if v.scored),
            worstRating=1,
        )
    item: dict[str, Any] = {"@type": "Claim", "author": {"@type": "Organization", "name": claim.claimant}}
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    if claim.appeared_in:
        item["appearance"] = [_appearance(a) for a in claim.appeared_in]
        # validation puts appearances in date order, partial dates placed as everywhere else
        item["firstAppearance"] = _appearance(claim.appeared_in[0])
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.absolute(urls.claim(claim)),
        "headline": claim.title,
        "claimReviewed": claim.claim,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": person(claim.author, urls) if claim.author else publisher(config, urls),
        "publisher": publisher(config, urls),
        "datePublished": claim.published.isoformat(),
        "dateModified": claim.modified.isoformat(),
        "inLanguage": language,
    }
    if claim.reviewed_by:
        review["editor"] = person(claim.reviewed_by, urls)  # schema.org has no reviewer of a CreativeWork
    if claim.updates:
        # ClaimReview keeps no rating history: each update, a change of rating named in its text,
        # is a CorrectionComment, the CreativeWork's `correction`
        review["correction"] = [
            {"@type": "CorrectionComment", "datePublished": u.date.isoformat(), "text": update_text(u)} for u in claim.updates
        ]
    return review


def data_feed(config: SiteConfig, families: Families, claims: tuple[Claim, ...], modified: dt.date | None,
              outlets: tuple[tuple[str, str, str | None], ...] = ()) -> bytes:
    """claims.json: every ClaimReview of the site (`claims` in slug order) as Data Commons
    publishes fact-checks; `modified`: the latest date any check changed; `outlets`: each
    article's (id, publisher, origin), which count once."""
    by_id = {article_id: _Outlet(publisher, origin) for article_id, publisher, origin in outlets}
    urls = Urls.of(config, config.language)
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": config.title,
        "url": urls.absolute("claims.json"),
        "publisher": publisher(config, urls),
        "dataFeedElement": [],
    }
    if modified:
        feed["dateModified"] = modified.isoformat()
    feed["articleFamilies"] = families.as_data()  # not schema.org: copies and rewrites
    head, tail = _compact(feed).split('"dataFeedElement":[]', 1)
    entries = ",".join(feed_entry(c, config, families.sources_data([a.id for a in c.cited_articles], by_id)) for c in claims)
    return f'{head}"dataFeedElement":[{entries}]{tail}\n'.encode("utf-8")


def feed_entry(claim: Claim, config: SiteConfig, sources: dict[str, Any]) -> str:
    """A check's entry in claims.json, as JSON."""
    return _compact(
        {
            "@type": "DataFeedItem",
            "dateCreated": claim.published.isoformat(),
            "dateModified": claim.modified.isoformat(),
            "item": [{k: v for k, v in claim_review(claim, config).items() if k != "@context"}],
            # not schema.org: the independent sources the check rests on
            "sources": sources,
        }
    )


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: json's fast encoder


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no text can close the element or open a comment."""
    return _compact(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
