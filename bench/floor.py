#!/usr/bin/env python3
"""The floor: the bare work of a build, with nothing else.

    python bench/floor.py SITE OUT [--procs 1|2]

For each content/claims/*.yaml: read it, load it with yaml.CSafeLoader,
render its analysis with one reused MarkdownIt('js-default'), render a plain
Jinja2 page (autoescaped) with its fields, and write OUT/claims/SLUG/index.html.
No validation, no quotes matched, no listings, no feed. With --procs 2 the
claims are split in two halves, each done by a forked process (the time
includes the fork and the wait).

A generator cannot be faster than this on the same content with the same
libraries, so our build's time is reported as a ratio to it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }} · {{ site_title }}</title>
<meta name="description" content="{{ verdict }}: {{ summary }}">
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header><a href="/">{{ site_title }}</a></header>
<main>
<article>
<h1>{{ title }}</h1>
<p class="byline">By {{ author }} · {{ published }}</p>
<blockquote><p>{{ claim }}</p></blockquote>
<p>Made by {{ claimant }}{% if claim_date %}, {{ claim_date }}{% endif %}</p>
<p class="verdict">{{ verdict }}</p>
<p class="summary">{{ summary }}</p>
{% if updates %}<ul>{% for u in updates %}<li>{{ u.date }}: {{ u.note }}</li>{% endfor %}</ul>{% endif %}
<section class="analysis">
{{ analysis | safe }}
</section>
<ol>
{% for c in citations %}
<li><blockquote>{{ c.quote }}</blockquote><p><a href="/sources/{{ c.article }}/">{{ c.article }}</a>{% if c.note %} {{ c.note }}{% endif %}</p></li>
{% endfor %}
</ol>
<ul class="tags">{% for t in tags %}<li><a href="/tags/{{ t }}/">{{ t }}</a></li>{% endfor %}</ul>
</article>
</main>
</body>
</html>
"""


def claim_files(site: Path) -> list[Path]:
    return sorted((site / "content" / "claims").glob("*.yaml"))


def work(files: list[Path], out: Path) -> int:
    md = MarkdownIt("js-default")
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(PAGE)
    for file in files:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        html = template.render(
            site_title="Benchmark Desk",
            title=data.get("headline") or data["claim"],
            author=data.get("author") or "Benchmark Desk",
            published=data["published"],
            claim=data["claim"],
            claimant=data["claimant"],
            claim_date=data.get("claim_date"),
            verdict=data["verdict"],
            summary=data["summary"],
            updates=data.get("updates") or (),
            analysis=md.render(data["analysis"]),
            citations=data["citations"],
            tags=data.get("tags") or (),
        )
        target = out / "claims" / file.stem
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(html, encoding="utf-8")
    return len(files)


def _child(files: list[Path], out: Path) -> None:
    work(files, out)
    os._exit(0)  # skip interpreter teardown, as a forked worker would


def run(site: Path, out: Path, procs: int) -> int:
    files = claim_files(site)
    out.mkdir(parents=True, exist_ok=True)
    if procs == 1:
        return work(files, out)
    context = multiprocessing.get_context("fork")
    size = (len(files) + procs - 1) // procs
    workers = [context.Process(target=_child, args=(files[i * size : (i + 1) * size], out)) for i in range(procs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise SystemExit(f"a floor worker failed with exit code {worker.exitcode}")
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--procs", type=int, choices=(1, 2), default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = run(args.site, args.out, args.procs)
    print(f"floor ({args.procs} process{'es' if args.procs > 1 else ''}): {count} checks in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
