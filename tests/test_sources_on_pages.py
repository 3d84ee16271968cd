"""Source independence on the example's pages, in claims.json and in `check`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_PY, EXAMPLE_DESK, PROJECT_DIR, make_site, run
from factdesk.pipeline import Builder

SAKSHI = "sakshi-russia-rubbishes-fake-reports"
COPY = "unidentified-russia-rubbishes-fake-reports"
REWRITE = "unidentified-rewrite-russia-rejects-reports"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    result = subprocess.run([sys.executable, str(BUILD_PY), "--site", str(EXAMPLE_DESK), "--out", str(out)], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "claim, sentence",
    [
        ("ians-russia-rubbished-reports-of-ties",
         "3 articles, 2 independent sources: Sakshi Post and Unidentified news site carry the same IANS report."),
        ("rewrite-russia-officially-rejected-reports",
         "2 articles, 1 independent source: Unidentified news site rewrote the IANS report carried by Sakshi Post."
         " Why one source is enough here: The claim is about what the IANS report says"),
        # one outlet counts once, and the editor's reason for resting on it is shown
        ("khan-july-talks-russia-deputy-pm", "2 articles, 1 independent source: 2 are from one outlet, Business Recorder."
         " Why one source is enough here: Both reports are Business Recorder&#39;s"),
        ("multibillion-dollar-steel-contract", "3 articles, 2 independent sources: 2 are from one outlet, Business Recorder.</p>"),
    ],
)
def test_claim_pages_count_independent_sources(example, claim, sentence):
    assert f'<p class="independence">{sentence}' in page(example, f"claims/{claim}")


def test_article_pages_name_their_copies_and_rewrites(example):
    sakshi = page(example, f"sources/{SAKSHI}")
    assert f'Also published as <a href="/steel-desk/sources/{COPY}/">' in sakshi
    assert f'Rewritten as <a href="/steel-desk/sources/{REWRITE}/">' in sakshi
    assert f'Rewritten from <a href="/steel-desk/sources/{SAKSHI}/">' in page(example, f"sources/{REWRITE}")
    assert 'class="family"' not in page(example, "sources/business-recorder-psm-revival-deputy-pm")


def test_every_claim_page_has_a_timeline_in_date_order(example):
    for claim_page in sorted((example / "claims").glob("*/index.html")):
        html = claim_page.read_text(encoding="utf-8")
        assert 'aria-labelledby="timeline-heading"' in html, claim_page
        timeline = html.split('id="timeline-heading"')[1].split("</section>")[0]
        dates = [d for d in timeline.split('datetime="')[1:]]
        days = [d.split('"')[0] for d in dates]
        full = [d for d in days if len(d) == 10]
        assert full == sorted(full), claim_page
        assert "We publish this check" in timeline


def test_claims_json_carries_families_and_counts(example):
    feed = json.loads((example / "claims.json").read_text(encoding="utf-8"))
    families = [set(f["members"]) for f in feed["articleFamilies"]]
    assert {SAKSHI, COPY, REWRITE} in families
    items = {item["item"][0]["url"].rstrip("/").rsplit("/", 1)[-1]: item for item in feed["dataFeedElement"]}
    sources = items["ians-russia-rubbished-reports-of-ties"]["sources"]
    assert sources["articles"] == 3 and sources["independent_sources"] == 2


WIRE = "---\ntitle: {t}\npublisher: {p}\nauthor: IANS\npublished: 2025-05-30\n---\n" + (
    "Moscow, May 30 (IANS) Russia on Friday rubbished fake reports which cited that it is broadening "
    "economic ties with Pakistan, especially by jointly setting up steel mills in Karachi. Sources in "
    "Moscow admitted negotiations taking place on the issue but slammed reports which claimed that a "
    "multibillion dollar contract has been signed between the two countries.\n"
)
ONE_REPORT_CLAIM = (
    "claim: A contract was signed.\nclaimant: Reports\nverdict: \"false\"\nsummary: No.\npublished: 2025-06-02\n"
    "citations:\n  - article: first-copy\n    quote: Sources in Moscow admitted negotiations\n"
    "  - article: second-copy\n    quote: slammed reports\nanalysis: |\n  Text.\n"
)
ONE_REPORT_WARNING = "all 2 cited articles are one source"


def one_report_site(tmp_path, claims: dict[str, str]) -> Path:
    articles = {"first-copy": WIRE.format(t="One", p="Outlet A"), "second-copy": WIRE.format(t="Two", p="Outlet B")}
    return make_site(tmp_path, articles=articles, claims=claims)


def test_check_warns_when_every_citation_is_one_report_and_strict_fails(tmp_path):
    site = one_report_site(tmp_path, {"contract": ONE_REPORT_CLAIM})
    result = run("check", "--site", site)
    assert result.returncode == 0
    assert "content/claims/contract.yaml:7:3: warning: all 2 cited articles are one source" in result.stderr
    strict = run("check", "--site", site, "--strict")
    assert strict.returncode == 1
    assert "content/claims/contract.yaml:7:3: error: all 2 cited articles are one source" in strict.stderr
    github = run("check", "--site", site, "--format", "github")
    assert github.returncode == 0 and "::warning file=content/claims/contract.yaml,line=7,col=3" in github.stdout


def test_the_warning_stays_on_warm_builds_and_in_the_preview(tmp_path):
    """Warnings are remembered in the cache and, by the preview, for the checks it does not read again."""
    other = ONE_REPORT_CLAIM.replace("A contract was signed.", "A deal was signed.")
    site = one_report_site(tmp_path, {"contract": ONE_REPORT_CLAIM, "deal": other})
    for build in ("cold", "warm"):
        result = run("build", "--site", site, "--out", tmp_path / "out")
        assert result.returncode == 0, build
        for slug in ("contract", "deal"):
            assert f"content/claims/{slug}.yaml:7:3: warning: {ONE_REPORT_WARNING}" in result.stderr, (build, slug)
    preview = Builder(site, tmp_path / "preview", in_place=True)
    assert preview.build().ok
    deal = site / "content" / "claims" / "deal.yaml"
    deal.write_text(other.replace("summary: No.", "summary: Still no."), encoding="utf-8")
    for build in ("after the edit", "again, nothing changed"):  # the second reuses what the first read
        result = preview.build()
        warned = {p.path for p in result.problems if ONE_REPORT_WARNING in p.message and p.severity == "warning"}
        assert result.ok and warned == {"content/claims/contract.yaml", "content/claims/deal.yaml"}, build


def test_thresholds_come_from_site_yaml_and_are_checked(tmp_path):
    site = make_site(
        tmp_path,
        site_yaml="title: T\nbase_url: https://example.org/\npublisher:\n  name: T\n  url: https://example.org/\n"
        "independence:\n  copy_similarity: 2\n  shingle_size: five\n",
    )
    result = run("check", "--site", site)
    assert result.returncode == 1
    assert "site.yaml:7:20: error: independence: copy_similarity must be a number above 0 and at most 1" in result.stderr
    assert "site.yaml:8:17: error: 'five' is not a whole number" in result.stderr
