"""The site as plain data: what validation produces and rendering reads."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from .fields import PartialDate
from .i18n import N_, Interface, interface
from .independence import Families, Thresholds
from .quotes import QuoteMatch
from .urls import label_segment_or_hash


def date_key(when: dt.date | PartialDate) -> tuple[int, int, int, int]:
    """Where a date sorts, everywhere: a partial date after every full date it could be
    (2025-05 after 31 May 2025, 2025 after 31 December 2025)."""
    if isinstance(when, PartialDate):
        return (when.year, when.month or 12, 31, 1)
    return (when.year, when.month, when.day, 0)


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str
    description: str
    scored: bool = True
    rating: int | None = None  # position on the numeric scale, best = highest
    tone: str = "neutral"  # good, mixed, bad or neutral: picks the label's colour


def rate(verdicts: list[Verdict]) -> tuple[Verdict, ...]:
    """Number the scored verdicts (best first in the list gets the top rating) and tone them."""
    scored = [v for v in verdicts if v.scored]
    rated = []
    for verdict in verdicts:
        rating = tone = None
        if verdict.scored:
            rank = scored.index(verdict)
            rating = len(scored) - rank
            third = rank * 3 // len(scored)  # 0 for the best third of the scale
            tone = ("good", "mixed", "bad")[third] if len(scored) > 2 else ("good", "bad")[rank]
        rated.append(dataclasses.replace(verdict, rating=rating, tone=tone or "neutral"))
    return tuple(rated)


DEFAULT_VERDICTS = rate(
    [
        Verdict("true", N_("True"), N_("The claim is accurate and nothing significant is missing.")),
        Verdict("mostly-true", N_("Mostly true"), N_("The claim is accurate but needs clarification or additional information.")),
        Verdict("misleading", N_("Misleading"), N_("The claim contains accurate elements but gives a false impression.")),
        Verdict("mostly-false", N_("Mostly false"), N_("The claim contains an element of truth but ignores critical facts.")),
        Verdict("false", N_("False"), N_("The claim is inaccurate.")),
        Verdict("unproven", N_("Unproven"), N_("There is not enough evidence to establish whether the claim is accurate."), scored=False),
    ]
)


def default_verdicts(language: str) -> tuple[Verdict, ...]:
    """The scale of a site that writes none, in the site's language."""
    words = interface(language)
    return tuple(dataclasses.replace(v, label=words.gettext(v.label), description=words.gettext(v.description))
                 for v in DEFAULT_VERDICTS)


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    logo: str | None = None


@dataclass(frozen=True)
class Person:
    """Who writes or reviews checks. On a site that lists no people, a check's `author` is a
    name as written: a Person without an id, and without a page."""

    id: str | None
    name: str
    role: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str  # always ends with "/"
    publisher: Publisher
    description: str | None = None
    language: str = "en"
    cname: str | None = None
    repository: str | None = None  # OWNER/NAME on GitHub, for the web editor
    editor_login: str | None = None  # an OAuth worker's address, for the web editor's sign-in
    publish_article_text: bool = False
    verdicts: tuple[Verdict, ...] = DEFAULT_VERDICTS
    independence: Thresholds = Thresholds()
    people: tuple[Person, ...] = ()
    min_sources: int = 1  # independent sources a rated check must rest on
    label_urls: str = "script"  # topics' and claimants' addresses: their own letters, or "latin"
    strings: tuple[tuple[str, str], ...] = ()  # the site's own interface wording, by msgid
    languages: tuple[str, ...] = ()  # a desk in several: every one, the default first (`language`)
    scales: tuple[tuple[str, tuple[Verdict, ...]], ...] = ()  # the scale as each other language words it
    titles: tuple[tuple[str, str], ...] = ()  # the site's name in each other language
    descriptions: tuple[tuple[str, str], ...] = ()  # its description in each other language

    @property
    def latin_urls(self) -> bool:
        return self.label_urls == "latin"

    @property
    def all_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @property
    def default_language(self) -> str:
        """The language at the site's own addresses; the others are under their folders."""
        return self.all_languages[0]

    @property
    def multilingual(self) -> bool:
        return len(self.all_languages) > 1

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def verdict(self, verdict_id: str, language: str = "") -> Verdict | None:
        return next((v for v in self.verdicts_in(language) if v.id == verdict_id), None)

    def verdicts_in(self, language: str) -> tuple[Verdict, ...]:
        """The rating scale in `language`'s words: the same ids, ratings and tones."""
        return dict(self.scales).get(language, self.verdicts)

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    title: str
    publisher: str
    published: dt.date | PartialDate
    text: str
    author: str | None = None
    url: str | None = None
    archive_url: str | None = None
    origin: str | None = None  # a declared origin: articles sharing one count as one source
    published_before: dt.date | None = None  # for a partial date: it came out before this day

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.text.split("\n\n") if p.strip()]


class Catalogue(Mapping):
    """Items by name, of which a reader takes only the few it names (a check, the articles it
    cites): whoever remembers what it made may key that by the items it read."""

    def __init__(self, items_by_name: Mapping):
        self.items_by_name = items_by_name

    def __getitem__(self, name):
        return self.items_by_name[name]

    def __iter__(self):
        return iter(self.items_by_name)

    def __len__(self) -> int:
        return len(self.items_by_name)


@dataclass(frozen=True)
class Citation:
    note: str | None = None
    article: Article | None = None
    quote: str | None = None
    match: QuoteMatch | None = None
    url: str | None = None  # a page that is not archived
    title: str | None = None
    quote_at: tuple[int, int] = (1, 1)  # where the quote is written in its check, for `recheck`

    @property
    def passage_url(self) -> str | None:
        """The original article's address, pointing at the quoted passage."""
        if self.article and self.article.url and self.match:
            return self.article.url.split("#", 1)[0] + self.match.fragment
        return None


@dataclass(frozen=True)
class Appearance:
    article: Article | None = None
    url: str | None = None


@dataclass(frozen=True)
class Update:
    date: dt.date
    note: str
    verdict_before: Verdict | None = None  # both set when this update changed the verdict
    verdict_after: Verdict | None = None

    @property
    def changes_verdict(self) -> bool:
        return self.verdict_after is not None


@dataclass(frozen=True)
class Claim:
    slug: str
    path: str
    claim: str
    claimant: str
    verdict: Verdict
    summary: str
    published: dt.date
    citations: tuple[Citation, ...]
    analysis_html: str
    claim_date: dt.date | None = None
    appeared_in: tuple[Appearance, ...] = ()  # where the claim was made, earliest first
    reported_in: tuple[Appearance, ...] = ()  # where it was reported on without being made
    headline: str | None = None
    author: Person | None = None
    reviewed_by: Person | None = None
    single_source: str | None = None  # the editor's reason a check may rest on one source
    draft: bool = False
    tags: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    citations_at: tuple[int, int] = (1, 1)  # where its citations start, for problems about them all
    published_at: tuple[int, int] = (1, 1)  # where its publication date is written
    single_source_at: tuple[int, int] = (1, 1)
    language: str = ""  # one of the site's languages; validation writes the default in
    translation_of: str | None = None  # the slug of the check this one translates
    translation_of_at: tuple[int, int] = (1, 1)

    @property
    def title(self) -> str:
        return self.headline or self.claim

    @cached_property  # every sort and listing of checks asks it
    def modified(self) -> dt.date:
        return max([self.published, *(u.date for u in self.updates)])

    @property
    def first_verdict(self) -> Verdict:
        """The verdict the check was first published with."""
        changes = [u for u in self.updates if u.changes_verdict]
        return changes[0].verdict_before if changes else self.verdict

    @cached_property  # read by several pages and checks: worked out once per object
    def cited_articles(self) -> tuple[Article, ...]:
        seen: dict[str, Article] = {}
        for citation in self.citations:
            if citation.article and citation.article.id not in seen:
                seen[citation.article.id] = citation.article
        return tuple(seen.values())


@dataclass(frozen=True)
class Event:
    """A dated step in a check's story: an article, the claim, the check, an update."""

    when: dt.date | PartialDate
    what: str  # "article", "claim", "check", "update" or "verdict" (an update changing the verdict)
    text: str
    article: Article | None = None


EVENT_ORDER = ("article", "claim", "check", "update", "verdict")  # on one day: what came first


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections log: an update of a check, newest first across the site."""

    date: dt.date
    claim: Claim
    update: Update
    number: int  # its place among the check's updates, from 1: part of its address


@dataclass(frozen=True)
class Page:
    slug: str
    path: str
    title: str
    body_html: str
    nav: bool = False
    updated: dt.date | None = None
    language: str = ""  # one of the site's languages; "" for the site's first


@dataclass(frozen=True)
class NavLink:
    slug: str
    title: str


@dataclass(frozen=True)
class ClaimantName:
    """What a check's page shows of its claimant: an edit to their other checks changes nothing here."""

    slug: str
    name: str


@dataclass(frozen=True)
class Claimant:
    """Whoever made claims: one page lists all their checks."""

    slug: str
    name: str  # the spelling most of their checks use
    claims: tuple[Claim, ...]  # newest first


def claimant_slug(name: str, latin: bool = False) -> str:
    """The claimant's part of a URL (urls.label_segment), so spellings that differ only in
    case or punctuation share one page; a hash for a name with no letters or digits."""
    return label_segment_or_hash(name, latin, "claimant")


def _named_groups(claims, labels, latin: bool, prefix: str) -> dict[str, tuple[str, list[Claim]]]:
    """(name, checks) by address, of the labels `labels(claim)` gives (topics, a claimant's name):
    spellings that share an address are one, named as most of its checks spell it."""
    by_address: dict[str, list[Claim]] = {}
    spellings: dict[str, Counter] = {}
    for claim in claims:
        for label in labels(claim):
            address = label_segment_or_hash(label, latin, prefix)
            found = by_address.setdefault(address, [])
            if not found or found[-1] is not claim:
                found.append(claim)
            spellings.setdefault(address, Counter())[label] += 1
    return {address: (min(counts, key=lambda n: (-counts[n], n)), by_address[address])
            for address, counts in spellings.items()}


RELATED_LIMIT = 4  # related checks shown on a claim page
RELATED_WINDOW = 60  # of a tag or article shared by more checks, only this many nearest in date are weighed


@dataclass(frozen=True)
class Site:
    """Everything read, checked and worked out; what the pages are planned from."""

    config: SiteConfig
    articles: dict[str, Article]
    claims: tuple[Claim, ...]  # newest first
    pages: tuple[Page, ...]
    families: Families = field(default_factory=lambda: Families(()), repr=False)
    related_slugs: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # see related_checks

    @property
    def interface(self) -> Interface:
        """The interface's words in the site's language."""
        return interface(self.config.language, self.config.strings)

    def sources_sentence(self, claim: Claim) -> str:
        """How many independent sources the claim's citations rest on, naming the copies, in the site's language."""
        return self.families.describe([a.id for a in claim.cited_articles], self.articles, self.interface)

    def relations(self, article: Article):
        """(also published as, rewritten from, rewritten as): the article's family, by article."""
        return tuple(tuple(self.articles[i] for i in ids if i in self.articles) for ids in self.families.relations(article.id))

    def claims_with_verdict(self, verdict: Verdict) -> list[Claim]:
        return self._by_verdict.get(verdict.id, [])

    def claims_citing(self, article: Article) -> list[Claim]:
        return self._by_article.get(article.id, [])

    @cached_property
    def tags(self) -> dict[str, list[Claim]]:
        """Checks by topic, in name order. Spellings that share an address (`Steel mills`,
        `steel-mills`) are one topic, named as most of its checks spell it."""
        return dict(sorted(self._topics.values(), key=lambda topic: topic[0]))

    def tag_name(self, tag: str) -> str:
        """The name of the topic that `tag` is a spelling of."""
        topic = self._topics.get(label_segment_or_hash(tag, self.config.latin_urls, "topic"))
        return topic[0] if topic else tag

    @cached_property
    def _topics(self) -> dict[str, tuple[str, list[Claim]]]:
        return _named_groups(self.claims, lambda claim: claim.tags, self.config.latin_urls, "topic")

    @cached_property
    def _by_verdict(self) -> dict[str, list[Claim]]:
        by_verdict: dict[str, list[Claim]] = {}
        for claim in self.claims:
            by_verdict.setdefault(claim.verdict.id, []).append(claim)
        return by_verdict

    @cached_property
    def _by_article(self) -> dict[str, list[Claim]]:
        by_article: dict[str, list[Claim]] = {}
        for claim in self.claims:
            for article in claim.cited_articles:
                by_article.setdefault(article.id, []).append(claim)
        return by_article

    @property
    def nav_pages(self) -> tuple[NavLink, ...]:
        """What the menu shows of the pages in it: an edit to a page's text changes no other page."""
        return tuple(NavLink(p.slug, p.title) for p in self.pages if p.nav)

    @cached_property
    def claimants(self) -> dict[str, Claimant]:
        """Claimants by slug, in slug order, each named as most of their checks spell it."""
        groups = _named_groups(self.claims, lambda claim: (claim.claimant,), self.config.latin_urls, "claimant")
        return {slug: Claimant(slug, name, tuple(claims)) for slug, (name, claims) in sorted(groups.items())}

    def claimant_of(self, claim: Claim) -> ClaimantName:
        claimant = self.claimants[claimant_slug(claim.claimant, self.config.latin_urls)]
        return ClaimantName(claimant.slug, claimant.name)

    def article_key(self, article: Article) -> tuple[int, int, int, int]:
        """Where `article` sorts by date on every page and in the data: see `article_keys`."""
        return self.article_keys.get(article.id) or date_key(article.published)

    @cached_property
    def article_keys(self) -> dict[str, tuple[int, int, int, int]]:
        """Each article's place in date order. A partial date sorts after every full date it
        could be: the end of its month or year, but no later than the last change of a check
        that names it (the article existed by then) or the day before its `published_before`, and
        never before the report it rewrites."""
        named_by: dict[str, dt.date] = {}
        for claim in self.claims:
            named = [*claim.cited_articles, *(a.article for a in (*claim.appeared_in, *claim.reported_in) if a.article)]
            for article in named:
                if article.id not in named_by or claim.modified < named_by[article.id]:
                    named_by[article.id] = claim.modified
        keys = {}
        for article in self.articles.values():
            key = date_key(article.published)
            if isinstance(article.published, PartialDate):
                bounds = [named_by.get(article.id), article.published_before and article.published_before - dt.timedelta(days=1)]
                for bound in filter(None, bounds):
                    key = min(key, (*date_key(bound)[:3], 1))
            keys[article.id] = key
        for _ in range(2):  # a rewrite of a rewrite settles on the second pass
            for article in self.articles.values():
                if not isinstance(article.published, PartialDate):
                    continue
                sources = [keys[i] for i in self.families.relations(article.id).rewritten_from if i in keys]
                if sources and keys[article.id] < min(sources):
                    keys[article.id] = (*min(sources)[:3], 1)
        return keys

    def timeline(self, claim: Claim) -> tuple[Event, ...]:
        """How the story moved: the cited articles, the claim, the check as first published and
        each update, a verdict change named as such, in date order."""
        words = self.interface
        keyed = [(self.article_key(a), Event(a.published, "article", words.gettext("%(publisher)s reports") % {"publisher": a.publisher}, a))
                 for a in claim.cited_articles]
        if claim.claim_date:
            keyed.append((date_key(claim.claim_date), Event(claim.claim_date, "claim",
                          words.gettext("The claim is made by %(name)s") % {"name": claim.claimant})))
        keyed.append((date_key(claim.published), Event(claim.published, "check", words.gettext("We publish this check, rated %(rating)s")
                                                      % {"rating": claim.first_verdict.label})))
        for update in claim.updates:
            if update.changes_verdict:
                text = words.gettext("We change the rating from %(before)s to %(after)s: %(note)s") % {
                    "before": update.verdict_before.label, "after": update.verdict_after.label, "note": update.note}
            else:
                text = words.gettext("Update: %(note)s") % {"note": update.note}
            keyed.append((date_key(update.date), Event(update.date, "verdict" if update.changes_verdict else "update", text)))
        keyed.sort(key=lambda pair: (pair[0], EVENT_ORDER.index(pair[1].what)))
        return tuple(event for _, event in keyed)

    def in_date_order(self, appearances: tuple[Appearance, ...]) -> tuple[Appearance, ...]:
        """Appearances earliest first, by `article_key`; addresses without an article last, as written."""
        return tuple(sorted(appearances, key=lambda a: (0, self.article_key(a.article), a.article.id) if a.article else (1,)))

    @cached_property
    def people_checks(self) -> dict[str, tuple[tuple[Claim, str], ...]]:
        """For each person of the site, by id: (check, "author" or "reviewer"), newest first."""
        found: dict[str, list[tuple[Claim, str]]] = {p.id: [] for p in self.config.people}
        for claim in self.claims:
            for person, role in ((claim.author, "author"), (claim.reviewed_by, "reviewer")):
                if person is not None and person.id in found:
                    found[person.id].append((claim, role))
        return {person_id: tuple(checks) for person_id, checks in found.items()}

    @cached_property
    def corrections(self) -> tuple[Correction, ...]:
        """Every update of every check, newest first."""
        entries = [Correction(u.date, claim, u, n) for claim in self.claims for n, u in enumerate(claim.updates, start=1)]
        return tuple(sorted(entries, key=lambda c: (c.date, c.claim.published, c.claim.slug, c.number), reverse=True))

    def related(self, claim: Claim) -> tuple[Claim, ...]:
        """Up to RELATED_LIMIT other checks that cite the same articles or share topics, closest first."""
        return tuple(self.by_slug[slug] for slug in self.related_slugs.get(claim.slug, ()))

    @cached_property
    def by_slug(self) -> dict[str, Claim]:
        return {claim.slug: claim for claim in self.claims}

    def in_language(self, language: str) -> Site:
        """The part of a desk in several languages that is in `language`: its checks and pages,
        its interface (site.yaml's `strings` are the default language's wording), its listings."""
        config = self.config
        if not config.multilingual:
            return self
        default = config.default_language
        strings = config.strings if language == default else ()
        return dataclasses.replace(
            self,
            config=dataclasses.replace(config, language=language, strings=strings, verdicts=config.verdicts_in(language),
                                       title=dict(config.titles).get(language, config.title),
                                       description=dict(config.descriptions).get(language, config.description)),
            claims=tuple(c for c in self.claims if c.language == language),
            pages=tuple(p for p in self.pages if (p.language or default) == language),
        )

    @cached_property
    def translations(self) -> dict[str, tuple[Claim, ...]]:
        """For each check with translations, by slug: the check in each of the site's languages,
        in their order (itself included). Validation allows one check per language in a group."""
        by_slug = self.by_slug
        group_of: dict[str, str] = {}  # slug: the slug its group is known by

        def root(slug: str) -> str:
            while group_of.get(slug, slug) != slug:
                slug = group_of[slug]
            return slug

        for claim in self.claims:
            if claim.translation_of in by_slug:
                group_of[root(claim.slug)] = root(claim.translation_of)
        groups: dict[str, list[Claim]] = {}
        for claim in self.claims:
            groups.setdefault(root(claim.slug), []).append(claim)
        order = self.config.all_languages
        found = {}
        for members in groups.values():
            if len(members) > 1:
                members.sort(key=lambda c: order.index(c.language) if c.language in order else len(order))
                found.update(dict.fromkeys((c.slug for c in members), tuple(members)))
        return found


def relatedness(claims: tuple[Claim, ...]) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """What `related_checks` weighs of each check: its slug, topics and cited articles."""
    return tuple((c.slug, c.tags, tuple(a.id for a in c.cited_articles)) for c in claims)


def related_checks(claims: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    """For each check, the slugs of up to RELATED_LIMIT others that cite the same articles or
    share topics, closest first; `claims` (as `relatedness` gives them) in the site's order."""
    by_article: dict[str, list[int]] = {}
    by_tag: dict[str, list[int]] = {}
    for position, (_, tags, article_ids) in enumerate(claims):
        for article_id in article_ids:
            by_article.setdefault(article_id, []).append(position)
        for tag in tags:
            by_tag.setdefault(tag, []).append(position)
    # (weight of sharing it, positions of its checks): cited articles, then topics;
    # a topic shared by few checks says more than one shared by most
    groups = [(2.0, positions) for _, positions in sorted(by_article.items())]
    groups += [(1.0 / math.log2(1 + len(positions)), positions) for _, positions in sorted(by_tag.items())]
    member_of: dict[int, list[int]] = {}
    for index, (_, positions) in enumerate(groups):
        for position in positions:
            member_of.setdefault(position, []).append(index)
    related: dict[str, tuple[str, ...]] = {}
    for here, (slug, _, _) in enumerate(claims):
        scores: dict[int, float] = {}
        for index in member_of.get(here, ()):
            weight, positions = groups[index]
            if len(positions) > RELATED_WINDOW:  # only the checks nearest in date
                at = bisect.bisect_left(positions, here)
                start = max(0, min(at - RELATED_WINDOW // 2, len(positions) - RELATED_WINDOW))
                positions = positions[start : start + RELATED_WINDOW]
            for other in positions:
                if other != here:
                    scores[other] = scores.get(other, 0.0) + weight
        # the same as sorting them all and taking the first few, at a fraction of the cost; every
        # candidate's score adds its weights in the same order, so equal scores are equal floats
        ranked = heapq.nsmallest(RELATED_LIMIT, [(-score, other) for other, score in scores.items()])
        related[slug] = tuple(claims[other][0] for _, other in ranked)
    return related
