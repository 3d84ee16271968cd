"""schema.org data: a ClaimReview per check, and the DataFeed of them all.

Google documents ClaimReview at developers.google.com/search/docs/appearance/
structured-data/factcheck; Data Commons publishes fact-checks as a DataFeed.
Every value here is also shown on the claim's page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .independence import Families
from .model import Appearance, Claim, SiteConfig
from .urls import Urls


def publisher(config: SiteConfig, urls: Urls) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": config.publisher.name, "url": config.publisher.url}
    logo = config.publisher.logo
    if logo:
        org["logo"] = logo if logo.startswith(("http://", "https://")) else urls.absolute(logo.lstrip("/"))
    return org


def _appearance(appearance: Appearance, urls: Urls) -> dict[str, Any] | str:
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


def _first_appearance(claim: Claim) -> Appearance | None:
    dated = [a for a in claim.appeared_in if a.article]
    if dated:
        return min(dated, key=lambda a: a.article.published_key)
    return claim.appeared_in[0] if claim.appeared_in else None


def claim_review(claim: Claim, config: SiteConfig, urls: Urls) -> dict[str, Any]:
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
        item["appearance"] = [_appearance(a, urls) for a in claim.appeared_in]
        item["firstAppearance"] = _appearance(_first_appearance(claim), urls)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.absolute(urls.claim(claim)),
        "headline": claim.title,
        "claimReviewed": claim.claim,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": publisher(config, urls),
        "datePublished": claim.published.isoformat(),
        "dateModified": claim.modified.isoformat(),
        "inLanguage": config.language,
    }
    if claim.author:
        review["creator"] = {"@type": "Person", "name": claim.author}
    return review


def data_feed(config: SiteConfig, families: Families, claims: tuple[Claim, ...], modified: dt.date | None) -> bytes:
    """claims.json: every ClaimReview of the site (`claims` in slug order) as Data Commons
    publishes fact-checks; `modified`: the latest date any check changed."""
    urls = Urls(config.base_url)
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
    entries = ",".join(feed_entry(c, config, families.sources_data([a.id for a in c.cited_articles])) for c in claims)
    return f'{head}"dataFeedElement":[{entries}]{tail}\n'.encode("utf-8")


def feed_entry(claim: Claim, config: SiteConfig, sources: dict[str, Any]) -> str:
    """A check's entry in claims.json, as JSON."""
    return _compact(
        {
            "@type": "DataFeedItem",
            "dateCreated": claim.published.isoformat(),
            "dateModified": claim.modified.isoformat(),
            "item": [{k: v for k, v in claim_review(claim, config, Urls(config.base_url)).items() if k != "@context"}],
            # not schema.org: the independent sources the check rests on
            "sources": sources,
        }
    )


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no text can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: json's fast encoder
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
