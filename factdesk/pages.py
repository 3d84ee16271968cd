"""Planning the site: every output file, with the template and the context that make it.

A plan is plain data. What a page shows comes only from its context and the templates'
globals, so a page's context (with the templates) says everything its bytes depend on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cards import card_spec, read_colours
from .cms import admin_files
from .i18n import language_name
from .model import Site
from .rendering import CARD_TEMPLATE, TEXT_TEMPLATE, language_globals, listing_filters, verdict_counts
from .urls import Urls, output_file

CORRECTIONS_LOG = "corrections/log/"  # every update of every check, newest first
CORRECTIONS_FEED = "corrections.xml"  # the same as an Atom feed
HOME_LIMIT = 20  # newest checks on the home page; the archive lists them all
PAGE_SIZE = 50  # checks per page of a listing


@dataclass(frozen=True)
class Output:
    path: str  # the file, under the output folder
    template: str  # a template's name, CARD_TEMPLATE or TEXT_TEMPLATE
    context: dict


@dataclass(frozen=True)
class Alternate:
    """A page of a desk in several languages, in one of them: the language switcher's link."""

    language: str  # a BCP 47 tag, as site.yaml writes it
    name: str  # the language's name in itself: English, اردو
    url: str  # absolute: the same page in that language, or that language's home page
    href: str  # the link to it
    same: bool  # the same page (a check's translation): an hreflang alternate
    current: bool = False  # the page's own language


def plan_site(site: Site, static_folders: list[Path], draw_cards: bool = True) -> list[Output]:
    """Every page and share card of the site, in a fixed order: each language's, the default first."""
    colours = tuple(sorted(read_colours(static_folders).items()))
    outputs: list[Output] = []
    planned: dict[tuple[str, str], int] = {}  # (language, output path relative to its folder): index in outputs
    for language in site.config.all_languages:
        _plan_language(site, language, colours, draw_cards, outputs, planned)
    if site.config.multilingual:
        _link_languages(site, outputs, planned)
    outputs += [Output(path, template, context) for path, template, context in admin_files(site.config)]
    outputs.append(Output("404.html", "404.html", {"canonical": None}))
    return outputs


def _link_languages(site: Site, outputs: list[Output], planned: dict[tuple[str, str], int]) -> None:
    """Each page's `alternates`: the same page in each language where it has one (a check's
    translation, a listing at the same address), that language's home page otherwise."""
    config = site.config
    names = {language: language_name(language) for language in config.all_languages}
    url = {language: Urls.of(config, language) for language in config.all_languages}
    for (language, relative), index in planned.items():
        out = outputs[index]
        claim = out.context.get("claim") if out.template == "claim.html" else None
        translations = {c.language: c for c in site.translations.get(claim.slug, ())} if claim else {}
        alternates = []
        for other in config.all_languages:
            if claim is not None:
                target = Urls.claim(translations[other]) if other in translations else None
            elif out.context.get("pager", {}).get("number", 1) == 1:  # a listing's later pages hold other checks
                target = relative if (other, relative) in planned else None
            else:
                target = None
            here = url[other]
            alternates.append(Alternate(other, names[other], here.absolute(target or ""), here.path(target or ""),
                                        target is not None, other == language))
        outputs[index] = Output(out.path, out.template, {**out.context, "alternates": tuple(alternates)})


def _plan_language(site: Site, language: str, colours, draw_cards: bool, outputs: list[Output],
                   planned: dict[tuple[str, str], int]) -> None:
    """The pages and share cards of one language (on a desk in one, of the site)."""
    full = site
    site = full.in_language(language)
    config = site.config
    urls = Urls.of(config, language)
    verdicts = config.verdicts
    # on a desk in several languages, each page carries its language's globals: its words, links and menu
    globals_here = language_globals(full, language) if config.multilingual else {}

    def page(relative: str, template: str, **context) -> None:
        planned[(language, relative)] = len(outputs)
        outputs.append(Output(output_file(urls.in_folder(relative)), template,
                              {"canonical": urls.absolute(relative), **globals_here, **context}))

    def listing(relative: str, template: str, claims, **context) -> None:
        for path, chunk, pager in paged(relative, claims):
            page(path, template, claims=chunk, pager=pager, **context)

    counts = verdict_counts(verdicts, site.claims, keep_empty=True)
    page("", "index.html", claims=site.claims[:HOME_LIMIT], verdict_counts=counts, total_checks=len(site.claims))
    listing("claims/", "claims.html", site.claims, filters=listing_filters(site, urls))

    for claim in site.claims:
        spec = card_spec(claim, site.config, colours)
        version = spec.key()
        if draw_cards:
            outputs.append(Output(urls.card(claim), CARD_TEMPLATE, {"card": spec, "version": version}))
        page(urls.claim(claim), "claim.html", claim=claim, related=site.related(claim), claimant=site.claimant_of(claim),
             sources_sentence=site.sources_sentence(claim), timeline_events=site.timeline(claim),
             card_url=urls.absolute(urls.card(claim)) + "?v=" + version[:12])

    page("verdicts/", "verdicts.html", verdict_counts=counts)
    for verdict in verdicts:
        listing(urls.verdict(verdict), "verdict.html", site.claims_with_verdict(verdict), verdict=verdict,
                filters=listing_filters(site, urls, verdict))
    topics = {tag: len(claims) for tag, claims in site.tags.items()}
    page("tags/", "tags.html", tags=topics)
    for tag, claims in site.tags.items():  # a topic's listing, and its listing for each rating it has
        tag_counts = verdict_counts(verdicts, claims)
        listing(urls.tag(tag), "tag.html", claims, tag=tag, verdict=None,
                filters=listing_filters(site, urls, tag=tag, tag_counts=tag_counts), chart_counts=tag_counts)
        for verdict, _ in tag_counts:
            rated = [c for c in claims if c.verdict.id == verdict.id]
            listing(urls.tag_verdict(tag, verdict), "tag.html", rated, tag=tag, verdict=verdict,
                    filters=listing_filters(site, urls, verdict, tag, tag_counts), chart_counts=None)

    articles = sorted(site.articles.values(), key=lambda a: (site.article_key(a), a.id), reverse=True)
    page("sources/", "sources.html", articles=tuple(articles))
    for article in articles:
        citing = tuple(site.claims_citing(article))
        page(urls.source(article), "source.html", article=article, claims=citing, relations=site.relations(article),
             chart_counts=verdict_counts(verdicts, citing))

    claimants = sorted(site.claimants.values(), key=lambda c: (c.name.casefold(), c.slug))
    page("claimants/", "claimants.html", claimants=tuple(claimants))
    for claimant in claimants:
        listing(urls.claimant(claimant.slug), "claimant.html", claimant.claims, claimant=claimant,
                chart_counts=verdict_counts(verdicts, claimant.claims))

    if site.config.people:  # a page for each person in site.yaml, listing the checks they wrote or reviewed
        checks = site.people_checks
        page("people/", "people.html", people=tuple((person, len(checks[person.id])) for person in site.config.people))
        for person in site.config.people:
            page(urls.person(person.id), "person.html", person=person, checks=checks[person.id])
    for path, chunk, pager in paged(CORRECTIONS_LOG, site.corrections):
        page(path, "corrections.html", corrections=chunk, pager=pager, feed=CORRECTIONS_FEED)

    page(urls.SEARCH, "search.html", verdict_counts=counts, tags=topics, total_checks=len(site.claims))
    for content_page in site.pages:
        page(urls.page(content_page), "page.html", page=content_page)


def plan_static(static_folders: list[Path]) -> list[Output]:
    """The static files, a later folder's overriding an earlier one's of the same name."""
    files: dict[str, Path] = {}
    for folder in static_folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                    files[path.relative_to(folder).as_posix()] = path
    return [Output(f"static/{name}", TEXT_TEMPLATE, {"data": path.read_bytes()}) for name, path in sorted(files.items())]


def paged(relative: str, items) -> list[tuple[str, tuple, dict]]:
    """PAGE_SIZE items a page: (path, items, pager) for DIR/, DIR/page/2/, ..."""
    chunks = [tuple(items[i : i + PAGE_SIZE]) for i in range(0, len(items), PAGE_SIZE)] or [()]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        pager = {
            "number": number,
            "count": len(chunks),
            "previous": None if number == 1 else (relative if number == 2 else f"{relative}page/{number - 1}/"),
            "next": f"{relative}page/{number + 1}/" if number < len(chunks) else None,
            "total": len(items),
        }
        pages.append((relative if number == 1 else f"{relative}page/{number}/", chunk, pager))
    return pages
