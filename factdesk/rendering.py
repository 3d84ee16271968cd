"""Turning the model into pages: Jinja2 templates, autoescaped, one base layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import jinja2

from .fields import PartialDate
from .model import Site
from .structured import claim_review, script_json
from .urls import Urls, output_file

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOME_LIMIT = 20  # newest checks on the home page; the archive lists them all
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def format_date(value: dt.date | PartialDate | None) -> str:
    """30 May 2025; a partial date as May 2025 or 2025."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        if value.day:
            value = dt.date(value.year, value.month, value.day)
        elif value.month:
            return f"{MONTHS[value.month - 1]} {value.year}"
        else:
            return str(value.year)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def share_query(value: str) -> str:
    """Text for a share link's query string: every reserved character encoded."""
    return quote(value, safe="")


def environment(site_dir: Path) -> jinja2.Environment:
    """Templates from the site's templates/ first, then the project's own."""
    folders = [site_dir / "templates", PROJECT_DIR / "templates"]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["share"] = share_query
    return env


def render_pages(site: Site, env: jinja2.Environment) -> dict[str, str]:
    """Every HTML page of the site, by output file."""
    urls = Urls(site.config.base_url)
    env.globals.update(site=site, config=site.config, url=urls)
    pages: dict[str, str] = {}

    def page(relative: str, template: str, **context) -> None:
        pages[output_file(relative)] = env.get_template(template).render(
            canonical=urls.absolute(relative), **context
        )

    verdict_counts = [(v, len(site.claims_with_verdict(v))) for v in site.config.verdicts]
    page("", "index.html", claims=site.claims[:HOME_LIMIT], verdict_counts=verdict_counts)
    page("claims/", "claims.html", claims=site.claims)
    for claim in site.claims:
        review = script_json(claim_review(claim, site, urls))
        page(urls.claim(claim), "claim.html", claim=claim, claim_review=review)
    page("verdicts/", "verdicts.html", verdict_counts=verdict_counts)
    for verdict in site.config.verdicts:
        page(urls.verdict(verdict), "verdict.html", verdict=verdict, claims=site.claims_with_verdict(verdict))
    tags = site.tags
    page("tags/", "tags.html", tags=tags)
    for tag, claims in tags.items():
        page(urls.tag(tag), "tag.html", tag=tag, claims=claims)
    articles = sorted(site.articles.values(), key=lambda a: (a.published_key, a.id), reverse=True)
    page("sources/", "sources.html", articles=articles)
    for article in articles:
        citing = site.claims_citing(article)
        quotes = [
            (claim, citation)
            for claim in citing
            for citation in claim.citations
            if citation.article is not None and citation.article.id == article.id
        ]
        page(urls.source(article), "source.html", article=article, claims=citing, quotes=quotes)
    for content_page in site.pages:
        page(urls.page(content_page), "page.html", page=content_page)
    pages["404.html"] = env.get_template("404.html").render(canonical=None)
    return pages
