"""Turning the model into pages: Jinja2 templates, autoescaped, one base layout."""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .caching import digest
from .cards import card_spec, read_colours, render_card
from .charts import verdict_chart
from .fields import PartialDate
from .memo import PlanMemo
from .model import Claim, Claimant, Site, Verdict
from .problems import Problem
from .structured import claim_review, script_json
from .urls import Urls, output_file

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOME_LIMIT = 20  # newest checks on the home page; the archive lists them all
PAGE_SIZE = 50  # checks per page of a listing
TOPIC_FILTERS = 12  # topics offered as filters on a listing: the most used
CARD_TEMPLATE = "(share card)"  # a job that draws a PNG, not a template
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


def environment(site_dir: Path, compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    """Templates from the site's templates/ first, then the project's own."""
    folders = [site_dir / "templates", PROJECT_DIR / "templates"]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()]),
        bytecode_cache=compiled,
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


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by earlier builds, from the build cache: compiling them all took a
    third of a second in every build. Jinja checks each against its template's source. The
    build cache is signed, and compiled code, like a pickle, must come only from this user's
    own builds."""

    def __init__(self, known: dict[str, bytes]):
        self.known = known
        self.kept: dict[str, bytes] = {}  # what this environment loaded or compiled, for the next build

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.known.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)
            if bucket.code is not None:  # else the template changed since
                self.kept[bucket.key] = data

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


@dataclass
class PageJob:
    """One page to write: its output file, template, context, and a key that
    changes whenever anything the page shows changes (so unchanged pages are
    neither rendered nor written again)."""

    output: str
    template: str
    key: str
    context: dict | Callable[[], dict] = field(repr=False)  # or what makes it, if the page is rendered
    canonical: str | None = None

    def made_context(self) -> dict:
        return self.context() if callable(self.context) else self.context


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


def verdict_counts(site: Site, claims, keep_empty: bool = False) -> list[tuple[Verdict, int]]:
    """(verdict, number of `claims` with it) in the scale's order."""
    counts: dict[str, int] = {}
    for claim in claims:  # a loop: most lists are a source's two or three checks, too few for a Counter
        verdict_id = claim.verdict.id
        counts[verdict_id] = counts.get(verdict_id, 0) + 1
    return [(v, counts.get(v.id, 0)) for v in site.config.verdicts if keep_empty or counts.get(v.id)]


@dataclass(frozen=True)
class FilterLink:
    label: str
    count: int
    href: str  # an output path
    current: bool = False
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Filters:
    """Links that narrow a listing by rating and by topic: static pages, no script."""

    ratings: tuple[FilterLink, ...]
    topics: tuple[FilterLink, ...]
    all_ratings: FilterLink
    all_topics: FilterLink
    more_topics: str | None = None  # where the rest of the topics are, when only the most used are offered

    @property
    def key(self) -> str:
        """What the links show: labels, counts, addresses and which is current."""
        links = (self.all_ratings, self.all_topics, *self.ratings, *self.topics)
        return "|".join(f"{l.label}:{l.count}:{l.href}:{l.current:d}" for l in links) + f"|{self.more_topics}"


def _top_topics(claims) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for claim in claims:
        for tag in claim.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def listing_filters(
    site: Site, urls: Urls, verdict: Verdict | None = None, tag: str | None = None, tag_counts=None
) -> Filters:
    """The filters of a listing: all checks, one rating, one topic, or one topic with one rating
    (`tag_counts`: the topic's verdict_counts, when known)."""
    in_tag = site.tags.get(tag, []) if tag else site.claims
    if tag_counts is None:
        tag_counts = verdict_counts(site, in_tag)
    ratings = []
    for v, n in tag_counts:
        href = urls.tag_verdict(tag, v) if tag else urls.verdict(v)
        ratings.append(FilterLink(v.label, n, href, verdict is not None and v.id == verdict.id, v))
    all_ratings = FilterLink("All ratings", len(in_tag), urls.tag(tag) if tag else "claims/", verdict is None)
    topics: list[FilterLink] = []
    more = None
    if tag:
        all_topics = FilterLink("All topics", len(site.claims_with_verdict(verdict)) if verdict else len(site.claims),
                                urls.verdict(verdict) if verdict else "claims/", False)
        in_both = dict((v.id, n) for v, n in tag_counts).get(verdict.id, 0) if verdict else len(in_tag)
        topics.append(FilterLink(tag, in_both, urls.tag_verdict(tag, verdict) if verdict else urls.tag(tag), True))
    else:
        rated = site.claims_with_verdict(verdict) if verdict else site.claims
        offered = _top_topics(rated)
        for name, n in offered[:TOPIC_FILTERS]:
            topics.append(FilterLink(name, n, urls.tag_verdict(name, verdict) if verdict else urls.tag(name)))
        if len(offered) > TOPIC_FILTERS:
            more = "tags/"
        all_topics = FilterLink("All topics", len(rated), urls.verdict(verdict) if verdict else "claims/", True)
    return Filters(tuple(ratings), tuple(topics), all_ratings, all_topics, more)


def plan_pages(
    site: Site, site_key: str, static_folders: list[Path] | None = None, memo: PlanMemo | None = None
) -> list[PageJob]:
    """Every page of the site (and every share card), in a fixed order, with its key. `memo`
    holds what the last build worked out, and outlines of the parts of the site (a check's page
    and card, a listing, a section of them) by what they depend on: working keys out is most of
    planning a big site."""
    memo = memo or PlanMemo(keep=False)
    urls = Urls(site.config.base_url)
    jobs: list[PageJob] = []

    def page(relative: str, template: str, key: str, **context) -> PageJob:
        return PageJob(output_file(relative), template, digest(site_key, template, key), context, relative)

    def part(name: tuple, inputs: tuple, fingerprint, plan) -> list[PageJob]:
        """The jobs `plan(jobs)` adds, or those it added in the last build from the same inputs:
        from the memo (the preview), or, as outlines, from the last build's when `fingerprint()`,
        the inputs' digests, is the same; their contexts are then made only for a page that is
        rendered."""
        work = _Planned(plan)

        def outlined() -> list[PageJob]:
            outline = memo.outlined(name, digest(site_key, *fingerprint()),
                                    lambda: tuple((job.output, job.template, job.key, job.canonical) for job in work()))
            return work.jobs if work.jobs is not None else _from_outline(outline, work)

        return memo.recall(name, (site_key, *inputs), outlined)

    def section(name: tuple, inputs: tuple[str, ...], items, spec_of, name_of, touches) -> list[PageJob]:
        """A part for each of `items` (`spec_of(item)`: its name, inputs, fingerprint and plan),
        planned again only where an edited check shows while no check moves (`PlanMemo.section`)."""

        def carried(item) -> list[PageJob] | None:
            known = memo.outline(name_of(item))
            return None if known is None else _from_outline(known[1], _Planned(lambda jobs: spec_of(item)[3](jobs)))

        parts = memo.section(name, inputs, site, items, lambda item: part(*spec_of(item)), touches, carried)
        return [job for part_jobs in parts for job in part_jobs]

    counts = [(v, len(site.claims_with_verdict(v))) for v in site.config.verdicts]
    counts_key = ",".join(str(n) for _, n in counts)
    newest = site.claims[:HOME_LIMIT]
    jobs.append(page("", "index.html", digest(counts_key, str(len(site.claims)), *(c.digest for c in newest)),
                     claims=newest, verdict_counts=counts))

    known_filters = memo.table(("filters",), digest(site_key, site.layout))

    def filters(verdict: Verdict | None = None, tag: str | None = None, tag_counts=None) -> Filters:
        """A listing's filters: they depend only on where checks are placed, and are kept while
        no check moves (working them out looks at every check)."""
        name = (verdict.id if verdict else None, tag)
        if name not in known_filters:
            known_filters[name] = listing_filters(site, urls, verdict, tag, tag_counts)
        return known_filters[name]

    jobs += part(("claims",), (site.claims,), lambda: _digests(site.claims),
                 lambda planned: _plan_listing(planned, site, urls, site_key, filters))

    colours = tuple(sorted(read_colours(static_folders if static_folders is not None else [PROJECT_DIR / "static"]).items()))
    colours_key = repr(colours)

    def check_spec(claim: Claim) -> tuple:
        related = site.related(claim)
        return (("claim", claim.slug), (colours, site.families, claim, *related),
                functools.partial(_digests, (claim, *related), colours_key, site.families_key),
                functools.partial(_plan_claim, claim=claim, related=related, site=site, urls=urls, site_key=site_key,
                                  colours=colours))

    def shown_in() -> list[list[int]]:
        """For each check, the positions of the checks whose pages show it: its own and those
        showing it among their related checks."""
        position = {claim.slug: n for n, claim in enumerate(site.claims)}
        shown = [[n] for n in range(len(site.claims))]
        for n, claim in enumerate(site.claims):
            for slug in site.related_slugs.get(claim.slug, ()):
                shown[position[slug]].append(n)
        return shown

    jobs += section(("checks",), (site_key, colours_key, site.families_key, site.layout), site.claims, check_spec,
                    lambda claim: ("claim", claim.slug), shown_in)

    jobs.append(page("verdicts/", "verdicts.html", counts_key, verdict_counts=counts))
    for verdict in site.config.verdicts:
        rated = site.claims_with_verdict(verdict)
        jobs += part(("verdict", verdict.id), (counts_key, tuple(rated)), functools.partial(_digests, rated, counts_key),
                     functools.partial(_plan_listing, site=site, urls=urls, site_key=site_key, filters=filters,
                                       verdict=verdict))
    tags = site.tags
    jobs.append(page("tags/", "tags.html", digest(*(f"{t}:{len(c)}" for t, c in tags.items())), tags=tags))
    for tag, claims in tags.items():
        jobs += part(("tag", tag), (counts_key, tuple(claims)), functools.partial(_digests, claims, counts_key),
                     functools.partial(_plan_tag, site=site, urls=urls, site_key=site_key, filters=filters, tag=tag,
                                       claims=claims))

    articles, articles_key = memo.recall(("articles",), (site.articles,), lambda: _newest_articles(site))
    jobs.append(page("sources/", "sources.html", articles_key, articles=articles))

    def source_spec(article) -> tuple:
        citing = site.claims_citing(article)
        return (("source", article.id), (article, site.families, tuple(citing)),
                functools.partial(_digests, citing, article.digest, site.families_key),
                functools.partial(_source_page, page=page, site=site, urls=urls, article=article, citing=citing))

    def cited_in() -> list[list[int]]:
        """For each check, the positions of the articles it cites."""
        position = {article.id: n for n, article in enumerate(articles)}
        return [[position[a.id] for a in claim.cited_articles] for claim in site.claims]

    jobs += section(("sources",), (site_key, site.families_key, site.layout, articles_key), articles, source_spec,
                    lambda article: ("source", article.id), cited_in)

    claimants = sorted(site.claimants.values(), key=lambda c: (c.name.casefold(), c.slug))
    # the list shows each claimant's name and ratings, which no edit changes unless a check moves
    claimants_key = memo.outlined(("claimants",), digest(site_key, site.layout),
                                  lambda: digest(*(_claimant_summary(site, claimant) for claimant in claimants)))
    jobs.append(page("claimants/", "claimants.html", claimants_key, claimants=claimants))

    def claimant_spec(claimant: Claimant) -> tuple:
        return (("claimant", claimant.slug), (claimant.name, claimant.claims),
                functools.partial(_digests, claimant.claims, claimant.name),
                functools.partial(_plan_claimant, site=site, urls=urls, site_key=site_key, claimant=claimant))

    def made_by() -> list[list[int]]:
        """For each check, the position of its claimant."""
        position = {claimant.slug: n for n, claimant in enumerate(claimants)}
        return [[position[site.claimant_of(claim).slug]] for claim in site.claims]

    jobs += section(("claimants",), (site_key, site.layout), claimants, claimant_spec,
                    lambda claimant: ("claimant", claimant.slug), made_by)

    jobs.append(page(urls.SEARCH, "search.html", digest(counts_key, *(f"{t}:{len(c)}" for t, c in tags.items())),
                     verdict_counts=counts, tags=tags))
    for content_page in site.pages:
        jobs.append(page(urls.page(content_page), "page.html", content_page.digest, page=content_page))
    jobs.append(PageJob("404.html", "404.html", digest(site_key, "404"), {}, None))
    return jobs


def _newest_articles(site: Site) -> tuple[list, str]:
    """The archived articles, newest first, and the key of the list of them."""
    articles = sorted(site.articles.values(), key=lambda a: (a.published_key, a.id), reverse=True)
    return articles, digest(*(a.digest for a in articles))


def _digests(claims, *more: str) -> list[str]:
    """What a listing of `claims` depends on, as strings to digest."""
    return [*more, *(claim.digest for claim in claims)]


class _Planned:
    """The jobs `plan(jobs)` adds, planned when first asked for."""

    def __init__(self, plan: Callable[[list[PageJob]], None]):
        self.plan, self.jobs = plan, None

    def __call__(self) -> list[PageJob]:
        if self.jobs is None:
            self.jobs = []
            self.plan(self.jobs)
        return self.jobs


def _from_outline(outline: tuple, planned: _Planned) -> list[PageJob]:
    """A part's jobs as outlined by the last build; a context is planned only for a page rendered."""
    return [PageJob(output, template, key, functools.partial(_context_of, planned, n), canonical)
            for n, (output, template, key, canonical) in enumerate(outline)]


def _context_of(planned: _Planned, n: int) -> dict:
    return planned()[n].made_context()


def _chart_key(counts) -> str:
    return ",".join(f"{v.id}={n}" for v, n in counts)


def _plan_claim(
    jobs: list[PageJob], claim: Claim, related: list[Claim], site: Site, urls: Urls, site_key: str, colours: tuple
) -> None:
    """A check's share card and page."""
    spec = card_spec(claim, site.config, colours)
    card_key = spec.key()
    related_key = digest(*(f"{c.slug}:{c.title}:{c.verdict.id}" for c in related))
    page_key = digest(claim.digest, site.sources_sentence(claim), card_key, related_key)
    relative = urls.claim(claim)
    jobs.append(PageJob(urls.card(claim), CARD_TEMPLATE, card_key, {"card": spec}, None))
    jobs.append(PageJob(output_file(relative), "claim.html", digest(site_key, "claim.html", page_key),
                        dict(claim=claim, related=related, claimant=site.claimant_of(claim),
                             card_url=urls.absolute(urls.card(claim)) + "?v=" + card_key[:12]), relative))


def _source_page(jobs: list[PageJob], page, site: Site, urls: Urls, article, citing: list[Claim]) -> None:
    """An archived article's page: its text, its family, the checks quoting it."""
    relations = site.relations(article)
    family = [a.digest for related in relations for a in related]
    jobs.append(page(urls.source(article), "source.html", digest(article.digest, *family, *(c.digest for c in citing)),
                     article=article, claims=citing, relations=relations, chart_counts=verdict_counts(site, citing)))


def _plan_listing(
    jobs: list[PageJob], site: Site, urls: Urls, site_key: str, filters, verdict: Verdict | None = None
) -> None:
    """All checks, or those with one rating, a page of the listing at a time (`filters(...)`: as
    `listing_filters` gives them)."""
    shown = filters(verdict=verdict)
    key = digest(site_key, shown.key)
    if verdict is None:
        _paginate(jobs, "claims/", "claims.html", key, list(site.claims), filters=shown)
    else:
        _paginate(jobs, urls.verdict(verdict), "verdict.html", key, site.claims_with_verdict(verdict),
                  verdict=verdict, filters=shown)


def _plan_tag(jobs: list[PageJob], site: Site, urls: Urls, site_key: str, filters, tag: str, claims: list[Claim]) -> None:
    """A topic's listing, and its listing for each rating it has."""
    tag_counts = verdict_counts(site, claims)
    shown = filters(tag=tag, tag_counts=tag_counts)
    _paginate(jobs, urls.tag(tag), "tag.html", digest(site_key, tag, shown.key, _chart_key(tag_counts)), claims,
              tag=tag, verdict=None, filters=shown, chart_counts=tag_counts)
    for verdict, _ in tag_counts:
        shown = filters(verdict=verdict, tag=tag, tag_counts=tag_counts)
        rated = [c for c in claims if c.verdict.id == verdict.id]
        _paginate(jobs, urls.tag_verdict(tag, verdict), "tag.html", digest(site_key, tag, verdict.id, shown.key),
                  rated, tag=tag, verdict=verdict, filters=shown, chart_counts=None)


def _claimant_summary(site: Site, claimant: Claimant) -> str:
    """What the list of claimants shows of one."""
    return f"{claimant.slug}:{claimant.name}:{_chart_key(verdict_counts(site, claimant.claims))}"


def _plan_claimant(jobs: list[PageJob], site: Site, urls: Urls, site_key: str, claimant: Claimant) -> None:
    """The pages of a claimant's checks."""
    claimant_counts = verdict_counts(site, claimant.claims)
    _paginate(jobs, urls.claimant(claimant.slug), "claimant.html",
              digest(site_key, claimant.slug, claimant.name, _chart_key(claimant_counts)), list(claimant.claims),
              claimant=claimant, chart_counts=claimant_counts)


def render_job(env: jinja2.Environment, site: Site, job: PageJob) -> str | bytes:
    if job.template == CARD_TEMPLATE:
        return render_card(job.made_context()["card"])
    canonical = Urls(site.config.base_url).absolute(job.canonical) if job.canonical is not None else None
    return env.get_template(job.template).render(canonical=canonical, **job.made_context())


def prepare_environment(env: jinja2.Environment, site: Site) -> None:
    """What every template may use: the site, its settings and the URL builder."""
    urls = Urls(site.config.base_url)
    env.globals.update(
        claim_item=_claim_items(env),
        shared_partial=_shared_partial(env),
        site=site,
        config=site.config,
        url=urls,
        claim_review_json=lambda claim: script_json(claim_review(claim, site, urls)),
        quotes_from=quotes_from,
        timeline=timeline,
        verdict_chart=verdict_chart,
        count_verdicts=lambda claims: verdict_counts(site, claims),
    )


def _claim_items(env: jinja2.Environment):
    """The template global `claim_item(claim)`: a check as listings show it, rendered once per
    build (and process), since listings show each check many times over, always the same."""
    rendered: dict[str, Markup] = {}

    def claim_item(claim) -> Markup:
        if claim.slug not in rendered:
            rendered[claim.slug] = Markup(env.get_template("partials/claim_item.html").render(claim=claim))
        return rendered[claim.slug]

    return claim_item


def _shared_partial(env: jinja2.Environment):
    """A template global for the partials every page shows the same (header, footer), rendered once per build."""
    rendered: dict[tuple, Markup] = {}

    def render(name: str, **context) -> Markup:
        key = (name, *sorted(context.items()))
        if key not in rendered:
            rendered[key] = Markup(env.get_template(name).render(context))
        return rendered[key]

    return render


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
