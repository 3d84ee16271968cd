"""Finding quotes in archived articles, and showing them in the article's words.

Matching forgives only what SPEC.md lists: NFKC, typographic quotes and
apostrophes, dash variants and whitespace. Everything else (case, words,
punctuation) must be as the article has it. Matches start and end on word
boundaries: a quote cannot begin in the middle of a word.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote as percent_encode

_FOLD = str.maketrans(
    {
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u2039\u203a"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
    }
)
# the same folding, one character for one, with every whitespace character a space
_FOLD_SAME_LENGTH = {**_FOLD, **{ord(c): " " for c in map(chr, range(0x3001)) if c.isspace()}}
_ELISION = re.compile(r"\s*(?:\[\s*(?:\.\.\.|\u2026)\s*\]|\.\.\.|\u2026)\s*")
CONTEXT_CHARS = 160  # of the article's text shown around a quote
GAP_SHOWN_CHARS = 120  # an elided gap up to this long is shown, longer ones as […]
FRAGMENT_EXACT_MAX = 300  # longer passages are linked by their first and last words
FRAGMENT_EDGE_WORDS = 5


@dataclass(frozen=True)
class NormalizedText:
    """Text folded for matching, with each folded character's source span.

    Built character by character, so it is used only for hints on a miss;
    matching itself runs on `PreparedText`.
    """

    text: str
    starts: tuple[int, ...]  # source index where each folded character begins
    ends: tuple[int, ...]  # source index just after it

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def normalize(source: str) -> NormalizedText:
    """Fold `source` for matching; every whitespace run becomes one space."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(source)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(source[j]):
            j += 1  # keep a letter with its accents so NFKC can compose them
        cluster = source[i:j]
        if cluster.isspace():
            if out and out[-1] == " ":
                ends[-1] = j
            else:
                out.append(" ")
                starts.append(i)
                ends.append(j)
        else:
            for char in unicodedata.normalize("NFKC", cluster).translate(_FOLD):
                if char.isspace():
                    char = " "
                    if out and out[-1] == " ":
                        ends[-1] = j
                        continue
                out.append(char)
                starts.append(i)
                ends.append(j)
        i = j
    return NormalizedText("".join(out), tuple(starts), tuple(ends))


_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """`text` as matching sees it: NFKC, straight quotes and dashes, single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_FOLD)).strip()


def quote_parts(quote: str) -> list[str]:
    """The quote's pieces between elision marks (..., … or [...]), folded."""
    return [part for part in (fold(p) for p in _ELISION.split(quote)) if part]


@dataclass(frozen=True)
class PreparedText:
    """An article made NFKC-normal for matching, with a map back to the source.

    Only characters that NFKC changes are rewritten (most articles have none
    or a few), so preparing stays cheap; quotes, dashes and whitespace are
    forgiven by the search pattern instead (see `_part_pattern`).
    """

    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()  # (text start, text end, source start, source end)

    @cached_property
    def folded(self) -> str:
        """`text` with quotes, dashes and whitespace folded one for one (same length)."""
        return self.text.translate(_FOLD_SAME_LENGTH)

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


def _special_characters(source: str) -> str:
    return "".join(
        sorted(c for c in set(source) if unicodedata.combining(c) or unicodedata.normalize("NFKC", c) != c)
    )


def prepare(source: str) -> PreparedText:
    special = _special_characters(source)
    if not special:
        return PreparedText(source)
    marks = "".join(c for c in special if unicodedata.combining(c))
    # a letter with its combining marks is one edit (NFKC composes them); any other
    # changed character is an edit of its own, so a match never takes in a neighbour
    pattern = "[" + re.escape(special) + "]"
    if marks:
        pattern = r"[^\s][" + re.escape(marks) + "]+|" + pattern
    pattern = re.compile(pattern)
    out: list[str] = []
    edits = []
    last = 0
    length = 0
    for match in pattern.finditer(source):
        out.append(source[last : match.start()])
        length += match.start() - last
        replacement = unicodedata.normalize("NFKC", match.group())
        edits.append((length, length + len(replacement), match.start(), match.end()))
        out.append(replacement)
        length += len(replacement)
        last = match.end()
    out.append(source[last:])
    return PreparedText("".join(out), tuple(edits))


_CLASSES = {
    " ": r"\s+",
    "'": "['" + re.escape("\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u2039\u203a") + "]",
    '"': '["' + re.escape("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb") + "]",
    "-": "[-" + re.escape("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d") + "]",
}


def _part_pattern(part: str) -> re.Pattern:
    """A pattern for a folded part that matches the prepared article's own characters."""
    body = "".join(_CLASSES.get(c) or re.escape(c) for c in part)
    before = r"(?<![^\W_])" if part[0].isalnum() else ""
    after = r"(?![^\W_])" if part[-1].isalnum() else ""
    return re.compile(before + body + after)


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


def _find_part(folded: str, part: str, start: int) -> tuple[int, int] | None:
    """The common case, without a regular expression: the part as is, on word boundaries."""
    begins_word, ends_word = part[0].isalnum(), part[-1].isalnum()
    while (at := folded.find(part, start)) != -1:
        end = at + len(part)
        if (not begins_word or at == 0 or not folded[at - 1].isalnum()) and (
            not ends_word or end == len(folded) or not folded[end].isalnum()
        ):
            return at, end
        start = at + 1
    return None  # maybe across a run of spaces: the pattern search decides


def find_quote(quote: str, source: str, prepared: PreparedText | None = None) -> QuoteMatch | QuoteMiss:
    """Where `quote` stands in the article text `source` (prepared once per article)."""
    prepared = prepared or prepare(source)
    parts = quote_parts(quote)
    if not parts:
        return QuoteMiss("the quote has no words")
    folded = prepared.folded
    spans = []
    position = 0
    for number, part in enumerate(parts):
        found = _find_part(folded, part, position) or _part_pattern(part).search(prepared.text, position)
        if found is None:
            return QuoteMiss(_miss_message(parts, number, source))
        start, end = found if isinstance(found, tuple) else found.span()
        spans.append(prepared.source_span(start, end))
        position = end
    return QuoteMatch(tuple(spans), _segments(source, spans), text_fragment(source, spans))


def _miss_message(parts: list[str], number: int, source: str) -> str:
    part = parts[number]
    article = normalize(source)
    if len(parts) > 1 and _part_pattern(part).search(prepare(source).text):
        return f'the part "{_clip(part)}" comes before the earlier parts in the article; parts of an elided quote must appear in order'
    where = "the quote" if len(parts) == 1 else f'the part "{_clip(part)}"'
    hint = closest_passage(part, article, source)
    message = f"{where} is not in the article"
    if hint:
        message += f'; the closest passage is: "{hint}"'
    return message


def closest_passage(part: str, article: NormalizedText, source: str) -> str | None:
    """The article's words nearest to `part`, to show the editor what differs.

    Anchored on the longest run of the quote's first or last words that the
    article has (then on a distinctive word), so it stays quick however long
    the quote and the article are.
    """
    text = article.text
    anchor = _anchor(part, text)
    if anchor is None:
        return None
    start = min(max(0, anchor), len(text) - 1)
    end = min(len(text), start + len(part))
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    src_start, src_end = article.source_span(start, end)
    return _clip(" ".join(source[src_start:src_end].split()), 200)


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


def _clip(text: str, limit: int = 80) -> str:
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
        words = passage.split()
        if len(" ".join(words)) <= FRAGMENT_EXACT_MAX and "\n" not in passage.strip():
            directives.append(encode_fragment_text(" ".join(words)))
        else:
            # text fragments match within one block; first and last words span blocks
            first = " ".join(passage.split("\n")[0].split()[:FRAGMENT_EDGE_WORDS])
            last = " ".join(passage.split("\n")[-1].split()[-FRAGMENT_EDGE_WORDS:])
            directives.append(f"{encode_fragment_text(first)},{encode_fragment_text(last)}")
    return "#:~:text=" + "&text=".join(directives)
