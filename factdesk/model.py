"""The site as plain data: what validation produces and rendering reads."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import math
import pickle
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import ClassVar
from urllib.parse import urlsplit

from .caching import Stored, digest, packed_bytes
from .fields import PartialDate
from .independence import Families, Thresholds
from .quotes import PreparedText, QuoteMatch


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str
    description: str
    scored: bool = True
    rating: int | None = None  # position on the numeric scale, best = highest
    tone: str = "neutral"  # good, mixed, bad or neutral: picks the label's colour

    def __reduce__(self):
        # every check names one of a few verdicts: unpickled, they share one object each
        # (thousands of copies scattered in memory made counting verdicts slow)
        return (_shared_verdict, (self.id, self.label, self.description, self.scored, self.rating, self.tone))


_VERDICTS: dict[tuple, Verdict] = {}


def _shared_verdict(*fields) -> Verdict:
    if fields not in _VERDICTS:
        _VERDICTS[fields] = Verdict(*fields)
    return _VERDICTS[fields]


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
        rated.append(Verdict(verdict.id, verdict.label, verdict.description, verdict.scored, rating, tone or "neutral"))
    return tuple(rated)


DEFAULT_VERDICTS = rate(
    [
        Verdict("true", "True", "The claim is accurate and nothing significant is missing."),
        Verdict("mostly-true", "Mostly true", "The claim is accurate but needs clarification or additional information."),
        Verdict("misleading", "Misleading", "The claim contains accurate elements but gives a false impression."),
        Verdict("mostly-false", "Mostly false", "The claim contains an element of truth but ignores critical facts."),
        Verdict("false", "False", "The claim is inaccurate."),
        Verdict("unproven", "Unproven", "There is not enough evidence to establish whether the claim is accurate.", scored=False),
    ]
)


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    logo: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str  # always ends with "/"
    publisher: Publisher
    description: str | None = None
    language: str = "en"
    cname: str | None = None
    publish_article_text: bool = False
    verdicts: tuple[Verdict, ...] = DEFAULT_VERDICTS
    independence: Thresholds = Thresholds()
    digest: str = ""  # of site.yaml and any override: what every page depends on

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def verdict(self, verdict_id: str) -> Verdict | None:
        return next((v for v in self.verdicts if v.id == verdict_id), None)


class Packed:
    """A dataclass some of whose fields (`PACKED`) stay pickled, as `_packed`, until first read
    (`_packed` is bytes, or where the build cache keeps them on disk: `caching.Stored`).

    A check's citations and analysis, an article's text: most of their bytes, and most of
    the time unpickling them took (from the cache, from a reading worker), yet a build after
    an edit reads them only for the few pages it renders. (A packed field may have no
    default: a class attribute would be found before `__getattr__` is asked.)
    """

    PACKED: ClassVar[tuple[str, ...]] = ()

    def packed_fields(self) -> bytes:
        """The packed fields, pickled (as they still are, if they were never read)."""
        packed = self.__dict__.get("_packed")
        if packed is None:
            return pickle.dumps(tuple(getattr(self, name) for name in self.PACKED), protocol=pickle.HIGHEST_PROTOCOL)
        return packed_bytes(packed)

    def light_fields(self) -> dict:
        """The other fields (and properties worked out so far)."""
        return {name: value for name, value in self.__dict__.items() if name != "_packed" and name not in self.PACKED}

    def pickled_light(self) -> dict:
        """The light fields, as pickled."""
        return self.light_fields()

    def pickled_apart(self) -> tuple[bytes, bytes]:
        """Its light fields and its packed ones, pickled apart, for `from_pickled`."""
        return pickle.dumps(self.pickled_light(), protocol=pickle.HIGHEST_PROTOCOL), self.packed_fields()

    @classmethod
    def from_pickled(cls, light: bytes | Stored, packed: bytes | Stored, **fields):
        """An object from `pickled_apart` (`fields`: light fields to set anew). It holds `packed`
        itself, not a copy: the build cache's entry holds the same bytes, or where to read them."""
        return unpacked_later(cls, {**pickle.loads(packed_bytes(light)), **fields}, packed)

    def keep_packed_in(self, stored: Stored) -> None:
        """Read the packed fields from `stored`, the build cache's copy of them, when needed;
        hold them no longer."""
        for name in self.PACKED:
            self.__dict__.pop(name, None)
        self.__dict__["_packed"] = stored

    def __getattr__(self, name: str):
        # called only for what the instance does not hold: a packed field, until first read
        packed = self.__dict__.get("_packed") if name in self.PACKED else None
        if packed is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        self.__dict__.update(zip(self.PACKED, pickle.loads(packed_bytes(packed))))
        if isinstance(packed, Stored):
            _UNPACKED.append(self)  # they can be read again: `forget_unpacked`
        else:
            del self.__dict__["_packed"]
        return self.__dict__[name]


# Objects whose packed fields were read from the build cache, in this process.
_UNPACKED: list[Packed] = []


def forget_unpacked() -> None:
    """Drop the packed fields read from the build cache so far: a process rendering every
    page would otherwise end up holding every check's citations and analysis."""
    while _UNPACKED:
        made = _UNPACKED.pop()
        for name in made.PACKED:
            made.__dict__.pop(name, None)


def unpacked_later(kind: type, light: dict, packed: bytes):
    """A `Packed` dataclass of `kind` made of its light fields and its packed ones."""
    made = object.__new__(kind)
    made.__dict__.update(light, _packed=packed)
    return made


# Claims refer to articles by id when pickled (for the cache and for worker
# processes), so an article's text is never copied into every claim citing it.
_ARTICLES: dict[str, "Article"] = {}


def register_articles(articles: dict[str, "Article"]) -> None:
    _ARTICLES.clear()
    _ARTICLES.update(articles)


def _registered_article(article_id: str, digest: str) -> "Article":
    article = _ARTICLES.get(article_id)
    if article is None or article.digest != digest:
        raise LookupError(f"article {article_id} changed")
    return article


@dataclass(frozen=True)
class Article(Packed):
    PACKED = ("text", "prepared")

    id: str
    path: str
    title: str
    publisher: str
    published: dt.date | PartialDate
    text: str
    prepared: PreparedText = field(repr=False, compare=False)
    author: str | None = None
    url: str | None = None
    archive_url: str | None = None
    digest: str = ""  # of the file

    def __reduce__(self):
        return (_registered_article, (self.id, self.digest))

    @property
    def published_key(self) -> tuple[int, int, int]:
        p = self.published
        return p.sort_key if isinstance(p, PartialDate) else (p.year, p.month, p.day)

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.text.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Citation:
    note: str | None = None
    article: Article | None = None
    quote: str | None = None
    match: QuoteMatch | None = None
    url: str | None = None  # a page that is not archived
    title: str | None = None

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


@dataclass(frozen=True)
class Claim(Packed):
    PACKED = ("citations", "analysis_html")

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
    appeared_in: tuple[Appearance, ...] = ()
    headline: str | None = None
    author: str | None = None
    draft: bool = False
    tags: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    digest: str = ""  # of the file, the site settings and the articles it cites
    citations_at: tuple[int, int] = (1, 1)  # where its citations start, for problems about them all

    @property
    def title(self) -> str:
        return self.headline or self.claim

    def __reduce__(self):
        return (unpacked_later, (Claim, self.pickled_light(), self.packed_fields()))

    def pickled_light(self) -> dict:
        # cited articles are kept unpacked: listings and related checks weigh them; the
        # placement is worked out once, where the check is read
        return {**self.light_fields(), "cited_articles": self.cited_articles, "placement_text": self.placement_text}

    @cached_property
    def placement_text(self) -> str:
        """`placement(self)` as text, for digests of where every check is placed."""
        return repr(placement(self))

    @cached_property
    def modified(self) -> dt.date:
        return max([self.published, *(u.date for u in self.updates)])

    @cached_property
    def cited_articles(self) -> list[Article]:
        seen: dict[str, Article] = {}
        for citation in self.citations:
            if citation.article and citation.article.id not in seen:
                seen[citation.article.id] = citation.article
        return list(seen.values())


@dataclass(frozen=True)
class Page:
    slug: str
    path: str
    title: str
    body_html: str
    nav: bool = False
    digest: str = ""


@dataclass(frozen=True)
class Claimant:
    """Whoever made claims: one page lists all their checks."""

    slug: str
    name: str  # the spelling most of their checks use
    claims: tuple[Claim, ...]  # newest first


@lru_cache(maxsize=None)
def claimant_slug(name: str) -> str:
    """The claimant's part of a URL: the name's slug, so spellings that differ only in
    case or punctuation share one page; a hash for a name with no Latin letters or digits."""
    from .fields import slugify_suggestion

    return slugify_suggestion(name) or "claimant-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


RELATED_LIMIT = 4  # related checks shown on a claim page
RELATED_WINDOW = 60  # of a tag or article shared by more checks, only this many nearest in date are weighed


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    articles: dict[str, Article]
    claims: tuple[Claim, ...]  # newest first
    pages: tuple[Page, ...]
    families: Families = field(default_factory=lambda: Families(()), repr=False)
    related_slugs: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # see related_checks
    families_key: str = ""  # changes whenever the families may have

    def sources_sentence(self, claim: Claim) -> str:
        """How many independent sources the claim's citations rest on, naming the copies."""
        return self.families.describe([a.id for a in claim.cited_articles], self.articles)

    def relations(self, article: Article):
        """(also published as, rewritten from, rewritten as): the article's family, by article."""
        return tuple([self.articles[i] for i in ids if i in self.articles] for ids in self.families.relations(article.id))

    def claims_with_verdict(self, verdict: Verdict) -> list[Claim]:
        return self._by_verdict.get(verdict.id, [])

    def claims_citing(self, article: Article) -> list[Claim]:
        return self._by_article.get(article.id, [])

    @cached_property
    def tags(self) -> dict[str, list[Claim]]:
        by_tag: dict[str, list[Claim]] = {}
        for claim in self.claims:
            for tag in claim.tags:
                by_tag.setdefault(tag, []).append(claim)
        return dict(sorted(by_tag.items()))

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

    @cached_property
    def layout(self) -> str:
        """A digest of where each check is placed in every list (see `placement`) and of the
        articles: what depends on these alone (the sitemap, the feed's order) is kept while it
        is the same. A site made by `with_edits` keeps it."""
        return digest(*(claim.placement_text for claim in self.claims), *sorted(self.articles))

    @cached_property
    def nav_pages(self) -> list[Page]:
        return [p for p in self.pages if p.nav]

    # -- browsing: claimants, related checks ---------------------------------------

    @cached_property
    def claimants(self) -> dict[str, Claimant]:
        """Claimants by slug, in slug order."""
        grouped: dict[str, list[Claim]] = {}
        for claim in self.claims:
            grouped.setdefault(claimant_slug(claim.claimant), []).append(claim)
        claimants = {}
        for slug in sorted(grouped):
            claims = grouped[slug]
            spellings = Counter(c.claimant for c in claims)
            name = min(spellings, key=lambda n: (-spellings[n], n))
            claimants[slug] = Claimant(slug, name, tuple(claims))
        return claimants

    def claimant_of(self, claim: Claim) -> Claimant:
        return self.claimants[claimant_slug(claim.claimant)]

    def related(self, claim: Claim) -> list[Claim]:
        """Up to RELATED_LIMIT other checks that cite the same articles or share topics, closest first."""
        return [self.by_slug[slug] for slug in self.related_slugs.get(claim.slug, ())]

    @cached_property
    def by_slug(self) -> dict[str, Claim]:
        return {claim.slug: claim for claim in self.claims}

    @cached_property
    def digests(self) -> tuple[str, ...]:
        """Of its checks, in its order."""
        return tuple(claim.digest for claim in self.claims)

    def with_edits(self, edited: dict[str, Claim]) -> "Site":
        """This site with checks (by slug) edited in ways that move none of them (see
        `placed_alike`): its lists are this site's, the edited checks swapped in. The preview
        makes a site so after each save; building every list anew took most of its time."""
        swap = lambda claims: [edited.get(c.slug, c) for c in claims]  # noqa: E731
        site = replace(self, claims=tuple(swap(self.claims)))
        known, lists = self.__dict__, site.__dict__  # what cached_property has worked out
        if "tags" in known:
            lists["tags"] = {**known["tags"], **{t: swap(known["tags"][t]) for c in edited.values() for t in c.tags}}
        if "_by_verdict" in known:
            lists["_by_verdict"] = {**known["_by_verdict"], **{
                c.verdict.id: swap(known["_by_verdict"][c.verdict.id]) for c in edited.values()}}
        if "_by_article" in known:
            lists["_by_article"] = {**known["_by_article"], **{
                a.id: swap(known["_by_article"][a.id]) for c in edited.values() for a in c.cited_articles}}
        if "claimants" in known:
            claimants = dict(known["claimants"])
            for slug in {claimant_slug(c.claimant) for c in edited.values()}:
                claimants[slug] = replace(claimants[slug], claims=tuple(swap(claimants[slug].claims)))
            lists["claimants"] = claimants
        if "layout" in known:
            lists["layout"] = known["layout"]
        if "by_slug" in known:
            lists["by_slug"] = {**known["by_slug"], **edited}
        return site


def placement(claim: Claim) -> tuple:
    """What places a check in every list, among related checks and in the sitemap (its dates)."""
    return (claim.slug, claim.published, claim.modified, claim.draft, claim.verdict.id, claim.tags, claim.claimant,
            tuple(a.id for a in claim.cited_articles))


def placed_alike(before: Claim, after: Claim) -> bool:
    """Whether an edit leaves a check in the same place in every list."""
    return placement(before) == placement(after)


def related_key(claims: tuple[Claim, ...]) -> str:
    """Changes whenever what `related_checks` weighs changes: order, slugs, articles, topics."""
    return digest(*(f"{c.slug}|{' '.join(c.tags)}|{' '.join(a.id for a in c.cited_articles)}" for c in claims))


def related_checks(claims: tuple[Claim, ...]) -> dict[str, tuple[str, ...]]:
    """For each check, the slugs of up to RELATED_LIMIT others that cite the same articles or
    share topics, closest first; `claims` in the site's order (newest first)."""
    by_article: dict[str, list[int]] = {}
    by_tag: dict[str, list[int]] = {}
    for position, claim in enumerate(claims):
        for article in claim.cited_articles:
            by_article.setdefault(article.id, []).append(position)
        for tag in claim.tags:
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
    for here, claim in enumerate(claims):
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
        related[claim.slug] = tuple(claims[other].slug for _, other in ranked)
    return related
