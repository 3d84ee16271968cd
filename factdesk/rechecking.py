"""`recheck`: are the passages our checks quote still on the live pages?

Each archived article with a `url` is fetched (politely: one request at a time, a pause
between two requests to one host, Retry-After honoured) and every citation of it is looked
for in the live page with the same matcher the build uses. The archive is never changed: the
archived text is the record, and the report says where the live page now differs from it.
"""

from __future__ import annotations

import difflib
import os
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .archiving import HTML_TYPES, FetchError, Limits, fetch, user_agent
from .model import Article, Citation, Site
from .problems import count, escape_data, escape_property, markdown_code, markdown_text, visible
from .quotes import QuoteMatch, clipped, closest_passage, find_quote, fold, normalize, quote_parts
from .validation import load_site

# what became of a quoted passage, and of an article's page
UNCHANGED, CHANGED, REMOVED, GONE, MOVED, TIMEOUT, UNREACHABLE = (
    "unchanged", "changed", "removed", "page gone", "moved", "timeout", "unreachable")
LOST = (CHANGED, REMOVED, GONE)  # a quoted passage no longer on the live page: recheck exits 1
EDITED_SIMILARITY = 0.5  # the closest live passage this alike (0 to 1) is the quoted one, edited


@dataclass(frozen=True)
class CitationResult:
    path: str  # the check's file
    line: int
    col: int
    status: str
    detail: str = ""

    @property
    def outcome(self) -> str:
        return self.status + (f"; {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class ArticleResult:
    article: Article
    status: str
    detail: str
    citations: tuple[CitationResult, ...]


def citations_by_article(site: Site) -> dict[str, list[tuple[str, Citation]]]:
    """Each article's citations, with the check that makes each, in file order."""
    cited: dict[str, list[tuple[str, Citation]]] = {}
    for claim in sorted(site.claims, key=lambda c: c.path):
        for citation in claim.citations:
            if citation.article is not None:
                cited.setdefault(citation.article.id, []).append((claim.path, citation))
    return cited


def recheck(site: Site, agent: str, delay: float, limits: Limits) -> list[ArticleResult]:
    """Every article with a url, fetched live, each citation of it looked for there: one request
    at a time, and at least `delay` seconds from the end of one request to a host to the next."""
    cited = citations_by_article(site)
    results = []
    last: dict[str, float] = {}  # host: when the last request to it ended
    for article in site.articles.values():
        if not article.url:
            continue
        host = urllib.parse.urlsplit(article.url).hostname or ""
        if host in last and (pause := last[host] + delay - time.monotonic()) > 0:
            time.sleep(pause)
        try:
            page = fetch(article.url, agent, limits)
            if page.content_type not in HTML_TYPES:
                raise FetchError("unreachable", f"{article.url} is now {page.content_type}, not a web page")
        except FetchError as error:
            status = {"gone": GONE, "timeout": TIMEOUT}.get(error.kind, UNREACHABLE)
            citations = tuple(_result(path, c, status, error.message) for path, c in cited.get(article.id, ()))
            results.append(ArticleResult(article, status, error.message, citations))
            continue
        finally:
            last[host] = time.monotonic()
        texts = live_texts(page.text())
        citations = tuple(_look_for(path, citation, texts) for path, citation in cited.get(article.id, ()))
        lost = [c for c in citations if c.status in LOST]
        details = [f"it now redirects to {page.final_url}"] if page.moved else []
        if lost:
            details.append(f"{len(lost)} of {count(len(citations), 'quoted passage')} no longer on the page")
        status = MOVED if page.moved else CHANGED if lost else UNCHANGED
        results.append(ArticleResult(article, status, "; ".join(details), citations))
    return results


def _result(path: str, citation: Citation, status: str, detail: str) -> CitationResult:
    return CitationResult(path, *citation.quote_at, status, detail)


def live_texts(html: str | bytes) -> list[str]:
    """The live page's story, then all of its text: a passage in either is still published."""
    import trafilatura

    story = trafilatura.extract(html, include_comments=False, include_images=False, include_links=False,
                                favor_precision=True) or ""
    everything = trafilatura.html2txt(html) or ""
    return [text for text in (story, everything) if text.strip()]


def _look_for(path: str, citation: Citation, texts: list[str]) -> CitationResult:
    quote = citation.quote or ""
    for text in texts:
        if isinstance(find_quote(quote, text), QuoteMatch):
            return _result(path, citation, UNCHANGED, "")
    if not texts:
        return _result(path, citation, REMOVED, "the live page has no text")
    # the part no longer found, and the live page's nearest words to it
    live = texts[-1]
    normalized = normalize(live)
    missing = next((part for part in quote_parts(quote) if normalized.find(part) is None), quote)
    near = closest_passage(missing, normalized, live)
    quoted = clipped(" ".join(quote.split()), 120)  # as the editor wrote it, not as matching folds it
    if near and difflib.SequenceMatcher(None, missing, fold(near)).ratio() >= EDITED_SIMILARITY:
        return _result(path, citation, CHANGED, f'the quote "{quoted}" is not on the page; the closest passage there'
                                                f' now reads: "{near}"')
    return _result(path, citation, REMOVED, f'the quote "{quoted}" is not on the page, nor anything like it')


# -- reports ------------------------------------------------------------------------------


def summary(results: list[ArticleResult], skipped: int) -> str:
    counts = Counter(r.status for r in results)
    citations = [c for r in results for c in r.citations]
    lost = sum(c.status in LOST for c in citations)
    parts = ", ".join(f"{counts[s]} {s}" for s in (UNCHANGED, CHANGED, GONE, MOVED, TIMEOUT, UNREACHABLE) if counts[s])
    line = f"Rechecked {count(len(results), 'article')}{': ' + parts if parts else ''}."
    line += f" {lost} of {count(len(citations), 'quoted passage')} no longer on the live page."
    if skipped:
        line += f" {count(skipped, 'article')} without a url not rechecked."
    return line


def text_lines(results: list[ArticleResult]) -> list[str]:
    lines = []
    for result in results:
        article = result.article
        head = f"{article.path}: {result.status}: {article.url}"
        lines.append(visible(head + (f" ({result.detail})" if result.detail else "")))
        for c in result.citations:
            if c.status != UNCHANGED:
                lines.append(visible(f"  {c.path}:{c.line}:{c.col}: {c.status}: quotes '{article.id}'"
                                     + (f"; {c.detail}" if c.detail else "")))
    return lines


def github_lines(results: list[ArticleResult]) -> list[str]:
    """Workflow commands that put each citation whose passage is gone (or not checked) on its line."""
    lines = []
    for result, c in _not_unchanged(results):
        level = "error" if c.status in LOST else "warning"
        message = f"'{result.article.id}' ({result.article.url}): {c.outcome}"
        lines.append(f"::{level} file={escape_property(c.path)},line={c.line},col={c.col},"
                     f"title={escape_property('Source ' + c.status)}::{escape_data(visible(message))}")
    return lines


def markdown_report(results: list[ArticleResult], skipped: int) -> str:
    """The report as Markdown, for the job summary and the issue: every value escaped."""
    lines = ["## Live sources rechecked", "", summary(results, skipped), ""]
    changed = [r for r in results if r.status != UNCHANGED]
    if not changed:
        lines.append("Every quoted passage is still on its live page.")
        return "\n".join(lines) + "\n"
    lines += ["| Article | Live page | Result |", "| --- | --- | --- |"]
    for r in changed:
        lines.append(f"| {markdown_code(r.article.path)} | {markdown_text(r.article.url or '')} |"
                     f" {markdown_text(r.status + (': ' + r.detail if r.detail else ''))} |")
    lines += ["", "### Citations", ""]
    for r, c in _not_unchanged(results):
        lines.append(f"- {markdown_code(f'{c.path}:{c.line}:{c.col}')} quotes {markdown_code(r.article.id)}:"
                     f" {markdown_text(c.outcome)}")
    lines += ["", "The archived text is the record: nothing in content/ was changed. Note the change in each"
              " check that quotes the passage (see the corrections policy)."]
    return "\n".join(lines) + "\n"


def _not_unchanged(results: list[ArticleResult]) -> list[tuple[ArticleResult, CitationResult]]:
    """Each citation whose passage was not found as quoted, with its article's result."""
    return [(r, c) for r in results for c in r.citations if c.status != UNCHANGED]


def recheck_command(site_dir: Path, output: str = "text", report: Path | None = None, *, delay: float = 2.0,
                    timeout: float = 30.0) -> int:
    """Run `recheck`: 0 when every quoted passage is still there, 1 when one changed or its page
    is gone, 2 when the site itself has errors (run `check`)."""
    loaded = load_site(site_dir, include_drafts=True)
    if not loaded.ok:
        for problem in loaded.problems:
            print(problem, file=sys.stderr)
        print("error: the content has errors; fix them (python build.py check) before rechecking", file=sys.stderr)
        return 2
    site = loaded.site
    agent = user_agent(site.config.base_url)
    results = recheck(site, agent, delay, Limits(timeout=timeout))
    skipped = sum(1 for a in site.articles.values() if not a.url)
    if output == "github":
        for line in github_lines(results):
            print(line)
        if summary_file := os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(summary_file, "a", encoding="utf-8") as file:
                file.write(markdown_report(results, skipped))
    else:
        for line in text_lines(results):
            print(line)
    print(summary(results, skipped))
    if report is not None:
        report.write_text(markdown_report(results, skipped), encoding="utf-8")
    lost = any(c.status in LOST for r in results for c in r.citations) or any(r.status == GONE for r in results)
    return 1 if lost else 0
