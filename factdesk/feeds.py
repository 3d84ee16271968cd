"""Files for machines: the Atom feed, the sitemap, robots.txt and claims.json."""

from __future__ import annotations

import datetime as dt

import jinja2

from .caching import digest
from .model import Claim, Site
from .memo import PlanMemo
from .structured import data_feed_envelope, feed_entry
from .urls import Urls

FEED_ENTRIES = 50


def _newest(claims: list[Claim] | tuple[Claim, ...]) -> dt.date | None:
    return max([c.modified for c in claims], default=None)


def sitemap_entries(site: Site, urls: Urls) -> list[tuple[str, dt.date | None]]:
    """(absolute URL, last modified) for every page a search engine should know."""
    newest = _newest(site.claims)
    entries = [("", newest), ("claims/", newest)]
    entries += [(urls.claim(c), c.modified) for c in sorted(site.claims, key=lambda c: c.slug)]
    entries.append(("verdicts/", newest))
    entries += [(urls.verdict(v), _newest(site.claims_with_verdict(v))) for v in site.config.verdicts]
    tags = site.tags
    entries.append(("tags/", newest))
    entries += [(urls.tag(t), _newest(claims)) for t, claims in tags.items()]
    entries.append(("sources/", newest))
    entries += [(urls.source(a), _newest(site.claims_citing(a))) for a in sorted(site.articles.values(), key=lambda a: a.id)]
    claimants = site.claimants
    entries.append(("claimants/", newest))
    entries += [(urls.claimant(slug), _newest(c.claims)) for slug, c in sorted(claimants.items())]
    entries += [(urls.page(p), None) for p in site.pages]
    return [(urls.absolute(path), lastmod) for path, lastmod in entries]


def render_feeds(site: Site, env: jinja2.Environment, site_key: str, memo: PlanMemo | None = None) -> dict[str, str | bytes]:
    """The files, by path. `memo` keeps, for the next build, claims.json's entries (encoded again
    only for edited checks) and what depends only on where checks are placed (the sitemap, which
    checks are newest, claims.json's order), while none moves (`site_key`: what every page
    depends on, the templates among them)."""
    memo = memo or PlanMemo(keep=False)
    urls = Urls(site.config.base_url)
    placed_key = digest(site_key, site.layout)

    def placed() -> tuple:
        return (*_placed(site), env.get_template("sitemap.xml").render(entries=sitemap_entries(site, urls)))

    modified, newest, slug_order, sitemap = memo.outlined(("placed",), placed_key, placed)

    def entry(claim: Claim) -> bytes:
        # the check's digest covers site.yaml and its articles
        return memo.outlined(("claims.json entry", claim.slug), digest(claim.digest, site.families_key),
                             lambda: feed_entry(claim, site, urls))

    def carried(claim: Claim) -> bytes | None:
        known = memo.outline(("claims.json entry", claim.slug))
        return None if known is None else known[1]

    def entry_places() -> list[list[int]]:
        """For each check, the position of its entry."""
        places: list[list[int]] = [[] for _ in site.claims]
        for place, n in enumerate(slug_order):
            places[n].append(place)
        return places

    entries = memo.section(("claims.json entries",), (placed_key, site.families_key), site,
                           [site.claims[n] for n in slug_order], entry, entry_places, carried)
    head, tail = memo.outlined(("claims.json",), digest(site_key, site.families_key, str(modified)),
                               lambda: data_feed_envelope(site, urls, modified))
    files = {
        "feed.xml": env.get_template("feed.xml").render(claims=[site.claims[n] for n in newest],
                                                        updated=modified or dt.date(1970, 1, 1)),
        "sitemap.xml": sitemap,
        "robots.txt": f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n",
        "claims.json": _comma_separated(head, entries, tail),
        ".nojekyll": "",
    }
    if site.config.cname:
        files["CNAME"] = site.config.cname + "\n"
    return files


def _comma_separated(head: bytes, items: list[bytes], tail: bytes) -> bytes:
    """`head`, the items separated by commas, then `tail`, in one join: joining the items first,
    then again with `head` and `tail`, would hold claims.json twice (129 MB at 100,000 checks)."""
    parts = [head]
    for item in items:
        parts += (item, b",")
    if items:
        parts.pop()
    parts.append(tail)
    return b"".join(parts)


def _placed(site: Site) -> tuple[dt.date | None, tuple[int, ...], tuple[int, ...]]:
    """What depends only on where checks are placed: when the site last changed, the checks the
    feed carries (latest first), and every check in slug order (for claims.json); the checks
    by their place in the site's list."""
    positions = range(len(site.claims))
    by_update = sorted(positions, key=lambda n: (site.claims[n].modified, site.claims[n].published, site.claims[n].slug),
                       reverse=True)
    return _newest(site.claims), tuple(by_update[:FEED_ENTRIES]), tuple(sorted(positions, key=lambda n: site.claims[n].slug))
