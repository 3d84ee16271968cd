"""Markdown from editors: rendered without raw HTML, links checked at their line.

In a check's analysis a number in brackets, `[2]` or `[1, 3]`, cites the check's
citations by their place in its list; it renders as links to those entries of the
evidence list, and the caller checks the numbers (validation does).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .fields import BRACKETS, http_url_problem
from .problems import Problems

ALLOWED_SCHEMES = ("http", "https", "mailto")
# Longer than any real analysis or page, so that one pull request cannot hold CI;
# rendering is linear, and this bounds the constant.
MAX_MARKDOWN_CHARS = 200_000


def markdown_size_problem(text: str, what: str = "the text") -> str | None:
    """Why a Markdown text (`what`: "the analysis", "the page") is refused before rendering, or None."""
    if len(text) <= MAX_MARKDOWN_CHARS:
        return None
    return (
        f"{what} is {len(text):,} characters; at most {MAX_MARKDOWN_CHARS:,} are allowed; "
        "shorten it, or split it into pages that link to each other"
    )


def link_problem(href: str) -> str | None:
    """Why a link target is refused, or None when it is http(s), mailto or relative.

    An http(s) target is parsed as strictly as the URL fields are (`http_url_problem`): a host,
    no user name or password, a port from 1 to 65535, brackets only round an IPv6 address.
    markdown-it has percent-encoded spaces and control characters by now.
    """
    target = href.strip()
    if target.startswith("//"):
        return f"link '{href}' leaves out the scheme; write https://{target[2:]}"
    if target.lower().startswith("www."):
        return f"link '{href}' is a web address without its scheme; write https://{target}"
    head = target.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if ":" in head:
        scheme = head.split(":", 1)[0].lower()
        if scheme not in ALLOWED_SCHEMES:
            return f"link '{href}' is not allowed: only http, https, mailto and relative links are"
        if scheme in ("http", "https"):
            # markdown-it's normalizing has percent-encoded a [ or ] it could not pair
            after = target[len(scheme) + 1 :]
            authority = re.split(r"[/?#]", after[2:], maxsplit=1)[0] if after.startswith("//") else ""
            if "%5b" in authority.lower() or "%5d" in authority.lower():
                return f"link '{href}' {BRACKETS}"
            if problem := http_url_problem(target):
                return f"link '{href}' {problem}"
    return None


class Markdown:
    """One configured parser, reused for every document of a build."""

    def __init__(self, base_path: str):
        self.base_path = base_path
        # js-default: CommonMark plus tables and strikethrough, with raw HTML off;
        # nesting as CommonMark's preset allows: each "[" may cost a step per level
        self.md = MarkdownIt("js-default", {"maxNesting": 20})
        # accept every link while parsing so that refused ones can be reported at
        # their line (markdown-it would otherwise drop them silently)
        self.md.validateLink = lambda url: True
        # this parser's own helpers (not the shared module), with a quicker link label
        self.md.helpers = SimpleNamespace(
            parseLinkDestination=helpers.parseLinkDestination,
            parseLinkTitle=helpers.parseLinkTitle,
            parseLinkLabel=self._parse_link_label,
        )
        self._last_close: dict[tuple[str, int], int] = {}  # per inline text, during one render
        self.md.inline.ruler.before("link", "citation", _citation_rule)
        self.md.core.ruler.after("inline", "citation_lines", _citation_lines)
        self.md.add_render_rule("citation", _render_citation)

    def render(
        self, text: str, problems: Problems, first_line: int, source_lines: list[str], cited: list[Cited] | None = None
    ) -> str:
        """HTML for `text`, whose first line is line `first_line` of its file.

        With `cited` (an analysis), numbers in brackets are citations: each is appended
        to `cited` with where it is written. Linear in `text`; callers bound it with
        `markdown_size_problem`.
        """
        try:
            env: dict = {} if cited is None else {"citations": True}
            tokens = self.md.parse(text, env)
            if cited is not None:
                cited.extend(_where_cited(tokens, first_line, source_lines))
            refused_references = self._check_references(env, problems, first_line, source_lines)
            lines_to_report: dict[int, None] = {}  # each once: a table row's cells all map to its line
            for token in tokens:
                if token.type in ("heading_open", "heading_close"):
                    token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"  # the page's title is the only h1
                refused = False
                for child in token.children or ():
                    href = _target(child)
                    if href is None:
                        continue
                    if link_problem(href):
                        refused = refused or href not in refused_references
                    elif href.startswith("/"):
                        child.attrs["src" if child.type == "image" else "href"] = self.base_path + href[1:]
                if refused and token.map:
                    lines_to_report.update(dict.fromkeys(range(first_line + token.map[0], first_line + token.map[1])))
            for number in lines_to_report:
                if number <= len(source_lines):
                    self._report_line(number, env, problems, source_lines[number - 1], refused_references)
            return self.md.renderer.render(tokens, self.md.options, env)
        finally:
            self._last_close.clear()

    def _parse_link_label(self, state: StateInline, start: int, disableNested: bool = False) -> int:
        """markdown-it's parseLinkLabel, but -1 at once when no "]" follows `start`.

        Without it each of thousands of unclosed "[" scans the rest of the paragraph.
        """
        key = (state.src, state.posMax)
        last = self._last_close.get(key)
        if last is None:
            last = self._last_close[key] = state.src.rfind("]", 0, state.posMax)
        if last <= start:
            return -1
        return helpers.parseLinkLabel(state, start, disableNested)

    def _check_references(self, env: dict, problems: Problems, first_line: int, source_lines: list[str]) -> set[str]:
        """Report refused targets of reference definitions ([name]: url) at the definition."""
        refused = set()
        first_definitions = None  # read once, only if some definition is not where its map says
        for label, reference in sorted(env.get("references", {}).items()):
            href = reference.get("href", "")
            problem = link_problem(href)
            if not problem:
                continue
            refused.add(href)
            mapped = first_line + reference["map"][0] if reference.get("map") else None
            at = _definition_on(source_lines, mapped, label)
            if at is None:
                if first_definitions is None:
                    first_definitions = _first_definitions(source_lines, first_line)
                at = first_definitions.get(label, (first_line, 1))
            problems.add(*at, problem)
        return refused

    def _report_line(self, number: int, env: dict, problems: Problems, line: str, skip: set[str]) -> None:
        """Report each refused link of one line at its own column."""
        children = [c for t in self.md.parseInline(line, {"references": env.get("references", {})}) for c in t.children or ()]
        targets = [href for c in children if (href := _target(c)) is not None]
        starts = [m.end() for m in _DESTINATION.finditer(line)]
        for index, href in enumerate(targets):
            problem = link_problem(href)
            if problem and href not in skip:
                col = starts[index] + 1 if index < len(starts) else len(line) - len(line.lstrip()) + 1
                problems.add(number, col, problem)


# A reference definition's start, "[label]:", with backslash escapes inside the label.
_DEFINITION = re.compile(r"\s*\[((?:[^\\\[\]]|\\.)*)\]:")


def _definition_on(source_lines: list[str], number: int | None, label: str) -> tuple[int, int] | None:
    """(line, column after the colon) when line `number` defines `label`, else None."""
    if number is None or not 1 <= number <= len(source_lines):
        return None
    found = _DEFINITION.match(source_lines[number - 1])
    if found and normalizeReference(found.group(1)) == label:
        return number, found.end() + 1
    return None


def _first_definitions(source_lines: list[str], first_line: int) -> dict[str, tuple[int, int]]:
    """Where each label is first defined from `first_line` on: one pass, however many labels."""
    definitions: dict[str, tuple[int, int]] = {}
    for number in range(max(first_line, 1), len(source_lines) + 1):
        found = _DEFINITION.match(source_lines[number - 1])
        if found:
            definitions.setdefault(normalizeReference(found.group(1)), (number, found.end() + 1))
    return definitions


# Where link destinations start in a line: after "](" or "<" of an autolink.
_DESTINATION = re.compile(r"\]\(\s*<?|<(?=[A-Za-z][A-Za-z0-9+.\-]{1,31}:)|(?<=<)(?=[^<>\s@]+@)")


@dataclass(frozen=True)
class Cited:
    """A citation number written in an analysis, and where (the column of the number itself)."""

    number: int
    line: int
    column: int


# "[2]" or "[1, 3]": at most three digits, so that a year in brackets stays text
_CITATION = re.compile(r"\[(\d{1,3}(?:[ \t]*,[ \t]*\d{1,3})*)\]")


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: a citation, unless it is a link's text or a defined reference."""
    if "citations" not in state.env or state.linkLevel > 0 or state.src[state.pos] != "[":
        return False
    found = _CITATION.match(state.src, state.pos)
    if found is None:
        return False
    after = state.src[found.end() : found.end() + 1]
    references = state.env.get("references", {})
    if after == "(" or normalizeReference(found.group(1)) in references:
        return False  # [1](url) and [1] with "[1]: url" below are the editor's links
    if after == "[":  # [1][label] is a link when the label is defined
        label_end = state.src.find("]", found.end())
        if label_end != -1 and normalizeReference(state.src[found.end() + 1 : label_end] or found.group(1)) in references:
            return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = found.group(0)
        token.meta = {"numbers": [int(n) for n in found.group(1).split(",")], "at": state.pos}
    state.pos = found.end()
    return True


def _citation_lines(state) -> None:
    """markdown-it core rule: each citation's line within the text, from its inline block's."""
    for token in state.tokens:
        if token.type == "inline" and token.map:
            for child in token.children or ():
                if child.type == "citation":
                    child.meta["line"] = token.map[0] + token.content.count("\n", 0, child.meta["at"])


def _render_citation(renderer, tokens, index, options, env) -> str:
    links = [f'<a href="#citation-{n}"><span class="visually-hidden">source </span>{n}</a>' for n in tokens[index].meta["numbers"]]
    return f'<span class="cite">[{", ".join(links)}]</span>'


def _where_cited(tokens: list[Token], first_line: int, source_lines: list[str]) -> list[Cited]:
    """Each number cited, at its line and column in the file (the line's start when not found there)."""
    cited = []
    seen_on_line: dict[tuple[int, str], int] = {}  # the same citation twice on one line: find the next
    for token in tokens:
        for child in token.children or ():
            if child.type != "citation":
                continue
            line = first_line + child.meta.get("line", 0)
            source = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
            written = child.content
            seen_on_line[(line, written)] = seen_on_line.get((line, written), 0) + 1
            start = -1
            for _ in range(seen_on_line[(line, written)]):
                start = source.find(written, start + 1)
            for number, offset in zip(child.meta["numbers"], (m.start() for m in re.finditer(r"\d+", written))):
                column = start + offset + 1 if start >= 0 else len(source) - len(source.lstrip()) + 1
                cited.append(Cited(number, line, column))
    return cited


def _target(token: Token) -> str | None:
    if token.type == "link_open":
        return str(token.attrs.get("href", ""))
    if token.type == "image":
        return str(token.attrs.get("src", ""))
    return None


_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Piece:
    """A run of an article's text on its source page: quoted by some check (marked) or not."""

    text: str
    marked: bool = False
    ids: tuple[str, ...] = ()  # the passages that start here, for citations to link to


def marked_paragraphs(article, claims) -> list[tuple[Piece, ...]]:
    """The article's paragraphs (as `Article.paragraphs` splits them) in pieces, every passage the
    `claims` quote from it marked; a passage's id, `passage-SLUG-N`, is its check's slug and the
    citation's number, on the piece where it starts."""
    text = article.text
    spans: list[tuple[int, int]] = []
    starts: dict[int, list[str]] = {}
    for claim in claims:
        for number, citation in enumerate(claim.citations, start=1):
            if citation.article is not None and citation.article.id == article.id and citation.match:
                spans.extend(citation.match.spans)
                starts.setdefault(citation.match.start, []).append(f"passage-{claim.slug}-{number}")
    bounds = sorted({at for span in spans for at in span})
    depth = [0] * (len(bounds) + 1)  # how many passages cover [bounds[i], bounds[i + 1])
    where = {at: i for i, at in enumerate(bounds)}
    for start, end in spans:
        depth[where[start]] += 1
        depth[where[end]] -= 1
    depth = list(itertools.accumulate(depth))
    paragraphs = []
    at = 0
    for part in text.split("\n\n"):
        first, last = at + len(part) - len(part.lstrip()), at + len(part.rstrip())
        at += len(part) + 2
        if first >= last:
            continue
        inside = bounds[bisect.bisect_right(bounds, first) : bisect.bisect_left(bounds, last)]
        cuts = [first, *inside, last]
        pieces = []
        for start, end in zip(cuts, cuts[1:]):
            covering = bisect.bisect_right(bounds, start) - 1
            marked = covering >= 0 and depth[covering] > 0
            pieces.append(Piece(_SPACES.sub(" ", text[start:end]), marked, tuple(starts.get(start, ()))))
        paragraphs.append(tuple(pieces))
    return paragraphs
