"""`recheck`: each quoted passage looked for on its live page, reported at the citation's place.

The outlet is a server on 127.0.0.1 (tests/news_server.py): articles are archived from it
with `archive`, then its pages are edited, cut, deleted, moved or slowed down.
"""

import hashlib
from pathlib import Path

import pytest
import yaml

from conftest import make_site, run
from news_server import NewsServer, Reply, page

from factdesk.archiving import archive
from factdesk.rechecking import recheck_command

ROOT = Path(__file__).resolve().parent.parent
CLAIM_PATH = "content/claims/steel-deal.yaml"
EDITED_SENTENCE = "Russian officials have not announced any contract."
REMOVED_PARAGRAPH = ("<p>The original mill, built with Soviet help in the 1970s, once produced more than a million"
                     " tonnes of steel a year. It has not operated since 2015, and its workers were laid off in 2020.</p>")
URDU_SENTENCE = "روسی حکام نے ابھی تک کسی معاہدے کا اعلان نہیں کیا۔"

# (article id, the quote); each citation's quote is on line 8 + 2 * its index, at column 12
CITATIONS = [
    ("same", "attached high importance to ongoing discussions on the new Steel Mills in Karachi"),
    ("edited", EDITED_SENTENCE),
    ("removed", "It has not operated since 2015, and its workers were laid off in 2020."),
    ("deleted", "Economists in Karachi said the project would need private investment"),
    ("moved", "two years after the old plant shut down"),
    ("slow", "a technical team would visit Moscow next month"),
    ("urdu", URDU_SENTENCE),
]


def where(article_id: str) -> str:
    index = [a for a, _ in CITATIONS].index(article_id)
    return f"{CLAIM_PATH}:{8 + 2 * index}:12"


def claim_text() -> str:
    lines = ["claim: A steel-mill contract was signed.", "claimant: Posts on social media", 'verdict: "false"',
             "summary: Talks, not a contract.", "published: 2025-08-01", "citations:"]
    for article_id, quote in CITATIONS:
        lines += [f"  - article: {article_id}", f"    quote: {quote}"]
    return "\n".join(lines + ["analysis: |", "  Talks, not a contract.", ""])


def content_digest(site: Path) -> str:
    files = sorted(p for p in (site / "content").rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


@pytest.fixture
def server():
    with NewsServer() as running:
        yield running


@pytest.fixture
def desk(server, tmp_path):
    """A desk whose seven articles were archived from the server, and one check quoting each."""
    site = make_site(tmp_path, articles={}, claims={}, pages={})
    for article_id, _ in CITATIONS:
        html = page("urdu-steel.html" if article_id == "urdu" else "steel-talks.html")
        server.routes[f"/{article_id}"] = Reply(html)
        archive(site, server.url(f"/{article_id}"), article=article_id)
    (site / CLAIM_PATH).write_text(claim_text(), encoding="utf-8")
    assert run("check", "--site", site).returncode == 0
    return site


def stealth_edits(server):
    english, urdu = page("steel-talks.html"), page("urdu-steel.html")
    server.routes["/edited"] = Reply(english.replace(EDITED_SENTENCE, "Russian officials have not yet announced a contract."))
    server.routes["/removed"] = Reply(english.replace(REMOVED_PARAGRAPH, ""))
    server.routes["/deleted"] = Reply("<h1>Page not found</h1>", 404)
    server.routes["/moved"] = Reply("", 301, headers={"Location": "/business/2025/steel"})
    server.routes["/business/2025/steel"] = Reply(english)
    server.routes["/slow"] = Reply(english, delay=3)
    server.routes["/urdu"] = Reply(urdu.replace("کسی معاہدے کا اعلان نہیں کیا", "کسی حتمی معاہدے کا اعلان نہیں کیا"))


def test_recheck_reports_each_change_at_the_citation(server, desk):
    before = content_digest(desk)
    stealth_edits(server)
    result = run("recheck", "--site", desk, "--delay", "0", "--timeout", "0.5")
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    url = server.url
    assert f"content/articles/same.txt: unchanged: {url('/same')}" in out
    assert (f"  {where('edited')}: changed: quotes 'edited'; the quote \"{EDITED_SENTENCE}\" is not on the page;"
            " the closest passage there now reads: \"Russian officials have not yet announced a contract.\"") in out
    assert (f"  {where('removed')}: removed: quotes 'removed'; the quote \"It has not operated since 2015, and"
            " its workers were laid off in 2020.\" is not on the page, nor anything like it") in out
    assert f"  {where('deleted')}: page gone: quotes 'deleted'; {url('/deleted')} is gone (HTTP 404)" in out
    assert f"content/articles/moved.txt: moved: {url('/moved')} (it now redirects to {url('/business/2025/steel')})" in out
    assert f"  {where('slow')}: timeout: quotes 'slow'; {url('/slow')} did not answer within 0.5 s" in out
    assert (f"  {where('urdu')}: changed: quotes 'urdu'; the quote \"{URDU_SENTENCE}\" is not on the page; the closest"
            " passage there now reads: \"روسی حکام نے ابھی تک کسی حتمی معاہدے کا اعلان نہیں\"") in out
    assert not any(where(a) in line for a in ("same", "moved") for line in out)  # their passages are all there
    assert out[-1] == ("Rechecked 7 articles: 1 unchanged, 3 changed, 1 page gone, 1 moved, 1 timeout."
                       " 4 of 7 quoted passages no longer on the live page.")
    assert content_digest(desk) == before  # the archived text is the record


def test_recheck_for_github_annotates_the_citations_and_writes_a_report(server, desk, tmp_path):
    stealth_edits(server)
    summary = tmp_path / "summary.md"
    report = tmp_path / "report.md"
    result = run("recheck", "--site", desk, "--format", "github", "--report", report, "--delay", "0", "--timeout", "0.5",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    line, col = where("deleted").split(":")[1:]
    assert (f"::error file=content/claims/steel-deal.yaml,line={line},col={col},title=Source page gone::"
            f"'deleted' ({server.url('/deleted')}): page gone; {server.url('/deleted')} is gone (HTTP 404)") in commands
    assert [c.split(",title=")[1].split("::")[0] for c in commands] == [
        "Source page gone", "Source changed", "Source removed", "Source timeout", "Source changed"]
    assert commands[0].startswith("::error") and commands[3].startswith("::warning")  # a timeout is not a change
    markdown = report.read_text(encoding="utf-8")
    assert markdown == summary.read_text(encoding="utf-8")
    assert markdown.startswith("## Live sources rechecked\n\nRechecked 7 articles:")
    assert f"- `{where('removed')}` quotes `removed`: removed; the quote \"It has not operated" in markdown
    assert "| `content/articles/moved.txt` |" in markdown and "same.txt" not in markdown


def test_recheck_of_unchanged_pages_exits_0_and_is_polite(server, tmp_path):
    site = make_site(tmp_path, articles={}, claims={}, pages={})
    ids = ["one", "two", "three"]
    for article_id in ids:
        server.routes[f"/{article_id}"] = Reply(page("steel-talks.html"))
        archive(site, server.url(f"/{article_id}"), article=article_id)
    quote = "Russian officials have not announced any contract."
    citations = "".join(f"  - article: {a}\n    quote: {quote}\n" for a in ids)
    (site / CLAIM_PATH).write_text(claim_text().split("citations:\n")[0] + "citations:\n" + citations
                                   + "analysis: |\n  Talks.\n", encoding="utf-8")
    # the outlet is busy at first, and says when to come back
    answers = iter([Reply("slow down", 429, headers={"Retry-After": "1"})])
    server.routes["/two"] = lambda request: next(answers, Reply(page("steel-talks.html")))
    server.requests.clear()
    assert recheck_command(site, delay=0.3, timeout=5) == 0
    asked = [r.path for r in server.requests]
    assert asked == ["/one", "/three", "/two", "/two"]  # in the order of the articles' ids
    gaps = [b.at - a.at for a, b in zip(server.requests, server.requests[1:])]
    assert gaps[0] >= 0.3 and gaps[1] >= 0.3 and gaps[2] >= 1.0  # the pause between requests, then Retry-After
    agents = {r.headers["User-Agent"] for r in server.requests}
    assert agents == {"factdesk/0.1.0 (fact-check archive; +https://example.org/)"}


def test_a_move_or_a_timeout_alone_is_reported_but_exits_0(server, tmp_path, capsys):
    site = make_site(tmp_path, articles={}, claims={}, pages={})
    for article_id in ("moved", "slow"):
        server.routes[f"/{article_id}"] = Reply(page("steel-talks.html"))
        archive(site, server.url(f"/{article_id}"), article=article_id)
    quote = "two years after the old plant shut down"
    citations = "".join(f"  - article: {a}\n    quote: {quote}\n" for a in ("moved", "slow"))
    (site / CLAIM_PATH).write_text(claim_text().split("citations:\n")[0] + "citations:\n" + citations
                                   + "analysis: |\n  Talks.\n", encoding="utf-8")
    server.routes["/moved"] = Reply("", 308, headers={"Location": "/steel-mill"})
    server.routes["/steel-mill"] = Reply(page("steel-talks.html"))
    server.routes["/slow"] = Reply(page("steel-talks.html"), delay=2)
    assert recheck_command(site, delay=0, timeout=0.3) == 0  # the weekly run raises no alarm for these
    out = capsys.readouterr().out
    assert f"  {CLAIM_PATH}:10:12: timeout: quotes 'slow'" in out
    assert out.endswith("Rechecked 2 articles: 1 moved, 1 timeout. 0 of 2 quoted passages no longer on the live page.\n")


def test_recheck_skips_articles_without_a_url_and_refuses_a_broken_site(tmp_path, capsys):
    site = make_site(tmp_path)  # conftest's article has an address on a host that does not exist: give it none
    text = (site / "content" / "articles" / "moscow-denial.txt").read_text(encoding="utf-8")
    (site / "content" / "articles" / "moscow-denial.txt").write_text(
        text.replace("url: https://news.example.com/story\n", ""), encoding="utf-8")
    assert recheck_command(site, delay=0) == 0
    assert capsys.readouterr().out == ("Rechecked 0 articles. 0 of 0 quoted passages no longer on the live page."
                                       " 1 article without a url not rechecked.\n")
    (site / "content" / "claims" / "broken.yaml").write_text("claim: [\n", encoding="utf-8")
    assert recheck_command(site, delay=0) == 2
    assert capsys.readouterr().err.endswith(
        "error: the content has errors; fix them (python build.py check) before rechecking\n")


def load_workflow() -> dict:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "recheck.yml").read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # PyYAML reads the key `on` as True (YAML 1.1)
    return workflow


def test_the_weekly_workflow_rechecks_and_keeps_one_issue():
    # tests/test_workflows.py validates every workflow against GitHub's schema, offline
    workflow = load_workflow()
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (cron,) = [entry["cron"] for entry in workflow["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert day == month == "*" and weekday.isdigit()  # once a week
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    (job,) = workflow["jobs"].values()
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pip install -r requirements.txt" in runs
    assert "python build.py recheck --format github --report" in runs
    # one issue: found by its title and edited, or created when there is none
    assert "gh issue list" in runs and "gh issue edit" in runs and "gh issue create" in runs
    assert runs.count("gh issue create") == 1
