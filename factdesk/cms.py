"""The web editor at admin/: Sveltia CMS, configured from the entry formats.

Editors who never touch Git fill in a form at the site's admin/ page; the CMS
commits to a branch and opens a pull request (its editorial workflow), whose
checks then verify the quotes. The CMS is one script, vendored from the npm
package @sveltia/cms at SVELTIA_VERSION under vendor/sveltia-cms/, so the page
loads nothing from a CDN. Its configuration (admin/config.yml) is written from
the same field definitions that validate entries (factdesk/schema.py), with
the site's own verdict scale, so the form cannot drift from what `check` accepts.

`python -m factdesk.cms` rewrites the committed reference copy,
schemas/cms-config.yml: the configuration for the default verdict scale.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import schema
from .fields import (
    CLAIM_SLUG_LENGTH,
    MAX_SLUG_LENGTH,
    SLUG_PATTERN,
    Boolean,
    Date,
    Field,
    Kind,
    ListOf,
    Number,
    Object,
    OneOf,
    Slug,
    Text,
    Url,
)
from .model import Publisher, SiteConfig, Verdict
from .rendering import PROJECT_DIR, TEXT_TEMPLATE

SVELTIA_VERSION = "0.221.1"  # the exact version in package.json
VENDOR_DIR = PROJECT_DIR / "vendor" / "sveltia-cms"
# What the admin page serves from vendor/sveltia-cms/, and the npm file each is a copy of.
# The fonts are those the CMS would fetch from a CDN (it names their versions in its styles).
VENDORED = {
    "sveltia-cms.js": f"@sveltia/cms@{SVELTIA_VERSION}/dist/sveltia-cms.js",
    "fonts/source-sans-3-latin-wght-normal.woff2": "@fontsource-variable/source-sans-3@5.3.0/files/source-sans-3-latin-wght-normal.woff2",
    "fonts/noto-mono-latin-400-normal.woff2": "@fontsource/noto-mono@5.3.0/files/noto-mono-latin-400-normal.woff2",
    "fonts/material-symbols-outlined-latin-wght-normal.woff2":
        "@fontsource-variable/material-symbols-outlined@5.3.7/files/material-symbols-outlined-latin-wght-normal.woff2",
}
SCRIPT = "sveltia-cms.js"
FONT_STYLE_ID = "svelte-zc2rtw"  # the id of the CMS's own font styles in this version
ADMIN = "admin/"
COMMITTED_CONFIG = PROJECT_DIR / "schemas" / "cms-config.yml"

MEDIA_FOLDER = "static/media"  # the CMS needs one; pages may hold images, copied like any static file
# A slug written by hand: the rule of fields.Slug, as a JavaScript regular expression
SLUG_RULE = [rf"^(?=.{{1,{MAX_SLUG_LENGTH}}}$){SLUG_PATTERN[1:]}", f"lowercase letters, digits and hyphens, at most {MAX_SLUG_LENGTH}"]
# An entry's file name is made from its template as it is created, then stays
ENTRY_SLUG = {"editable": ["create"], "hint": "The file's name and the page's address; it cannot change once published.",
              "pattern": SLUG_RULE}
# Texts written as paragraphs get a text area; every other text is one line.
PARAGRAPHS = frozenset({"claim", "summary", "quote", "note"})
TYPE_KEY = "type"  # the key the CMS adds to a citation to say which kind it is
# The admin page's own policy, as narrow as the CMS allows: its script and config from this site,
# GitHub's API (and the avatars it links) for the remote repository, nothing from a CDN.
ADMIN_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # Svelte sets styles on elements
    "img-src 'self' data: blob: https://avatars.githubusercontent.com",
    "font-src 'self'",
    "connect-src 'self' blob: data: https://api.github.com",
    "media-src 'self' blob:",
    "frame-src blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
])


def repository(config: SiteConfig) -> str | None:
    """OWNER/NAME of the desk's GitHub repository, read from a GitHub Pages address:
    https://OWNER.github.io/NAME/ (a project site) or https://OWNER.github.io/ (a user site)."""
    if config.repository:
        return config.repository
    parts = urlsplit(config.base_url)
    host = (parts.hostname or "").lower()
    if not host.endswith(".github.io") or host.count(".") != 2:
        return None
    owner = host.split(".")[0]
    first = next((p for p in parts.path.split("/") if p), None)
    return f"{owner}/{first}" if first else f"{owner}/{host}"


# -- a field as a form widget ---------------------------------------------------------------


def label(name: str) -> str:
    """claim_date: "Claim date"; archive_url: "Archive URL"."""
    return re.sub(r"\burl\b", "URL", name.replace("_", " ").capitalize(), flags=re.IGNORECASE)


def hint(field: Field) -> str:
    text = schema.field_help(field)
    if isinstance(field.kind, Boolean) and text.startswith("true to "):  # a toggle, not a typed word
        text = "On to " + text[len("true to "):]
    if field.example:
        text += f" For example: {field.example.strip('[]')}"
    return text


def widget(field: Field, overrides: dict[str, dict] | None = None) -> dict[str, Any]:
    """The CMS field for `field`: its widget, label, hint and whether it is required."""
    spec: dict[str, Any] = {"name": field.name, "label": label(field.name)}
    spec.update((overrides or {}).get(field.name) or kind_widget(field.name, field.kind))
    spec["required"] = field.required
    spec.setdefault("hint", hint(field))
    return spec


def kind_widget(name: str, kind: Kind) -> dict[str, Any]:
    if isinstance(kind, Date):
        if kind.partial:  # a date picker cannot say "May 2025": typed, as the build reads it
            return {"widget": "string", "pattern": [kind.json["pattern"], "YYYY-MM-DD, YYYY-MM or YYYY"]}
        return {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}
    if isinstance(kind, Boolean):
        return {"widget": "boolean", "default": False}
    if isinstance(kind, Number):
        return {"widget": "number", "value_type": "int" if kind.whole else "float"}
    if isinstance(kind, Url):
        return {"widget": "string", "type": "url"}
    if isinstance(kind, Slug):
        if kind.what == "article id":  # chosen from the archived articles, found by title or publisher
            return {
                "widget": "relation",
                "collection": "articles",
                "value_field": "{{slug}}",
                "search_fields": ["title", "publisher"],
                "display_fields": ["{{title}} ({{publisher}}, {{published}})"],
                "dropdown_threshold": 0,  # a searchable list, however few articles there are yet
            }
    if isinstance(kind, Text):
        if kind.markdown:
            return {"widget": "markdown"}
        return {"widget": "text" if name in PARAGRAPHS else "string"}
    if isinstance(kind, Object):
        return {"widget": "object", "fields": fields_of(kind)}
    if isinstance(kind, ListOf):
        return list_widget(name, kind)
    # any other value is a line of text, held to its JSON Schema's pattern and length
    spec: dict[str, Any] = {"widget": "string"}
    rules = kind.json
    if "pattern" in rules:
        spec["pattern"] = [rules["pattern"], schema.value_form(kind) or "see the hint below"]
    if "maxLength" in rules:
        spec["maxlength"] = rules["maxLength"]
    return spec


def list_widget(name: str, kind: ListOf) -> dict[str, Any]:
    spec: dict[str, Any] = {"widget": "list", "label_singular": kind.one.capitalize()}
    if kind.min_items:
        spec["min"] = kind.min_items
    item = kind.item
    if isinstance(item, OneOf):  # the editor picks the kind; the CMS records it under TYPE_KEY
        spec["types"] = [
            {"name": key, "label": schema.sentence_case(obj.title), "widget": "object", "fields": fields_of(obj)}
            for key, obj in item.choices.items()
        ]
        spec["typeKey"] = TYPE_KEY
    elif isinstance(item, Object):
        spec["fields"] = fields_of(item)
    else:
        spec["field"] = {"name": kind.one.replace(" ", "_"), "label": kind.one.capitalize(), **kind_widget(name, item)}
    return spec


def fields_of(obj: Object, overrides: dict[str, dict] | None = None) -> list[dict[str, Any]]:
    return [widget(f, overrides) for f in obj.fields.values()]


def verdict_select(verdicts: tuple[Verdict, ...]) -> dict[str, Any]:
    return {
        "widget": "select",
        "options": [{"label": v.label, "value": v.id} for v in verdicts],
        "hint": "The rating, from this site's scale. " + " ".join(f"**{v.label}**: {v.description}" for v in verdicts),
    }


def site_choices(config: SiteConfig) -> dict[str, dict[str, Any]]:
    """Fields whose valid values this site defines: its people, its languages, its checks."""
    choices: dict[str, dict[str, Any]] = {}
    if config.people:
        people = {"widget": "select", "options": [{"label": p.name, "value": p.id} for p in config.people]}
        choices.update(author=people, reviewed_by=people)
    if config.multilingual:
        choices["language"] = {"widget": "select", "options": list(config.all_languages)}
        choices["translation_of"] = {"widget": "relation", "collection": "claims", "value_field": "{{slug}}",
                                     "search_fields": ["claim"], "display_fields": ["claim"]}
    return choices


# -- the configuration ---------------------------------------------------------------------


def cms_config(config: SiteConfig) -> dict[str, Any]:
    """The CMS's configuration for a site: a collection for checks, one for archived
    articles and one for pages, every field from the definitions in factdesk/schema.py."""
    base_path = config.base_path
    claims = {
        "name": "claims",
        "label": "Fact-checks",
        "label_singular": "Fact-check",
        "description": "One file per check: the claim, the verdict, and the quotes that support it.",
        "folder": "content/claims",
        "extension": "yaml",
        "format": "yaml",
        "identifier_field": "claim",
        "summary": "{{claim}}",
        "slug": {"template": "{{fields.claim}}", **ENTRY_SLUG},
        "sortable_fields": ["published", "claim", "claimant"],
        "preview_path": "claims/{{slug}}/",
        "fields": fields_of(schema.CLAIM, {
            "verdict": verdict_select(config.verdicts),
            "published": {**kind_widget("published", Date()), "default": "{{now}}"},
            "draft": {"widget": "boolean", "default": True},
            **site_choices(config),
        }),
    }
    articles = {
        "name": "articles",
        "label": "Archived articles",
        "label_singular": "Archived article",
        "description": "The reporting a check quotes: the article's details, then its text as published.",
        "folder": "content/articles",
        "extension": "txt",
        # no `format`: Sveltia refuses yaml-frontmatter with a .txt extension, yet reads and
        # writes these files as front matter when the format is left to it
        "identifier_field": "title",
        "summary": "{{title}} ({{publisher}})",
        "slug": {"template": "{{fields.publisher}}-{{fields.title}}", **ENTRY_SLUG},
        "sortable_fields": ["published", "title", "publisher"],
        "preview_path": "sources/{{slug}}/",
        "fields": [*fields_of(schema.ARTICLE), {
            "name": "body", "label": "Text", "widget": "text", "required": True,
            "hint": "The article's text as published, pasted whole: quotes are checked against it word for word.",
        }],
    }
    pages = {
        "name": "pages",
        "label": "Pages",
        "label_singular": "Page",
        "description": "Plain pages such as the methodology and the corrections policy.",
        "folder": "content/pages",
        "extension": "md",
        "format": "yaml-frontmatter",
        "identifier_field": "title",
        "slug": {"template": "{{fields.title}}", **ENTRY_SLUG},
        "preview_path": "{{slug}}/",
        "fields": [*fields_of(schema.PAGE), {"name": "body", "label": "Text", "widget": "markdown", "required": True,
                                             "hint": "The page, in Markdown."}],
    }
    # Signing in with a token needs nothing of ours; "Sign In with GitHub" needs an OAuth worker's address
    backend: dict[str, Any] = {"name": "github", "repo": repository(config) or "OWNER/REPOSITORY",
                               "auth_methods": ["token"]}
    if config.editor_login:
        backend.update(base_url=config.editor_login.rstrip("/"), auth_methods=["oauth", "token"])
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "app_title": f"{config.title}: editor",
        "site_url": config.base_url,
        "logo_url": f"{base_path}static/favicon.svg",
        "media_folder": MEDIA_FOLDER,
        "public_folder": f"{base_path}{MEDIA_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-", "maxlength": CLAIM_SLUG_LENGTH},
        "output": {"omit_empty_optional_fields": True},
        "collections": [claims, articles, pages],
    }


class _PlainDumper(yaml.SafeDumper):
    """Writes a repeated value out again rather than as an anchor and an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def config_yaml(config: SiteConfig) -> str:
    header = "# Written by factdesk from factdesk/schema.py and site.yaml; do not edit (see docs/cms.md).\n"
    return header + yaml.dump(cms_config(config), Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


def admin_files(config: SiteConfig) -> list[tuple[str, str, dict]]:
    """(output path, template, context) of the admin page, its script, its configuration and
    the vendored CMS and fonts."""
    here = config.base_path + ADMIN  # links carry the base path, as every other page's do
    page = {"canonical": None, "csp": ADMIN_POLICY, "here": here, "script": SCRIPT, "fonts": f"{here}fonts/",
            "font_style_id": FONT_STYLE_ID}
    return [
        (f"{ADMIN}index.html", "admin.html", page),
        (f"{ADMIN}admin.js", "admin.js", {}),
        (f"{ADMIN}config.yml", TEXT_TEMPLATE, {"data": config_yaml(config).encode("utf-8")}),
        *((f"{ADMIN}{name}", TEXT_TEMPLATE, {"data": (VENDOR_DIR / name).read_bytes()}) for name in VENDORED),
    ]


# -- the committed reference copy ----------------------------------------------------------


def reference_config() -> str:
    """The configuration for the default verdict scale and a placeholder repository."""
    example = SiteConfig(title="Desk", base_url="https://your-account.github.io/your-repository/",
                         publisher=Publisher("Desk", "https://your-account.github.io/your-repository/"))
    return config_yaml(example)


if __name__ == "__main__":  # python -m factdesk.cms
    COMMITTED_CONFIG.write_text(reference_config(), encoding="utf-8")
    print(COMMITTED_CONFIG.relative_to(PROJECT_DIR))
