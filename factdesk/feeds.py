"""Files for machines: the Atom feed, the sitemap, robots.txt and claims.json."""

from __future__ import annotations

import datetime as dt

from .model import Site
from .pages import CORRECTIONS_FEED, CORRECTIONS_LOG, Output
from .rendering import DATA_FEED_TEMPLATE, TEXT_TEMPLATE, language_globals
from .urls import Urls

FEED_ENTRIES = 50


def _newest(claims) -> dt.date | None:
    return max([c.modified for c in claims], default=None)


def sitemap_entries(site: Site, urls: Urls) -> tuple[tuple[str, dt.date | None], ...]:
    """(absolute URL, last modified) for every page a search engine should know."""
    newest = _newest(site.claims)
    entries = [("", newest), ("claims/", newest)]
    entries += [(urls.claim(c), c.modified) for c in sorted(site.claims, key=lambda c: c.slug)]
    entries.append(("verdicts/", newest))
    entries += [(urls.verdict(v), _newest(site.claims_with_verdict(v))) for v in site.config.verdicts]
    entries.append(("tags/", newest))
    entries += [(urls.tag(t), _newest(claims)) for t, claims in site.tags.items()]
    entries.append(("sources/", newest))
    entries += [(urls.source(a), _newest(site.claims_citing(a))) for a in sorted(site.articles.values(), key=lambda a: a.id)]
    entries.append(("claimants/", newest))
    entries += [(urls.claimant(slug), _newest(c.claims)) for slug, c in sorted(site.claimants.items())]
    entries.append((CORRECTIONS_LOG, site.corrections[0].date if site.corrections else None))
    if site.config.people:
        entries.append(("people/", newest))
        entries += [(urls.person(p.id), _newest(c for c, _ in site.people_checks[p.id])) for p in site.config.people]
    entries += [(urls.page(p), p.updated) for p in site.pages]
    return tuple((urls.absolute(path), lastmod) for path, lastmod in entries)


def plan_feeds(site: Site) -> list[Output]:
    """The feeds and claims.json of each language (in its folder), the one sitemap of them all."""
    config = site.config
    outputs: list[Output] = []
    entries: list[tuple[str, dt.date | None]] = []
    for language in config.all_languages:
        view = site.in_language(language)
        urls = Urls.of(config, language)
        # on a desk in several languages, each feed carries its language's globals: its words and links
        globals_here = language_globals(site, language) if config.multilingual else {}
        by_update = sorted(view.claims, key=lambda c: (c.modified, c.published, c.slug), reverse=True)
        modified = _newest(view.claims)
        outputs += [
            Output(urls.in_folder("feed.xml"), "feed.xml", {**globals_here, "claims": tuple(by_update[:FEED_ENTRIES]),
                                                             "updated": modified or dt.date(1970, 1, 1)}),
            Output(urls.in_folder(CORRECTIONS_FEED), "corrections.xml", {
                **globals_here, "corrections": view.corrections[:FEED_ENTRIES], "log": CORRECTIONS_LOG, "feed": CORRECTIONS_FEED,
                "updated": view.corrections[0].date if view.corrections else dt.date(1970, 1, 1)}),
            Output(urls.in_folder("claims.json"), DATA_FEED_TEMPLATE, {
                "config": view.config, "families": site.families,
                "outlets": tuple((a.id, a.publisher, a.origin) for a in site.articles.values()),
                "claims": tuple(sorted(view.claims, key=lambda c: c.slug)), "modified": modified}),
        ]
        entries += sitemap_entries(view, urls)
    outputs += [
        Output("sitemap.xml", "sitemap.xml", {"entries": tuple(entries)}),
        _text("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {Urls.of(config).absolute('sitemap.xml')}\n"),
        _text(".nojekyll", ""),
    ]
    if site.config.cname:
        outputs.append(_text("CNAME", site.config.cname + "\n"))
    return outputs


def _text(path: str, text: str) -> Output:
    return Output(path, TEXT_TEMPLATE, {"data": text.encode("utf-8")})
