"""Reading a site folder into the model, collecting every problem on the way."""

from __future__ import annotations

import collections
import difflib
import errno
import itertools
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import schema
from .caching import BuildCache, digest
from .collector import forked_pool
from .fields import INVALID, Record, forbidden_character, slug_problem
from .independence import Families, Thresholds, find_families
from .loading import Node, decode_text, parse_yaml, split_front_matter
from .markup import Markdown
from .model import (
    DEFAULT_VERDICTS,
    Appearance,
    Article,
    Citation,
    Claim,
    Page,
    Publisher,
    Site,
    SiteConfig,
    Update,
    Verdict,
    placed_alike,
    rate,
    register_articles,
    related_checks,
    related_key,
)
from .problems import Problem, Problems
from .quotes import QuoteMiss, find_quote, prepare

# Output folders and files the generator writes itself; a page may not take their name.
RESERVED_PAGE_SLUGS = frozenset(
    {"claims", "verdicts", "tags", "sources", "static", "index", "404", "feed", "sitemap", "robots",
     "claimants", "search", "cards", "pagefind"}
)
EXTENSIONS = {"articles": ".txt", "claims": ".yaml", "pages": ".md"}
PARALLEL_MINIMUM = 200  # claims; fewer are read faster in one process
MAP_CHUNK = 25  # claims sent to a worker at a time
RECENT_NS = 3_000_000_000  # a file changed this recently is read, whatever its signature
FAMILIES_ENTRY = "(article families)"  # the cache entry holding them
RELATED_ENTRY = "(related checks)"


@dataclass
class Loaded:
    """The outcome of reading a site: the model, or the problems that stop it."""

    site: Site | None
    problems: list[Problem] = field(default_factory=list)
    claims: tuple[Claim, ...] = ()  # every check read, drafts too: what `reload_claims` starts from

    @property
    def ok(self) -> bool:
        return self.site is not None


def load_site(
    site_dir: Path,
    include_drafts: bool = False,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    workers: int = 1,
) -> Loaded:
    """Read and check everything under `site_dir`; the site only when all is well.

    With a `cache`, claims whose file and cited articles are unchanged are
    taken from it; with `workers` > 1, the others are read in parallel.
    A file whose times, size and inode are those the cache saw is not read
    again (`file_signature`).
    """
    reader = _Reader(site_dir, cache if cache is not None else BuildCache())
    config = reader.site_config(base_url)
    markdown = Markdown(config.base_path if config else "/")
    articles = reader.articles()
    # what claim readers share, set before any worker is forked so that they inherit it
    _WORK.update(config=config, articles=articles, markdown=markdown, broken_articles=reader.broken_articles)
    with _Workers(workers) as pool:
        families = reader.families(config, articles, pool) if config is not None else None
        claims = reader.claims(config, articles, markdown, pool)
        families = families() if families is not None else None
    pages = reader.pages(markdown)
    reader.check_static()
    reader.forget_unseen()
    if families is not None:
        reader.warn_single_sources(claims, families, articles)
    problems = sorted(p for problems in reader.problem_lists for p in problems)
    if config is None or any(p.severity == "error" for p in problems):
        return Loaded(None, problems)
    return _assemble(reader, config, articles, claims, pages, families, include_drafts, problems)


def reload_claims(previous: Loaded, site_dir: Path, changed: set[str], include_drafts: bool, cache: BuildCache) -> Loaded | None:
    """`previous` again after edits to existing check files only (`changed`: their paths in
    the site folder): those are read again, everything else is kept. None when the edits are
    of another kind (a file added, removed or not a check's), for `load_site` to read it all.

    The preview's watcher knows which files changed: this spares it looking at every file.
    """
    site = previous.site
    if site is None:
        return None
    changed = {path for path in changed if not is_hidden(path)}
    if not changed:
        return previous
    known = {claim.path: claim for claim in previous.claims}
    if not changed <= known.keys():
        return None
    for path in changed:
        try:
            if not stat.S_ISREG(os.lstat(site_dir / path).st_mode):
                return None  # now a link or a folder: the full read says what is wrong
        except OSError:
            return None
    reader = _Reader(site_dir, cache)
    config, articles = site.config, site.articles
    markdown = Markdown(config.base_path)
    register_articles(articles)  # the registry is this process's: another site may have been built since
    _WORK.update(config=config, articles=articles, markdown=markdown, broken_articles=set())
    files = [(Path(path).stem, str(site_dir / path), reader.problems_for(path)) for path in sorted(changed)]
    with _Workers(1) as pool:
        fresh = {claim.path: claim for claim in reader.claims(config, articles, markdown, pool, files)}
    reader.families_key = site.families_key
    reader.warn_single_sources(list(fresh.values()), site.families, articles)
    problems = sorted([p for p in previous.problems if p.path not in changed] + [p for ps in reader.problem_lists for p in ps])
    if any(p.severity == "error" for p in problems):
        return Loaded(None, problems)
    claims = tuple(fresh.get(claim.path, claim) for claim in previous.claims)
    if all(placed_alike(known[path], claim) for path, claim in fresh.items()):
        shown = {claim.slug: claim for claim in fresh.values() if include_drafts or not claim.draft}
        return Loaded(site.with_edits(shown), problems, claims)
    return _assemble(reader, config, articles, claims, list(site.pages), site.families, include_drafts, problems)


def _assemble(reader, config, articles, claims, pages, families, include_drafts, problems) -> Loaded:
    """The site of checks read without errors: drafts left out unless asked for, newest first."""
    shown = [c for c in claims if include_drafts or not c.draft]
    shown.sort(key=lambda c: (c.published, c.slug), reverse=True)
    related = reader.related(tuple(shown))
    site = Site(config, articles, tuple(shown), tuple(pages), families, related, families_key=reader.families_key)
    return Loaded(site, problems, tuple(claims))


def is_hidden(path: str) -> bool:
    """Hidden files are never content: .DS_Store, .gitkeep, and an editor's swap and lock
    files, which come and go with each save. `path`: a name, or a path in the site folder."""
    return any(part.startswith(".") and part != ".." for part in path.split("/"))


def file_signature(file: Path | str) -> tuple | None:
    """What tells that a file is untouched without reading it: its times, size and inode, as Git
    and Make trust them. Any write changes the ctime, which nothing can set back, so restoring
    an old mtime does not hide an edit. None for a file changed in the last few seconds: two
    saves within the clock's resolution could leave one signature (Git's "racily clean" files)."""
    try:
        info = os.stat(file)
    except OSError:
        return None
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < RECENT_NS:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def load_config(site_dir: Path) -> SiteConfig | None:
    """Only site.yaml, for commands that need the scale but not the content."""
    return _Reader(site_dir, BuildCache()).site_config(None)


class _Reader:
    def __init__(self, site_dir: Path, cache: BuildCache):
        self.site_dir = site_dir
        self.cache = cache
        self.broken_articles: set[str] = set()  # ids of articles with problems of their own
        self.problem_lists: list[Problems] = []
        self.seen: set[str] = set()  # content files found this time
        self.families_key = ""  # what the article families were found from

    def problems_for(self, relpath: str) -> Problems:
        problems = Problems(relpath)
        self.problem_lists.append(problems)
        return problems

    # -- files -----------------------------------------------------------------

    def content_files(self, folder: str) -> list[tuple[str, str, Problems]]:
        """(slug, file's path, its problems) for each file of content/`folder`, by name.
        Paths are strings: making 15,000 `Path`s was a third of a warm build's reading."""
        extension = EXTENSIONS[folder]
        directory = self.site_dir / "content" / folder
        if not directory.is_dir():
            return []
        site = self.site_dir.resolve()
        for inside in (self.site_dir / "content", directory):
            if not _resolves_inside(inside, site):
                relative = inside.relative_to(self.site_dir).as_posix()
                self.problems_for(relative).add(
                    1, 1, "this folder is a link to a place outside the site folder; copy the files in instead"
                )
                return []
        found = []
        with os.scandir(directory) as entries:
            listed = sorted((e.name, e) for e in entries if not is_hidden(e.name))
        for name, entry in listed:
            problems = self.problems_for(f"content/{folder}/{name}")
            stem, suffix = os.path.splitext(name)
            if entry.is_symlink() and (link := _link_problem(Path(entry.path), site)):
                problems.add(1, 1, f"this is {link}; copy the file in instead")
            elif entry.is_dir():
                problems.add(1, 1, f"content/{folder}/ holds no folders; move the files in it up")
            elif not entry.is_file():
                problems.add(1, 1, "this is not a regular file (a pipe or a device?); remove it")
            elif suffix != extension:
                problems.add(1, 1, f"content/{folder}/ holds only {extension} files; rename or move this one")
            elif why := slug_problem(stem):
                problems.add(1, 1, f"the file name '{stem}' {why}")
            else:
                found.append((stem, entry.path, problems))
                self.seen.add(problems.path)
        return found

    def forget_unseen(self) -> None:
        """Drop what the cache holds for files that are gone (deleted, renamed), so it does not grow."""
        for table in (self.cache.entries, self.cache.stats, self.cache.objects, self.cache.warnings):
            for path in [path for path in table if path not in self.seen and not path.startswith("(")]:
                del table[path]

    def check_static(self) -> None:
        """The site's static/ may not reach outside the site: a link there would publish it."""
        static = self.site_dir / "static"
        site = self.site_dir.resolve()
        if not static.exists() and not static.is_symlink():
            return
        if not _resolves_inside(static, site):
            self.problems_for("static").add(1, 1, "static/ is a link to a place outside the site folder; copy the files in instead")
            return
        for folder, subfolders, files in os.walk(static):
            for name in sorted(subfolders + files):
                path = Path(folder) / name
                if path.is_symlink() and not _resolves_inside(path, site, loops_inside=True):
                    relative = path.relative_to(self.site_dir).as_posix()
                    self.problems_for(relative).add(
                        1, 1, "this is a link to a file outside the site folder; copy the file in instead"
                    )

    def read(self, file: Path | str, problems: Problems) -> str | None:
        data = self.read_bytes(file, problems)
        return None if data is None else decode_text(data, problems)

    def read_bytes(self, file: Path | str, problems: Problems) -> bytes | None:
        """The file's bytes: what the cache knows a file by (decoding them all cost more than reading)."""
        try:
            with open(file, "rb") as opened:
                return opened.read()
        except OSError as exc:
            problems.add(1, 1, f"cannot read the file: {exc.strerror}")
            return None

    def front_matter(self, text: str, problems: Problems, required: bool) -> tuple[Node | None, str, int]:
        front, body, body_offset = split_front_matter(text)
        if body_offset == -1:
            problems.add(1, 1, "the front matter opened with '---' is never closed; add a '---' line after it")
            return None, "", 0
        if front is None:
            if required:
                problems.add(1, 1, "the file needs front matter: a '---' line, keys such as title, and another '---' line")
            return None, body, 0
        node = parse_yaml(front, problems, first_line=2)
        if node is None and not problems:
            problems.add(1, 1, "the front matter is empty; add the required keys between the '---' lines")
        return node, body, body_offset

    # -- site.yaml -------------------------------------------------------------

    def site_config(self, base_url_override: str | None) -> SiteConfig | None:
        problems = self.problems_for("site.yaml")
        file = self.site_dir / "site.yaml"
        if not file.is_file():
            problems.add(1, 1, "there is no site.yaml here; is --site the site's folder?")
            return None
        text = self.read(file, problems)
        node = parse_yaml(text, problems) if text is not None else None
        if node is None:
            if text is not None and not problems:
                problems.add(1, 1, "site.yaml is empty; it needs at least title, base_url and publisher")
            return None
        config_digest = digest(text, base_url_override or "")
        record = schema.SITE.read(node, problems)
        if record is INVALID:
            return None
        if base_url_override is not None:
            from .fields import url_problem

            if why := url_problem(base_url_override):
                problems.add(1, 1, f"--base-url: {why}")
                return None
            record["base_url"] = base_url_override
        verdicts = self.verdicts(record, problems)
        independence = self.independence(record, problems)
        if problems or verdicts is None:
            return None
        publisher = record["publisher"]
        base_url = record["base_url"].split("#", 1)[0].split("?", 1)[0]
        return SiteConfig(
            title=record["title"],
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            publisher=Publisher(publisher["name"], publisher["url"], publisher.get("logo")),
            description=record.get("description"),
            language=record.get("language", "en"),
            cname=record.get("cname"),
            publish_article_text=record.get("publish_article_text", False),
            verdicts=verdicts,
            independence=independence,
            digest=config_digest,
        )

    def independence(self, record: Record, problems: Problems) -> Thresholds:
        given = record.get("independence", {})
        thresholds = Thresholds(**{k: v for k, v in given.items()})
        for name, why in thresholds.problems():
            line, col = given.at(name) if name in given else record.at("independence")
            problems.add(line, col, f"independence: {name} {why}")
        return thresholds

    def verdicts(self, record: Record, problems: Problems) -> tuple[Verdict, ...] | None:
        if "verdicts" not in record:
            return DEFAULT_VERDICTS
        items = record["verdicts"]
        seen: set[str] = set()
        verdicts = []
        for entry, (line, col) in zip(items, items.positions):
            if "id" not in entry:
                continue
            if entry["id"] in seen:
                problems.add(line, col, f"the verdict id '{entry['id']}' is used twice; ids must differ")
            seen.add(entry["id"])
            verdicts.append(Verdict(entry["id"], entry.get("label", ""), entry.get("description", ""), entry.get("scored", True)))
        return rate(verdicts) if verdicts else None

    # -- articles --------------------------------------------------------------

    def articles(self) -> dict[str, Article]:
        articles = {}
        for slug, file, problems in self.content_files("articles"):
            signature = file_signature(file)
            known = self.cache.objects.get(problems.path)
            if signature is not None and known is not None and known[0] == signature:
                articles[slug] = known[1]  # the preview: untouched since its last build
                continue
            self.broken_articles.add(slug)  # until it reads cleanly
            file_digest, data = self._digest(file, problems, signature)
            if file_digest is None:
                continue
            if (known := self._cached_article(slug, problems.path, file_digest)) is not None:
                articles[slug] = known
                self.broken_articles.discard(slug)
                self._remember_object(problems.path, signature, known)
                continue
            if data is None:  # untouched, but not in the cache (it had problems last time)
                file_digest, data = self._read(file, problems, signature)
                if data is None:
                    continue
            text = decode_text(data, problems)
            if text is None:
                continue
            node, body, offset = self.front_matter(text, problems, required=True)
            if node is None:
                continue
            record = schema.ARTICLE.read(node, problems)
            if not body.strip():
                problems.add(offset + 1, 1, "the article has no text after its front matter; paste the article's text")
            elif found := forbidden_character(body):
                at, problem = found
                line = offset + body.count("\n", 0, at) + 1
                problems.add(line, at - body.rfind("\n", 0, at), f"{problem}; remove it")
            if problems or record is INVALID:
                continue
            body = body.strip("\n")
            articles[slug] = Article(
                id=slug,
                path=problems.path,
                title=record["title"],
                publisher=record["publisher"],
                published=record["published"],
                text=body,
                prepared=prepare(body),
                author=record.get("author"),
                url=record.get("url"),
                archive_url=record.get("archive_url"),
                digest=file_digest,
            )
            self.cache.entries[problems.path] = (file_digest, (), *self.cache.kept(*articles[slug].pickled_apart()))
            self.broken_articles.discard(slug)
            self._remember_object(problems.path, signature, articles[slug])
        register_articles(articles)
        return articles

    def _cached_article(self, slug: str, path: str, file_digest: str) -> Article | None:
        """The article as read last time from a file with the same bytes (it had no problems)."""
        entry = self.cache.entries.get(path)
        if entry is None or entry[0] != file_digest:
            return None
        try:
            return Article.from_pickled(entry[2], entry[3], id=slug, path=path, digest=file_digest)
        except Exception:  # noqa: BLE001 - an unreadable entry is read again from the file
            return None

    # -- claims ----------------------------------------------------------------

    def claims(
        self, config: SiteConfig | None, articles: dict[str, Article], markdown: Markdown, pool: "_Workers", files=None
    ) -> list[Claim]:
        """The checks in content/claims/, or in `files` ((slug, file, its problems), as `content_files` gives),
        in that order. A file is read when a worker is ready for it: a cold build of a big site
        held every file's text at once."""
        claims: list[tuple[int, Claim]] = []

        def to_read():
            for index, (slug, file, problems) in enumerate(files if files is not None else self.content_files("claims")):
                signature = file_signature(file)
                file_digest, data = self._digest(file, problems, signature)
                if file_digest is None:
                    continue
                key = digest(file_digest, config.digest) if config is not None else ""
                if config is not None and (cached := self._cached_claim(problems.path, key, articles)):
                    claims.append((index, cached))
                    continue
                if data is None:  # untouched, but not in the cache (the configuration changed, say)
                    file_digest, data = self._read(file, problems, signature)
                    if data is None:
                        continue
                    key = digest(file_digest, config.digest) if config is not None else ""
                text = decode_text(data, problems)
                if text is not None:
                    yield (index, slug, problems.path, text, key)

        for index, path, pickled, found, key, deps in pool.map(_read_claim, to_read()):
            self.problems_for(path).extend(found)
            if pickled is not None:
                light, packed = self.cache.kept(*pickled)
                claim = Claim.from_pickled(pickled[0], packed)
                claims.append((index, claim))
                self.cache.entries[path] = (key, deps, light, packed)
                self.cache.objects[path] = (key, claim)
        return [claim for _, claim in sorted(claims, key=lambda pair: pair[0])]

    def _digest(self, file: str, problems: Problems, signature: tuple | None) -> tuple[str | None, bytes | None]:
        """(digest of the file's bytes, the bytes if they were read): the digest as last read if
        the signature says the file is untouched since, else read now; (None, None) if unreadable."""
        known = self.cache.stats.get(problems.path)
        if signature is not None and known is not None and known[0] == signature:
            return known[1], None
        return self._read(file, problems, signature)

    def _read(self, file: str, problems: Problems, signature: tuple | None) -> tuple[str | None, bytes | None]:
        """(digest, bytes) of the file, the digest remembered by the signature taken before
        reading (a change while reading leaves a signature that will not match next time)."""
        data = self.read_bytes(file, problems)
        if data is None:
            self.cache.stats.pop(problems.path, None)
            return None, None
        file_digest = digest(data)
        self.cache.stats[problems.path] = (signature, file_digest)
        return file_digest, data

    def _remember_object(self, path: str, signature: tuple | None, value) -> None:
        """What the preview made of a file, for its next build (kept in memory only)."""
        if signature is not None:
            self.cache.objects[path] = (signature, value)

    def _cached_claim(self, path: str, key: str, articles: dict[str, Article]) -> Claim | None:
        entry = self.cache.entries.get(path)
        if entry is None or entry[0] != key:
            return None
        if any(articles.get(a) is None or articles[a].digest != d for a, d in entry[1]):
            return None
        known = self.cache.objects.get(path)
        if known is not None and known[0] == key:
            return known[1]
        try:
            claim = Claim.from_pickled(entry[2], entry[3])
        except Exception:  # noqa: BLE001 - an unreadable entry is read again from the file
            return None
        self.cache.objects[path] = (key, claim)
        return claim

    # -- independence ------------------------------------------------------------

    def families(self, config: SiteConfig, articles: dict[str, Article], pool: "_Workers"):
        """Articles grouped into copies and rewrites of one report, as a function
        that waits for them: they are found beside the claims (it reads every text),
        or taken from the cache."""
        key = digest(repr(config.independence), *(f"{a.id}:{a.digest}" for a in articles.values()))
        self.families_key = key
        known = self.cache.objects.get(FAMILIES_ENTRY)
        if known is not None and known[0] == key:
            return lambda: known[1]  # the preview, between two builds
        cached = self.cache.entries.get(FAMILIES_ENTRY)
        if cached is not None and cached[0] == key:
            try:
                families = BuildCache.unpack(cached[2])
                self.cache.objects[FAMILIES_ENTRY] = (key, families)
                return lambda: families
            except Exception:  # noqa: BLE001 - found again below
                pass
        pending = pool.submit(_find_families, list(articles.values()), config.independence)

        def result() -> Families:
            blob = pending()
            self.cache.entries[FAMILIES_ENTRY] = (key, (), blob)
            families = BuildCache.unpack(blob)
            self.cache.objects[FAMILIES_ENTRY] = (key, families)
            return families

        return result

    def related(self, claims: tuple[Claim, ...]) -> dict[str, tuple[str, ...]]:
        """Related checks, from the cache while no check's slug, topics, articles or place changed."""
        key = related_key(claims)
        known = self.cache.entries.get(RELATED_ENTRY)
        if known is not None and known[0] == key:
            try:
                return BuildCache.unpack(known[2])
            except Exception:  # noqa: BLE001 - found again below
                pass
        related = related_checks(claims)
        self.cache.entries[RELATED_ENTRY] = (key, (), BuildCache.pack(related))
        return related

    def warn_single_sources(self, claims: list[Claim], families: Families, articles: dict[str, Article]) -> None:
        """A warning (an error with --strict) for each check whose articles are all one report
        (from the cache while neither the check nor the families changed)."""
        for claim in claims:
            inputs = (claim.digest, self.families_key)
            remembered = self.cache.warnings.get(claim.path)
            if remembered is not None and remembered[0] == inputs:
                message = remembered[1]
            else:
                message = families.single_source_warning([a.id for a in claim.cited_articles], articles)
            self.cache.warnings[claim.path] = (inputs, message)
            if message:
                problems = self.problems_for(claim.path)
                problems.append(Problem(claim.path, *claim.citations_at, message, "warning"))

    # -- pages -----------------------------------------------------------------

    def pages(self, markdown: Markdown) -> list[Page]:
        pages = []
        for slug, file, problems in self.content_files("pages"):
            if slug in RESERVED_PAGE_SLUGS:
                problems.add(1, 1, f"the page name '{slug}' is taken by the site's own pages; rename the file")
                continue
            text = self.read(file, problems)
            if text is None:
                continue
            node, body, offset = self.front_matter(text, problems, required=True)
            if node is None:
                continue
            record = schema.PAGE.read(node, problems)
            if record is INVALID:
                continue
            html = markdown.render(body, problems, offset + 1, text.split("\n"))
            if not problems:
                pages.append(Page(slug, problems.path, record["title"], html, record.get("nav", False), digest(text)))
        return pages


def _link_problem(path: Path, site: Path) -> str | None:
    """What is wrong with where `path` leads, links followed; None when it stays in the site."""
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a link loop so
        return "a link loop"
    except OSError as exc:
        return "a link loop" if exc.errno == errno.ELOOP else "a link that leads nowhere"
    return None if resolved.is_relative_to(site) else "a link to a file outside the site folder"


def _resolves_inside(path: Path, site: Path, loops_inside: bool = False) -> bool:
    """Whether `path` stays inside the site; a loop publishes nothing, so may count as inside."""
    problem = _link_problem(path, site)
    return problem is None or (loops_inside and problem == "a link loop")


# What claim readers share (see load_site).
_WORK: dict = {}


def _read_claim(job: tuple[int, str, str, str, str]) -> tuple[int, str, tuple[bytes, bytes] | None, list[Problem], str, tuple]:
    """Read one claim: (its index, path, the claim pickled (`Claim.pickled_apart`) or None, its
    problems, cache key, cited articles)."""
    index, slug, path, text, key = job
    problems = Problems(path)
    claim = None
    node = parse_yaml(text, problems)
    if node is None:
        if not problems:
            problems.add(1, 1, "the file is empty; run `python build.py new \"CLAIM\"` for a template")
    else:
        record = schema.CLAIM.read(node, problems)
        if record is not INVALID:
            claim = _ClaimBuilder(slug, record, problems, text=text, **_WORK).build()
    if claim is None:
        return index, path, None, list(problems), key, ()
    deps = tuple(sorted({(a.id, a.digest) for a in claim.cited_articles + [x.article for x in claim.appeared_in if x.article]}))
    # the slug too: a file renamed without a change is a page at a new address
    claim = replace(claim, digest=digest(key, slug, *(f"{a}:{d}" for a, d in deps)))
    return index, path, claim.pickled_apart(), list(problems), key, deps


def _find_families(articles: list[Article], thresholds: Thresholds) -> bytes:
    return BuildCache.pack(find_families(articles, thresholds))


class _Workers:
    """Forked processes for the work of reading, started only when there is enough of it.

    Forked, so they inherit what `_WORK` holds; everything else they need
    travels with the job.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = None

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _start(self) -> bool:
        if self.pool is None and self.workers > 1:
            self.pool = forked_pool(self.workers)
        return self.pool is not None

    def submit(self, function, *args):
        """Start `function(*args)` beside what follows; call the result to wait for it."""
        if len(args[0]) >= PARALLEL_MINIMUM and self._start():
            return self.pool.submit(function, *args).result
        return lambda: function(*args)

    def map(self, function, jobs: Iterable) -> Iterator:
        """`function` of each job, in order. Jobs are taken as workers are ready for them and
        results given as they come: neither all the jobs nor all the results are held at once."""
        jobs = iter(jobs)
        first = list(itertools.islice(jobs, PARALLEL_MINIMUM))
        if len(first) < PARALLEL_MINIMUM or not self._start():
            return map(function, itertools.chain(first, jobs))
        return self._map_in_workers(function, itertools.chain(first, jobs))

    def _map_in_workers(self, function, jobs: Iterator) -> Iterator:
        pending: collections.deque = collections.deque()
        while chunk := list(itertools.islice(jobs, MAP_CHUNK)):
            pending.append(self.pool.submit(_each, function, chunk))
            if len(pending) > self.workers * 4:  # enough to keep every worker busy
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _each(function, jobs: list) -> list:
    return [function(job) for job in jobs]


class _ClaimBuilder:
    """Cross-checks one claim against the scale and the archive, then builds it."""

    def __init__(self, slug, record, problems, *, config, articles, markdown, text, broken_articles=frozenset()):
        self.slug = slug
        self.record = record
        self.problems = problems
        self.config = config
        self.articles = articles
        self.markdown = markdown
        self.text = text
        self.broken_articles = broken_articles

    def build(self) -> Claim | None:
        r = self.record
        verdict = self.verdict()
        citations = self.citations()
        appeared_in = self.appeared_in()
        analysis_html = self.analysis()
        updates = tuple(Update(u["date"], u["note"]) for u in r.get("updates", ()) if "date" in u and "note" in u)
        if self.problems or verdict is None:
            return None
        return Claim(
            slug=self.slug,
            path=self.problems.path,
            claim=r["claim"],
            claimant=r["claimant"],
            verdict=verdict,
            summary=r["summary"],
            published=r["published"],
            citations=citations,
            analysis_html=analysis_html,
            claim_date=r.get("claim_date"),
            appeared_in=appeared_in,
            headline=r.get("headline"),
            author=r.get("author"),
            draft=r.get("draft", False),
            tags=tuple(dict.fromkeys(r.get("tags", ()))),
            updates=updates,
            citations_at=r.at("citations"),
        )

    def verdict(self) -> Verdict | None:
        if self.config is None or "verdict" not in self.record:
            return None
        verdict_id = self.record["verdict"]
        verdict = self.config.verdict(verdict_id)
        if verdict is None:
            ids = [v.id for v in self.config.verdicts]
            close = difflib.get_close_matches(verdict_id, ids, n=1)
            hint = f"did you mean '{close[0]}'? The" if close else "the"
            self.problems.add(
                *self.record.at("verdict"),
                f"'{verdict_id}' is not on the site's rating scale; {hint} scale: {', '.join(ids)}",
            )
        return verdict

    def article(self, article_id: str, position: tuple[int, int]) -> Article | None:
        article = self.articles.get(article_id)
        if article is None and article_id not in self.broken_articles:  # those report their own problems
            close = difflib.get_close_matches(article_id, list(self.articles), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.problems.add(
                *position,
                f"no archived article '{article_id}' (content/articles/{article_id}.txt){hint}",
            )
        return article

    def citations(self) -> tuple[Citation, ...]:
        citations = []
        for entry in self.record.get("citations", ()):
            if getattr(entry, "kind", None) == "url":
                if "url" in entry and "title" in entry:
                    citations.append(Citation(note=entry.get("note"), url=entry["url"], title=entry["title"]))
                continue
            if "article" not in entry or "quote" not in entry:
                continue
            article = self.article(entry["article"], entry.at("article"))
            if article is None:
                continue
            match = find_quote(entry["quote"], article.text, article.prepared)
            if isinstance(match, QuoteMiss):
                self.problems.add(*entry.at("quote"), f"quote not found in '{article.id}': {match.message}")
                continue
            citations.append(Citation(note=entry.get("note"), article=article, quote=entry["quote"], match=match))
        return tuple(citations)

    def appeared_in(self) -> tuple[Appearance, ...]:
        items = self.record.get("appeared_in", ())
        appearances = []
        for (kind, value), position in zip(items, getattr(items, "positions", ())):
            if value is INVALID:
                continue
            if kind == "url":
                appearances.append(Appearance(url=value))
            elif article := self.article(value, position):
                appearances.append(Appearance(article=article))
        return tuple(appearances)

    def analysis(self) -> str:
        if "analysis" not in self.record:
            return ""
        line, col = self.record.at("analysis")
        lines = self.text.split("\n")
        # a block scalar (| or >) starts on the line after its indicator
        indicator = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
        first = line + 1 if indicator in ("|", ">") else line
        return self.markdown.render(self.record["analysis"], self.problems, first, lines)
