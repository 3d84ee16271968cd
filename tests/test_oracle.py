"""The oracle: a cached, parallel or preview build writes exactly what a clean build writes.

Hypothesis drives random sequences of edits to every kind of input (checks, articles,
pages, site.yaml, the site's own templates, renames and deletions). After each step the
build an editor runs (the cache, the previous output, two processes) and the preview's
rebuild must give, byte for byte, the files of a clean build: one process, nothing reused,
an empty output folder.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk import pipeline
from factdesk.output import MARKER
from factdesk.pipeline import Builder, Options, build_site
from factdesk.reuse import Reuse

SENTENCES = [
    "The ministry said talks on the steel mill continued in Moscow.",
    "Officials denied that any contract had been signed.",
    "A spokesman called the reports fake and baseless.",
    "The mill has been closed since 2015 after years of losses.",
    "Delegations met twice in May to discuss a revival plan.",
]

# A site's own templates that read what the default ones do not show: related checks'
# summaries, the claimant's other checks, tags and updates, and every check of the site.
OWN_CLAIM_TEMPLATE = """{% extends "base.html" %}
{% block main %}
<h1>{{ claim.title }}</h1>
<p>{{ claim.summary }} · {{ claim.verdict.label }} · {{ claimant.name }} ({{ site.claimants[claimant.slug].claims | length }})</p>
<ul>{% for other in related %}<li>{{ other.summary }} / {{ other.claimant }} / {{ other.tags | join(",") }}</li>{% endfor %}</ul>
<ul>{% for update in claim.updates %}<li>{{ update.date }} {{ update.note }}</li>{% endfor %}</ul>
<ol>{% for every in site.claims %}<li>{{ every.slug }}: {{ every.summary }} ({{ every.verdict.id }})</li>{% endfor %}</ol>
{% endblock %}
"""
OWN_ITEM_TEMPLATE = """<article>{{ claim.claim }} — {{ claim.summary }} [{{ claim.tags | join(" ") }}] {{ claim.updates | length }}</article>
"""


def starting_site() -> dict:
    articles = {
        f"article-{n}": {
            "front": {"title": f"Report {n}", "publisher": f"Outlet {n % 2}", "published": f"2025-05-{10 + n}",
                      "url": f"https://news.example.com/{n}"},
            "text": "\n\n".join(SENTENCES[n:] + SENTENCES[:n]),
        }
        for n in range(3)
    }
    claims = {
        f"check-{n}": {
            "claim": f"Claim number {n} about the mill.",
            "claimant": ["A minister", "Posts on social media"][n % 2],
            "verdict": ["false", "misleading", "true"][n % 3],
            "summary": f"Summary {n}.",
            "published": f"2025-06-{10 + n:02d}",
            "tags": [["steel"], ["steel", "russia"], []][n % 3],
            "citations": [{"article": f"article-{n % 3}", "quote": SENTENCES[n % 5]}],
            "analysis": f"Analysis of check {n}.\n",
        }
        for n in range(4)
    }
    pages = {"about": {"front": {"title": "About", "nav": True}, "body": "We check claims.\n"}}
    site = {"title": "Oracle Desk", "base_url": "https://example.org/desk/",
            "publisher": {"name": "Oracle Org", "url": "https://example.org/"}}
    return {"articles": articles, "claims": claims, "pages": pages, "site": site, "templates": {}}


def write_site(model: dict, folder: Path) -> None:
    """The whole site folder from the model; files not in the model are gone."""
    shutil.rmtree(folder / "content", ignore_errors=True)
    shutil.rmtree(folder / "templates", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"site.yaml": yaml.safe_dump(model["site"], allow_unicode=True, sort_keys=False)}
    for slug, article in model["articles"].items():
        front = yaml.safe_dump(article["front"], allow_unicode=True, sort_keys=False)
        files[f"content/articles/{slug}.txt"] = f"---\n{front}---\n{article['text']}\n"
    for slug, claim in model["claims"].items():
        files[f"content/claims/{slug}.yaml"] = yaml.safe_dump(claim, allow_unicode=True, sort_keys=False)
    for slug, page in model["pages"].items():
        front = yaml.safe_dump(page["front"], allow_unicode=True, sort_keys=False)
        files[f"content/pages/{slug}.md"] = f"---\n{front}---\n{page['body']}"
    for name, text in model["templates"].items():
        files[f"templates/{name}"] = text
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def tree(folder: Path, leave_out: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(leave_out)
    }


# -- edits: each takes the model and a random source of choices ------------------------------


def pick(draw, mapping: dict):
    return draw(st.sampled_from(sorted(mapping))) if mapping else None


@st.composite
def edits(draw):
    kind = draw(st.sampled_from([
        "claim field", "claim field", "claim field", "article", "page", "site", "template", "rename claim",
        "delete claim", "add claim", "update", "draft",
    ]))
    text = draw(st.text(alphabet="abcdefgh ijk.", min_size=1, max_size=12).map(str.strip).filter(bool))
    number = draw(st.integers(min_value=0, max_value=50))
    return kind, text, number


def apply(model: dict, edit) -> None:
    kind, text, number = edit
    claims = model["claims"]
    slugs = sorted(claims)
    slug = slugs[number % len(slugs)] if slugs else None
    if kind == "claim field" and slug:
        field = ["summary", "claim", "claimant", "verdict", "tags", "headline", "author", "published", "claim_date",
                 "analysis", "note"][number % 11]
        claim = claims[slug]
        if field == "verdict":
            claim["verdict"] = ["true", "mostly-true", "misleading", "mostly-false", "false", "unproven"][number % 6]
        elif field == "tags":
            claim["tags"] = sorted({t for t in ["steel", "russia", "mills", "trade"][: number % 5]})
        elif field in ("published", "claim_date"):
            claim[field] = f"2025-0{1 + number % 9}-{10 + number % 18}"
        elif field == "note":
            claim["citations"][0]["note"] = text
        elif field == "analysis":
            claim["analysis"] = f"{text}\n\n*{text}* again.\n"
        else:
            claim[field] = f"{text} {number}"
    elif kind == "update" and slug:
        claims[slug].setdefault("updates", []).append({"date": f"2025-07-{10 + number % 18}", "note": text})
    elif kind == "draft" and slug:
        claims[slug]["draft"] = not claims[slug].get("draft", False)
    elif kind == "article":
        article = model["articles"][sorted(model["articles"])[number % 3]]
        part = ["title", "publisher", "author", "published", "text"][number % 5]
        if part == "text":
            article["text"] += f"\n\nAdded paragraph {text}."
        elif part == "published":
            article["front"]["published"] = f"2025-0{1 + number % 9}"
        else:
            article["front"][part] = f"{text} {number}"
    elif kind == "page":
        page = model["pages"]["about"]
        if number % 3 == 0:
            page["front"]["nav"] = not page["front"]["nav"]
        elif number % 3 == 1:
            page["front"]["title"] = f"{text} {number}"
        else:
            page["body"] = f"{text}\n"
    elif kind == "site":
        if number % 2:
            model["site"]["title"] = f"{text} desk"
        else:
            model["site"]["description"] = text
    elif kind == "template":
        choice = number % 4
        if choice == 0:
            model["templates"]["claim.html"] = OWN_CLAIM_TEMPLATE
        elif choice == 1:
            model["templates"]["partials/claim_item.html"] = OWN_ITEM_TEMPLATE
        elif choice == 2:
            model["templates"]["partials/footer.html"] = f"<footer>{text}</footer>\n"
        else:
            model["templates"].clear()
    elif kind == "rename claim" and slug:
        claims[f"renamed-{number}"] = claims.pop(slug)
    elif kind == "delete claim" and len(claims) > 1:
        del claims[slug]
    elif kind == "add claim":
        new = copy.deepcopy(starting_site()["claims"]["check-1"])
        new["summary"] = text
        claims[f"added-{number}"] = new


# -- the builds compared ---------------------------------------------------------------------


def clean_build(site: Path, out: Path, include_drafts: bool = False, draw_cards: bool = True) -> tuple[bool, dict]:
    shutil.rmtree(out, ignore_errors=True)
    options = Options(include_drafts=include_drafts, workers=1, draw_cards=draw_cards)
    result = build_site(site, out, options, Reuse())
    return result.ok, [str(p) for p in result.problems]


@pytest.fixture
def parallel_everywhere(monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_MINIMUM", 1)
    monkeypatch.setattr(pipeline, "BATCH", 2)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(edits(), min_size=1, max_size=5))
def test_cached_parallel_and_preview_builds_equal_clean_builds(parallel_everywhere, steps):
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        site, cache = root / "site", root / "cache.sqlite"
        model = starting_site()
        write_site(model, site)
        preview = Builder(site, root / "preview", include_drafts=True, in_place=True, draw_cards=False, workers=2)
        for number, step in enumerate([None, *steps]):
            if step is not None:
                apply(model, step)
                write_site(model, site)
            cached_reuse = Reuse(cache)  # a new process each time, as the command line is
            cached = build_site(site, root / "out", Options(workers=2), cached_reuse)
            cached_reuse.close()
            ok, problems = clean_build(site, root / "clean")
            assert cached.ok == ok and [str(p) for p in cached.problems] == problems, step
            if ok:
                assert tree(root / "out") == tree(root / "clean"), f"cached build after step {number}: {step}"
            shown = preview.build()
            ok, problems = clean_build(site, root / "clean-drafts", include_drafts=True, draw_cards=False)
            assert shown.ok == ok, step
            if ok:
                assert tree(root / "preview", ("pagefind/",)) == tree(root / "clean-drafts", ("pagefind/",)), (
                    f"preview after step {number}: {step}"
                )


def test_a_related_checks_summary_shown_by_a_sites_own_template_is_never_stale(tmp_path, parallel_everywhere):
    """The issue's own case: the site's claim.html shows related checks' summaries; one is edited."""
    model = starting_site()
    model["templates"]["claim.html"] = OWN_CLAIM_TEMPLATE
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    write_site(model, site)
    assert build_site(site, tmp_path / "out", Options(workers=2), Reuse(cache)).ok
    model["claims"]["check-1"]["summary"] = "An edited summary."
    write_site(model, site)
    result = build_site(site, tmp_path / "out", Options(workers=2), Reuse(cache))
    assert result.ok
    clean_build(site, tmp_path / "clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    shown = [p for p, data in tree(tmp_path / "out").items() if p.startswith("claims/") and b"An edited summary." in data]
    assert len(shown) == 4  # every claim page lists every check


def test_a_warm_build_renders_nothing_and_changes_no_file(tmp_path):
    model = starting_site()
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    write_site(model, site)
    first = build_site(site, tmp_path / "out", Options(), Reuse(cache))
    inodes = lambda: {p: p.stat().st_ino for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != MARKER}
    before = inodes()
    second = build_site(site, tmp_path / "out", Options(), Reuse(cache))
    assert first.rendered > 0 and second.rendered == 0
    assert inodes() == before


def test_an_edit_renders_only_the_pages_that_hold_the_check(tmp_path):
    """A page is rendered again when its context holds the edited check (its own page, listings,
    related checks, feeds); every other file is the very file the last build wrote."""
    model = starting_site()
    site, cache, out = tmp_path / "site", tmp_path / "cache.sqlite", tmp_path / "out"
    write_site(model, site)
    build_site(site, out, Options(), Reuse(cache))
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    model["claims"]["check-2"]["analysis"] = "A new analysis.\n"
    write_site(model, site)
    result = build_site(site, out, Options(), Reuse(cache))
    changed = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
               and inodes.get(p.relative_to(out).as_posix()) != p.stat().st_ino} - {MARKER}
    assert result.ok and result.rendered == len(changed - {p for p in changed if p.startswith("pagefind/")})
    assert {"claims/check-2/index.html", "claims.json", "claims/index.html"} <= changed
    assert not changed & {"about/index.html", "sources/index.html", "404.html", "cards/check-2.png", "sitemap.xml"}


def test_a_page_changed_by_hand_in_the_output_is_written_again(tmp_path):
    model = starting_site()
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    write_site(model, site)
    build_site(site, tmp_path / "out", Options(), Reuse(cache))
    page = tmp_path / "out" / "claims" / "check-0" / "index.html"
    page.write_text("defaced")
    result = build_site(site, tmp_path / "out", Options(), Reuse(cache))
    assert result.rendered == 1
    clean_build(site, tmp_path / "clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_files_added_or_removed_by_hand_in_the_output_are_put_right(tmp_path):
    """Nothing changed in the site, but the output did: the next build equals a clean one."""
    model = starting_site()
    site, cache, out = tmp_path / "site", tmp_path / "cache.sqlite", tmp_path / "out"
    write_site(model, site)
    build_site(site, out, Options(), Reuse(cache))
    (out / "extra.html").write_text("added by hand")
    (out / "tags" / "index.html").unlink()
    assert build_site(site, out, Options(), Reuse(cache)).ok
    clean_build(site, tmp_path / "clean")
    assert tree(out) == tree(tmp_path / "clean")
