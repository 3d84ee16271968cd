"""Reading a site folder into the model, collecting every problem on the way.

Each file is read by a plain function of its bytes (and, for a check, of the site's
settings and the articles it names). `load_site` calls them through a `Runner`, which
by default just calls them: the caller may run them in parallel or reuse earlier results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import errno
import functools
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import schema
from .fields import INVALID, PartialDate, Record, forbidden_character, slug_problem, slugify_suggestion, url_problem
from .independence import Families, Thresholds, find_families
from .loading import Node, decode_text, parse_yaml, split_front_matter
from .markup import Markdown, markdown_size_problem
from .model import (
    default_verdicts,
    Appearance,
    claimant_slug,
    Article,
    Catalogue,
    Citation,
    Claim,
    Page,
    Person,
    Publisher,
    Site,
    SiteConfig,
    Update,
    Verdict,
    rate,
    related_checks,
    relatedness,
)
from .problems import Problem, Problems
from .quotes import QuoteMiss, article_size_problem, find_quote, prepare, quote_problem
from .i18n import message_ids
from .urls import LABEL_URLS, LEFT_OUT_OF_ADDRESSES, label_segment_or_hash

# Output folders and files the generator writes itself; a page may not take their name.
RESERVED_PAGE_SLUGS = frozenset(
    {"claims", "verdicts", "tags", "sources", "static", "index", "404", "feed", "sitemap", "robots",
     "claimants", "search", "cards", "pagefind", "admin", "people"}
)
EXTENSIONS = {"articles": ".txt", "claims": ".yaml", "pages": ".md"}
# Names Windows cannot hold as a file or folder: a site must build on any editor's machine.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})
# Limits no real check reaches; past them a pull request would make the build slow or the site huge.
LIMITS = {"citations": 50, "tags": 20, "appeared_in": 50, "updates": 100}
MAX_FILES = 200_000  # per content folder: twice the largest desk the speed targets are set for


class Runner:
    """How `load_site` calls its readers: `map(function, calls)` is `function(*args)` for each."""

    def map(self, function: Callable, calls: list[tuple]) -> list:
        return [function(*args) for args in calls]


@dataclass
class Loaded:
    """The outcome of reading a site: the model, or the problems that stop it."""

    site: Site | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.site is not None


def load_site(site_dir: Path, include_drafts: bool = False, base_url: str | None = None, runner: Runner | None = None) -> Loaded:
    """Read and check everything under `site_dir`; the site only when all is well."""
    runner = runner or Runner()
    reader = _Reader(site_dir)
    config = reader.site_config(base_url)
    articles = reader.read_all(runner, "articles", read_article)
    catalogue = Catalogue({a.id: a for a in articles.values()} | {slug: None for slug in reader.broken["articles"]})
    claims = list(reader.read_all(runner, "claims", read_claim, config, catalogue).values())
    pages = list(reader.read_all(runner, "pages", read_page, config.base_path if config else "/", config.all_languages if config else ()).values())
    reader.check_static()
    reader.check_templates()
    problems = sorted([*(p for problems in reader.problem_lists for p in problems), *shared_addresses(claims, bool(config and config.latin_urls)),
                       *translation_problems(claims, reader.broken["claims"])])
    if config is None or any(p.severity == "error" for p in problems):
        return Loaded(None, problems)
    articles = dict(sorted(articles.items()))
    [families] = runner.map(find_families, [(tuple(articles.values()), config.independence)])
    problems = sorted(problems + single_source_warnings(claims, families, articles, config.min_sources) + date_warnings(claims, dt.date.today()))
    shown = [c for c in claims if include_drafts or not c.draft]
    shown.sort(key=lambda c: (c.published, c.slug), reverse=True)
    # related checks are found among those in the check's own language
    by_language = [tuple(c for c in shown if c.language == language) for language in config.all_languages]
    related = {slug: found for part in runner.map(related_checks, [(relatedness(claims),) for claims in by_language if claims])
               for slug, found in part.items()}
    site = Site(config, articles, tuple(shown), tuple(pages), families, related)
    return Loaded(in_date_order(site), problems)


def in_date_order(site: Site) -> Site:
    """The site with each check's appearances earliest first, partial dates placed as on every page."""
    claims = []
    for claim in site.claims:
        appeared, reported = site.in_date_order(claim.appeared_in), site.in_date_order(claim.reported_in)
        if any(a is not b for a, b in zip((*appeared, *reported), (*claim.appeared_in, *claim.reported_in))):
            claim = dataclasses.replace(claim, appeared_in=appeared, reported_in=reported)
        claims.append(claim)
    if all(a is b for a, b in zip(claims, site.claims)):
        return site
    return dataclasses.replace(site, claims=tuple(claims))


def load_config(site_dir: Path) -> SiteConfig | None:
    """Only site.yaml, for commands that need the scale but not the content."""
    return _Reader(site_dir).site_config(None)


def is_hidden(name: str) -> bool:
    """Hidden files are never content: .DS_Store, .gitkeep, and an editor's swap, lock and backup
    files (name~, #name#), which come and go with each save."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def shared_addresses(claims: list[Claim], latin: bool) -> list[Problem]:
    """Two claimants or two topics whose names differ (beyond case, spaces and punctuation) but
    whose pages would have one address (`latin`: site.yaml's label_urls); and topics no common
    file system can hold as a folder."""
    problems = []
    first_claimant: dict[str, Claim] = {}
    first_topic: dict[str, tuple[str, Claim]] = {}
    for claim in sorted(claims, key=lambda c: c.path):
        slug = claimant_slug(claim.claimant, latin)
        other = first_claimant.setdefault(slug, claim)
        if _name_key(other.claimant) != _name_key(claim.claimant):
            problems.append(Problem(claim.path, 1, 1, (
                f"the claimant '{claim.claimant}' would share the page claimants/{slug}/ with '{other.claimant}'"
                f" ({other.path}); write one name the same way in both, or tell them apart")))
        for tag in claim.tags:
            address = label_segment_or_hash(tag, latin, "topic")
            other_tag, other = first_topic.setdefault(address, (tag, claim))
            if _name_key(other_tag) != _name_key(tag):
                problems.append(Problem(claim.path, 1, 1, (
                    f"the topic '{tag}' would share the page tags/{address}/ with '{other_tag}' ({other.path});"
                    " write one topic the same way in both, or tell them apart")))
            if address in RESERVED_NAMES:
                problems.append(Problem(claim.path, 1, 1, f"the topic '{tag}' is a name Windows cannot hold as a folder; choose another"))
    return problems


def translation_problems(claims: list[Claim], broken: set[str]) -> list[Problem]:
    """`translation_of` names a check that exists (`broken`: those with problems of their own), in
    another language; a check and its translations hold one check per language."""
    problems = []
    by_slug = {c.slug: c for c in claims}
    linked: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: c.path):
        target = claim.translation_of
        if target is None or target in broken:
            continue
        other = by_slug.get(target)
        where = (claim.path, *claim.translation_of_at)
        if other is None:
            close = difflib.get_close_matches(target, [s for s, c in by_slug.items() if c.language != claim.language], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; write the file name of a check in content/claims/, without .yaml"
            problems.append(Problem(*where, f"translation_of: there is no check '{target}'{hint}"))
        elif other.language == claim.language:
            problems.append(Problem(*where, f"translation_of: '{target}' is in {other.language}, as this check is; name the check"
                                    " this one translates, in another of the site's languages"))
        else:
            linked.setdefault(target, []).append(claim)
    for target, translations in linked.items():
        seen: dict[str, Claim] = {by_slug[target].language: by_slug[target]}
        for claim in translations:
            if claim.language in seen:
                problems.append(Problem(claim.path, *claim.translation_of_at, f"translation_of: '{target}' already has a"
                                        f" translation in {claim.language}, {seen[claim.language].path}; one check per language"))
            else:
                seen[claim.language] = claim
    return problems


@functools.lru_cache(maxsize=None)  # a name is met once per check that names it
def _name_key(name: str) -> str:
    """A name as a reader tells names apart: case, spaces, punctuation and optional marks aside
    (a Devanagari vowel sign counts: it is part of its word)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name.translate(LEFT_OUT_OF_ADDRESSES)).casefold()
                   if ch.isalnum() or unicodedata.category(ch)[0] == "M")


def _closest_verdict(written: str, ids: list[str]) -> str | None:
    """An id of this site's scale the editor most likely meant: 'Mostly False' is 'mostly-false'
    where the scale has it, and only a near spelling otherwise (never a merely similar rating)."""
    normal = slugify_suggestion(written)
    if normal in ids:
        return normal
    close = difflib.get_close_matches(normal or written, ids, n=1, cutoff=0.8)
    return close[0] if close else None


def date_warnings(claims: list[Claim], today: dt.date) -> list[Problem]:
    """Dates an editor most likely mistyped: a check published in the future, a claim made after its check."""
    warnings = []
    for claim in claims:
        if claim.published > today:
            warnings.append(Problem(claim.path, *claim.published_at, f"the check is dated {claim.published.isoformat()},"
                                    " in the future; is the year right?", "warning"))
        if claim.claim_date and claim.claim_date > claim.published:
            warnings.append(Problem(claim.path, *claim.published_at, f"the claim was made on {claim.claim_date.isoformat()},"
                                    f" after the check's publication on {claim.published.isoformat()}; is one of the dates wrong?",
                                    "warning"))
    return warnings


def single_source_warnings(claims: list[Claim], families: Families, articles: dict[str, Article], min_sources: int) -> list[Problem]:
    """A warning (an error with --strict) for each check whose cited articles turn out to be one
    source, and each rated check resting on fewer than `min_sources`, unless its `single_source`
    says why that is enough; and for a `single_source` that no longer applies. Unrated verdicts
    (Unproven) need no second source."""
    warnings = []
    for claim in claims:
        ids = [a.id for a in claim.cited_articles]
        links = {urlsplit(c.url).hostname for c in claim.citations if c.url}
        count = (families.independent_count(ids, articles)[0] if ids else 0) + len(links)
        if claim.single_source:
            if count >= max(2, min_sources):
                warnings.append(Problem(claim.path, *claim.single_source_at, f"single_source is set, but the check rests on"
                                        f" {count} independent sources; remove it", "warning"))
            continue
        several_as_one = count == 1 and len(ids) > 1
        too_few = claim.verdict.scored and count < min_sources
        if several_as_one or too_few:
            message = (families.single_source_warning(ids, articles) if count == 1 and ids else None) or (
                f"the check rests on {count} independent source{'' if count == 1 else 's'}; the site asks for {min_sources}")
            warnings.append(Problem(claim.path, *claim.citations_at, f"{message}, or say in single_source why"
                                    f" {'one is' if count == 1 else 'these are'} enough", "warning"))
    return warnings


# -- the readers: plain functions of what they are given --------------------------------


markdown_for = functools.lru_cache(maxsize=8)(Markdown)  # one parser for each base path
# An article prepared for quote matching once, however many quotes it is searched for;
# checks cite articles in any order: keep every article of a big desk.
prepared_text = functools.lru_cache(maxsize=8192)(prepare)


def read_article(slug: str, path: str, data: bytes) -> tuple[Article | None, tuple[Problem, ...]]:
    problems = Problems(path)
    read = _with_front_matter(data, problems, schema.ARTICLE)
    if read is None:
        return None, tuple(problems)
    record, body, offset, _ = read
    if too_big := article_size_problem(body):
        problems.add(offset + 1, 1, too_big)
    elif not body.strip():
        problems.add(offset + 1, 1, "the article has no text after its front matter; paste the article's text")
    else:
        _check_characters(body, offset, problems)
    if record is not INVALID and "published_before" in record and "published" in record:
        published, before = record["published"], record["published_before"]
        if not isinstance(published, PartialDate):
            problems.add(*record.at("published_before"), "published_before is for a date known only to the month or"
                         " year; the full date is given, so remove it")
        elif before <= dt.date(published.year, published.month or 1, 1):
            problems.add(*record.at("published_before"), f"published_before {before.isoformat()} is not after the start"
                         f" of {published.isoformat()}; correct one of the two")
    if problems or record is INVALID:
        return None, tuple(problems)
    article = Article(
        id=slug,
        path=path,
        text=body.strip("\n"),
        **{f.name: record[f.name] for f in dataclasses.fields(Article) if f.name in record},
    )
    return article, ()


def _with_front_matter(data: bytes, problems: Problems, kind) -> tuple | None:
    """(the front matter read as `kind`, the text after it, its line offset, the whole text); None if unreadable."""
    text = decode_text(data, problems)
    if text is None:
        return None
    front, body, offset = split_front_matter(text)
    if offset == -1:
        problems.add(1, 1, "the front matter opened with '---' is never closed; add a '---' line after it")
        return None
    if front is None:
        problems.add(1, 1, "the file needs front matter: a '---' line, keys such as title, and another '---' line")
        return None
    empty = "the front matter is empty; add the required keys between the '---' lines"
    node = _yaml_node(front, problems, empty, first_line=2)
    if node is None:
        return None
    return kind.read(node, problems), body, offset, text


def _yaml_node(text: str, problems: Problems, empty: str, first_line: int = 1) -> Node | None:
    """`text` as YAML, with the problem `empty` when it holds nothing."""
    node = parse_yaml(text, problems, first_line)
    if node is None and not problems:
        problems.add(1, 1, empty)
    return node


def _check_characters(body: str, offset: int, problems: Problems) -> None:
    """A character no page or feed can hold, at its line and column."""
    if found := forbidden_character(body):
        at, problem = found
        problems.add(offset + body.count("\n", 0, at) + 1, at - body.rfind("\n", 0, at), f"{problem}; remove it")


def read_claim(slug: str, path: str, data: bytes, config: SiteConfig | None, articles: Catalogue) -> tuple[Claim | None, tuple[Problem, ...]]:
    """One check, cross-checked against the site's scale and the articles it quotes."""
    problems = Problems(path)
    text = decode_text(data, problems)
    empty = "the file is empty; run `python build.py new \"CLAIM\"` for a template"
    node = _yaml_node(text, problems, empty) if text is not None else None
    if node is None:
        return None, tuple(problems)
    record = schema.CLAIM.read(node, problems)
    if record is INVALID:
        return None, tuple(problems)
    claim = _ClaimBuilder(slug, record, problems, config=config, articles=articles, text=text).build()
    return claim, tuple(problems)


def read_page(slug: str, path: str, data: bytes, base_path: str, languages: tuple[str, ...]) -> tuple[Page | None, tuple[Problem, ...]]:
    problems = Problems(path)
    if slug in RESERVED_PAGE_SLUGS:
        problems.add(1, 1, f"the page name '{slug}' is taken by the site's own pages; rename the file")
        return None, tuple(problems)
    if slug in (language.lower() for language in languages[1:]):
        problems.add(1, 1, f"the page name '{slug}' is taken by the folder of the site's pages in {slug}; rename the file")
        return None, tuple(problems)
    read = _with_front_matter(data, problems, schema.PAGE)
    if read is None or read[0] is INVALID:
        return None, tuple(problems)
    record, body, offset, text = read
    language = record.get("language", "")
    if language and languages and language not in languages:
        problems.add(*record.at("language"), language_problem(language, languages, "page"))
    if too_long := markdown_size_problem(body, "the page"):
        problems.add(offset + 1, 1, too_long)
        return None, tuple(problems)
    _check_characters(body, offset, problems)
    if problems:
        return None, tuple(problems)
    html = markdown_for(base_path).render(body, problems, offset + 1, text.split("\n"))
    if problems:
        return None, tuple(problems)
    return Page(slug, path, record["title"], html, record.get("nav", False), record.get("updated"),
                "" if not languages or language == languages[0] else language), ()


def other_languages_only(record: Record, key: str, others: tuple[str, ...], problems: Problems) -> None:
    """A text by language (a verdict's `labels`, the site's `titles`) names only the desk's other languages."""
    for language in record.get(key, {}):
        if language not in others:
            where = f"one of {', '.join(others)}" if others else "none: the site is in one language"
            problems.add(*record[key].at(language), f"{key}: '{language}' is not another of the site's languages; write {where}")


def language_problem(language: str, languages: tuple[str, ...], what: str) -> str:
    if len(languages) == 1:
        return (f"'{language}' is not the site's language; the site is in {languages[0]}: remove the {what}'s language,"
                " or add it to site.yaml's languages")
    return f"'{language}' is not one of the site's languages; write one of {', '.join(languages)}, or add it to site.yaml's languages"


def _read_bytes(file: str, problems: Problems) -> bytes | None:
    try:
        with open(file, "rb") as opened:
            return opened.read()
    except OSError as exc:
        problems.add(1, 1, f"cannot read the file: {exc.strerror}")
        return None


class _Reader:
    """The site folder's files, and the problems found with them."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        self.problem_lists: list[Problems] = []
        self.broken: dict[str, set[str]] = {folder: set() for folder in EXTENSIONS}  # slugs of files with problems

    def problems_for(self, relpath: str) -> Problems:
        problems = Problems(relpath)
        self.problem_lists.append(problems)
        return problems

    def read_all(self, runner: Runner, folder: str, reader: Callable, *more) -> dict:
        """`reader(slug, path, bytes, *more)` for each file of content/`folder`: what it made, by slug."""
        calls = []
        for slug, file, problems in self.content_files(folder):
            data = _read_bytes(file, problems)
            if data is None:
                self.broken[folder].add(slug)
            else:
                calls.append((slug, problems.path, data, *more))
        made = {}
        for (slug, *_), (value, found) in zip(calls, runner.map(reader, calls)):
            self.problem_lists.append(list(found))
            if value is None:
                self.broken[folder].add(slug)
            else:
                made[slug] = value
        return made

    def content_files(self, folder: str) -> list[tuple[str, str, Problems]]:
        """(slug, file's path, its problems) for each file of content/`folder`, by name.
        Paths are strings: a `Path` for each file of a big desk slows reading."""
        extension = EXTENSIONS[folder]
        directory = self.site_dir / "content" / folder
        if not directory.is_dir():
            return []
        site = self.site_dir.resolve()
        for inside in (self.site_dir / "content", directory):
            if _link_problem(inside, site):
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
                suggested = slugify_suggestion(stem)
                if suggested and os.path.lexists(os.path.join(directory, suggested + extension)):
                    # never suggest a name that is taken: renaming to it would overwrite a file
                    why = why.replace(f"; try '{suggested}'", f"; {suggested}{extension} exists already, so choose another name")
                problems.add(1, 1, f"the file name '{stem}' {why}")
            elif stem in RESERVED_NAMES:
                problems.add(1, 1, f"the file name '{stem}' is a name Windows cannot hold; rename the file")
            elif len(found) >= MAX_FILES:
                problems.add(1, 1, f"content/{folder}/ holds more than {MAX_FILES:,} files; this one is past the limit")
            else:
                found.append((stem, entry.path, problems))
        return found

    def check_static(self) -> None:
        """The site's static/ may not reach outside the site: a link there would publish it."""
        static = self.site_dir / "static"
        site = self.site_dir.resolve()
        if not static.exists() and not static.is_symlink():
            return
        if _link_problem(static, site):
            self.problems_for("static").add(1, 1, "static/ is a link to a place outside the site folder; copy the files in instead")
            return
        for folder, subfolders, files in os.walk(static):
            for name in sorted(subfolders + files):
                path = Path(folder) / name
                # a loop publishes nothing, so may stay
                if path.is_symlink() and _link_problem(path, site) not in (None, "a link loop"):
                    relative = path.relative_to(self.site_dir).as_posix()
                    self.problems_for(relative).add(
                        1, 1, "this is a link to a file outside the site folder; copy the file in instead"
                    )

    def site_config(self, base_url_override: str | None) -> SiteConfig | None:
        problems = self.problems_for("site.yaml")
        file = self.site_dir / "site.yaml"
        if not file.is_file():
            problems.add(1, 1, "there is no site.yaml here; is --site the site's folder?")
            return None
        data = _read_bytes(str(file), problems)
        text = decode_text(data, problems) if data is not None else None
        empty = "site.yaml is empty; it needs at least title, base_url and publisher"
        node = _yaml_node(text, problems, empty) if text is not None else None
        if node is None:
            return None
        record = schema.SITE.read(node, problems)
        if record is INVALID:
            return None
        if base_url_override is not None:
            if why := url_problem(base_url_override):
                problems.add(1, 1, f"--base-url: {why}")
                return None
            record["base_url"] = base_url_override
        verdicts = self.verdicts(record, problems)
        independence = self.independence(record, problems)
        people = self.people(record, problems)
        self.interface_strings(record, problems)
        if "repository" in record and not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", record["repository"]):
            problems.add(*record.at("repository"), "repository must be OWNER/NAME as GitHub shows it, such as steel-desk/checks")
        languages = tuple(record.get("languages", ()))
        if "languages" in record:
            if len(set(languages)) < len(languages):
                problems.add(*record.at("languages"), "languages names a language twice; name each once, the default first")
            if record.get("language", languages[0]) != languages[0]:
                problems.add(*record.at("language"), f"language is {record['language']} but languages starts with {languages[0]};"
                             " remove language: the first of languages is the default")
        scales = self.scales(record, verdicts or (), languages[1:], problems)
        for key in ("titles", "descriptions"):
            other_languages_only(record, key, languages[1:], problems)
        if not 1 <= record.get("min_sources", 1) <= 10:
            problems.add(*record.at("min_sources"), "min_sources must be a whole number from 1 to 10, such as 2")
        if problems or verdicts is None:
            return None
        publisher = record["publisher"]
        base_url = record["base_url"].split("#", 1)[0].split("?", 1)[0]
        return SiteConfig(
            title=record["title"],
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            publisher=Publisher(publisher["name"], publisher["url"], publisher.get("logo")),
            description=record.get("description"),
            language=languages[0] if languages else record.get("language", "en"),
            languages=languages if len(languages) > 1 else (),
            cname=record.get("cname"),
            repository=record.get("repository"),
            editor_login=record.get("editor_login"),
            publish_article_text=record.get("publish_article_text", False),
            verdicts=verdicts,
            scales=scales,
            titles=tuple(sorted(record.get("titles", {}).items())),
            descriptions=tuple(sorted(record.get("descriptions", {}).items())),
            independence=independence,
            people=people,
            min_sources=record.get("min_sources", 1),
            label_urls=record.get("label_urls", LABEL_URLS[0]),
            strings=tuple(sorted(record.get("strings", {}).items())),
        )

    def interface_strings(self, record: Record, problems: Problems) -> None:
        """Each of site.yaml's `strings` must be one the interface has."""
        given = record.get("strings", {})
        known = message_ids() if given else frozenset()
        for message in given:
            if message not in known:
                close = difflib.get_close_matches(message, known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else "; docs/languages.md lists where to find them"
                problems.add(*given.at(message), f"'{message}' is not a string of the interface{hint}")

    def independence(self, record: Record, problems: Problems) -> Thresholds:
        given = record.get("independence", {})
        thresholds = Thresholds(**given)
        for name, why in thresholds.problems():
            line, col = given.at(name) if name in given else record.at("independence")
            problems.add(line, col, f"independence: {name} {why}")
        return thresholds

    def people(self, record: Record, problems: Problems) -> tuple[Person, ...]:
        entries = _with_unique_ids(record.get("people", ()), "person", ("id", "name"), problems)
        return tuple(Person(e["id"], e["name"], e.get("role"), e.get("url")) for e in entries)

    def verdicts(self, record: Record, problems: Problems) -> tuple[Verdict, ...] | None:
        if "verdicts" not in record:
            return default_verdicts(record.get("language") or (record.get("languages") or ["en"])[0])
        entries = _with_unique_ids(record["verdicts"], "verdict", ("id",), problems)
        verdicts = [Verdict(e["id"], e.get("label", ""), e.get("description", ""), e.get("scored", True)) for e in entries]
        return rate(verdicts) if verdicts else None

    def scales(self, record: Record, verdicts: tuple[Verdict, ...], others: tuple[str, ...], problems: Problems):
        """The scale in each of the desk's other languages: a verdict's `labels` and `descriptions`
        by language; the default scale from the catalogs; what is not given, as the default language has it."""
        written = record.get("verdicts", ())
        for entry in written:
            for key in ("labels", "descriptions"):
                other_languages_only(entry, key, others, problems)
        if "verdicts" not in record:
            return tuple((language, default_verdicts(language)) for language in others)
        by_id = {entry["id"]: entry for entry in written if "id" in entry}
        scales = []
        for language in others:
            scales.append((language, tuple(dataclasses.replace(
                v, label=by_id[v.id].get("labels", {}).get(language, v.label),
                description=by_id[v.id].get("descriptions", {}).get(language, v.description)) for v in verdicts)))
        return tuple(scales)

    def check_templates(self) -> None:
        """Templates are read as they are: a link there could publish any file of the machine."""
        templates = self.site_dir / "templates"
        if templates.is_symlink():
            self.problems_for("templates").add(1, 1, "templates/ is a link; make it a folder and copy the templates in")
            return
        if not templates.is_dir():
            return
        for folder, subfolders, files in os.walk(templates):
            for name in sorted(subfolders + files):
                path = Path(folder) / name
                relative = path.relative_to(self.site_dir).as_posix()
                mode = os.lstat(path).st_mode
                if stat.S_ISLNK(mode):
                    self.problems_for(relative).add(1, 1, "this template is a link; copy the file in instead")
                elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    self.problems_for(relative).add(1, 1, "this is not a regular file (a pipe or a device?); remove it")


def _with_unique_ids(items: Sequence[Record], what: str, keys: tuple[str, ...], problems: Problems) -> list[Record]:
    """The entries that have all of `keys`, with a problem at each whose id an earlier one has."""
    seen: set[str] = set()
    entries = []
    for entry, (line, col) in zip(items, getattr(items, "positions", ())):
        if all(key in entry for key in keys):
            if entry["id"] in seen:
                problems.add(line, col, f"the {what} id '{entry['id']}' is used twice; ids must differ")
            seen.add(entry["id"])
            entries.append(entry)
    return entries


def _link_problem(path: Path, site: Path) -> str | None:
    """What is wrong with where `path` leads, links followed; None when it stays in the site."""
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a link loop so
        return "a link loop"
    except OSError as exc:
        return "a link loop" if exc.errno == errno.ELOOP else "a link that leads nowhere"
    return None if resolved.is_relative_to(site) else "a link to a file outside the site folder"


class _ClaimBuilder:
    """Cross-checks one claim against the scale and the archive, then builds it."""

    def __init__(self, slug, record, problems, *, config, articles, text):
        self.slug = slug
        self.record = record
        self.problems = problems
        self.config = config
        self.articles = articles  # None for an article with problems of its own
        self.markdown = markdown_for(config.base_path if config is not None else "/")
        self.text = text

    def build(self) -> Claim | None:
        r = self.record
        for name, limit in LIMITS.items():
            if len(r.get(name, ())) > limit:
                self.problems.add(*r.at(name), f"{name} has {len(r[name])} entries; at most {limit} are allowed")
        if self.problems:
            return None
        verdict = self.scale_verdict(r["verdict"], r.at("verdict")) if self.config is not None and "verdict" in r else None
        citations = self.citations()
        appeared_in = self.appearances("appeared_in")
        reported_in = self.appearances("reported_in")
        analysis_html = self.analysis()
        updates = self.updates(verdict)
        author, reviewed_by = self.person("author"), self.person("reviewed_by")
        language = self.language()
        if self.problems or verdict is None:
            return None
        built = dict(
            slug=self.slug,
            path=self.problems.path,
            verdict=verdict,
            citations=citations,
            analysis_html=analysis_html,
            appeared_in=appeared_in,
            reported_in=reported_in,
            author=author,
            reviewed_by=reviewed_by,
            tags=tuple(dict.fromkeys(r.get("tags", ()))),
            updates=updates,
            citations_at=r.at("citations"),
            published_at=r.at("published"),
            single_source_at=r.at("single_source"),
            language=language,
            translation_of_at=r.at("translation_of"),
        )
        # every other field of the format is the model's as the editor wrote it
        plain = {f.name: r[f.name] for f in dataclasses.fields(Claim) if f.name not in built and f.name in r}
        return Claim(**built, **plain)

    def language(self) -> str:
        """The check's language: one of the site's, its first when not given."""
        written = self.record.get("language")
        if self.config is None:
            return written or ""
        if written is not None and written not in self.config.all_languages:
            self.problems.add(*self.record.at("language"), language_problem(written, self.config.all_languages, "check"))
        return written or self.config.default_language

    def article(self, article_id: str, position: tuple[int, int]) -> Article | None:
        article = self.articles.get(article_id)
        if article is None and article_id not in self.articles:  # a broken one reports its own problems
            close = difflib.get_close_matches(article_id, list(self.articles), n=1)
            hint = f"; did you mean '{close[0]}'? Or archive it" if close else "; archive it"
            self.problems.add(
                *position,
                f"no archived article '{article_id}' (content/articles/{article_id}.txt){hint}"
                f" with: python build.py archive URL --id {article_id}",
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
            if too_long := quote_problem(entry["quote"]):
                self.problems.add(*entry.at("quote"), too_long)
                continue
            match = find_quote(entry["quote"], article.text, prepared_text(article.text))
            if isinstance(match, QuoteMiss):
                self.problems.add(*entry.at("quote"), f"quote not found in '{article.id}': {match.message}")
                continue
            citations.append(Citation(note=entry.get("note"), article=article, quote=entry["quote"], match=match,
                                      quote_at=entry.at("quote")))
        return tuple(citations)

    def appearances(self, name: str) -> tuple[Appearance, ...]:
        items = self.record.get(name, ())
        appearances = []
        for (kind, value), position in zip(items, getattr(items, "positions", ())):
            if value is INVALID:
                continue
            if kind == "url":
                appearances.append(Appearance(url=value))
            elif article := self.article(value, position):
                appearances.append(Appearance(article=article))
        return tuple(appearances)

    def scale_verdict(self, verdict_id: str, position: tuple[int, int]) -> Verdict | None:
        """The verdict `verdict_id` names on the site's scale (in the check's language); a problem at `position` when none."""
        verdict = self.config.verdict(verdict_id, self.record.get("language", ""))
        if verdict is None:
            ids = [v.id for v in self.config.verdicts]
            close = _closest_verdict(verdict_id, ids)
            hint = f"did you mean '{close}'? The" if close else "the"
            self.problems.add(*position, f"'{verdict_id}' is not on the site's rating scale; {hint} scale: {', '.join(ids)}")
        return verdict

    def updates(self, verdict: Verdict | None) -> tuple[Update, ...]:
        """The updates; each verdict change must start from the verdict the one before left,
        and the last must leave the check's own verdict."""
        made = []
        current: Verdict | None = None  # the verdict the last change left
        entries = self.record.get("updates", ())
        for entry in entries:
            if "date" not in entry or "note" not in entry:
                continue
            change = entry.get("verdict_change")
            if change is None or self.config is None or "from" not in change or "to" not in change:
                made.append(Update(entry["date"], entry["note"]))
                continue
            before = self.scale_verdict(change["from"], change.at("from"))
            after = self.scale_verdict(change["to"], change.at("to"))
            if before is None or after is None:
                continue
            if before == after:
                self.problems.add(*change.at("to"), f"the verdict change goes from '{before.id}' to itself; remove"
                                  " verdict_change, or correct 'from' or 'to'")
            elif current is not None and before != current:
                self.problems.add(*change.at("from"), f"the verdict was '{current.id}' after the update before this one,"
                                  f" not '{before.id}'; write from: {current.id}")
            current = after
            made.append(Update(entry["date"], entry["note"], before, after))
        if current is not None and verdict is not None and current != verdict:
            last = next(e for e in reversed(entries) if e.get("verdict_change"))
            self.problems.add(*last["verdict_change"].at("to"), f"the last verdict change leaves '{current.id}', but the"
                              f" check's verdict is '{verdict.id}'; make them the same")
        return tuple(made)

    def person(self, name: str) -> Person | None:
        """Who a check names as its `author` or `reviewed_by`: one of the site's people by id,
        or, on a site that lists none, a name as written."""
        if name not in self.record or self.config is None:
            return None
        written = self.record[name]
        if not self.config.people:
            return Person(None, written)
        person = self.config.person(written)
        if person is None:
            ids = [p.id for p in self.config.people]
            close = difflib.get_close_matches(slugify_suggestion(written) or written, ids, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? The" if close else "the"
            self.problems.add(*self.record.at(name), f"'{written}' is not one of the people in site.yaml; {hint} ids are:"
                              f" {', '.join(ids)}")
        return person

    def analysis(self) -> str:
        if "analysis" not in self.record:
            return ""
        line, col = self.record.at("analysis")
        lines = self.text.split("\n")
        # a block scalar (| or >) starts on the line after its indicator
        indicator = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
        first = line + 1 if indicator in ("|", ">") else line
        if too_long := markdown_size_problem(self.record["analysis"], "the analysis"):
            self.problems.add(line, col, too_long)
            return ""
        cited: list = []
        html = self.markdown.render(self.record["analysis"], self.problems, first, lines, cited)
        count = len(self.record.get("citations", ()))
        for citation in cited:
            if not 1 <= citation.number <= count:
                self.problems.add(citation.line, citation.column, (
                    f"[{citation.number}] cites no citation: this check has {count}, numbered 1 to {count} in the order"
                    f" they are listed; write a number from 1 to {count}, or add the citation (or write \\[{citation.number}]"
                    " to show the brackets as text)"))
        return html
