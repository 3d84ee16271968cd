"""`archive`: content/articles/ID.txt from a web page, and the polite fetching `recheck` shares.

trafilatura finds the story's text and its title, outlet and byline; htmldate finds the
date in the page's markup or address (never a date guessed from the text). Whatever is not
found is left out of the front matter with a comment that says so: an editor fills it in
from the story, or the build says it is missing. Nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from . import __version__
from .fields import slug_problem, url_problem
from .problems import Problem, visible
from .quotes import article_size_problem

ARCHIVE_ENDPOINT = "https://web.archive.org"  # the Internet Archive; FACTDESK_ARCHIVE_ENDPOINT replaces it (tests)
HTML_TYPES = ("text/html", "application/xhtml+xml")
ID_LENGTH = 60  # characters of an article's id made from its page, at word boundaries, as `new` makes slugs
MIN_STORY_WORDS = 40  # fewer, and the page is a home page, a list of links or a paywall's teaser
MAX_WAIT = 120.0  # seconds: the longest Retry-After honoured, and the longest Save Page Now is waited for
SAVE_POLL = 5.0  # seconds between two asks of a Save Page Now job's status


@dataclass(frozen=True)
class Limits:
    """What one request may take: past these it fails with a one-line reason."""

    timeout: float = 30.0  # seconds for the whole request, its body included
    max_bytes: int = 10_000_000  # of a page's HTML
    max_redirects: int = 10


def user_agent(contact: str | None = None) -> str:
    """Names the tool and its version, and the desk's site when known, so an outlet knows who asks."""
    return f"factdesk/{__version__} (fact-check archive{'; +' + contact if contact else ''})"


class FetchError(Exception):
    """A page that could not be had; `kind` is one word for a report, the message one line."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    final_url: str  # where the redirects, if any, ended
    body: bytes
    content_type: str
    charset: str | None = None

    @property
    def moved(self) -> bool:
        return self.final_url.split("#", 1)[0] != self.url.split("#", 1)[0]

    def text(self) -> str | bytes:
        """The HTML as text when the server named its encoding; bytes for the parser to sniff otherwise."""
        if self.charset:
            try:
                return self.body.decode(self.charset, "replace")
            except LookupError:  # an encoding Python does not know
                pass
        return self.body


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `fetch` itself, to see loops and report where a page moved."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(
    url: str,
    agent: str,
    limits: Limits = Limits(),
    wait: Callable[[float], None] = time.sleep,
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET (or POST `data` to) `url`, following redirects; FetchError with a reason otherwise.

    A 429 or 503 with a Retry-After of at most MAX_WAIT seconds is waited out and tried once more.
    """
    seen = [url]
    current = url
    retried = False
    while True:
        request = urllib.request.Request(current, data=data, headers={"User-Agent": agent, "Accept": accept, **(headers or {})})
        try:
            return _read(url, current, request, limits)
        except urllib.error.HTTPError as error:
            error.close()
            status = error.code
            if 300 <= status < 400 and error.headers.get("Location"):
                target = urllib.parse.urljoin(current, error.headers["Location"])
                if urllib.parse.urlsplit(target).scheme not in ("http", "https"):  # never file: or ftp:
                    raise FetchError("unreachable", f"{current} redirects to {target}, which is not a web address") from None
                if target in seen:
                    loop = " → ".join([*seen[seen.index(target):], target])
                    raise FetchError("redirect-loop", f"{url} redirects in a loop ({loop})") from None
                if len(seen) > limits.max_redirects:
                    raise FetchError("redirect-loop", f"{url} redirects more than {limits.max_redirects} times") from None
                seen.append(target)
                current = target
                data = None  # a redirected POST is followed as a GET, as browsers do
                continue
            delay = _retry_after(error.headers.get("Retry-After"))
            if status in (429, 503) and not retried and delay is not None and delay <= MAX_WAIT:
                wait(delay)
                retried = True
                continue
            if status in (404, 410):
                raise FetchError("gone", f"{current} is gone (HTTP {status})") from None
            if status in (429, 503):
                later = f"; it asks to wait {delay:.0f} s" if delay is not None else ""
                raise FetchError("busy", f"{current} is busy (HTTP {status}){later}; try again later") from None
            raise FetchError("http", f"{current} answered HTTP {status} {error.reason}") from None
        except (TimeoutError, urllib.error.URLError) as error:
            if isinstance(error, urllib.error.URLError) and not isinstance(error.reason, TimeoutError):
                raise FetchError("unreachable", f"{current} could not be reached ({error.reason})") from None
            raise FetchError("timeout", f"{current} did not answer within {limits.timeout:g} s") from None
        except (OSError, ValueError) as error:  # a reset connection, a malformed address or answer
            raise FetchError("unreachable", f"{current} could not be read ({error})") from None


def _read(url: str, current: str, request: urllib.request.Request, limits: Limits) -> Fetched:
    deadline = time.monotonic() + limits.timeout
    with _OPENER.open(request, timeout=limits.timeout) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limits.max_bytes:
            raise FetchError("too-big", f"{current} is {int(declared):,} bytes; at most {limits.max_bytes:,} are read")
        chunks, size = [], 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError("too-big", f"{current} is more than {limits.max_bytes:,} bytes; at most that is read")
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{current} took more than {limits.timeout:g} s to send")
            chunks.append(chunk)
        content_type = response.headers.get_content_type()
        charset = response.headers.get_content_charset()
        return Fetched(url, response.geturl() or current, b"".join(chunks), content_type, charset)


def _retry_after(value: str | None) -> float | None:
    """Retry-After's seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


# -- reading a story from a page ------------------------------------------------------------


class ArchiveError(Exception):
    """Why nothing was archived, in one line."""


@dataclass(frozen=True)
class Story:
    """What a page says about itself: None where it says nothing."""

    text: str  # the story's paragraphs, one blank line between them
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    updated: str | None = None
    url: str | None = None
    host: str | None = None  # where the page is, when it does not name its outlet


def read_story(html: str | bytes, url: str | None = None) -> Story:
    """The story on a news page: its text alone (no menus, related links, captions, ads or
    comments), its metadata, and its dates; ArchiveError when the page holds no story."""
    import htmldate
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_images=False,
            include_links=False, favor_precision=True,
        )
    except ValueError as error:  # what trafilatura raises for a document it cannot parse
        raise ArchiveError(f"the page could not be read as HTML ({error})") from None
    text = "\n\n".join(_paragraphs(document.body)) if document is not None and document.body is not None else ""
    if len(text.split()) < MIN_STORY_WORDS:
        raise ArchiveError("no story was found on the page: is it a home page, a list of links, or a page that"
                           " needs a login or JavaScript?")
    if too_big := article_size_problem(text):
        raise ArchiveError(too_big)
    metadata = document.as_dict()
    page_url = url or metadata.get("url")
    if page_url and url_problem(page_url):
        page_url = None
    host = urllib.parse.urlsplit(page_url).hostname if page_url else metadata.get("hostname")
    sitename = _clean(metadata.get("sitename"))
    if sitename and host and sitename.lower().removeprefix("www.") == host.lower().removeprefix("www."):
        sitename = None  # trafilatura's stand-in for an outlet that names itself nowhere
    dates = {}
    for kind, original in (("published", True), ("updated", False)):
        try:
            dates[kind] = htmldate.find_date(html, url=page_url, original_date=original, extensive_search=False)
        except Exception:  # noqa: BLE001 - a date that cannot be read is a date not found
            dates[kind] = None
    return Story(
        text=text,
        title=_clean(metadata.get("title")),
        publisher=sitename,
        author=_clean(metadata.get("author")),
        published=dates["published"],
        updated=dates["updated"] if dates["updated"] != dates["published"] else None,
        url=page_url,
        host=host,
    )


_CONTAINERS = ("list", "quote", "table", "div")  # trafilatura's elements that hold paragraphs of their own


def _paragraphs(element) -> list[str]:
    """The text of each block of trafilatura's tree, as the page has it: trafilatura's own text
    output marks list items with "- " and table cells with "|", which the page does not have."""
    paragraphs = []
    for child in element:
        if child.tag in _CONTAINERS and len(child) and all(c.tag not in ("hi", "ref", "lb") for c in child):
            paragraphs += _paragraphs(child)
        elif child.tag == "row":
            paragraphs.append(" ".join(_inline(cell).strip() for cell in child))
        else:
            paragraphs.append(_inline(child))
        if child.tail and child.tail.strip():
            paragraphs.append(child.tail)
    paragraphs = ["\n".join(line.strip() for line in p.strip().split("\n")) for p in paragraphs]
    return [p for p in paragraphs if p]


def _inline(element) -> str:
    """An element's text; a line break inside it stays a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def article_id(story: Story) -> str:
    """The project's slug rule (python-slugify, whole words, as `new` names checks) on outlet, date and title."""
    from slugify import slugify

    words = " ".join(part for part in (story.publisher or story.host, story.published, story.title) if part)
    return slugify(words, max_length=ID_LENGTH, word_boundary=True) or "article"


def article_file_text(story: Story, source: str, today: dt.date, archive_url: str | None = None,
                      archive_note: str | None = None) -> str:
    """The article file: front matter with what the page gave, a comment for what it did not, then the text.

    Every key of the article format comes up: the ones a page cannot give (an origin, say) as
    a comment with their description, from schema.ARTICLE, as `new` explains a check's keys.
    """
    from .scaffold import comment
    from .schema import ARTICLE, field_help

    where = f" (it is on {story.host})" if story.host else ""
    found = {
        "title": (story.title, "title: the page gives no headline; write the story's own, or your description in"
                  ' square brackets: "[Untitled: ...]".'),
        "publisher": (story.publisher, f"publisher: the page does not name its outlet{where}; write the outlet's"
                      " name, or: Unidentified news site."),
        "author": (story.author, "author: no byline was found; write the byline or wire credit if the story gives one."),
        "published": (story.published, "published: no date was found in the page's markup; write the date the story"
                      " gives (YYYY-MM-DD, YYYY-MM or YYYY). The build needs one."),
        "url": (story.url, "url: the page's address is not known; add it if you know it, never reconstruct one."),
        "archive_url": (archive_url, f"archive_url: {archive_note}" if archive_note else ""),
    }
    lines = ["---"]
    for name, field in ARTICLE.fields.items():
        if name not in found:
            lines += comment(f"{name} (optional, yours to judge): {field_help(field)}", hang="  ")
            continue
        value, missing = found[name]
        if not value:
            lines += comment(missing, hang="  ") if missing else []
            continue
        lines.append(f"{name}: {value if name == 'published' else json.dumps(value, ensure_ascii=False)}")
        if name == "published":
            lines += comment("The date is the one the page's markup (or its address) gives; check it against the dateline.")
            if story.updated:
                lines += comment(f"The page says it was updated on {story.updated}.")
    lines += comment(f"Archived on {today.isoformat()} from {visible(source)} by `python build.py archive`. Read the"
                     " text against the page before quoting it, and delete anything that is not the story.")
    lines.append("---")
    return "\n".join(lines) + "\n" + story.text + "\n"


# -- the command --------------------------------------------------------------------------


@dataclass(frozen=True)
class Archived:
    path: Path
    problems: tuple[Problem, ...]  # what the build would say about the file, to fix before quoting it
    warnings: tuple[str, ...] = ()


def archive(site_dir: Path, source: str, *, page_url: str | None = None, article: str | None = None,
            save: bool = False, limits: Limits = Limits(), contact: str | None = None,
            wait: Callable[[float], None] = time.sleep) -> Archived:
    """Write content/articles/ID.txt from the page at `source` (a web address or a saved HTML file)."""
    from .validation import read_article

    agent = user_agent(contact)
    if article is not None and (why := slug_problem(article)):
        raise ArchiveError(f"--id '{article}' {why}")
    if page_url is not None and (why := url_problem(page_url)):
        raise ArchiveError(f"--url {why}")
    if re.match(r"https?://", source, re.IGNORECASE):
        try:
            fetched = fetch(source, agent, limits, wait)
        except FetchError as error:
            raise ArchiveError(error.message) from None
        if fetched.content_type not in HTML_TYPES:
            raise ArchiveError(f"{source} is not a web page but {fetched.content_type}; archive only HTML pages")
        html, address = fetched.text(), page_url or fetched.final_url
        advice = f"; if your browser shows the story, save the page and run: python build.py archive FILE.html --url {source}"
    else:
        html, address, advice = _read_html_file(Path(source), limits), page_url, ""
    try:
        story = read_story(html, address)
    except ArchiveError as error:
        raise ArchiveError(f"{source}: {error}{advice}") from None
    warnings = []
    archive_url = archive_note = None
    if save:
        if not story.url:
            raise ArchiveError("--archive needs the page's address: give it with --url")
        try:
            archive_url = save_page_now(story.url, agent, wait=wait)
        except FetchError as error:
            archive_note = f"the Internet Archive did not save the page ({error.message}); try again later."
            warnings.append(f"the Internet Archive did not save the page: {error.message}")
    slug = article or article_id(story)
    folder = site_dir / "content" / "articles"
    path = folder / f"{slug}.txt"
    text = article_file_text(story, source, dt.date.today(), archive_url, archive_note)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as file:  # "x": never overwrite an archived article
            file.write(text)
    except FileExistsError:
        raise ArchiveError(f"content/articles/{slug}.txt already exists; nothing was written"
                           " (give another name with --id)") from None
    _, problems = read_article(slug, f"content/articles/{slug}.txt", text.encode("utf-8"))
    return Archived(path, problems, tuple(warnings))


def _read_html_file(path: Path, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ArchiveError(f"{path} is {size:,} bytes; at most {limits.max_bytes:,} are read")
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise ArchiveError(f"{path} is neither a web address (https://...) nor a file") from None
    except IsADirectoryError:
        raise ArchiveError(f"{path} is a folder; name a page saved from the browser (FILE.html)") from None
    except OSError as error:
        raise ArchiveError(f"{path} could not be read ({error.strerror})") from None
    head = data[:4096].lstrip().lower()
    if b"\x00" in data[:4096] or not re.search(rb"<(!doctype html|html|head|body|p|article|div)\b", head):
        raise ArchiveError(f"{path} is not an HTML file; save the page from your browser as HTML")
    return data


# -- the Internet Archive's Save Page Now ------------------------------------------------------


def save_page_now(url: str, agent: str, wait: Callable[[float], None]) -> str:
    """Ask the Internet Archive to save `url`; the snapshot's address, or FetchError.

    Save Page Now 2: POST /save with the address, then GET /save/status/JOB until the job
    succeeds or fails. Keys from archive.org (IA_ACCESS_KEY, IA_SECRET_KEY) are sent when set:
    the Archive may refuse anonymous saves or limit them.
    """
    base = (os.environ.get("FACTDESK_ARCHIVE_ENDPOINT") or ARCHIVE_ENDPOINT).rstrip("/")
    headers = {}
    if os.environ.get("IA_ACCESS_KEY") and os.environ.get("IA_SECRET_KEY"):
        headers["Authorization"] = f"LOW {os.environ['IA_ACCESS_KEY']}:{os.environ['IA_SECRET_KEY']}"
    limits = Limits(timeout=60.0, max_bytes=1_000_000)
    form = urllib.parse.urlencode({"url": url}).encode("ascii")
    answer = _json(fetch(f"{base}/save", agent, limits, wait, "application/json", data=form, headers=headers))
    job = answer.get("job_id")
    if not job:
        raise FetchError("refused", str(answer.get("message") or "no job was started"))
    waited = 0.0
    while True:
        status = _json(fetch(f"{base}/save/status/{urllib.parse.quote(job)}", agent, limits, wait, "application/json",
                             headers=headers))
        state = status.get("status")
        if state == "success" and status.get("timestamp"):
            original = status.get("original_url") or url
            return f"{base}/web/{status['timestamp']}/{original}"
        if state != "pending":
            raise FetchError("refused", str(status.get("message") or status.get("status_ext") or state))
        if waited >= MAX_WAIT:
            raise FetchError("timeout", f"the save was still pending after {MAX_WAIT:g} s")
        wait(SAVE_POLL)
        waited += SAVE_POLL


def _json(fetched: Fetched) -> dict:
    try:
        value = json.loads(fetched.body)
    except ValueError:
        raise FetchError("http", f"{fetched.final_url} did not answer JSON") from None
    return value if isinstance(value, dict) else {}
