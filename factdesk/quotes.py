"""Finding quotes in archived articles, and showing them in the article's words.

Matching forgives only what SPEC.md lists: NFKC, typographic quotes and
apostrophes, dash variants and whitespace, and for Arabic-script text the
spellings that sites differ in while readers see one word (docs/format.md,
"Letters that match"). Everything else (case, words, punctuation) must be as
the article has it. Matches start and end on word boundaries: a quote cannot
begin in the middle of a word, and a combining mark (a Devanagari vowel sign)
is part of its word. Each part of a quote matches at its first place after the
previous part.

Matching is linear in the quote and the article, hits and misses alike, so a
hostile pull request cannot hold CI; MAX_QUOTE_CHARS and MAX_ARTICLE_BYTES
bound the rest (`quote_problem`, `article_size_problem`).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote as percent_encode

# Arabic script: optional vowel marks (harakat, hamza and madda included), the
# decorative tatweel, and the invisible joiner and non-joiner are left out
_LEFT_OUT = frozenset(map(chr, [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D]))
_DROP = dict.fromkeys(map(ord, _LEFT_OUT))
# one letter for the Arabic and the Urdu/Farsi codes of yeh, kaf and heh
_SAME_LETTER = {"\u06cc": "\u064a", "\u06a9": "\u0643", "\u06c1": "\u0647"}
# a letter written with a mark left out (\u0626, yeh with hamza) is its base letter
_SAME_LETTER |= {
    c: _SAME_LETTER.get(base[0], base[0])
    for c in map(chr, range(0x0600, 0x0700))
    if (base := unicodedata.normalize("NFD", c)) != c and set(base[1:]) <= _LEFT_OUT
}
_FOLD = str.maketrans(
    {
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u2039\u203a"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
        **_SAME_LETTER,
    }
)
# the same folding, one character for one, with every whitespace character a space
_FOLD_SAME_LENGTH = {**_FOLD, **{ord(c): " " for c in map(chr, range(0x3001)) if c.isspace()}}
_ELISION = re.compile(r"\s*(?:\[\s*(?:\.\.\.|\u2026)\s*\]|\.\.\.|\u2026)\s*")
CONTEXT_CHARS = 160  # of the article's text shown around a quote
GAP_SHOWN_CHARS = 120  # an elided gap up to this long is shown, longer ones as […]
FRAGMENT_EXACT_MAX = 300  # longer passages are linked by their first and last words
FRAGMENT_EDGE_WORDS = 5

# Limits that no real quote or article reaches: matching is linear in both, and these bound the constant.
MAX_QUOTE_CHARS = 2_000  # of a quote, each whitespace run counted as one character
MAX_ARTICLE_BYTES = 2_000_000  # of an archived article's text, in UTF-8
_QUICK_TRIES = 16  # occurrences checked one by one before one linear search takes over


def quote_problem(quote: str) -> str | None:
    """Why `quote` is refused before any matching, or None (see MAX_QUOTE_CHARS)."""
    length = len(_collapse(quote))
    if length <= MAX_QUOTE_CHARS:
        return None
    return (
        f"the quote is {length:,} characters; at most {MAX_QUOTE_CHARS:,} are allowed; "
        "quote a shorter passage and use ... to leave words out"
    )


def article_size_problem(text: str | bytes) -> str | None:
    """Why an article's text (or its file's bytes) is refused, or None (see MAX_ARTICLE_BYTES)."""
    if len(text) * 4 <= MAX_ARTICLE_BYTES:
        return None  # no character takes more than 4 bytes: nothing to encode
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size <= MAX_ARTICLE_BYTES:
        return None
    return (
        f"the article is {size:,} bytes; at most {MAX_ARTICLE_BYTES:,} ({MAX_ARTICLE_BYTES / 1e6:g} MB) are allowed; "
        "archive only the article's own text, without comments, menus or other pages"
    )


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _normal(text: str) -> str:
    """NFKC without the characters matching leaves out."""
    text = unicodedata.normalize("NFKC", text)
    if _LEFT_OUT.isdisjoint(text):
        return text
    # a mark left out may have kept its neighbours apart: compose again
    return unicodedata.normalize("NFKC", text.translate(_DROP))


def fold(text: str) -> str:
    """`text` as matching sees it: NFKC, straight quotes and dashes, one letter per spelling, single spaces."""
    return _collapse(_normal(text).translate(_FOLD))


def quote_parts(quote: str) -> list[str]:
    """The quote's pieces between elision marks (..., … or [...]), folded."""
    # runs collapse first: the pattern's leading \s* would rescan a run from each of its spaces
    return [part for part in (fold(p) for p in _ELISION.split(_collapse(quote))) if part]


@dataclass(frozen=True)
class PreparedText:
    """An article made NFKC-normal for matching, with a map back to the source.

    Only characters that NFKC changes or matching leaves out are rewritten
    (most articles have none or a few), so preparing stays cheap; quotes,
    dashes, letters and whitespace are folded in `normalized`, built on the
    first search.
    """

    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()  # (text start, text end, source start, source end)

    def __getstate__(self) -> dict:
        # `normalized` is derived: pickled, it would store the article twice more
        return {"text": self.text, "edits": self.edits}

    @cached_property
    def normalized(self) -> NormalizedText:
        """The article as quotes are matched against it, built once however many quotes miss."""
        return NormalizedText.of(self)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of prepared text[start:end]."""
        return self._source_of(start)[0], self._source_of(end - 1)[1]

    def _source_of(self, index: int) -> tuple[int, int]:
        at = bisect.bisect_right(self.edits, (index, float("inf"))) - 1
        if at < 0:
            return index, index + 1
        text_start, text_end, source_start, source_end = self.edits[at]
        if index < text_end:
            return source_start, source_end  # a character that NFKC rewrote
        source = source_end + (index - text_end)
        return source, source + 1


_SPACE_RUN = re.compile("  +")


@dataclass(frozen=True, eq=False)
class NormalizedText:
    """An article as matching sees it: folded, every whitespace run one space.

    Positions map back through the runs that were shortened, so building it is
    a few passes in C and one step per run, never one per character.
    """

    text: str
    prepared: PreparedText = field(repr=False)
    runs: array = field(repr=False)  # where each shortened run's one space stands in `text`, ascending
    dropped: array = field(repr=False)  # prepared characters left out up to and including each such run

    @classmethod
    def of(cls, prepared: PreparedText) -> NormalizedText:
        folded = prepared.text.translate(_FOLD_SAME_LENGTH)
        runs, dropped = array("q"), array("q")
        total = 0
        for run in _SPACE_RUN.finditer(folded):
            runs.append(run.start() - total)
            total += run.end() - run.start() - 1
            dropped.append(total)
        return cls(_SPACE_RUN.sub(" ", folded) if runs else folded, prepared, runs, dropped)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of text[start:end] (a space at an edge takes its whole run)."""
        before = bisect.bisect_left(self.runs, start)
        through = bisect.bisect_right(self.runs, end - 1)
        prepared_start = start + (self.dropped[before - 1] if before else 0)
        prepared_end = end + (self.dropped[through - 1] if through else 0)
        return self.prepared.source_span(prepared_start, prepared_end)

    def find(self, part: str, start: int = 0) -> tuple[int, int] | None:
        """The first span from `start` where `part` stands, on word boundaries where it has letters."""
        text = self.text
        begins_word, ends_word = _in_word(part[0]), _in_word(part[-1])
        for _ in range(_QUICK_TRIES):
            at = text.find(part, start)
            if at == -1:
                return None
            end = at + len(part)
            if (not begins_word or at == 0 or not _in_word(text[at - 1])) and (
                not ends_word or end == len(text) or not _in_word(text[end])
            ):
                return at, end
            start = at + 1
        return self._marked.find(part, start)  # it keeps occurring inside words: stop trying one by one

    @cached_property
    def _marked(self) -> _MarkedText:
        return _MarkedText(self.text)


def _in_word(char: str) -> bool:
    """A letter, a digit or a combining mark (a Devanagari vowel sign is part of its word)."""
    return char.isalnum() or unicodedata.category(char)[0] == "M"


_MARKS = "".join(c for c in map(chr, range(0x30000)) if unicodedata.category(c)[0] == "M")
_WORD = re.compile(r"((?:[^\W_]|[" + re.escape(_MARKS) + r"])+)")  # what _in_word counts


class _MarkedText:
    """Text with a marker at each word's start and end.

    A part marked alike is then found on word boundaries by one `str.find`,
    which is linear, however often the part occurs inside longer words.
    """

    BLOCK = 4096  # markers are counted per block, so a position converts in one short count

    def __init__(self, text: str):
        self.marker = _unused_character(text)
        self.text = self._mark(text)
        counts = (self.text.count(self.marker, i, i + self.BLOCK) for i in range(0, len(self.text), self.BLOCK))
        self.blocks = array("q", itertools.accumulate(counts, initial=0))  # markers before each block

    def _mark(self, text: str) -> str:
        return self.marker.join(_WORD.split(text))

    def find(self, part: str, start: int) -> tuple[int, int] | None:
        if self.marker in part:
            return None  # the marker is a character the article does not have
        at = self.text.find(self._mark(part), self._position(start))
        if at == -1:
            return None
        begin = self._characters_before(at)
        return begin, begin + len(part)

    def _characters_before(self, position: int) -> int:
        """How many of the unmarked text's characters come before `position`."""
        block = position // self.BLOCK
        markers = self.blocks[block] + self.text.count(self.marker, block * self.BLOCK, position)
        return position - markers

    def _position(self, index: int) -> int:
        """Where unmarked character `index` starts, before any marker in front of it."""
        low, high = index, len(self.text)
        while low < high:
            middle = (low + high) // 2
            if self._characters_before(middle) < index:
                low = middle + 1
            else:
                high = middle
        return low


def _unused_character(text: str) -> str:
    if "\x00" not in text:
        return "\x00"
    present = set(text)
    return next(c for c in map(chr, range(1, 0x110000)) if c not in present)


def normalize(source: str) -> NormalizedText:
    """Fold `source` for matching; every whitespace run becomes one space."""
    return prepare(source).normalized


def _special_characters(source: str) -> str:
    """The characters of `source` that `prepare` rewrites, sorted."""
    found = (c for c in set(source) if unicodedata.combining(c) or c in _LEFT_OUT or unicodedata.normalize("NFKC", c) != c)
    return "".join(sorted(found))


def prepare(source: str) -> PreparedText:
    special = _special_characters(source)
    if not special:
        return PreparedText(source)
    marks = "".join(c for c in special if unicodedata.combining(c) or c in _LEFT_OUT)
    # a letter with its combining marks (and what matching leaves out after it) is one
    # edit, as NFKC composes them; any other changed character is an edit of its own,
    # so a match never takes in a neighbour
    pattern = "[" + re.escape(special) + "]"
    if marks:
        pattern = r"[^\s][" + re.escape(marks) + "]+|" + pattern
    pattern = re.compile(pattern)
    out: list[str] = []
    edits = []
    last = shift = 0  # shift: how much longer the prepared text is than the source so far
    replacements: dict[str, str] = {}  # an article repeats the few characters it rewrites
    for match in pattern.finditer(source):
        start, end = match.span()
        original = match.group()
        replacement = replacements.get(original)
        if replacement is None:
            replacement = replacements[original] = _normal(original)
        out += (source[last:start], replacement)
        edits.append((start + shift, start + shift + len(replacement), start, end))
        shift += len(replacement) - (end - start)
        last = end
    out.append(source[last:])
    return PreparedText("".join(out), tuple(edits))


@dataclass(frozen=True)
class Segment:
    kind: str  # "context", "quote", "gap" (shown) or "elided" (omitted text)
    text: str


@dataclass(frozen=True)
class QuoteMatch:
    spans: tuple[tuple[int, int], ...]  # source spans of the quoted parts
    segments: tuple[Segment, ...]  # the quote in the article's words, with context
    fragment: str  # "#:~:text=..." for a link to the passage

    @property
    def start(self) -> int:
        return self.spans[0][0]


@dataclass(frozen=True)
class QuoteMiss:
    message: str


def find_quote(quote: str, source: str, prepared: PreparedText | None = None) -> QuoteMatch | QuoteMiss:
    """Where `quote` stands in the article text `source` (prepared once per article).

    Linear in the article and the quote: each part is one search of the article's
    normalized text, which a miss reuses for its hint.
    """
    if problem := quote_problem(quote):
        return QuoteMiss(problem)
    parts = quote_parts(quote)
    if not parts:
        return QuoteMiss("the quote has no words")
    article = (prepared or prepare(source)).normalized
    spans = []
    position = 0
    for number, part in enumerate(parts):
        found = article.find(part, position)
        if found is None:
            return QuoteMiss(_miss_message(parts, number, source, article))
        spans.append(article.source_span(*found))
        position = found[1]
    return QuoteMatch(tuple(spans), _segments(source, spans), text_fragment(source, spans))


def _miss_message(parts: list[str], number: int, source: str, article: NormalizedText) -> str:
    part = parts[number]
    if number and article.find(part):  # a first part was searched from the start already
        return f'the part "{clipped(part)}" comes before the earlier parts in the article; parts of an elided quote must appear in order'
    where = "the quote" if len(parts) == 1 else f'the part "{clipped(part)}"'
    hint = closest_passage(part, article, source)
    message = f"{where} is not in the article"
    if hint:
        message += f'; the closest passage is: "{hint}"'
    return message


def closest_passage(part: str, article: NormalizedText, source: str) -> str | None:
    """The article's words nearest to `part`, to show the editor what differs.

    Anchored on the longest run of the quote's first or last words that the
    article has (then on a distinctive word): at most 18 searches of the
    article, however long the quote and the article are.
    """
    text = article.text
    anchor = _anchor(part, text)
    if anchor is None:
        return None
    start = min(max(0, anchor), len(text) - 1)
    end = min(len(text), start + len(part))
    start = text.rfind(" ", 0, start) + 1  # widened to whole words, searched in C
    space = text.find(" ", end)
    end = len(text) if space == -1 else space
    src_start, src_end = article.source_span(start, end)
    return clipped(" ".join(source[src_start:src_end].split()), 200)


def _anchor(part: str, text: str) -> int | None:
    """Where in `text` the passage that `part` was meant to quote probably starts."""
    words = part.split()
    for count in (8, 6, 4, 3, 2):
        if len(words) < count:
            continue
        head = " ".join(words[:count])
        if (at := text.find(head)) != -1:
            return at
        tail = " ".join(words[-count:])
        if (at := text.find(tail)) != -1:
            return at + len(tail) - len(part)
    for word in sorted(set(words), key=lambda w: (-len(w), w))[:8]:
        if len(word) >= 5 and (at := text.find(word)) != -1:
            return at - part.find(word)
    return None


def clipped(text: str, limit: int = 80) -> str:
    """`text`, or its first `limit` characters ending in an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _segments(source: str, spans: list[tuple[int, int]]) -> tuple[Segment, ...]:
    paragraph_start = source.rfind("\n\n", 0, spans[0][0])
    paragraph_start = 0 if paragraph_start == -1 else paragraph_start + 2
    paragraph_end = source.find("\n\n", spans[-1][1])
    paragraph_end = len(source) if paragraph_end == -1 else paragraph_end

    segments = []
    before = source[max(paragraph_start, spans[0][0] - CONTEXT_CHARS) : spans[0][0]]
    if spans[0][0] - CONTEXT_CHARS > paragraph_start:
        before = "…" + before[before.find(" ") + 1 :] if " " in before else before
    segments.append(Segment("context", before))
    for index, (start, end) in enumerate(spans):
        if index:
            gap = source[spans[index - 1][1] : start]
            if len(gap) <= GAP_SHOWN_CHARS and "\n\n" not in gap:
                segments.append(Segment("gap", gap))
            else:
                segments.append(Segment("elided", " […] "))
        segments.append(Segment("quote", source[start:end]))
    after = source[spans[-1][1] : min(paragraph_end, spans[-1][1] + CONTEXT_CHARS)]
    if spans[-1][1] + CONTEXT_CHARS < paragraph_end:
        after = after[: after.rfind(" ")] + "…" if " " in after else after
    segments.append(Segment("context", after))
    return tuple(
        Segment(s.kind, re.sub(r"\s+", " ", s.text)) for s in segments if s.text and (s.kind != "context" or s.text.strip())
    )


_FRAGMENT_SAFE = "!$'()*+./:;=?@_~"


def encode_fragment_text(text: str) -> str:
    """Percent-encode a text directive's text ('-', '&' and ',' included)."""
    return percent_encode(text, safe=_FRAGMENT_SAFE).replace("-", "%2D")


def text_fragment(source: str, spans: list[tuple[int, int]]) -> str:
    """A `#:~:text=` fragment that highlights each quoted part on the original page."""
    directives = []
    for start, end in spans:
        passage = source[start:end]
        words = " ".join(passage.split())
        if len(words) <= FRAGMENT_EXACT_MAX and "\n" not in passage.strip():
            directives.append(encode_fragment_text(words))
        else:
            # text fragments match within one block; first and last words span blocks
            lines = passage.split("\n")
            first = " ".join(lines[0].split()[:FRAGMENT_EDGE_WORDS])
            last = " ".join(lines[-1].split()[-FRAGMENT_EDGE_WORDS:])
            directives.append(f"{encode_fragment_text(first)},{encode_fragment_text(last)}")
    return "#:~:text=" + "&text=".join(directives)
