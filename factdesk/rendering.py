"""Turning the model into pages: Jinja2 templates, autoescaped, one base layout."""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2

from .caching import digest
from .fields import PartialDate
from .model import Site
from .problems import Problem
from .structured import claim_review, script_json
from .urls import Urls, output_file

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOME_LIMIT = 20  # newest checks on the home page; the archive lists them all
PAGE_SIZE = 50  # checks per page of a listing
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def format_date(value: dt.date | PartialDate | None) -> str:
    """30 May 2025; a partial date as May 2025 or 2025."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return f"{MONTHS[value.month - 1]} {value.year}" if value.month else str(value.year)
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
        auto_reload=False,  # a build reads each template once; checking files per include is slow
    )
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["share"] = share_query
    return env


@dataclass
class PageJob:
    """One page to write: its output file, template, context, and a key that
    changes whenever anything the page shows changes (so unchanged pages are
    neither rendered nor written again)."""

    output: str
    template: str
    key: str
    context: dict = field(repr=False)
    canonical: str | None = None


def _paginate(pages: list[PageJob], relative: str, template: str, key: str, claims, **context) -> None:
    """A listing, PAGE_SIZE checks a page: DIR/, DIR/page/2/, ..."""
    chunks = [claims[i : i + PAGE_SIZE] for i in range(0, len(claims), PAGE_SIZE)] or [claims[:0]]
    for number, chunk in enumerate(chunks, start=1):
        here = relative if number == 1 else f"{relative}page/{number}/"
        pager = {
            "number": number,
            "count": len(chunks),
            "previous": None if number == 1 else (relative if number == 2 else f"{relative}page/{number - 1}/"),
            "next": f"{relative}page/{number + 1}/" if number < len(chunks) else None,
            "total": len(claims),
        }
        page_key = digest(key, template, str(number), str(len(claims)), *(c.digest for c in chunk))
        pages.append(PageJob(output_file(here), template, page_key, dict(context, claims=chunk, pager=pager), here))


def plan_pages(site: Site, site_key: str) -> list[PageJob]:
    """Every HTML page of the site, in a fixed order, with its key."""
    urls = Urls(site.config.base_url)
    jobs: list[PageJob] = []

    def page(relative: str, template: str, key: str, **context) -> None:
        jobs.append(PageJob(output_file(relative), template, digest(site_key, template, key), context, relative))

    counts = [(v, len(site.claims_with_verdict(v))) for v in site.config.verdicts]
    counts_key = ",".join(str(n) for _, n in counts)
    newest = site.claims[:HOME_LIMIT]
    page("", "index.html", digest(counts_key, str(len(site.claims)), *(c.digest for c in newest)),
         claims=newest, verdict_counts=counts)
    _paginate(jobs, "claims/", "claims.html", site_key, list(site.claims))
    for claim in site.claims:
        page(urls.claim(claim), "claim.html", digest(claim.digest, site.sources_sentence(claim)), claim=claim)
    page("verdicts/", "verdicts.html", counts_key, verdict_counts=counts)
    for verdict in site.config.verdicts:
        _paginate(jobs, urls.verdict(verdict), "verdict.html", site_key, site.claims_with_verdict(verdict), verdict=verdict)
    tags = site.tags
    page("tags/", "tags.html", digest(*(f"{t}:{len(c)}" for t, c in tags.items())), tags=tags)
    for tag, claims in tags.items():
        _paginate(jobs, urls.tag(tag), "tag.html", digest(site_key, tag), claims, tag=tag)
    articles = sorted(site.articles.values(), key=lambda a: (a.published_key, a.id), reverse=True)
    page("sources/", "sources.html", digest(*(a.digest for a in articles)), articles=articles)
    for article in articles:
        citing = site.claims_citing(article)
        relations = site.relations(article)
        family = [a.digest for related in relations for a in related]
        page(urls.source(article), "source.html", digest(article.digest, *family, *(c.digest for c in citing)),
             article=article, claims=citing, relations=relations)
    for content_page in site.pages:
        page(urls.page(content_page), "page.html", content_page.digest, page=content_page)
    jobs.append(PageJob("404.html", "404.html", digest(site_key, "404"), {}, None))
    return jobs


def render_job(env: jinja2.Environment, site: Site, job: PageJob) -> str:
    canonical = Urls(site.config.base_url).absolute(job.canonical) if job.canonical is not None else None
    return env.get_template(job.template).render(canonical=canonical, **job.context)


def prepare_environment(env: jinja2.Environment, site: Site) -> None:
    """What every template may use: the site, its settings and the URL builder."""
    urls = Urls(site.config.base_url)
    env.globals.update(
        site=site,
        config=site.config,
        url=urls,
        claim_review_json=lambda claim: script_json(claim_review(claim, site, urls)),
        quotes_from=quotes_from,
        timeline=timeline,
    )


@dataclass(frozen=True)
class Event:
    when: dt.date | PartialDate
    what: str  # "article", "claim", "check" or "update"
    text: str
    article: object = None

    @property
    def sort_key(self) -> tuple:
        when = self.when
        # a date known only to the month or year goes last in its period, never before what is known
        day = (when.year, when.month or 12, 32) if isinstance(when, PartialDate) else (when.year, when.month, when.day)
        return (day, ("article", "claim", "check", "update").index(self.what), self.text)


def timeline(claim) -> list[Event]:
    """How the story moved: the cited articles, the claim, the check and its updates, by date."""
    events = [Event(a.published, "article", f"{a.publisher} reports", a) for a in claim.cited_articles]
    if claim.claim_date:
        events.append(Event(claim.claim_date, "claim", f"The claim is made by {claim.claimant}"))
    events.append(Event(claim.published, "check", f"We publish this check: {claim.verdict.label}"))
    events += [Event(u.date, "update", f"Update: {u.note}") for u in claim.updates]
    return sorted(events, key=lambda e: e.sort_key)


def quotes_from(article, claims):
    """(claim, citation) for each quote the claims take from `article`."""
    return [(claim, c) for claim in claims for c in claim.citations if c.article is not None and c.article.id == article.id]


def template_problem(exc: BaseException, site_dir: Path) -> Problem:
    """A template's mistake, reported like a content problem: the template's file and line."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not filename:
        # jinja2 rewrites the traceback so that template code shows its own file and line
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    shown = "templates"
    if filename:
        path = Path(filename).resolve()
        for root in (site_dir.resolve(), PROJECT_DIR):
            if path.is_relative_to(root):
                shown = path.relative_to(root).as_posix()
                break
    message = getattr(exc, "message", None) or str(exc)
    return Problem(shown, line or 1, 1, f"template error: {type(exc).__name__}: {message}")
