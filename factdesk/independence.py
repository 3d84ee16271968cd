"""Which archived articles are one source: copies and rewrites of the same report.

Three articles saying the same thing are one source when they carry the same
wire report. This module groups articles into *families*:

- **copies** share most of their wording. Texts are cut into word shingles
  (runs of `shingle_size` words, within a paragraph) after folding case,
  typography (NFKC, accents, quotes and dashes: punctuation is dropped, so
  everything `quotes.fold` forgives is forgiven here too) and whitespace, and
  after dropping paragraphs that are page furniture ("Also read", "Disclaimer:",
  "Copyright ...") or a publisher's boilerplate (a paragraph under many of its
  articles, see `_drop_boilerplate`). Two articles are copies when at least `copy_similarity` of
  the SMALLER article's shingles stand in the other (containment), so related
  headlines, comments or disclaimers appended to one copy do not separate them.
- **rewrites** say the same in other words. An article that credits its basis
  ("Based on IANS report", "With inputs from PTI") is compared with the
  articles credited to that name (a byline such as `author: IANS`, a dateline
  "Moscow, May 30 (IANS)", a closing "IANS" or "Copyright X" line, or the
  publisher's name). It is a rewrite of the best one when at least
  `rewrite_similarity` of the smaller text's content words (stop words
  dropped) appear in both, in the same order, in runs of two or more.

Candidates are found without comparing all pairs: each article gets a MinHash
sketch of its shingles (one-permutation hashing with rotation densification,
`permutations` bins) and LSH banding (`bands` bands) proposes the pairs that
share a band; each proposed pair is then checked exactly. A bucket checks each
article against at most `BUCKET_CHECKS` earlier groups, and a rewrite against at
most `REWRITE_CANDIDATES` articles, so the work grows about linearly with the
archive. Hashes are blake2b and fixed 64-bit arithmetic, never Python's salted
`hash()`: the same input gives the same families, in the same order, on every
run and machine.

Everything here is pure: plain data in, plain data out, no I/O. An article is
anything with `id`, `text`, `publisher` and optionally `author` (the model's
`Article`).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from statistics import median_low
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from .i18n import Interface, interface

# -- thresholds --------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """The knobs, as site.yaml's `independence:` key sets them."""

    # Copies score near 1 and different reports on one topic near 0: half leaves room
    # for a trimmed or lightly edited copy with furniture around it.
    copy_similarity: float = 0.5
    # Low, as it applies only to an article crediting the other's source, yet above
    # what other stories from the same wire on the same topic score.
    rewrite_similarity: float = 0.2
    # Long enough that common phrases rarely match, short enough that an edited word breaks little.
    shingle_size: int = 5
    # About one sentence: a shared quote or a footer alone never makes two articles copies.
    min_shared: int = 10
    # 64 bands of 2 rows nearly always propose a copy inside a page twice its size
    # (Jaccard 0.2), and almost never two pages sharing a stock phrase (0.01).
    permutations: int = 128
    bands: int = 64

    def problems(self) -> list[tuple[str, str]]:
        """(name, what is wrong) for each value that cannot work; empty when all is well."""
        found = []
        for name in ("copy_similarity", "rewrite_similarity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                found.append((name, "must be a number above 0 and at most 1, such as 0.5"))
        # upper bounds keep a typo (permutations: 400000000) from stalling the build
        for name, low, high in (("shingle_size", 2, 20), ("min_shared", 1, 1000), ("permutations", 8, 1024), ("bands", 1, 1024)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                found.append((name, f"must be a whole number of at least {low} and at most {high}"))
        p, b = self.permutations, self.bands
        if not any(n in ("permutations", "bands") for n, _ in found) and p % b:  # also when b > p
            found.append(("bands", f"must divide permutations ({p}) evenly, such as {p // 2}"))
        return found

    @property
    def rows(self) -> int:
        return self.permutations // self.bands


THRESHOLD_DESCRIPTIONS = {
    "copy_similarity": "share of the shorter article's word shingles found in the other for the two to be copies of one report",
    "rewrite_similarity": "share of the shorter article's content words shared in order with an article it credits, for it to be a rewrite",
    "shingle_size": "words in a shingle; shorter shingles match more loosely",
    "min_shared": "fewest shingles two articles must share to be copies, so boilerplate and stubs never make a family",
    "permutations": "MinHash values kept per article to find candidate pairs; more finds weaker copies but costs time",
    "bands": "LSH bands the MinHash values are cut into; more bands propose more candidate pairs (must divide permutations)",
}

BUCKET_CHECKS = 8  # an article in an LSH bucket is checked against at most this many of its groups
BOILERPLATE_ARTICLES = 3  # a paragraph in this many articles of one publisher is its boilerplate
REWRITE_CANDIDATES = 8  # an article crediting a source is checked against at most this many articles
COMMON_PHRASE = 200  # a content-word pair in more credited articles than this says nothing about a rewrite

# -- credits -----------------------------------------------------------------

# News agencies: the name shown, and every spelling of it (lowercase).
_AGENCIES = {
    "IANS": ("ians", "indo-asian news service"),
    "PTI": ("pti", "press trust of india"),
    "ANI": ("ani", "asian news international"),
    "UNI": ("uni", "united news of india"),
    "Reuters": ("reuters", "thomson reuters"),
    "AP": ("ap", "associated press", "the associated press"),
    "AFP": ("afp", "agence france-presse", "agence france presse"),
    "APP": ("app", "associated press of pakistan"),
    "NNI": ("nni",),
    "Xinhua": ("xinhua",),
    "TASS": ("tass",),
    "RIA Novosti": ("ria novosti",),
    "Anadolu Agency": ("anadolu", "anadolu agency"),
    "dpa": ("dpa",),
    "EFE": ("efe",),
    "ANSA": ("ansa",),
    "Bloomberg": ("bloomberg",),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap",),
    "Bernama": ("bernama",),
    "BSS": ("bss",),
    "WAM": ("wam",),
    "IPS": ("ips",),
}
WIRES = {spelling: name for name, spellings in _AGENCIES.items() for spelling in spellings}
# Credits that name no one in particular.
GENERIC_NAMES = frozenset(
    {"agencies", "agency", "staff", "desk", "web desk", "news desk", "online desk", "bureau", "correspondent",
     "staff reporter", "our correspondent", "news agencies", "wire", "wires", "wire services", "report", "reports"}
)


@dataclass(frozen=True)
class Credit:
    name: str  # as shown: "IANS", "Business Recorder"
    kind: str  # "by": the text is theirs; "based_on": the text is written from theirs


_NAME_SPLIT = re.compile(r"\s*(?:,|;|/|\||&|\band\b)\s*", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})?"  # MOSCOW, New Delhi
    r"(?:\s*,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\s*,\s*\d{4})?)?"  # , May 30
    r"\s*[(\[/]\s*([A-Za-z][A-Za-z .&-]{0,40}?)\s*[)\]/]"  # (IANS)
)
_BARE_LINE = re.compile(r"^[\s\-\u2013\u2014(\[]*([A-Za-z][A-Za-z .&'-]{0,40}?)[\s)\].]*$")
_COPYRIGHT = re.compile(
    r"^\s*(?:copyright\s*(?:\u00a9|\(c\))?|\u00a9)\s*(?:\d{4}\s*,?\s*)?(.+?)(?:\s*,?\s*\d{4})?\s*\.?\s*(?:all rights reserved\.?)?\s*$",
    re.IGNORECASE,
)
_BASED_ON = (
    re.compile(r"\bbased\s+on\s+(?:an?\s+|the\s+)?(?:reports?|stories|story|inputs?)\s+(?:by|from|of)\s+(.+?)[\s.)\]]*$", re.I),
    re.compile(r"\bbased\s+on\s+(?:an?\s+|the\s+)?(.+?)(?:'s)?\s+(?:news\s+)?(?:reports?|story|stories|inputs?|feeds?|copy)\b", re.I),
    re.compile(r"\bwith\s+(?:additional\s+)?inputs?\s+(?:from\s+)?(.+?)[\s.)\]]*$", re.I),
)
_SOURCE = re.compile(r"^[\s(\[]*(?:source|courtesy)s?\s*[:\-\u2013\u2014]\s*(.+?)[\s.)\]]*$", re.I)


def canonical_name(raw: str, known_only: bool = False) -> str | None:
    """The name a credit gives, as shown ("press trust of india" -> "PTI"), or None."""
    name = " ".join(raw.strip(" \t.,;:-\u2013\u2014()[]'\"").split())
    name = re.sub(r"^(?:by|from|the)\s+", "", name, flags=re.I) if name.lower() not in WIRES else name
    key = name.lower()
    if key in WIRES:
        return WIRES[key]
    if known_only or not name or key in GENERIC_NAMES or len(name.split()) > 5 or any(c.isdigit() for c in name):
        return None
    words = name.split()
    if all(w[0].isupper() or not w[0].isalpha() or w.lower() in ("of", "the", "and", "de", "al") for w in words):
        return name
    return None


def _names(raw: str, known_only: bool = False) -> list[str]:
    return [n for part in _NAME_SPLIT.split(raw) if (n := canonical_name(part, known_only))]


def _based_on(text: str) -> re.Match | None:
    """The first of `_BASED_ON` to match `text`: its group 1 is the credited name."""
    return next((m for pattern in _BASED_ON if (m := pattern.search(text))), None)


def credits_of(article: Any) -> tuple[Credit, ...]:
    """Who the article credits: its byline, dateline, closing credit or copyright line."""
    found: list[Credit] = []
    author = getattr(article, "author", None) or ""
    if m := _based_on(author):
        found += [Credit(n, "based_on") for n in _names(m.group(1))]
        author = author[: m.start()]
    found += [Credit(n, "by") for n in _names(author, known_only=True)]
    found += [Credit(p, "by") for p in _NAME_SPLIT.split(author.strip()) if re.fullmatch(r"[A-Z]{2,6}", p) and p.lower() not in WIRES]

    lines = [line.strip() for line in (getattr(article, "text", "") or "").split("\n") if line.strip()]
    for line in lines[:2]:
        if m := _DATELINE.match(line):
            name = canonical_name(m.group(1), known_only=True)
            if name is None and re.fullmatch(r"[A-Z]{2,6}", m.group(1)):
                name = m.group(1)
            if name:
                found.append(Credit(name, "by"))
                break
    for line in lines[-3:] + lines[:1]:
        if len(line.split()) > 12:
            continue
        if m := _COPYRIGHT.match(line) or _SOURCE.match(line):
            found += [Credit(n, "by") for n in _names(m.group(1))]
        elif m := _based_on(line):
            found += [Credit(n, "based_on") for n in _names(m.group(1))]
        elif (m := _BARE_LINE.match(line)) and (name := canonical_name(m.group(1), known_only=True)):
            found.append(Credit(name, "by"))
    return tuple(dict.fromkeys(found))


# -- text ----------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_ACCENT = re.compile("[\u0300-\u036f]+")  # Latin accents, once NFKD has taken them off their letters
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FURNITURE = re.compile(
    r"^\W*(?:also\s+read|read\s+also|read\s+more|more\s+from|related\b|recommended|advertisement|sponsored"
    r"|subscribe|sign\s+up|follow\s+us|share\s+(?:this|on)|click\s+here|disclaimer|copyright|\u00a9|\(c\)\s"
    r"|all\s+rights\s+reserved|download\s+(?:the|our)\s+app|tags?\s*:|topics?\s*:|trending|most\s+read"
    r"|(?:this|the)\s+(?:story|article)\s+(?:has|was|is)\s+(?:not\s+been\s+)?(?:edited|auto-generated|published))",
    re.IGNORECASE,
)
FURNITURE_MAX_WORDS = 40  # a longer paragraph is text even if it starts like furniture

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each even ever every few for from further had
    has have having he her here hers herself him himself his how however i if in into is it its itself just
    last like many may me might more most much must my myself near new no nor not now of off on once one only
    or other our ours out over own per said same says say she should since so some such than that the their
    theirs them then there these they this those though through to too told under until up upon us very via
    was we were what when where whether which while who whom whose why will with within without would yet you
    your also according""".split()
)

_MASK = (1 << 64) - 1
_MULT = 0x9E3779B97F4A7C15


def _fold_words(text: str) -> list[str]:
    """Words, folded: NFKC, case, accents; punctuation (quotes, dashes, apostrophes) dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = _ACCENT.sub("", unicodedata.normalize("NFKD", text))
    return _WORD.findall(text)


def paragraphs(text: str) -> list[list[str]]:
    """The folded words of each paragraph that is not page furniture."""
    kept = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        words = _fold_words(paragraph)
        if words and not (len(words) <= FURNITURE_MAX_WORDS and _FURNITURE.match(paragraph.strip())):
            kept.append(words)
    return kept


def _carries_meaning(word: str) -> bool:
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def content_words(text: str) -> list[str]:
    """The folded words that carry meaning, in order: stop words and single letters dropped."""
    return [w for para in paragraphs(text) for w in para if _carries_meaning(w)]


_SCRAMBLE = 0xBF58476D1CE4E5B9  # from splitmix64; spreads the high bits into the low ones


class _WordHashes(dict):
    """Each word's 64-bit hash, computed once; `function` holds the hashes of words that carry no meaning."""

    def __init__(self):
        super().__init__()
        self.function: set[int] = set()

    def __missing__(self, word: str) -> int:
        value = self[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        if not _carries_meaning(word):
            self.function.add(value)
        return value


def _shingles(paras: Iterable[Sequence[int]], size: int) -> set[int]:
    """64-bit hashes of every run of `size` words within a paragraph, from the words' hashes."""
    out: set[int] = set()
    add = out.add
    top = pow(_MULT, size - 1, 1 << 64)
    for hs in paras:
        if len(hs) < size:
            continue
        h = 0
        for x in hs[:size]:
            h = (h * _MULT + x) & _MASK
        add(((h ^ (h >> 31)) * _SCRAMBLE) & _MASK)
        for i in range(size, len(hs)):
            h = ((h - hs[i - size] * top) * _MULT + hs[i]) & _MASK
            add(((h ^ (h >> 31)) * _SCRAMBLE) & _MASK)
    return out


def shingles(text: str, size: int = Thresholds.shingle_size) -> set[int]:
    """The hashes of the text's word shingles, furniture paragraphs left out."""
    word_hash = _WordHashes()
    return _shingles(([word_hash[w] for w in words] for words in paragraphs(text)), size)


def sketch(shingles: Iterable[int], permutations: int) -> tuple[int, ...] | None:
    """A MinHash sketch by one-permutation hashing, empty bins filled by rotation."""
    empty = 1 << 64
    mins = [empty] * permutations
    for h in shingles:
        b = h % permutations
        v = h // permutations
        if v < mins[b]:
            mins[b] = v
    if all(v == empty for v in mins):
        return None
    offset = (1 << 64) // permutations + 1  # keeps borrowed values apart from a bin's own
    filled = list(mins)
    for j in range(permutations):
        if mins[j] == empty:
            t = 1
            while mins[(j + t) % permutations] == empty:
                t += 1
            filled[j] = mins[(j + t) % permutations] + t * offset
    return tuple(filled)


def containment(a: set[int], b: set[int]) -> float:
    """The share of the smaller set found in the other."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small) if small else 0.0


def ordered_overlap(a: list[str], b: list[str]) -> float:
    """The share of the shorter word list that the other has in the same order, in runs of two or more."""
    if not a or not b:
        return 0.0
    a, b = sorted((a, b), key=lambda words: (len(words), words))  # the same score either way round
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    return shared / min(len(a), len(b))


# -- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """Articles that are one source: copies of one report and rewrites of it."""

    origin: str | None  # who the report is credited to ("IANS"), where the articles say
    members: tuple[str, ...]  # article ids, sorted
    copies: tuple[tuple[str, str], ...]  # pairs found to be copies (a spanning set, not every pair)
    rewrites: tuple[tuple[str, str], ...]  # (rewrite id, the article it was rewritten from)
    copy_groups: tuple[tuple[str, ...], ...]  # members carrying the same text; the first is the report itself

    def as_data(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "members": list(self.members),
            "copies": [list(pair) for pair in self.copies],
            "rewrites": [list(pair) for pair in self.rewrites],
        }


class Relations(NamedTuple):
    also_published_as: tuple[str, ...]  # the same text elsewhere
    rewritten_from: tuple[str, ...]  # the report this article rewrites, in every copy archived
    rewritten_as: tuple[str, ...]  # rewrites of this article's text


@dataclass(frozen=True)
class Stats:
    """The work done, to show it grows about linearly with the archive."""

    articles: int = 0
    copy_checks: int = 0  # candidate pairs checked exactly for copying
    rewrite_queries: int = 0  # articles crediting a source they were written from
    rewrite_checks: int = 0  # candidate pairs checked exactly for rewriting
    boilerplate: int = 0  # paragraphs left out as a publisher's boilerplate


@dataclass(frozen=True)
class Families:
    families: tuple[Family, ...]  # every article's family, singletons included, by first member
    stats: Stats = field(default=Stats(), compare=False)
    _by_id: Mapping[str, Family] = field(default_factory=dict, repr=False, compare=False)
    _group_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _source_of: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _rewrites_of: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def family_of(self, article_id: str) -> Family | None:
        return self._by_id.get(article_id)

    @property
    def shared(self) -> tuple[Family, ...]:
        """The families of more than one article."""
        return tuple(f for f in self.families if len(f.members) > 1)

    def relations(self, article_id: str) -> Relations:
        group = self._group_of.get(article_id)
        if group is None:
            return Relations((), (), ())
        also = tuple(a for a in group if a != article_id)
        source = self._source_of.get(group, ())
        return Relations(also, source, self._rewrites_of.get(group, ()))

    def source_groups(self, article_ids: Iterable[str], articles_by_id: Mapping[str, Any] | None = None) -> list[list[str]]:
        """The articles as independent sources, each a list of ids in the order given.

        Articles count once when they are one report by text (copies and rewrites), and, where
        `articles_by_id` gives their front matter, when one outlet published them or they
        declare one `origin`. An id the families do not know is a source of its own."""
        ids = list(dict.fromkeys(article_ids))
        sources = _UnionFind(len(ids))
        first_with: dict[tuple, int] = {}
        for index, article_id in enumerate(ids):
            family = self._by_id.get(article_id)
            keys: list[tuple] = [("family", family.members)] if family else []
            article = articles_by_id.get(article_id) if articles_by_id is not None else None
            if article is not None:
                if outlet := known_outlet(getattr(article, "publisher", None)):
                    keys.append(("outlet", outlet))
                if origin := getattr(article, "origin", None):
                    keys.append(("origin", origin))
            for key in keys:
                sources.union(first_with.setdefault(key, index), index)
        return [[ids[i] for i in members] for members in sources.groups().values()]

    def independent_count(self, article_ids: Iterable[str], articles_by_id: Mapping[str, Any] | None = None) -> tuple[int, list[Family]]:
        """How many independent sources the articles are (see `source_groups`), and the families
        of which several are cited."""
        ids = list(dict.fromkeys(article_ids))
        cited = Counter(family for article_id in ids if (family := self._by_id.get(article_id)))
        shared = [family for family, times in cited.items() if times > 1]
        return len(self.source_groups(ids, articles_by_id)), shared

    def describe(self, article_ids: Iterable[str], articles_by_id: Mapping[str, Any], words: Interface | None = None) -> str:
        """'3 articles, 2 independent sources: Sakshi Post and X carry the same IANS report', in the
        language of `words` (English)."""
        words = words or interface()
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return words.gettext("No archived articles")
        articles = words.ngettext("%(num)s article", "%(num)s articles", len(ids)) % {"num": words.number(len(ids))}
        if len(ids) == 1:
            sources = words.ngettext("%(num)s source", "%(num)s sources", 1) % {"num": words.number(1)}
            return words.gettext("%(articles)s, %(sources)s") % {"articles": articles, "sources": sources}
        groups = self.source_groups(ids, articles_by_id)
        sources = words.ngettext("%(num)s independent source", "%(num)s independent sources", len(groups)) % {
            "num": words.number(len(groups))}
        details = [self.group_detail(group, articles_by_id, words) for group in groups if len(group) > 1]
        return words.gettext("%(articles)s, %(sources)s") % {"articles": articles, "sources": sources} + (
            ": " + words.semicolon.join(details) if details else "")

    def single_source_warning(self, article_ids: Iterable[str], articles_by_id: Mapping[str, Any]) -> str | None:
        """What to tell an editor whose cited articles are one source; None when they are more."""
        ids = list(dict.fromkeys(article_ids))
        groups = self.source_groups(ids, articles_by_id)
        if len(groups) != 1:
            return None
        if len(ids) == 1:
            return f"the check rests on one article ({_publishers(ids, articles_by_id)}); cite an independent source as well"
        detail = self.group_detail(ids, articles_by_id)
        return f"all {len(ids)} cited articles are one source ({detail}); cite an independent source as well"

    def group_detail(self, group: list[str], articles_by_id: Mapping[str, Any], words: Interface | None = None) -> str:
        """Why the articles of one group (from `source_groups`) count once, in the language of `words` (English)."""
        words = words or interface()
        units: dict[object, list[str]] = {}  # the group's reports by text
        for article_id in group:
            family = self._by_id.get(article_id)
            units.setdefault(family.members if family else article_id, []).append(article_id)
        parts = [self._detail(self._by_id[cited[0]], cited, articles_by_id, words) for cited in units.values() if len(cited) > 1]
        if len(units) > 1:
            parts += _joined_by(list(units.values()), articles_by_id, words)
        return "; ".join(parts)

    def sources_data(self, article_ids: Iterable[str], articles_by_id: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A claim's citations for claims.json: counts and the families cited more than once."""
        ids = list(dict.fromkeys(article_ids))
        sources, shared = self.independent_count(ids, articles_by_id)
        return {
            "articles": len(ids),
            "independent_sources": sources,
            "shared": [
                {"origin": f.origin, "articles": [a for a in ids if a in f.members], "family": list(f.members)}
                for f in shared
            ],
        }

    def as_data(self) -> list[dict[str, Any]]:
        """The families of more than one article, for claims.json."""
        return [f.as_data() for f in self.shared]

    def _detail(self, family: Family, cited: list[str], articles_by_id: Mapping[str, Any], words: Interface) -> str:
        """Why articles of one family count once; `cited` are those the claim cites."""
        root = family.copy_groups[0]
        carried = [a for a in cited if a in root]
        rewrote = [a for a in cited if a not in root]
        names = {"carriers": _publishers(carried, articles_by_id, words), "rewriters": _publishers(rewrote, articles_by_id, words),
                 "origin": family.origin}
        # one whole sentence per case, so that a language can order its words its own way
        if len(carried) >= 2 and rewrote:
            text = (words.gettext("%(carriers)s carry the same %(origin)s report, which %(rewriters)s rewrote") if family.origin
                    else words.gettext("%(carriers)s carry the same report, which %(rewriters)s rewrote"))
        elif len(carried) >= 2:
            text = (words.gettext("%(carriers)s carry the same %(origin)s report") if family.origin
                    else words.gettext("%(carriers)s carry the same report"))
        elif carried:
            text = (words.gettext("%(rewriters)s rewrote the %(origin)s report carried by %(carriers)s") if family.origin
                    else words.gettext("%(rewriters)s rewrote the report carried by %(carriers)s"))
        else:
            text = (words.gettext("%(rewriters)s rewrote the same %(origin)s report") if family.origin
                    else words.gettext("%(rewriters)s rewrote the same report"))
        return text % names


# Publisher names that say the outlet is not known: two such articles are not one outlet.
_UNKNOWN_OUTLET = re.compile(r"^(?:unidentified|unknown|unnamed|anonymous)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)  # a site names its few outlets over and over
def known_outlet(publisher: str | None) -> str | None:
    """The outlet a publisher name stands for, folded; None when the name says it is not known."""
    name = " ".join((publisher or "").split())
    if not name or _UNKNOWN_OUTLET.match(name):
        return None
    return name.casefold()


def _joined_by(units: list[list[str]], articles_by_id: Mapping[str, Any], words: Interface) -> list[str]:
    """What makes separate reports one source: an outlet or a declared origin they share."""
    reasons = []
    covered: list[set[str]] = []  # articles an outlet already joins: their origin goes without saying
    for what, value_of in (("outlet", lambda a: known_outlet(getattr(a, "publisher", None))),
                           ("origin", lambda a: getattr(a, "origin", None))):
        sharing: dict[str, list[str]] = {}
        units_with: dict[str, int] = {}
        for unit in units:
            for value in {value_of(articles_by_id.get(i)) for i in unit} - {None}:
                sharing.setdefault(value, []).extend(i for i in unit if value_of(articles_by_id.get(i)) == value)
                units_with[value] = units_with.get(value, 0) + 1
        for value, ids in sorted(sharing.items()):
            if units_with[value] < 2:  # within one report, the text already says it
                continue
            if what == "outlet":
                name = getattr(articles_by_id.get(ids[0]), "publisher", value)
                reasons.append(words.ngettext("%(num)s is from one outlet, %(outlet)s", "%(num)s are from one outlet, %(outlet)s",
                                              len(ids)) % {"num": words.number(len(ids)), "outlet": name})
                covered.append(set(ids))
            elif not any(set(ids) <= outlet for outlet in covered):
                reasons.append(words.gettext("%(publishers)s relay one origin, %(origin)s")
                               % {"publishers": _publishers(ids, articles_by_id, words), "origin": value.replace("-", " ")})
    return reasons


def _publishers(ids: list[str], articles_by_id: Mapping[str, Any], words: Interface | None = None) -> str:
    """'Sakshi Post and X', alphabetically; a name given by several articles says how many."""
    words = words or interface()
    names = Counter(getattr(articles_by_id.get(a), "publisher", None) or a for a in ids)
    shown = [name if n == 1 else words.ngettext("%(name)s (%(num)s article)", "%(name)s (%(num)s articles)", n)
             % {"name": name, "num": words.number(n)} for name, n in sorted(names.items(), key=lambda kv: (kv[0].casefold(), kv[0]))]
    return words.list(shown)


# -- finding families -------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the smallest index leads: deterministic

    def groups(self) -> dict[int, list[int]]:
        """Each root's members, in index order; roots in the order of their first member."""
        members: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            members.setdefault(self.find(i), []).append(i)
        return members


@dataclass
class _Prepared:
    id: str
    shingles: array  # 64-bit hashes, unsigned: compact, and no work for the garbage collector
    sketch: tuple[int, ...] | None
    credits: tuple[Credit, ...]
    names: frozenset[str]  # lowercase names the article answers to: its credits "by" and its publisher


def _prepare(article: Any, paras: list[array], t: Thresholds) -> _Prepared:
    shingles = _shingles(paras, t.shingle_size)
    credits = credits_of(article)
    names = {c.name.lower() for c in credits if c.kind == "by"}
    publisher = getattr(article, "publisher", None)
    if publisher and (name := canonical_name(publisher) or publisher.strip()):
        names.add(name.lower())
    return _Prepared(article.id, array("Q", shingles), sketch(shingles, t.permutations), credits, frozenset(names))


def find_families(articles: Iterable[Any], thresholds: Thresholds = Thresholds()) -> Families:
    """Group articles into families of copies and rewrites of the same report."""
    t = thresholds
    if problems := t.problems():
        raise ValueError("; ".join(f"{name} {why}" for name, why in problems))
    by_id = {a.id: a for a in articles}
    docs = [by_id[i] for i in sorted(by_id)]
    word_hash = _WordHashes()
    paras = [[array("Q", [word_hash[w] for w in words]) for words in paragraphs(a.text or "")] for a in docs]
    boilerplate = _drop_boilerplate(docs, paras, t)
    prep = [_prepare(a, p, t) for a, p in zip(docs, paras)]
    n = len(prep)
    copies = _UnionFind(n)
    copy_edges: list[tuple[int, int]] = []
    copy_checks = 0

    def is_copy(i: int, j: int) -> bool:
        a, b = prep[i].shingles, prep[j].shingles
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        shared = len(set(large).intersection(small))
        return shared >= t.min_shared and shared >= t.copy_similarity * len(small)

    rows = t.rows
    for band in range(t.bands):
        buckets: dict[int, list[int]] = {}
        lo = band * rows
        for i, p in enumerate(prep):
            if p.sketch is not None:
                key = 0
                for value in p.sketch[lo : lo + rows]:
                    key = (key << 65) | value  # an int, not a tuple: nothing for the garbage collector
                buckets.setdefault(key, []).append(i)
        for members in buckets.values():
            if len(members) < 2:
                continue
            reps: list[int] = []  # one article for each group met in this bucket
            for m in members:
                for r in reps:
                    if copies.find(r) != copies.find(m):
                        copy_checks += 1
                        if is_copy(m, r):
                            copies.union(m, r)
                            copy_edges.append((r, m))
                if len(reps) < BUCKET_CHECKS and all(copies.find(r) != copies.find(m) for r in reps):
                    reps.append(m)

    groups = copies.groups()
    group_names = {root: frozenset().union(*(prep[i].names for i in members)) for root, members in groups.items()}

    family = _UnionFind(n)
    for a, b in copy_edges:
        family.union(a, b)
    rewrite_edges, queries, rewrite_checks = _find_rewrites(paras, word_hash.function, prep, copies, family, group_names, t)

    # -- the families, as data
    by_family = family.groups()  # in order of first member: by id, as `docs` is
    source_of_group = {copies.find(r): copies.find(s) for r, s in rewrite_edges}
    edges_of: dict[int, list[tuple[int, int]]] = {}
    for a, b in copy_edges:
        edges_of.setdefault(family.find(a), []).append((a, b))
    rewrites_of: dict[int, list[tuple[int, int]]] = {}
    for r, source in rewrite_edges:
        rewrites_of.setdefault(family.find(r), []).append((r, source))
    result: list[Family] = []
    group_ids: dict[int, tuple[str, ...]] = {root: tuple(prep[i].id for i in members) for root, members in groups.items()}
    for root, members in by_family.items():
        roots = sorted({copies.find(i) for i in members}, key=lambda r: (r in source_of_group, r))
        result.append(
            Family(
                origin=_origin(roots, groups, prep),
                members=tuple(prep[i].id for i in members),
                copies=tuple(sorted(tuple(sorted((prep[a].id, prep[b].id))) for a, b in edges_of.get(root, ()))),
                rewrites=tuple(sorted((prep[r].id, prep[s].id) for r, s in rewrites_of.get(root, ()))),
                copy_groups=tuple(group_ids[r] for r in roots),
            )
        )
    index = {a: f for f in result for a in f.members}
    group_of = {prep[i].id: group_ids[copies.find(i)] for i in range(n)}
    source_of = {group_ids[r]: group_ids[s] for r, s in source_of_group.items()}
    rewritten_as: dict[tuple[str, ...], tuple[str, ...]] = {}
    for rewrite, source in sorted(source_of.items()):
        rewritten_as[source] = rewritten_as.get(source, ()) + rewrite
    stats = Stats(n, copy_checks, queries, rewrite_checks, boilerplate)
    return Families(tuple(result), stats, index, group_of, source_of, rewritten_as)


def _drop_boilerplate(docs: list[Any], paras: list[list[array]], t: Thresholds) -> int:
    """Leave out paragraphs that one publisher repeats under many articles (disclaimers, footers).

    A paragraph is boilerplate when at least `BOILERPLATE_ARTICLES` articles of
    the same publisher have it and it is at least twice as common as the
    article's typical paragraph (the lower median). A footer under otherwise
    different stories goes; an outlet's repeated versions of one story, whose
    paragraphs all recur together, stay whole. Returns how many paragraphs were
    left out."""
    size = t.shingle_size
    keys = [[hashlib.blake2b(p.tobytes(), digest_size=8).digest() if len(p) >= size else b"" for p in a] for a in paras]
    publishers = [(getattr(doc, "publisher", None) or "").casefold() for doc in docs]
    counts: Counter = Counter()
    for publisher, article_keys in zip(publishers, keys):
        counts.update((publisher, k) for k in set(article_keys) if k)
    dropped = 0
    for i, publisher in enumerate(publishers):
        seen = [counts[publisher, k] for k in keys[i] if k]
        if not seen or max(seen) < BOILERPLATE_ARTICLES:
            continue
        typical = median_low(seen)
        repeated = [bool(k) and counts[publisher, k] >= max(BOILERPLATE_ARTICLES, 2 * typical) for k in keys[i]]
        if any(repeated):
            dropped += sum(repeated)
            paras[i] = [p for p, r in zip(paras[i], repeated) if not r]
    return dropped


def _find_rewrites(paras, function_words, prep, copies: _UnionFind, family: _UnionFind, group_names, t: Thresholds):
    """(rewrite, source) index pairs: articles crediting a source, matched to the best credited article."""
    based_on = [frozenset(c.name.lower() for c in p.credits if c.kind == "based_on") for p in prep]
    queries = [(i, names) for i, names in enumerate(based_on) if names]
    if not queries:
        return [], 0, 0
    wanted = frozenset().union(*(names for _, names in queries))
    pool = [j for j in range(len(prep)) if group_names[copies.find(j)] & wanted]

    @functools.cache
    def words_of(i: int) -> list[int]:
        """The article's content words (as hashes, boilerplate left out), in order."""
        return [h for p in paras[i] for h in p if h not in function_words]

    def pairs(i: int) -> set[int]:
        w = words_of(i)
        return {(a * _MULT + b) & _MASK for a, b in zip(w, w[1:])}

    # content-word pairs of the queries; the credited articles vote for the queries they share pairs with
    asked: dict[int, list[int]] = {}
    for q, (i, _) in enumerate(queries):
        for pair in pairs(i):
            asked.setdefault(pair, []).append(q)
    pool_pairs = {j: pairs(j) & asked.keys() for j in pool}
    frequency = Counter(pair for found in pool_pairs.values() for pair in found)
    votes: list[Counter] = [Counter() for _ in queries]
    for j in pool:
        for pair in pool_pairs[j]:
            if frequency[pair] <= COMMON_PHRASE:
                for q in asked[pair]:
                    votes[q][j] += 1

    edges: list[tuple[int, int]] = []
    rewritten: set[int] = set()  # copy groups already matched to a source
    checks = 0
    for q, (i, names) in enumerate(queries):
        group = copies.find(i)
        if group in rewritten:
            continue
        ranked = sorted(
            (j for j, n in votes[q].items() if n >= 2 and family.find(j) != family.find(i) and group_names[copies.find(j)] & names),
            key=lambda j: (-votes[q][j], j),
        )[:REWRITE_CANDIDATES]
        best, best_score = None, 0.0
        for j in ranked:
            checks += 1
            score = ordered_overlap(words_of(i), words_of(j))
            if score > best_score or (score == best_score and best is not None and j < best):
                best, best_score = j, score
        if best is not None and best_score >= t.rewrite_similarity:
            edges.append((i, best))
            rewritten.add(group)
            family.union(i, best)
    return edges, len(queries), checks


def _origin(roots: list[int], groups, prep) -> str | None:
    """The most credited name: first in the report's own copies, then any member, then rewrites' credits."""
    report = [c.name for i in groups[roots[0]] for c in prep[i].credits if c.kind == "by"]
    members = [c.name for r in roots for i in groups[r] for c in prep[i].credits if c.kind == "by"]
    basis = [c.name for r in roots for i in groups[r] for c in prep[i].credits if c.kind == "based_on"]
    for names in (report, members, basis):
        if names:
            counts = Counter(names)
            return min(counts, key=lambda name: (-counts[name], name.casefold(), name))
    return None


def describe(article_ids: Iterable[str], articles_by_id: Mapping[str, Any]) -> str:
    """The sentence on a claim page ('3 articles, 2 independent sources: ...'), families found from `articles_by_id`."""
    return find_families(articles_by_id.values()).describe(article_ids, articles_by_id)

