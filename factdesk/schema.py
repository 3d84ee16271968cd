"""The entry formats: the one definition that validation and editors' tools share.

`python build.py schema` writes these as JSON Schema files under schemas/,
which editors' YAML tooling reads for completion and checks as they type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .fields import (
    ArticleOrUrl,
    Boolean,
    Date,
    Field,
    LanguageTag,
    ListOf,
    Number,
    Object,
    OneOf,
    Slug,
    Text,
    Url,
)
from .independence import THRESHOLD_DESCRIPTIONS, Thresholds

VERDICT = Object(
    "a verdict",
    [
        Field("id", Slug("verdict id"), "The verdict's id, used in claims and in its URL.", required=True),
        Field("label", Text(), "The verdict as readers see it.", required=True),
        Field("description", Text(), "When this verdict is given, in a sentence or two.", required=True),
        Field("scored", Boolean(), "false for a verdict outside the numeric scale (such as Unproven)."),
    ],
)

PUBLISHER = Object(
    "the publisher",
    [
        Field("name", Text(), "The organisation behind every review.", required=True),
        Field("url", Url(), "The organisation's home page.", required=True),
        Field("logo", Text(), "Path of the logo under the site folder (e.g. static/logo.svg) or an https URL."),
    ],
)

INDEPENDENCE = Object(
    "the source-independence thresholds",
    [
        Field(name, Number(whole=isinstance(getattr(Thresholds, name), int)), description[0].upper() + description[1:] + ".")
        for name, description in THRESHOLD_DESCRIPTIONS.items()
    ],
    description="When archived articles count as copies or rewrites of one report.",
)

SITE = Object(
    "site.yaml",
    [
        Field("title", Text(), "The site's name.", required=True),
        Field("description", Text(), "One or two sentences about the site."),
        Field("base_url", Url(), "The site's public address; its path is the base path of every link.", required=True),
        Field("language", LanguageTag(), "The language of the pages, as a BCP 47 tag such as en or fr."),
        Field("publisher", PUBLISHER, "The organisation behind every review.", required=True),
        Field("cname", Text(), "A custom domain; writes a CNAME file."),
        Field("publish_article_text", Boolean(), "true to publish archived articles' full text on their pages."),
        Field("verdicts", ListOf(VERDICT, min_items=1, what="verdicts", one="verdict"), "The rating scale, best first."),
        Field("independence", INDEPENDENCE, "Thresholds for telling copies of one report apart from independent sources."),
    ],
)

ARTICLE = Object(
    "an article's front matter",
    [
        Field("title", Text(), "The article's headline.", required=True),
        Field("publisher", Text(), "The outlet that published it.", required=True),
        Field("author", Text(), "The byline or wire credit."),
        Field("published", Date(partial=True), "When it was published: YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known.", required=True),
        Field("url", Url(), "Where it was published; never invent one."),
        Field("archive_url", Url(), "An archived copy (e.g. web.archive.org)."),
    ],
    aliases={"date": "published", "byline": "author", "outlet": "publisher", "headline": "title", "link": "url"},
)

ARTICLE_CITATION = Object(
    "a citation of an archived article",
    [
        Field("article", Slug("article id"), "The id of an article under content/articles/.", required=True),
        Field("quote", Text(), "Words quoted verbatim from the article; ... marks a gap.", required=True),
        Field("note", Text(), "What the quote shows."),
    ],
)

LINK_CITATION = Object(
    "a citation of a page that is not archived",
    [
        Field("url", Url(), "The page's address.", required=True),
        Field("title", Text(), "The page's title.", required=True),
        Field("note", Text(), "What the page shows."),
    ],
)

UPDATE = Object(
    "an update",
    [
        Field("date", Date(), "When the check was updated.", required=True),
        Field("note", Text(), "What changed and why.", required=True),
    ],
)

CLAIM = Object(
    "a claim",
    [
        Field("claim", Text(), "The claim checked, as it was made.", required=True),
        Field("claimant", Text(), "Who made the claim.", required=True),
        Field("claim_date", Date(), "When the claim was made."),
        Field("appeared_in", ListOf(ArticleOrUrl(), what="article ids or web addresses", one="article id or web address"), "Article ids or web addresses where the claim appeared."),
        Field("verdict", Slug("verdict"), "An id from the site's rating scale.", required=True),
        Field("headline", Text(), "The page's title; the claim otherwise."),
        Field("summary", Text(), "The ruling in a few plain sentences.", required=True),
        Field("published", Date(), "When the check was published.", required=True),
        Field("author", Text(), "Who wrote the check; the publisher otherwise."),
        Field("draft", Boolean(), "true to leave the check out of builds (serve still shows it)."),
        Field("tags", ListOf(Slug("tag"), what="tags", one="tag"), "Topics, as lowercase words joined by hyphens."),
        Field("updates", ListOf(UPDATE, what="updates", one="update"), "Corrections and updates, oldest first."),
        Field(
            "citations",
            ListOf(
                OneOf("a citation", {"article": ARTICLE_CITATION, "url": LINK_CITATION}),
                min_items=1,
                what="citations",
                one="citation",
            ),
            "The evidence: quotes from archived articles, or links.",
            required=True,
        ),
        Field("analysis", Text(markdown=True), "The full analysis, in Markdown.", required=True),
    ],
    aliases={
        "rating": "verdict",
        "ruling": "verdict",
        "speaker": "claimant",
        "date": "published",
        "title": "headline",
        "sources": "citations",
        "topics": "tags",
        "body": "analysis",
    },
)

PAGE = Object(
    "a page's front matter",
    [
        Field("title", Text(), "The page's title.", required=True),
        Field("nav", Boolean(), "true to list the page in the site menu."),
    ],
)

SCHEMAS = {"site": SITE, "article": ARTICLE, "claim": CLAIM, "page": PAGE}


def json_schema(name: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **SCHEMAS[name].json,
    }


def json_schema_text(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema as NAME.schema.json under `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(json_schema_text(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # python -m factdesk.schema: refresh the committed schemas
    for path in write_schemas(Path(__file__).resolve().parent.parent / "schemas"):
        print(path)
