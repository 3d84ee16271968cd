"""The entry formats: the one definition that validation and editors' tools share.

Everything said about a key is said here once. From these definitions come
the validator's rules, the JSON Schema files under schemas/ (which editors'
YAML tooling reads for completion and checks as they type), the key tables in
docs/format.md and the claim file `new` writes (factdesk/scaffold.py).

`python -m factdesk.schema` rewrites schemas/ and the tables in docs/format.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .fields import (
    ArticleOrUrl,
    Boolean,
    Choice,
    Date,
    Field,
    Hostname,
    Kind,
    Label,
    LanguageTag,
    ListOf,
    Number,
    Object,
    OneOf,
    PathOrUrl,
    Slug,
    Strings,
    Text,
    Url,
)
from .independence import THRESHOLD_DESCRIPTIONS, Thresholds
from .urls import LABEL_URLS


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


VERDICT = Object(
    "a verdict",
    [
        Field("id", Slug("verdict id"), "The verdict's id, used in claims and in its URL.", required=True, example="mostly-accurate"),
        Field("label", Text(), "The verdict as readers see it.", required=True, example="Mostly accurate"),
        Field("description", Text(), "When this verdict is given, in a sentence or two.", required=True),
        Field("scored", Boolean(), "false for a verdict outside the numeric scale, such as Unproven."),
        Field("labels", Strings(), "On a desk in several languages: the label in each other language, by language.", example="{ur: غلط}"),
        Field("descriptions", Strings(), "On a desk in several languages: the description in each other language, by language.",
              example="{ur: دعویٰ غلط ہے۔}"),
    ],
)

PUBLISHER = Object(
    "the publisher",
    [
        Field("name", Text(), "The organisation behind every review.", required=True),
        Field("url", Url(), "The organisation's home page.", required=True),
        Field("logo", PathOrUrl(), "Path of the logo under the site folder (e.g. static/logo.svg) or an https URL."),
    ],
)

PERSON = Object(
    "a person",
    [
        Field("id", Slug("person id"), "The id checks name them by in `author` and `reviewed_by`, and their page's address.", required=True, example="amina-rahman"),
        Field("name", Text(), "Their name as readers see it.", required=True, example="Amina Rahman"),
        Field("role", Text(), "Their role at the desk.", example="Fact-checker"),
        Field("url", Url(), "A page about them elsewhere, such as a profile."),
    ],
)

INDEPENDENCE = Object(
    "the source-independence thresholds",
    [
        Field(name, Number(whole=isinstance(getattr(Thresholds, name), int)), sentence_case(description) + ".")
        for name, description in THRESHOLD_DESCRIPTIONS.items()
    ],
    description="When archived articles count as copies or rewrites of one report.",
)

SITE = Object(
    "site.yaml",
    [
        Field("title", Text(), "The site's name.", required=True),
        Field("description", Text(), "One or two sentences about the site."),
        Field(
            "base_url",
            Url(),
            "The site's public address; its path is the base path of every link.",
            required=True,
            example="https://example.github.io/steel-desk/",
        ),
        Field("language", LanguageTag(), "The language of the pages, as a BCP 47 tag such as en or fr."),
        Field(
            "languages",
            ListOf(LanguageTag(), min_items=1, what="languages", one="language"),
            "For a desk in several languages, instead of language: every one, the default first. The first keeps"
            " the site's addresses; each other language's pages are under its own folder (ur/claims/...).",
            example="[en, ur]",
        ),
        Field("titles", Strings(), "On a desk in several languages: the site's name in each other language, by language.",
              example="{ur: حقائق ڈیسک}"),
        Field("descriptions", Strings(), "On a desk in several languages: the site's description in each other language, by language."),
        Field(
            "label_urls",
            Choice(*LABEL_URLS),
            "How topics and claimants get their addresses: script keeps their own letters (tags/ماحولیات/),"
            " latin transliterates them (tags/mhwlyt/). The default is script.",
            example="latin",
        ),
        Field(
            "strings",
            Strings(),
            "The site's own wording for interface strings, each under its English text as the"
            " catalog has it (docs/languages.md); it wins over the language's catalog.",
            example="{'Our rating': 'Verdict'}",
        ),
        Field("publisher", PUBLISHER, "The organisation behind every review.", required=True),
        Field("cname", Hostname(), "A custom domain; writes a CNAME file.", example="checks.example.org"),
        Field(
            "repository",
            Text(),
            "The desk's GitHub repository as OWNER/NAME, where the web editor opens pull requests;"
            " read from a github.io base_url when not given.",
            example="steel-desk/checks",
        ),
        Field(
            "editor_login",
            Url(),
            "The address of an OAuth worker (such as Sveltia CMS Authenticator) that gives the web editor"
            " Sign In with GitHub; without it, editors sign in with a token.",
            example="https://factdesk-auth.example.workers.dev",
        ),
        Field("publish_article_text", Boolean(), "true to publish archived articles' full text on their pages."),
        Field("verdicts", ListOf(VERDICT, min_items=1, what="verdicts", one="verdict"), "The rating scale, best first."),
        Field("independence", INDEPENDENCE, "Thresholds for telling copies of one report apart from independent sources."),
        Field(
            "min_sources",
            Number(whole=True),
            "How many independent sources a rated check must rest on; a check with fewer gets a warning unless its"
            " single_source says why. The default, 1, warns only when several cited articles turn out to be one source.",
            example="2",
        ),
        Field("people", ListOf(PERSON, what="people", one="person"), "Who writes and reviews the checks; checks name them by id."),
    ],
)

ARTICLE = Object(
    "an article's front matter",
    [
        Field("title", Text(), "The article's headline.", required=True),
        Field("publisher", Text(), "The outlet that published it.", required=True),
        Field("author", Text(), "The byline or wire credit."),
        Field("published", Date(partial=True), "When it was published: YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known.", required=True),
        Field(
            "published_before",
            Date(),
            "For a date known only to the month or year: the day the text shows it came out before (a visit it announces, say); it is placed before that day.",
            example="2025-07-05",
        ),
        Field("url", Url(), "Where it was published; never invent one."),
        Field("archive_url", Url(), "An archived copy, such as one on web.archive.org."),
        Field(
            "origin",
            Slug("origin"),
            "Where the article's information comes from, when it relays one statement or report: articles sharing an origin count as one source.",
            example="ministry-of-industries-statement",
        ),
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
        Field("url", Url(), "The page's address.", required=True, example="https://example.org/page"),
        Field("title", Text(), "The page's title.", required=True, example="Ministry of Industries press release"),
        Field("note", Text(), "What the page shows."),
    ],
)

VERDICT_CHANGE = Object(
    "a verdict change",
    [
        Field("from", Text(), "The verdict's id before this update.", required=True, example="unproven"),
        Field("to", Text(), "The verdict's id after it.", required=True, example='"false"'),
    ],
)

UPDATE = Object(
    "an update",
    [
        Field("date", Date(), "When the check was updated.", required=True, example="2025-07-01"),
        Field("note", Text(), "What changed and why.", required=True, example="Added the ministry's statement."),
        Field("verdict_change", VERDICT_CHANGE, "The verdict before and after, when this update changed it.", example='{from: unproven, to: "false"}'),
    ],
)

ARTICLES_OR_URLS = ListOf(ArticleOrUrl(), what="article ids or web addresses", one="article id or web address")

CLAIM = Object(
    "a claim",
    [
        Field("claim", Text(), "The claim checked, as it was made.", required=True),
        Field("claimant", Text(), "Who made the claim.", required=True, example="Posts on social media"),
        Field("claim_date", Date(), "When the claim was made."),
        Field(
            "appeared_in",
            ARTICLES_OR_URLS,
            "Article ids or web addresses where the claim itself was made; not those that reported on it.",
            example="[moscow-denial, https://example.org/post]",
        ),
        Field(
            "reported_in",
            ARTICLES_OR_URLS,
            "Article ids or web addresses that reported on the claim (or on its denial) without making it.",
            example="[moscow-denial]",
        ),
        Field("verdict", Text(), "An id from the site's rating scale.", required=True),
        Field("headline", Text(), "The page's title; the claim otherwise."),
        Field("summary", Text(), "The ruling in a few plain sentences.", required=True),
        Field("published", Date(), "When the check was published.", required=True),
        Field("author", Text(), "Who wrote the check: a person's id from site.yaml's people (a name, on a site without people); the publisher otherwise.", example="amina-rahman"),
        Field("reviewed_by", Text(), "Who reviewed the check before publication, named as `author` is.", example="omar-sheikh"),
        Field("draft", Boolean(), "true to leave the check out of builds (serve still shows it)."),
        Field("language", LanguageTag(), "The check's language, one of site.yaml's languages; the site's first when not given.", example="ur"),
        Field(
            "translation_of",
            Slug("check id"),
            "The id (file name) of the check this one translates, written in another of the site's languages: their pages link to each other.",
            example="steel-mill-contract",
        ),
        Field("tags", ListOf(Label("tag"), what="tags", one="tag"), "Topics the check belongs to.", example="[russia, steel mills]"),
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
        Field(
            "single_source",
            Text(),
            "Why the check may rest on one independent source; it silences that warning and is shown to readers.",
            example="The only record of the meeting is the ministry's own statement.",
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
        Field("updated", Date(), "When the page was last revised; shown on the page.", example="2025-07-16"),
        Field("language", LanguageTag(), "The page's language, one of site.yaml's languages; the site's first when not given.", example="ur"),
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


# -- how a key is explained to editors (docs/format.md and `new`) ------------------------


# forms that do not vary with a kind's options; free text and booleans (whose descriptions say what true does) have none
FORMS = {
    Url: "https://… or http://…",
    LanguageTag: "BCP 47 tag, such as en, fr or pt-BR",
    Slug: "lowercase letters, digits and hyphens",
    Label: "a word or a few, in any script",
    ArticleOrUrl: "article id or web address",
    Object: "keys below",
}


def value_form(kind: Kind) -> str:
    """How a value of `kind` is written, in a few plain words; "" when its description says it."""
    if isinstance(kind, Date):
        return kind.form
    if isinstance(kind, Number):
        return "whole number" if kind.whole else "number, such as 0.5"
    if isinstance(kind, Choice):
        return " or ".join(kind.choices)
    if isinstance(kind, ListOf):
        return list_form(kind)
    return next((form for cls, form in FORMS.items() if isinstance(kind, cls)), "")


def list_form(kind: ListOf) -> str:
    shape = "list of at least one" if kind.min_items else "list"
    if kind.one_alone:
        shape += ", or one alone"
    if isinstance(kind.item, OneOf):
        each = "each one of the kinds below"
    elif isinstance(kind.item, Object):
        each = "each with the keys below"
    else:
        each = f"each {form}" if (form := value_form(kind.item)) else ""
    return "; ".join(part for part in (shape, each) if part)


def field_help(field: Field) -> str:
    """The field's description, with how its value is written in parentheses at its end when that adds something."""
    form = value_form(field.kind)
    # required keys' descriptions double as error messages, so some already give the form
    if not form or form.split()[0].lower() in field.description.lower():
        return field.description
    sentence = field.description.rstrip(".")
    if sentence.endswith(")"):  # one pair of parentheses, shared
        return f"{sentence[:-1]}; {form})."
    return f"{sentence} ({form})."


def nested_objects(kind: Kind) -> list[Object]:
    """The objects a value of `kind` holds: itself, a list's items, a choice's kinds."""
    if isinstance(kind, Object):
        return [kind]
    if isinstance(kind, ListOf):
        return nested_objects(kind.item)
    if isinstance(kind, OneOf):
        return list(kind.choices.values())
    return []


def objects_to_describe(obj: Object, path: str = "") -> list[tuple[str, Object]]:
    """(the key path it sits under, object) for `obj` and every object within it, outermost first."""
    found = [(path, obj)]
    for field in obj.fields.values():
        for inner in nested_objects(field.kind):
            found += objects_to_describe(inner, f"{path}.{field.name}" if path else field.name)
    return found


def key_table(obj: Object) -> list[str]:
    lines = ["| Key | Required | What to write |", "| --- | --- | --- |"]
    for field in obj.fields.values():
        what = field_help(field) + (f" For example: `{field.example}`" if field.example else "")
        what = what.replace("|", "\\|")  # a bare | would end the cell
        lines.append(f"| `{field.name}` | {'yes' if field.required else 'no'} | {what} |")
    return lines


def field_table(name: str) -> str:
    """Markdown: the keys of SCHEMAS[name], then a table for each object within (citations, verdicts ...)."""
    sections = []
    for path, obj in objects_to_describe(SCHEMAS[name]):
        heading = [f"**{sentence_case(obj.title)}**, under `{path}`:", ""] if path else []
        sections.append("\n".join(heading + key_table(obj)))
    return "\n\n".join(sections) + "\n"


# -- docs/format.md: its tables live between marker comments ------------------------------

PROJECT_DIR = Path(__file__).resolve().parent.parent
FORMAT_DOC = PROJECT_DIR / "docs" / "format.md"
SCHEMA_DIR = PROJECT_DIR / "schemas"


def table_block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- fields:{name} -->\n)(.*?)(<!-- /fields:{name} -->)", re.DOTALL)


def committed_table(doc: str, name: str) -> str | None:
    """The text between `name`'s markers in `doc`, without the blank lines around it."""
    found = table_block(name).search(doc)
    return found.group(2).strip("\n") + "\n" if found else None


def with_current_tables(doc: str) -> str:
    """`doc` with every marked table replaced by the one the definitions give now."""
    for name in SCHEMAS:
        table = field_table(name)
        # a function, not a template: tables hold backslashes that re.sub would read
        doc, found = table_block(name).subn(lambda m: f"{m.group(1)}\n{table}\n{m.group(3)}", doc)
        if not found:
            raise ValueError(f"docs/format.md has no <!-- fields:{name} --> ... <!-- /fields:{name} --> block")
    return doc


def regenerate() -> list[Path]:
    """Rewrite schemas/ and docs/format.md's tables from the definitions; the paths written."""
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    written = [SCHEMA_DIR / f"{name}.schema.json" for name in SCHEMAS]
    for name, path in zip(SCHEMAS, written):
        path.write_text(json_schema_text(name), encoding="utf-8")
    FORMAT_DOC.write_text(with_current_tables(FORMAT_DOC.read_text(encoding="utf-8")), encoding="utf-8")
    return [*written, FORMAT_DOC]


if __name__ == "__main__":  # python -m factdesk.schema
    for path in regenerate():
        print(path.relative_to(PROJECT_DIR))
