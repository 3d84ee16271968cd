"""`archive URL|FILE`: the story's text alone and its front matter, from a news page.

Pages come from a server on 127.0.0.1 (tests/news_server.py) or from files; the Internet
Archive is a fake endpoint on the same server. No test touches the real network.
"""

import datetime as dt
import json
import urllib.parse

import pytest

from conftest import make_site, run
from news_server import PAGES, NewsServer, Reply, page

from factdesk.archiving import ArchiveError, Limits, archive, read_story
from factdesk.validation import load_site, read_article

ENGLISH_STORY = [
    "Pakistan, Russia resume talks on Karachi steel mill",
    "ISLAMABAD: Pakistan and Russia have resumed talks on building a new steel mill in Karachi, officials said on"
    " Thursday, two years after the old plant shut down.",
    "The Special Assistant to the Prime Minister told reporters that Pakistan “attached high importance to ongoing"
    " discussions on the new Steel Mills in Karachi” and that a technical team would visit Moscow next month.",
    "Russian officials have not announced any contract. A spokesman for the Russian embassy said the two sides were"
    " still studying the plant’s feasibility and the cost of reviving it.",
    "The original mill, built with Soviet help in the 1970s, once produced more than a million tonnes of steel a"
    " year. It has not operated since 2015, and its workers were laid off in 2020.",
    "Economists in Karachi said the project would need private investment, and questioned whether the government"
    " could afford its share while it negotiates a new loan programme.",
]
# menus, the ticker, ads, the caption, share buttons, the inline related link, tags,
# related headlines, comments and the footer around the English story
ENGLISH_FURNITURE = ["Opinion", "Breaking", "Advertisement", "blast furnace", "Share on", "Read more",
                     "holistic stock", "Tags:", "Related stories", "Iron ore", "Comments", "Realist99",
                     "gas bills", "All rights reserved", "Privacy"]

URDU_TITLE = "کراچی اسٹیل مل پر پاکستان اور روس کے مذاکرات دوبارہ شروع"
URDU_STORY = [
    URDU_TITLE,
    "اسلام آباد: پاکستان اور روس نے کراچی میں نئی اسٹیل مل کی تعمیر پر مذاکرات دوبارہ شروع کر دیے ہیں، حکام نے"
    " جمعرات کو بتایا کہ ایک تکنیکی ٹیم اگلے ماہ ماسکو کا دورہ کرے گی۔",
    "وزیر اعظم کے معاون خصوصی نے صحافیوں کو بتایا کہ پاکستان کراچی میں نئی اسٹیل مل پر جاری بات چیت کو بہت اہمیت"
    " دیتا ہے اور منصوبے کی لاگت کا جائزہ لیا جا رہا ہے۔",
    "روسی حکام نے ابھی تک کسی معاہدے کا اعلان نہیں کیا۔ روسی سفارت خانے کے ترجمان کے مطابق دونوں ممالک منصوبے کی"
    " فزیبلٹی کا مطالعہ کر رہے ہیں۔",
    "پرانی مل، جو سوویت یونین کی مدد سے ستر کی دہائی میں بنی تھی، دو ہزار پندرہ سے بند ہے اور اس کے ملازمین کو دو"
    " ہزار بیس میں فارغ کر دیا گیا تھا۔",
]
# the menu, both ads, the caption, the related headlines, the comment and the footer
URDU_FURNITURE = ["کھیل", "اشتہار", "فائل تصویر", "مزید خبریں", "لاہور میں بارش", "تبصرے", "ہر سال آتی ہے",
                  "جملہ حقوق"]


@pytest.fixture
def server():
    with NewsServer() as running:
        yield running


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path, articles={}, claims={}, pages={})


def read_back(path):
    """The article as the build reads it: the file must be clean."""
    relative = f"content/articles/{path.name}"
    article, problems = read_article(path.stem, relative, path.read_bytes())
    assert problems == (), [str(p) for p in problems]
    return article


def front_matter(path):
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0]


def test_archive_url_writes_the_story_alone_with_its_front_matter(server, site):
    server.routes["/business/steel-talks"] = Reply(page("steel-talks.html"))
    url = server.url("/business/steel-talks")
    result = run("archive", url, "--site", site)
    assert result.returncode == 0, result.stderr
    path = site / "content" / "articles" / "the-harbour-ledger-2025-07-11-pakistan-russia-resume-talks.txt"
    assert result.stdout.strip() == str(path)
    article = read_back(path)
    assert article.text.split("\n\n") == ENGLISH_STORY
    assert not [words for words in ENGLISH_FURNITURE if words in article.text]
    assert (article.title, article.publisher, article.author) == (
        "Pakistan, Russia resume talks on Karachi steel mill", "The Harbour Ledger", "Amina Qureshi")
    assert article.published == dt.date(2025, 7, 11)
    assert article.url == url  # the address the editor archived, not one the page claims
    assert article.archive_url is None
    assert "# The page says it was updated on 2025-07-12." in front_matter(path)
    (request,) = server.asked("/business/steel-talks")
    assert request.headers["User-Agent"].startswith("factdesk/0.1.0 (fact-check archive; +https://example.org/")


def test_archive_a_saved_right_to_left_page(site):
    result = run("archive", PAGES / "urdu-steel.html", "--site", site, "--url", "https://sahil.example/news/12345")
    assert result.returncode == 0, result.stderr
    (path,) = (site / "content" / "articles").iterdir()
    assert path.name.startswith("rwznmh-shl-2025-07-12-")  # the slug rule transliterates the outlet and title
    article = read_back(path)
    assert article.text.split("\n\n") == URDU_STORY
    assert not [words for words in URDU_FURNITURE if words in article.text]
    assert (article.title, article.publisher, article.author) == (URDU_TITLE, "روزنامہ ساحل", None)
    assert article.published == dt.date(2025, 7, 12)
    assert article.url == "https://sahil.example/news/12345"
    assert "# author: no byline was found" in front_matter(path)


def test_what_the_page_does_not_give_is_left_out_with_a_comment(site):
    result = run("archive", PAGES / "no-metadata.html", "--site", site, "--id", "ministry-delegation")
    path = site / "content" / "articles" / "ministry-delegation.txt"
    header = front_matter(path)
    for key in ("publisher", "author", "published", "url"):
        assert f"\n{key}:" not in header  # never invented
        assert f"\n# {key}: " in header  # but said
    assert "title: \"Delegation to visit Russia on steel mill revival\"" in header
    # the format's keys that only an editor can judge are explained, from the schema
    assert "\n# origin (optional, yours to judge): Where the article's information comes from" in header
    # written, and the build's own message says what the editor must add before quoting it
    assert result.returncode == 1
    assert result.stdout.strip() == str(path)
    assert result.stderr.splitlines()[:2] == [
        "content/articles/ministry-delegation.txt:2:1: error: missing required key 'publisher' (The outlet that published it)",
        "content/articles/ministry-delegation.txt:2:1: error: missing required key 'published' (When it was published:"
        " YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known)",
    ]
    assert "Most read" not in path.read_text(encoding="utf-8") and "Copyright" not in path.read_text(encoding="utf-8")


def test_a_check_quoting_archived_articles_passes_check_and_build(server, tmp_path):
    site = make_site(tmp_path, articles={}, claims={}, pages={})
    server.routes["/steel"] = Reply(page("steel-talks.html"))
    assert run("archive", server.url("/steel"), "--site", site, "--id", "ledger-steel-talks").returncode == 0
    assert run("archive", PAGES / "urdu-steel.html", "--site", site, "--id", "sahil-steel-talks").returncode == 0
    claim = (
        "claim: A contract for a new steel mill in Karachi was signed.\n"
        "claimant: Posts on social media\n"
        "verdict: \"false\"\n"
        "summary: Talks resumed; no contract was announced.\n"
        "published: 2025-08-01\n"
        "citations:\n"
        "  - article: ledger-steel-talks\n"
        "    quote: 'attached high importance to ongoing discussions on the new Steel Mills in Karachi'\n"
        "  - article: ledger-steel-talks\n"
        "    quote: Russian officials have not announced any contract.\n"
        "  - article: sahil-steel-talks\n"
        "    quote: روسی حکام نے ابھی تک کسی معاہدے کا اعلان نہیں کیا۔\n"
        "analysis: |\n"
        "  Both outlets report talks, not a contract.\n"
    )
    (site / "content" / "claims" / "steel-contract.yaml").write_text(claim, encoding="utf-8")
    checked = run("check", "--site", site)
    assert checked.returncode == 0, checked.stderr
    assert "All good: 1 check, 2 articles" in checked.stdout
    built = run("build", "--site", site, "--out", tmp_path / "out", "--quiet")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "sources" / "ledger-steel-talks" / "index.html").exists()


def test_archive_never_overwrites(server, site):
    server.routes["/steel"] = Reply(page("steel-talks.html"))
    assert run("archive", server.url("/steel"), "--site", site, "--id", "steel").returncode == 0
    path = site / "content" / "articles" / "steel.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("ISLAMABAD", "KARACHI"), encoding="utf-8")
    again = run("archive", server.url("/steel"), "--site", site, "--id", "steel")
    assert again.returncode == 1
    assert again.stderr == "error: content/articles/steel.txt already exists; nothing was written (give another name with --id)\n"
    assert "KARACHI" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "reply, options, message",
    [
        (Reply(page("front-page.html")), [],
         "{url}: no story was found on the page: is it a home page, a list of links, or a page that needs a login or"
         " JavaScript?; if your browser shows the story, save the page and run: python build.py archive FILE.html --url {url}"),
        (Reply(b"%PDF-1.7 ...", content_type="application/pdf"), [],
         "{url} is not a web page but application/pdf; archive only HTML pages"),
        (Reply("", 302, headers={"Location": "/elsewhere"}), [],
         "{url} redirects in a loop ({url} → {elsewhere} → {url})"),
        (Reply("", 302, headers={"Location": "file:///etc/passwd"}), [],
         "{url} redirects to file:///etc/passwd, which is not a web address"),
        (Reply(page("steel-talks.html"), delay=3), ["--timeout", "0.5"],
         "{url} did not answer within 0.5 s"),
        (Reply("gone", 404), [], "{url} is gone (HTTP 404)"),
        (Reply("busy", 503), [], "{url} is busy (HTTP 503); try again later"),
    ],
    ids=["not-an-article", "not-html", "redirect-loop", "redirect-to-a-file", "timeout", "not-found", "busy"],
)
def test_pages_that_cannot_be_archived_are_refused_in_one_line(server, site, reply, options, message):
    server.routes["/story"] = reply
    server.routes["/elsewhere"] = Reply("", 301, headers={"Location": "/story"})
    url = server.url("/story")
    result = run("archive", url, "--site", site, *options)
    assert result.returncode == 1
    assert result.stderr == "error: " + message.format(url=url, elsewhere=server.url("/elsewhere")) + "\n"
    assert list((site / "content" / "articles").iterdir()) == []


def test_limits_on_size(server, site, tmp_path):
    server.routes["/big"] = Reply(page("steel-talks.html") + "<!--" + "x" * 50_000 + "-->")
    with pytest.raises(ArchiveError, match=r"/big is 5\d,\d{3} bytes; at most 20,000 are read"):
        archive(site, server.url("/big"), limits=Limits(max_bytes=20_000))
    saved = tmp_path / "big.html"
    saved.write_text(page("steel-talks.html") + " " * 30_000, encoding="utf-8")
    with pytest.raises(ArchiveError, match=r"big.html is 3\d,\d{3} bytes; at most 20,000 are read"):
        archive(site, str(saved), limits=Limits(max_bytes=20_000))
    assert list((site / "content" / "articles").iterdir()) == []


def test_files_that_are_not_html_pages(site, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("Russia denied the reports on Friday.\n", encoding="utf-8")
    assert run("archive", text, "--site", site).stderr == f"error: {text} is not an HTML file; save the page from your browser as HTML\n"
    missing = tmp_path / "missing.html"
    assert run("archive", missing, "--site", site).stderr == f"error: {missing} is neither a web address (https://...) nor a file\n"
    assert run("archive", "www.example.org/story", "--site", site).returncode == 1


def fake_internet_archive(server, statuses):
    """Save Page Now 2 on the test server: /save starts a job, /save/status/JOB answers `statuses` in turn."""
    answers = iter(statuses)
    server.routes["/save"] = Reply(json.dumps({"url": "x", "job_id": "spn2-42"}), content_type="application/json")
    server.routes["/save/status/spn2-42"] = lambda request: Reply(json.dumps(next(answers)), content_type="application/json")


def test_archive_asks_the_internet_archive_and_records_archive_url(server, site):
    server.routes["/steel"] = Reply(page("steel-talks.html"))
    url = server.url("/steel")
    fake_internet_archive(server, [{"status": "success", "timestamp": "20250801101500", "original_url": url}])
    result = run("archive", url, "--site", site, "--id", "steel", "--archive",
                 env={"FACTDESK_ARCHIVE_ENDPOINT": server.url("")})
    assert result.returncode == 0, result.stderr
    article = read_back(site / "content" / "articles" / "steel.txt")
    assert article.archive_url == server.url(f"/web/20250801101500/{url}")
    (save,) = server.asked("/save")
    assert save.method == "POST" and urllib.parse.parse_qs(save.body.decode()) == {"url": [url]}
    assert save.headers["User-Agent"].startswith("factdesk/")


def test_save_page_now_is_waited_for_and_its_failure_leaves_a_comment(server, site, monkeypatch):
    monkeypatch.setenv("FACTDESK_ARCHIVE_ENDPOINT", server.url(""))
    server.routes["/steel"] = Reply(page("steel-talks.html"))
    url = server.url("/steel")
    waits = []
    fake_internet_archive(server, [{"status": "pending"}, {"status": "pending"},
                                   {"status": "success", "timestamp": "20250801101500", "original_url": url}])
    done = archive(site, url, article="steel", save=True, wait=waits.append)
    assert waits == [5.0, 5.0] and done.warnings == ()
    assert read_back(done.path).archive_url == server.url(f"/web/20250801101500/{url}")

    fake_internet_archive(server, [{"status": "error", "status_ext": "error:too-many-daily-captures",
                                    "message": "This URL has been captured 10 times today."}])
    failed = archive(site, url, article="steel-again", save=True, wait=waits.append)
    assert failed.warnings == ("the Internet Archive did not save the page: This URL has been captured 10 times today.",)
    assert read_back(failed.path).archive_url is None
    assert "# archive_url: the Internet Archive did not save the page" in front_matter(failed.path)


def test_archive_of_a_saved_file_needs_its_address_for_the_internet_archive(site):
    result = run("archive", PAGES / "urdu-steel.html", "--site", site, "--archive")
    assert result.stderr == "error: --archive needs the page's address: give it with --url\n"
    assert list((site / "content" / "articles").iterdir()) == []


def test_archived_site_reads_back_with_load_site(server, site):
    server.routes["/steel"] = Reply(page("steel-talks.html"))
    archive(site, server.url("/steel"), article="steel")
    loaded = load_site(site)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.site.articles["steel"].paragraphs[0] == ENGLISH_STORY[0]



def test_lists_tables_and_line_breaks_are_kept_as_the_page_has_them():
    # trafilatura's own text output would add "- " before list items and "|" between cells
    html = (
        "<html><body><article><h1>Budget: what changes</h1>"
        "<p>The finance minister presented the budget on <b>Friday</b> with these measures for the coming fiscal"
        " year, in detail and with figures for each of them.</p>"
        "<ul><li>Sales tax rises to 18 percent on most goods.</li><li>Pensions go up by ten percent from July.</li></ul>"
        "<p>Ministry of Finance<br>Block Q, Pak Secretariat</p>"
        "<table><tr><td>Tax</td><td>18%</td></tr></table>"
        "</article></body></html>"
    )
    assert read_story(html).text.split("\n\n") == [
        "Budget: what changes",
        "The finance minister presented the budget on Friday with these measures for the coming fiscal year, in detail"
        " and with figures for each of them.",
        "Sales tax rises to 18 percent on most goods.",
        "Pensions go up by ten percent from July.",
        "Ministry of Finance\nBlock Q, Pak Secretariat",
        "Tax 18%",
    ]
