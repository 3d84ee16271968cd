#!/usr/bin/env python3
"""The generated site as Hugo and Pelican content, for the comparison rows.

    python bench/convert.py SITE hugo DIR
    python bench/convert.py SITE pelican DIR

Equivalent content: one Markdown page per published check (title, date,
tags, verdict, claimant, summary in front matter; the claim, the summary,
the analysis and the three quoted citations in the body), list pages by tag
and by verdict (a Hugo taxonomy, Pelican's categories), a home page with the
20 newest checks, a list of all checks, and an Atom/RSS feed of 50 entries.
Hugo also writes its sitemap. What they do not do, and we do, is left out:
quote matching, source pages per archived article, ClaimReview JSON-LD,
claims.json, share links. Drafts are left out, as our build leaves them out.

Conversion is not timed: run.py does it once per site, before measuring.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import yaml

LABELS = {
    "true": "True",
    "mostly-true": "Mostly true",
    "misleading": "Misleading",
    "mostly-false": "Mostly false",
    "false": "False",
    "unproven": "Unproven",
}

BASE_URL = "https://example.github.io/bench-desk/"


def _articles(site: Path) -> dict[str, dict]:
    articles = {}
    for file in (site / "content" / "articles").glob("*.txt"):
        text = file.read_text(encoding="utf-8")
        front = text[4 : text.index("\n---\n", 3)]
        articles[file.stem] = yaml.load(front, Loader=yaml.CSafeLoader)
    return articles


def _claims(site: Path):
    for file in sorted((site / "content" / "claims").glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if data.get("draft"):
            continue
        data["verdict"] = str(data["verdict"]).lower()  # bare true/false load as booleans
        yield file.stem, data


def _body(data: dict, articles: dict[str, dict]) -> str:
    lines = [f"> {data['claim']}", "", f"Made by {data['claimant']}.", "", f"**{LABELS[data['verdict']]}**: {data['summary']}", ""]
    for update in data.get("updates") or ():
        lines += [f"*Update {update['date']}*: {update['note']}", ""]
    lines += ["## Analysis", "", data["analysis"].rstrip("\n"), "", "## Sources", ""]
    for number, citation in enumerate(data["citations"], 1):
        article = articles[citation["article"]]
        lines.append(f"{number}. > {citation['quote']}")
        lines.append("")
        source = f"[{article['title']}](/sources/{citation['article']}/), {article['publisher']}, {article['published']}"
        lines.append(f"   {source}." + (f" {citation['note']}" if citation.get("note") else ""))
        lines.append("")
    return "\n".join(lines) + "\n"


# -- Hugo ------------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
title = "Benchmark Desk"
languageCode = "en"
enableRobotsTXT = true
disableKinds = []

[taxonomies]
  tag = "tags"
  verdict = "verdicts"

[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
  page = ["html"]

[services.rss]
  limit = 50

[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "static/style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "claims/" | relURL }}">All checks</a> <a href="{{ "verdicts/" | relURL }}">Verdicts</a> <a href="{{ "tags/" | relURL }}">Topics</a></nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="byline">By {{ with .Params.author }}{{ . }}{{ else }}{{ site.Title }}{{ end }} · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p class="verdict">{{ range .GetTerms "verdicts" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol class="claim-list">
{{ range .Pages }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.claimant }} · {{ .Date.Format "2 January 2006" }}</p></li>
{{ end }}
</ol>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ol class="claim-list">
{{ range first 20 (where site.RegularPages "Section" "claims").ByDate.Reverse }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.claimant }} · {{ .Date.Format "2 January 2006" }}</p></li>
{{ end }}
</ol>
{{ end }}
""",
}


def to_hugo(site: Path, out: Path) -> int:
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "claims").mkdir(parents=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = out / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "content" / "claims" / "_index.md").write_text("---\ntitle: All checks\n---\n", encoding="utf-8")
    articles = _articles(site)
    count = 0
    for slug, data in _claims(site):
        front = {
            "title": data.get("headline") or data["claim"],
            "date": str(data["published"]),
            "slug": slug,
            "claimant": data["claimant"],
            "summary": data["summary"],
            "tags": data.get("tags") or [],
            "verdicts": [LABELS[data["verdict"]]],
        }
        if data.get("author"):
            front["author"] = data["author"]
        # JSON is YAML: every value quoted and escaped as it should be
        text = "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()) + "\n---\n"
        (out / "content" / "claims" / f"{slug}.md").write_text(text + _body(data, articles), encoding="utf-8")
        count += 1
    return count


# -- Pelican ---------------------------------------------------------------------

PELICAN_CONFIG = f"""\
AUTHOR = "Benchmark Desk"
SITENAME = "Benchmark Desk"
SITEURL = "{BASE_URL.rstrip('/')}"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"
DEFAULT_PAGINATION = False
ARTICLE_URL = "claims/{{slug}}/"
ARTICLE_SAVE_AS = "claims/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "verdicts/{{slug}}/"
CATEGORY_SAVE_AS = "verdicts/{{slug}}/index.html"
CATEGORIES_SAVE_AS = "verdicts/index.html"
ARCHIVES_SAVE_AS = "claims/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives"]
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 50
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = False
"""


def to_pelican(site: Path, out: Path) -> int:
    if out.exists():
        shutil.rmtree(out)
    (out / "content").mkdir(parents=True)
    (out / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    articles = _articles(site)
    count = 0
    for slug, data in _claims(site):
        title = (data.get("headline") or data["claim"]).replace("\n", " ")
        meta = [
            f"Title: {title}",
            f"Date: {data['published']}",
            f"Slug: {slug}",
            f"Category: {LABELS[data['verdict']]}",
            f"Tags: {', '.join(data.get('tags') or [])}",
            f"Summary: {data['summary']}",
            f"Claimant: {data['claimant']}",
        ]
        if data.get("author"):
            meta.append(f"Author: {data['author']}")
        text = "\n".join(meta) + "\n\n" + _body(data, articles)
        (out / "content" / f"{slug}.md").write_text(text, encoding="utf-8")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("kind", choices=("hugo", "pelican"))
    parser.add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    count = (to_hugo if args.kind == "hugo" else to_pelican)(args.site, args.dir)
    print(f"Wrote {count} {args.kind} pages to {args.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
