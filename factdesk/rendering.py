"""Turning the model into pages: Jinja2 templates in the sandbox, autoescaped, one base layout."""

from __future__ import annotations

import functools
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
import jinja2.meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from .cards import render_card
from .charts import verdict_chart
from .markup import marked_paragraphs
from .model import Site, Verdict
from .problems import Problem
from .structured import claim_review, data_feed, script_json
from .urls import Urls


def _project_dir() -> Path:
    """Where the default templates and static files are: beside the package in a checkout,
    under the environment's share/factdesk once installed with pip."""
    checkout = Path(__file__).resolve().parent.parent
    installed = Path(sys.prefix) / "share" / "factdesk"
    return installed if not (checkout / "templates").is_dir() and (installed / "templates").is_dir() else checkout


PROJECT_DIR = _project_dir()
TOPIC_FILTERS = 12  # topics offered as filters on a listing: the most used
CARD_TEMPLATE = "(share card)"  # a page that is a PNG drawn by code, not a template
TEXT_TEMPLATE = "(text)"  # a file whose bytes are given (robots.txt, static files)
DATA_FEED_TEMPLATE = "(claims.json)"  # made by structured.data_feed


def environment(site_dir: Path) -> jinja2.Environment:
    """Templates in Jinja's sandbox: they reach only the data and helpers given them. The site's
    templates/ come first, then the project's own: a site overrides a template by name."""
    folders = [folder for folder in (site_dir / "templates", PROJECT_DIR / "templates") if folder.is_dir()]
    return _Sandbox(jinja2.FileSystemLoader([str(f) for f in folders]))


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the project's options and filters, answering whether an attribute
    is safe once per class and name: the answer depends on nothing else, and a page reads thousands."""

    def __init__(self, loader: jinja2.BaseLoader | None):
        super().__init__(
            loader=loader,
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a build reads each template once; checking files per include is slow
            extensions=["jinja2.ext.i18n"],
        )
        self._safe: dict[tuple[type, str], bool] = {}
        # words, dates and numbers as the page's language writes them, from its `interface`; the words
        # escaped, so that a site's own strings are text, never markup
        self.install_gettext_callables(
            jinja2.pass_context(lambda context, message: escape(context["interface"].gettext(message))),
            jinja2.pass_context(lambda context, singular, plural, n: escape(context["interface"].ngettext(singular, plural, n))),
            newstyle=True,
        )
        self.filters["date"] = jinja2.pass_context(lambda context, value: context["interface"].date(value))
        self.filters["number"] = jinja2.pass_context(lambda context, value: context["interface"].number(value))
        self.filters["bdi"] = lambda text: Markup("<bdi>%s</bdi>") % text  # a name or title isolated from the sentence around it
        self.filters["isodate"] = lambda d: d.isoformat() if d else ""
        # a share link's query text: every reserved character encoded
        self.filters["share"] = functools.partial(quote, safe="")
        self.filters["host"] = lambda address: urlsplit(address).netloc.removeprefix("www.")  # a link's words: its site

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


def template_globals(env: jinja2.Environment, site: Site) -> dict:
    """What every template may use besides its page's context. The data here is part of the
    key of every page whose templates name it; the helpers are plain functions."""
    config = site.config
    languages = {language: language_globals(site, language) for language in config.all_languages} if config.multilingual else {}
    return dict(
        language_globals(site),
        site=site,
        claim_item=_claim_items(env, languages),
        shared_partial=_shared_partial(env, languages),
        claim_review_json=functools.partial(claim_review_json, config),
        cited_sources=cited_sources,
        marked_paragraphs=marked_paragraphs,
        count_verdicts=functools.partial(verdict_counts, config.verdicts),
    )


def language_globals(site: Site, language: str | None = None) -> dict:
    """The globals that differ by the page's language, the whole site's without `language`. On a
    desk in several languages, each page's context carries its language's (so they are part of its key)."""
    view = site if language is None else site.in_language(language)
    return dict(
        config=view.config,
        interface=view.interface,
        url=Urls.of(view.config, language or ""),
        nav_pages=view.nav_pages,
        verdict_chart=functools.partial(verdict_chart, words=view.interface),
    )


def template_sources(env: jinja2.Environment) -> tuple[tuple[str, str, str], ...]:
    """(name, file, source) of every template in force, the site's own overrides included."""
    found = []
    for name in env.list_templates():
        source, filename, _ = env.loader.get_source(env, name)
        found.append((name, filename or "", source))
    return tuple(found)


def names_used(templates: tuple[tuple[str, str, str], ...]) -> tuple[str, ...]:
    """Every name that some of the `templates` (from `template_sources`) reads from outside itself."""
    parser = _Sandbox(None)
    names: set[str] = set()
    for name, filename, source in templates:
        if name.endswith((".html", ".xml")):
            names |= jinja2.meta.find_undeclared_variables(parser.parse(source, name, filename or None))
    return tuple(sorted(names))


def claim_review_json(config, claim) -> str:
    return script_json(claim_review(claim, config))


def render(env: jinja2.Environment, template: str, context: dict) -> bytes:
    """One output file's bytes: a template with its context, a share card, or given bytes."""
    if template == CARD_TEMPLATE:
        return render_card(context["card"])
    if template == TEXT_TEMPLATE:
        return context["data"]
    if template == DATA_FEED_TEMPLATE:
        return data_feed(**context)
    return env.get_template(template).render(context).encode("utf-8")


def verdict_counts(verdicts: tuple[Verdict, ...], claims, keep_empty: bool = False) -> list[tuple[Verdict, int]]:
    """(verdict, number of `claims` with it) in the scale's order."""
    counts: dict[str, int] = {}
    for claim in claims:  # a loop: most lists are a source's two or three checks, too few for a Counter
        verdict_id = claim.verdict.id
        counts[verdict_id] = counts.get(verdict_id, 0) + 1
    return [(v, counts.get(v.id, 0)) for v in verdicts if keep_empty or counts.get(v.id)]


@dataclass(frozen=True)
class FilterLink:
    label: str
    count: int
    href: str  # an output path
    current: bool = False
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Filters:
    """Links that narrow a listing by rating and by topic: static pages, no script."""

    ratings: tuple[FilterLink, ...]
    topics: tuple[FilterLink, ...]
    all_ratings: FilterLink
    all_topics: FilterLink
    more_topics: str | None = None  # where the rest of the topics are, when only the most used are offered


def _top_topics(site: Site, claims) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for claim in claims:
        for tag in dict.fromkeys(map(site.tag_name, claim.tags)):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def listing_filters(
    site: Site, urls: Urls, verdict: Verdict | None = None, tag: str | None = None, tag_counts=None
) -> Filters:
    """The filters of a listing: all checks, one rating, one topic, or one topic with one rating
    (`tag_counts`: the topic's verdict_counts, when known)."""
    words = site.interface
    in_tag = site.tags.get(tag, []) if tag else site.claims
    if tag_counts is None:
        tag_counts = verdict_counts(site.config.verdicts, in_tag)
    ratings = tuple(FilterLink(v.label, n, urls.tag_verdict(tag, v) if tag else urls.verdict(v),
                               verdict is not None and v.id == verdict.id, v) for v, n in tag_counts)
    all_ratings = FilterLink(words.gettext("All ratings"), len(in_tag), urls.tag(tag) if tag else "claims/", verdict is None)
    rated = site.claims_with_verdict(verdict) if verdict else site.claims
    all_topics = FilterLink(words.gettext("All topics"), len(rated), urls.verdict(verdict) if verdict else "claims/", not tag)
    if tag:
        in_both = dict((v.id, n) for v, n in tag_counts).get(verdict.id, 0) if verdict else len(in_tag)
        this_topic = FilterLink(tag, in_both, urls.tag_verdict(tag, verdict) if verdict else urls.tag(tag), True)
        return Filters(ratings, (this_topic,), all_ratings, all_topics)
    offered = _top_topics(site, rated)
    topics = tuple(FilterLink(name, n, urls.tag_verdict(name, verdict) if verdict else urls.tag(name))
                   for name, n in offered[:TOPIC_FILTERS])
    return Filters(ratings, topics, all_ratings, all_topics, "tags/" if len(offered) > TOPIC_FILTERS else None)


def _claim_items(env: jinja2.Environment, languages: dict[str, dict]):
    """The template global `claim_item(claim)`: a check as listings show it, rendered once per
    build (and process), since listings show each check many times over, always the same
    (`languages`: language_globals by language, on a desk in several)."""
    rendered: dict[int, tuple[object, Markup]] = {}  # by identity: a check is one object all build

    def claim_item(claim) -> Markup:
        if id(claim) not in rendered:
            html = env.get_template("partials/claim_item.html").render(languages.get(claim.language, {}), claim=claim)
            rendered[id(claim)] = (claim, Markup(html))
        return rendered[id(claim)][1]

    return claim_item


def _shared_partial(env: jinja2.Environment, languages: dict[str, dict]):
    """A template global for the partials every page shows the same (header, footer), rendered once per build
    (and language: `language=` picks its language_globals on a desk in several)."""
    rendered: dict[tuple, Markup] = {}

    def render(name: str, **context) -> Markup:
        key = (name, *sorted(context.items()))
        if key not in rendered:
            rendered[key] = Markup(env.get_template(name).render(languages.get(context.get("language"), {}), **context))
        return rendered[key]

    return render


def cited_sources(claim) -> list[tuple[tuple[int, object], ...]]:
    """The check's evidence list: its citations grouped by article (or linked page), in the order
    first cited, each as (its number in the analysis, the citation)."""
    groups: dict[str, list] = {}
    for number, citation in enumerate(claim.citations, start=1):
        key = "article " + citation.article.id if citation.article else "page " + str(citation.url)
        groups.setdefault(key, []).append((number, citation))
    return [tuple(group) for group in groups.values()]


def template_problem(exc: BaseException, site_dir: Path) -> Problem:
    """A template's mistake, reported like a content problem: the template's file and line."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not filename:
        # jinja2 rewrites the traceback so that template code shows its own file and line
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    shown = "templates"
    if filename:
        path = Path(filename).resolve()
        for root in (site_dir.resolve(), PROJECT_DIR):
            if path.is_relative_to(root):
                shown = path.relative_to(root).as_posix()
                break
    message = getattr(exc, "message", None) or str(exc)
    return Problem(shown, line or 1, 1, f"template error: {type(exc).__name__}: {message}")
